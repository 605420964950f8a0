//! `pesan tenants create` and `pesan users create`, run as the functions
//! the binary calls, against the app's own database.

mod common;

use common::TestApp;
use pesan_server::cli::{self, CreateTenant, CreateUser};
use store::demo::DEMO_EMAIL;

fn rival() -> CreateTenant {
    CreateTenant {
        slug: "rival".into(),
        name: "Rival Arena".into(),
        owner_email: "owner@rival.test".into(),
        owner_name: "Owner".into(),
        timezone: "Asia/Jakarta".into(),
        country: "ID".into(),
    }
}

fn desk(tenant: &str, email: &str) -> CreateUser {
    CreateUser {
        tenant: tenant.into(),
        email: email.into(),
        role: "staff".into(),
        name: None,
    }
}

#[tokio::test]
async fn a_new_tenants_owner_signs_in_with_the_password_printed_once() {
    let app = TestApp::new().await;
    let created = cli::create_tenant(&app.store, &rival())
        .await
        .expect("created");
    let printed = created.to_string();
    assert!(created.password.chars().count() >= 16, "{printed}");
    assert_eq!(printed.matches(&created.password).count(), 1, "{printed}");
    assert!(printed.contains("Rival Arena main outlet"), "{printed}");
    assert!(printed.contains("Asia/Jakarta"), "{printed}");
    assert!(printed.contains("owner@rival.test"), "{printed}");
    let session = app.login("owner@rival.test", &created.password).await;
    let me = app.rpc("me", "", &session).await;
    assert_eq!(me.json()["email"], "owner@rival.test");
    assert_eq!(me.json()["tenant_name"], "Rival Arena", "{}", me.body);
    assert_eq!(me.json()["role"], "owner", "{}", me.body);
    // A second run makes a different password.
    let other = cli::create_tenant(
        &app.store,
        &CreateTenant {
            slug: "rival-2".into(),
            owner_email: "owner@rival2.test".into(),
            ..rival()
        },
    )
    .await
    .expect("second");
    assert_ne!(other.password, created.password);
}

fn error_text(error: &anyhow::Error) -> String {
    format!("{error:#}")
}

#[tokio::test]
async fn tenants_create_refuses_a_taken_slug_a_bad_slug_and_an_unknown_zone() {
    let app = TestApp::new().await;
    for (args, expected) in [
        (
            CreateTenant {
                slug: "demo".into(),
                ..rival()
            },
            "a tenant with the slug \"demo\" already exists",
        ),
        (
            CreateTenant {
                slug: "Rival Arena".into(),
                ..rival()
            },
            "slug",
        ),
        (
            CreateTenant {
                timezone: "Mars/Olympus_Mons".into(),
                ..rival()
            },
            "unknown time zone \"Mars/Olympus_Mons\"",
        ),
        (
            CreateTenant {
                owner_email: DEMO_EMAIL.into(),
                ..rival()
            },
            "already exists",
        ),
        (
            CreateTenant {
                country: "Indonesia".into(),
                ..rival()
            },
            "country",
        ),
        (
            // Shaped like a country, but no numbering plan reads its phones.
            CreateTenant {
                country: "XX".into(),
                ..rival()
            },
            "unknown country",
        ),
    ] {
        let error = cli::create_tenant(&app.store, &args)
            .await
            .err()
            .unwrap_or_else(|| panic!("{args:?} was accepted"));
        let text = error_text(&error);
        assert!(text.contains(expected), "{args:?}: {text}");
    }
    assert_eq!(app.store.tenant_by_slug("rival").await.expect("q"), None);
}

#[tokio::test]
async fn users_create_adds_staff_who_sign_in_with_the_printed_password() {
    let app = TestApp::new().await;
    let created = cli::create_user(&app.store, &desk("demo", "Desk@Demo.Pesan.id"))
        .await
        .expect("created");
    let printed = created.to_string();
    assert_eq!(printed.matches(&created.password).count(), 1, "{printed}");
    assert!(printed.contains("desk@demo.pesan.id"), "{printed}");
    let session = app.login("desk@demo.pesan.id", &created.password).await;
    let me = app.rpc("me", "", &session).await;
    assert_eq!(me.json()["role"], "staff", "{}", me.body);
    assert_eq!(me.json()["name"], "desk", "{}", me.body);
    let admin = cli::create_user(
        &app.store,
        &CreateUser {
            role: "admin".into(),
            name: Some("Ayu".into()),
            ..desk("demo", "ayu@demo.pesan.id")
        },
    )
    .await
    .expect("admin");
    let session = app.login("ayu@demo.pesan.id", &admin.password).await;
    let me = app.rpc("me", "", &session).await;
    assert_eq!(me.json()["role"], "admin", "{}", me.body);
    assert_eq!(me.json()["name"], "Ayu", "{}", me.body);
}

#[tokio::test]
async fn users_create_refuses_a_taken_email_and_an_unknown_tenant() {
    let app = TestApp::new().await;
    let taken = cli::create_user(&app.store, &desk("demo", DEMO_EMAIL))
        .await
        .err()
        .expect("refused");
    assert!(
        error_text(&taken).contains(&format!(
            "a user with the email {DEMO_EMAIL} already exists"
        )),
        "{taken:#}"
    );
    let nowhere = cli::create_user(&app.store, &desk("nowhere", "x@nowhere.test"))
        .await
        .err()
        .expect("refused");
    assert!(
        error_text(&nowhere).contains("no tenant with the slug \"nowhere\""),
        "{nowhere:#}"
    );
    let role = cli::create_user(
        &app.store,
        &CreateUser {
            role: "king".into(),
            ..desk("demo", "king@demo.pesan.id")
        },
    )
    .await
    .err()
    .expect("refused");
    assert!(error_text(&role).contains("unknown role"), "{role:#}");
}
