//! WhatsApp message templates, on both backends: a sync replaces the
//! tenant's list whole (dropped templates go, other tenants' stay), the
//! status webhook changes a stored template of the account it names and
//! nothing else, and only approved templates are offered for sending.

mod common;

use chrono::Duration;
use common::now;
use domain::TenantId;
use store::{NewTemplate, NewWhatsappNumber, Store, StoreError, TemplateStatusUpdate};

const WABA: &str = "102290129340398";

fn listed(name: &str, language: &str, status: &str) -> NewTemplate {
    NewTemplate {
        template_id: Some(format!("{name}-{language}-id")),
        name: name.into(),
        language: language.into(),
        category: "UTILITY".into(),
        status: status.into(),
        body: Some("Hi {{1}}, your booking {{2}}".into()),
        parameters: 2,
        header_parameters: 0,
        components: r#"[{"type":"BODY","text":"Hi {{1}}, your booking {{2}}"}]"#.into(),
    }
}

/// A tenant with a number in `waba`.
async fn tenant_with_number(store: &Store, slug: &str, number: &str, waba: &str) -> TenantId {
    let tenant = if slug == "demo" {
        store::demo::seed_demo(store).await.expect("seed").tenant_id
    } else {
        store
            .create_tenant_with_owner(&store::NewTenant {
                slug: slug.into(),
                name: slug.into(),
                timezone: chrono_tz::Asia::Jakarta,
                country: "ID".into(),
                owner_email: format!("owner@{slug}.test"),
                owner_name: "Owner".into(),
                owner_password: "correct horse battery staple".into(),
            })
            .await
            .expect("tenant")
            .tenant
            .id
    };
    store
        .connect_whatsapp_number(
            tenant,
            &NewWhatsappNumber {
                phone_number_id: number.into(),
                waba_id: Some(waba.into()),
                display_phone: None,
                token_sealed: "v1:sealed".into(),
                token_hint: "…abcd".into(),
            },
            now(),
        )
        .await
        .expect("connected");
    tenant
}

fn status(name: &str, language: &str, event: Option<&str>) -> TemplateStatusUpdate {
    TemplateStatusUpdate {
        waba_id: WABA.into(),
        template_id: None,
        name: Some(name.into()),
        language: Some(language.into()),
        status: event.map(str::to_string),
        reason: None,
    }
}

async fn a_sync_replaces_the_tenants_list(store: Store) {
    let demo = tenant_with_number(&store, "demo", "1122334455667", WABA).await;
    let rival = tenant_with_number(&store, "rival", "1122334455668", "999").await;
    let synced = store
        .sync_templates(
            demo,
            WABA,
            &[
                listed("booking_confirmation", "id", "APPROVED"),
                listed("booking_confirmation", "en_US", "APPROVED"),
                listed("promo", "id", "PENDING"),
            ],
            now(),
        )
        .await
        .expect("synced");
    assert_eq!((synced.stored, synced.approved, synced.removed), (3, 2, 0));
    store
        .sync_templates(
            rival,
            "999",
            &[listed("rival_only", "id", "APPROVED")],
            now(),
        )
        .await
        .expect("synced");

    let stored = store.templates(demo).await.expect("templates");
    let keys: Vec<(&str, &str, &str)> = stored
        .iter()
        .map(|t| (t.name.as_str(), t.language.as_str(), t.status.as_str()))
        .collect();
    assert_eq!(
        keys,
        vec![
            ("booking_confirmation", "en_US", "APPROVED"),
            ("booking_confirmation", "id", "APPROVED"),
            ("promo", "id", "PENDING"),
        ]
    );
    let first = &stored[1];
    assert_eq!(first.tenant_id, demo);
    assert_eq!(first.waba_id, WABA);
    assert_eq!(
        first.template_id.as_deref(),
        Some("booking_confirmation-id-id")
    );
    assert_eq!(first.category, "UTILITY");
    assert_eq!(first.body.as_deref(), Some("Hi {{1}}, your booking {{2}}"));
    assert_eq!((first.parameters, first.header_parameters), (2, 0));
    assert!(first.components.contains("BODY"));
    assert_eq!(first.updated_at, now());
    assert!(first.is_approved());

    // A later sync: dropped templates go, a repeated one is stored once
    // (the later listing wins), the other tenant's list is untouched.
    let later = now() + Duration::hours(1);
    let synced = store
        .sync_templates(
            demo,
            WABA,
            &[
                listed("promo", "id", "PENDING"),
                listed("promo", "id", "APPROVED"),
                listed("reminder", "id", "REJECTED"),
            ],
            later,
        )
        .await
        .expect("synced");
    assert_eq!((synced.stored, synced.approved, synced.removed), (2, 1, 2));
    let stored = store.templates(demo).await.expect("templates");
    assert_eq!(stored.len(), 2);
    assert_eq!(
        (stored[0].name.as_str(), stored[0].status.as_str()),
        ("promo", "APPROVED")
    );
    assert_eq!(stored[0].updated_at, later);
    assert_eq!(store.templates(rival).await.expect("rival").len(), 1);

    // An empty list empties the copy; a list without an account is refused.
    let synced = store
        .sync_templates(demo, WABA, &[], later)
        .await
        .expect("synced");
    assert_eq!((synced.stored, synced.removed), (0, 2));
    assert!(matches!(
        store
            .sync_templates(demo, " ", &[listed("x", "id", "APPROVED")], later)
            .await,
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store
            .sync_templates(demo, WABA, &[listed("", "id", "APPROVED")], later)
            .await,
        Err(StoreError::Invalid(_))
    ));
    assert!(store.templates(demo).await.expect("templates").is_empty());
}

async fn status_webhooks_change_the_accounts_templates_only(store: Store) {
    let demo = tenant_with_number(&store, "demo", "1122334455667", WABA).await;
    let rival = tenant_with_number(&store, "rival", "1122334455668", "999").await;
    store
        .sync_templates(
            demo,
            WABA,
            &[
                listed("booking_confirmation", "id", "APPROVED"),
                listed("booking_confirmation", "en_US", "APPROVED"),
            ],
            now(),
        )
        .await
        .expect("synced");
    // The rival's account holds a template of the same name.
    store
        .sync_templates(
            rival,
            "999",
            &[listed("booking_confirmation", "id", "APPROVED")],
            now(),
        )
        .await
        .expect("synced");
    assert!(store
        .approved_template(demo, "booking_confirmation", "id")
        .await
        .expect("q")
        .is_some());

    let later = now() + Duration::minutes(5);
    let mut paused = status("booking_confirmation", "id", Some("PAUSED"));
    paused.reason = Some("Low quality".into());
    assert!(store
        .set_template_status(&paused, later)
        .await
        .expect("set"));
    let stored = store.templates(demo).await.expect("templates");
    let id = stored
        .iter()
        .find(|t| t.language == "id")
        .expect("the id template");
    assert_eq!(
        (id.status.as_str(), id.reason.as_deref()),
        ("PAUSED", Some("Low quality"))
    );
    assert_eq!(id.updated_at, later);
    assert!(store
        .approved_template(demo, "booking_confirmation", "id")
        .await
        .expect("q")
        .is_none());
    // The other language and the other account's template are untouched.
    assert!(store
        .approved_template(demo, "booking_confirmation", "en_US")
        .await
        .expect("q")
        .is_some());
    assert!(store
        .approved_template(rival, "booking_confirmation", "id")
        .await
        .expect("q")
        .is_some());

    // An event that keeps the status records its reason only; Meta's id
    // finds a template when the webhook names no name and language.
    let mut flagged = status("booking_confirmation", "id", None);
    flagged.reason = Some("Quality flagged".into());
    assert!(store
        .set_template_status(&flagged, later)
        .await
        .expect("set"));
    let approved = TemplateStatusUpdate {
        name: None,
        language: None,
        template_id: Some("booking_confirmation-id-id".into()),
        ..status("", "", Some("APPROVED"))
    };
    assert!(store
        .set_template_status(&approved, later)
        .await
        .expect("set"));
    let back = store
        .approved_template(demo, "booking_confirmation", "id")
        .await
        .expect("q")
        .expect("approved again");
    assert_eq!(back.reason, None);

    // Unknown templates, accounts no number is in, and updates naming
    // nothing change nothing.
    assert!(!store
        .set_template_status(&status("never_synced", "id", Some("APPROVED")), later)
        .await
        .expect("set"));
    let elsewhere = TemplateStatusUpdate {
        waba_id: "555".into(),
        ..status("booking_confirmation", "id", Some("DISABLED"))
    };
    assert!(!store
        .set_template_status(&elsewhere, later)
        .await
        .expect("set"));
    let nothing = TemplateStatusUpdate {
        name: None,
        ..status("booking_confirmation", "id", Some("DISABLED"))
    };
    assert!(!store
        .set_template_status(&nothing, later)
        .await
        .expect("set"));
    assert!(!store
        .set_template_status(
            &TemplateStatusUpdate {
                waba_id: String::new(),
                ..status("booking_confirmation", "id", Some("DISABLED"))
            },
            later
        )
        .await
        .expect("set"));
    assert_eq!(
        store
            .templates(demo)
            .await
            .expect("templates")
            .iter()
            .filter(|t| t.is_approved())
            .count(),
        2
    );
}

conformance!(
    a_sync_replaces_the_tenants_list,
    status_webhooks_change_the_accounts_templates_only,
);
