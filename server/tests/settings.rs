//! The settings page's functions: what the bot, the WhatsApp numbers and
//! the AI services are doing, a token replaced without ever being shown,
//! and owners and admins only.

mod common;

use common::TestApp;
use http::StatusCode;
use pesan_server::cli::CreateUser;
use store::demo::DEMO_SLUG;

#[tokio::test]
async fn settings_show_each_number_without_its_token_and_take_a_new_one() {
    let app = TestApp::new().await;
    let owner = app.login_demo().await;
    let empty = app.rpc("get_settings", "", &owner).await;
    assert_eq!(empty.status, StatusCode::OK, "{}", empty.body);
    let json = empty.json();
    assert_eq!(
        json["numbers"],
        serde_json::json!([]),
        "the simulator is not a number"
    );
    assert_eq!(json["llm_model"], serde_json::Value::Null);
    assert_eq!(json["vector_store"], "database");
    assert_eq!(json["quiet_minutes"], 720);
    assert_eq!(json["can_replace_token"], true);

    let tenant = app
        .store
        .tenant_by_slug(DEMO_SLUG)
        .await
        .expect("q")
        .expect("demo")
        .id;
    let number = app
        .store
        .connect_whatsapp_number(
            tenant,
            &store::NewWhatsappNumber {
                phone_number_id: "1122334455".into(),
                waba_id: None,
                display_phone: Some("+62 811 0000 1111".into()),
                token_sealed: "v1:sealed-old-token".into(),
                token_hint: "OLD1".into(),
            },
            chrono::Utc::now(),
        )
        .await
        .expect("connect");
    app.store
        .pause_number(number.id, "190 Access token has expired")
        .await
        .expect("pause");
    let listed = app.rpc("get_settings", "", &owner).await;
    let numbers = &listed.json()["numbers"];
    assert_eq!(numbers[0]["token_hint"], "OLD1");
    assert_eq!(numbers[0]["paused_reason"], "190 Access token has expired");
    assert_eq!(numbers[0]["last_inbound"], serde_json::Value::Null);
    assert!(!listed.body.contains("sealed-old-token"), "{}", listed.body);

    for (token, why) in [
        ("short", "too short"),
        ("has spaces in the middle of it", "blank"),
        (&*"A".repeat(5000), "too long"),
    ] {
        let r = app
            .rpc(
                "replace_whatsapp_token",
                &format!("number_id={}&token={}", number.id, common::encode(token)),
                &owner,
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{why}: {}", r.body);
    }
    let secret = "EAAGnewtokenXYZ1234567890abcdWXYZ";
    let replaced = app
        .rpc(
            "replace_whatsapp_token",
            &format!("number_id={}&token={secret}", number.id),
            &owner,
        )
        .await;
    assert_eq!(replaced.status, StatusCode::OK, "{}", replaced.body);
    let stored = app
        .store
        .whatsapp_numbers(tenant)
        .await
        .expect("numbers")
        .remove(0);
    assert_eq!(stored.token_hint, "…WXYZ");
    assert_eq!(stored.paused_reason, None, "a new token lifts the pause");
    assert!(stored.token_sealed.starts_with("v1:"));
    assert!(
        !stored.token_sealed.contains(secret),
        "sealed, not stored as is"
    );
    assert_eq!(
        stored.display_phone.as_deref(),
        Some("+62 811 0000 1111"),
        "the rest of the number is kept"
    );
    let after = app.rpc("get_settings", "", &owner).await;
    assert!(!after.body.contains(secret));

    // Another tenant's number is not found; front desk may not look.
    let rival = pesan_server::cli::create_tenant(
        &app.store,
        &pesan_server::cli::CreateTenant {
            slug: "rival".into(),
            name: "Rival".into(),
            owner_email: "boss@rival.id".into(),
            owner_name: "Boss".into(),
            timezone: "Asia/Jakarta".into(),
            country: "ID".into(),
        },
    )
    .await
    .expect("rival");
    let boss = app.login("boss@rival.id", &rival.password).await;
    let theirs = app
        .rpc(
            "replace_whatsapp_token",
            &format!("number_id={}&token=EAAGsabotage1234567890", number.id),
            &boss,
        )
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    let desk = pesan_server::cli::create_user(
        &app.store,
        &CreateUser {
            tenant: "demo".into(),
            email: "desk@demo.test".into(),
            role: "staff".into(),
            name: None,
        },
    )
    .await
    .expect("desk");
    let desk = app.login("desk@demo.test", &desk.password).await;
    for (name, form) in [
        ("get_settings", String::new()),
        (
            "replace_whatsapp_token",
            format!("number_id={}&token=EAAGsabotage1234567890", number.id),
        ),
    ] {
        let r = app.rpc(name, &form, &desk).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{name}");
    }
}

#[tokio::test]
async fn the_venue_language_starts_new_conversations_and_is_for_managers() {
    let app = TestApp::new().await;
    let owner = app.login_demo().await;
    let desk = app.login_front_desk().await;
    assert_eq!(
        app.rpc("get_settings", "", &owner).await.json()["venue_lang"],
        "en"
    );
    let refused = app.rpc("set_venue_language", "lang=id", &desk).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let bad = app.rpc("set_venue_language", "lang=fr", &owner).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
    let set = app.rpc("set_venue_language", "lang=id", &owner).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert_eq!(
        app.rpc("get_settings", "", &owner).await.json()["venue_lang"],
        "id"
    );

    let tenant = app
        .store
        .tenant_by_slug(DEMO_SLUG)
        .await
        .expect("q")
        .expect("demo")
        .id;
    let phone = domain::PhoneE164::parse("0812 3300 0001").expect("phone");
    let opened = app
        .store
        .open_conversation(
            tenant,
            &phone,
            store::Channel::Simulator,
            chrono::Utc::now(),
        )
        .await
        .expect("open");
    assert_eq!(opened.lang, domain::language::Lang::Id);
    // A message that shows no language is answered in the venue's.
    let reply = app
        .rpc("simulator_send", "phone=0812+3300+0002&text=%3F", &owner)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let thread = reply.json();
    let last = thread["messages"]
        .as_array()
        .and_then(|m| m.last())
        .and_then(|m| m["body"].as_str())
        .unwrap_or_default()
        .to_string();
    assert!(
        ["Halo", "Maaf", "bisa", "Saya"]
            .iter()
            .any(|w| last.contains(w)),
        "an Indonesian reply: {last}"
    );
}
