//! The venue's own kinds from the dashboard: owners define them with the
//! words customers use, the resource forms take them, the simulator's
//! customer books one through the real pipeline; bad names and words get
//! a coded 400, the front desk a 403, and a kind in use stays.

mod common;

use common::TestApp;
use http::StatusCode;

const WEEK: &str = "mon=07%3A00-23%3A00&tue=07%3A00-23%3A00&wed=07%3A00-23%3A00&thu=07%3A00-23%3A00&fri=07%3A00-23%3A00&sat=07%3A00-23%3A00&sun=07%3A00-23%3A00";

fn last_reply(thread: &serde_json::Value) -> String {
    thread["messages"]
        .as_array()
        .and_then(|m| m.last())
        .and_then(|m| m["body"].as_str())
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn an_owner_defines_padel_and_a_customer_books_it() {
    let app = TestApp::new().await;
    let s = app.login_demo().await;
    let saved = app
        .rpc(
            "save_resource_kind",
            "name_en=Padel+court&name_id=Lapangan+padel&words=padel%2C+padle%0APADEL",
            &s,
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let kind = saved.json();
    assert_eq!(kind["key"], "padel_court");
    assert_eq!(kind["words"], serde_json::json!(["padel", "padle"]));

    let outlet = app.rpc("list_outlets", "", &s).await.json()[0]["id"]
        .as_i64()
        .expect("outlet");
    let made = app
        .rpc(
            "create_resource",
            &format!("outlet_id={outlet}&name=Padel+1&kind=padel_court&capacity=4&slot_minutes=60&min_minutes=60&max_minutes=120&hourly_rate=200000&{WEEK}"),
            &s,
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    assert_eq!(made.json()["kind"]["custom"]["name_id"], "Lapangan padel");

    let offer = app
        .rpc(
            "simulator_send",
            "phone=0812+3000+0101&text=book+padel+tomorrow+7pm",
            &s,
        )
        .await;
    assert_eq!(offer.status, StatusCode::OK, "{}", offer.body);
    assert!(
        last_reply(&offer.json()).contains("Padel 1"),
        "{}",
        offer.body
    );

    // The list counts the resource, and the kind in use stays.
    let list = app.rpc("get_resource_kinds", "", &s).await.json();
    assert_eq!(list[0]["resources"], 1);
    let refused = app.rpc("delete_resource_kind", "key=padel_court", &s).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("kind_in_use"), "{}", refused.body);

    // The REST API names the kind by its key, and filters by it.
    let key = common::key_for(&app, store::demo::DEMO_SLUG).await;
    let resources = common::call(&app, "GET", "/api/v1/resources", Some(&key), None, None)
        .await
        .json();
    assert!(
        resources["resources"]
            .as_array()
            .expect("list")
            .iter()
            .any(|r| r["name"] == "Padel 1" && r["type"] == "padel_court"),
        "{resources}"
    );
    let slots = common::call(
        &app,
        "GET",
        "/api/v1/availability?resource_type=padel_court&from=2026-11-27",
        Some(&key),
        None,
        None,
    )
    .await;
    assert_eq!(slots.status, StatusCode::OK, "{}", slots.body);
    let padel_id = made.json()["id"].as_i64().expect("id");
    let found = slots.json()["slots"].as_array().expect("slots").clone();
    assert!(!found.is_empty(), "{}", slots.body);
    assert!(
        found.iter().all(|s| s["resource_id"] == padel_id),
        "{}",
        slots.body
    );
    let unknown = common::call(
        &app,
        "GET",
        "/api/v1/availability?resource_type=squash&from=2026-11-27",
        Some(&key),
        None,
        None,
    )
    .await;
    assert_eq!(common::code(&unknown), "unknown_resource_type");
}

#[tokio::test]
async fn bad_kinds_are_refused_with_a_code_and_the_front_desk_reads_only() {
    let app = TestApp::new().await;
    let s = app.login_demo().await;
    let long_words = format!("words={}", "a".repeat(2_001));
    for (form, code) in [
        ("name_en=+&words=", "kind_name_required"),
        ("name_en=Futsal", "kind_built_in"),
        ("name_en=Meeting+room", "kind_built_in"),
        ("name_en=%E2%80%AEpadel", "kind_name_invisible"),
        (
            "name_en=%E3%83%91%E3%83%87%E3%83%AB",
            "kind_name_needs_letters",
        ),
        ("name_en=Padel&words=pa%E2%80%8Bdel", "kind_word_invisible"),
        // The generic word is named, so staff know which of twenty.
        ("name_en=Padel&words=padel%0Ajam", "kind_word_generic"),
        ("name_en=Padel&words=padel%0Ajam", "“jam”"),
        // NUL is refused before any function runs.
        ("name_en=Padel&words=pa%00del", "invalid_text"),
        (
            &format!("name_en=Padel&{long_words}"),
            "kind_too_many_words",
        ),
        (&format!("name_en={}", "x".repeat(41)), "kind_name_too_long"),
    ] {
        let reply = app.rpc("save_resource_kind", form, &s).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{form}: {}",
            reply.body
        );
        assert!(reply.body.contains(code), "{form}: {}", reply.body);
    }
    // A forged key is no kind at all.
    for key in ["..%2Fx", "PADEL", "a%27b"] {
        let reply = app
            .rpc(
                "save_resource_kind",
                &format!("key={key}&name_en=Padel"),
                &s,
            )
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{key}");
        let reply = app
            .rpc("delete_resource_kind", &format!("key={key}"), &s)
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{key}");
    }
    let first = app.rpc("save_resource_kind", "name_en=Padel", &s).await;
    assert_eq!(first.status, StatusCode::OK);
    let again = app.rpc("save_resource_kind", "name_en=PADEL", &s).await;
    assert!(again.body.contains("kind_exists"), "{}", again.body);
    // Another kind may not take padel's name as one of its words.
    let shared = app
        .rpc("save_resource_kind", "name_en=Squash&words=padel", &s)
        .await;
    assert_eq!(shared.status, StatusCode::BAD_REQUEST, "{}", shared.body);
    assert!(
        shared.body.contains("kind_word_taken") && shared.body.contains("“padel”"),
        "{}",
        shared.body
    );
    // A resource cannot name a kind the venue does not have.
    let outlet = app.rpc("list_outlets", "", &s).await.json()[0]["id"]
        .as_i64()
        .expect("outlet");
    let made = app
        .rpc(
            "create_resource",
            &format!("outlet_id={outlet}&name=X&kind=pickleball&capacity=4&slot_minutes=60&min_minutes=60&max_minutes=120&hourly_rate=1&{WEEK}"),
            &s,
        )
        .await;
    assert_eq!(made.status, StatusCode::BAD_REQUEST, "{}", made.body);

    let desk = app.login_front_desk().await;
    assert_eq!(
        app.rpc("get_resource_kinds", "", &desk).await.json()[0]["key"],
        "padel"
    );
    for (name, form) in [
        ("save_resource_kind", "name_en=Squash"),
        ("save_resource_kind", "key=padel&name_en=Mine"),
        ("delete_resource_kind", "key=padel"),
    ] {
        assert_eq!(
            app.rpc(name, form, &desk).await.status,
            StatusCode::FORBIDDEN,
            "{name}"
        );
    }
    let deleted = app.rpc("delete_resource_kind", "key=padel", &s).await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);
    assert_eq!(
        app.rpc("get_resource_kinds", "", &s).await.json(),
        serde_json::json!([])
    );
}
