//! Setting up a venue business: the tenant, its first outlet and its owner
//! in one transaction; slugs, countries and emails checked; duplicates
//! refused without leaving half a tenant behind. Both backends.

mod common;

use domain::Role;
use store::demo::{DEMO_EMAIL, DEMO_SLUG};
use store::{NewTenant, Store, StoreError};

fn rival() -> NewTenant {
    NewTenant {
        slug: "rival".into(),
        name: "Rival Arena".into(),
        timezone: chrono_tz::Asia::Makassar,
        country: "id".into(),
        owner_email: " Owner@Rival.test ".into(),
        owner_name: "Rina".into(),
        owner_password: "a generated one".into(),
    }
}

async fn a_new_tenant_has_an_outlet_and_an_owner_who_can_sign_in(store: Store) {
    let created = store
        .create_tenant_with_owner(&NewTenant {
            country: "sg".into(),
            ..rival()
        })
        .await
        .expect("created");
    assert_eq!(created.tenant.slug, "rival");
    assert_eq!(created.tenant.name, "Rival Arena");
    assert_eq!(created.tenant.country, "SG");
    assert_eq!(created.outlet.name, "Rival Arena main outlet");
    assert_eq!(created.outlet.timezone, chrono_tz::Asia::Makassar);
    assert_eq!(created.owner_email, "owner@rival.test");
    assert_eq!(
        store.tenant_by_slug("rival").await.expect("q"),
        Some(created.tenant.clone())
    );
    assert_eq!(
        store.outlets(created.tenant.id).await.expect("q"),
        vec![created.outlet.clone()]
    );
    let owner = store
        .verify_login("owner@rival.test", "a generated one")
        .await
        .expect("q")
        .expect("the owner signs in");
    assert_eq!(owner.id, created.owner);
    assert_eq!(owner.tenant_id, created.tenant.id);
    assert_eq!(owner.role, Role::Owner);
    assert_eq!(owner.name, "Rina");
}

async fn a_taken_slug_or_email_leaves_nothing_behind(store: Store) {
    store::demo::seed_demo(&store).await.expect("seed");
    let taken_slug = store
        .create_tenant_with_owner(&NewTenant {
            slug: DEMO_SLUG.into(),
            ..rival()
        })
        .await;
    match taken_slug {
        Err(StoreError::Duplicate(message)) => {
            assert!(message.contains("\"demo\""), "{message}");
        }
        other => panic!("expected a duplicate slug, got {other:?}"),
    }
    let taken_email = store
        .create_tenant_with_owner(&NewTenant {
            owner_email: DEMO_EMAIL.to_uppercase(),
            ..rival()
        })
        .await;
    match taken_email {
        Err(StoreError::Duplicate(message)) => {
            assert!(message.contains(DEMO_EMAIL), "{message}");
        }
        other => panic!("expected a duplicate email, got {other:?}"),
    }
    assert_eq!(
        store.tenant_by_slug("rival").await.expect("q"),
        None,
        "the tenant was rolled back with its owner"
    );
    let outlets: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outlets WHERE name = $1")
        .bind("Rival Arena main outlet")
        .fetch_one(store.pool())
        .await
        .expect("q");
    assert_eq!(outlets, 0, "and so was its outlet");
    // The slug is still free.
    store
        .create_tenant_with_owner(&rival())
        .await
        .expect("after the failures, the same tenant can be created");
}

async fn slugs_countries_emails_and_passwords_are_checked(store: Store) {
    let too_long = "a".repeat(41);
    for slug in [
        "r",
        "Rival",
        "rival arena",
        "-rival",
        "rival-",
        "rïval",
        &too_long,
    ] {
        let result = store
            .create_tenant_with_owner(&NewTenant {
                slug: slug.into(),
                ..rival()
            })
            .await;
        assert!(
            matches!(&result, Err(StoreError::Invalid(m)) if m.contains("slug")),
            "{slug:?}: {result:?}"
        );
    }
    let forty = "a".repeat(40);
    for (field, new) in [
        (
            "country",
            NewTenant {
                country: "IDN".into(),
                ..rival()
            },
        ),
        (
            "country",
            NewTenant {
                country: "1D".into(),
                ..rival()
            },
        ),
        (
            "email",
            NewTenant {
                owner_email: "owner".into(),
                ..rival()
            },
        ),
        (
            "email",
            NewTenant {
                owner_email: format!("{}@rival.test", "o".repeat(250)),
                ..rival()
            },
        ),
        (
            "password",
            NewTenant {
                owner_password: "short".into(),
                ..rival()
            },
        ),
        (
            "name",
            NewTenant {
                name: "  ".into(),
                ..rival()
            },
        ),
    ] {
        let result = store.create_tenant_with_owner(&new).await;
        assert!(
            matches!(&result, Err(StoreError::Invalid(m)) if m.contains(field)),
            "{field}: {result:?}"
        );
    }
    assert_eq!(store.tenant_by_slug("rival").await.expect("q"), None);
    assert!(
        !store.has_tenants().await.expect("q"),
        "nothing was written"
    );
    let longest = store
        .create_tenant_with_owner(&NewTenant {
            slug: forty.clone(),
            ..rival()
        })
        .await
        .expect("40 characters are allowed");
    assert_eq!(longest.tenant.slug, forty);
}

async fn tenants_from_before_countries_are_indonesian(store: Store) {
    sqlx::query("INSERT INTO tenants (slug, name) VALUES ('older', 'Older Venue')")
        .execute(store.pool())
        .await
        .expect("insert");
    let older = store
        .tenant_by_slug("older")
        .await
        .expect("q")
        .expect("tenant");
    assert_eq!(older.country, "ID");
    let demo = store::demo::seed_demo(&store).await.expect("seed");
    assert_eq!(store.tenant(demo.tenant_id).await.expect("q").country, "ID");
}

conformance!(
    a_new_tenant_has_an_outlet_and_an_owner_who_can_sign_in,
    a_taken_slug_or_email_leaves_nothing_behind,
    slugs_countries_emails_and_passwords_are_checked,
    tenants_from_before_countries_are_indonesian,
);

#[test]
fn generated_passwords_are_long_and_never_repeat() {
    let passwords: std::collections::BTreeSet<String> =
        (0..100).map(|_| store::generate_password()).collect();
    assert_eq!(passwords.len(), 100);
    for password in &passwords {
        assert!(password.chars().count() >= 16, "{password}");
        assert!(
            password.chars().all(|c| c.is_ascii_alphanumeric()),
            "{password}"
        );
    }
}
