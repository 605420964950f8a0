//! The integrator REST API under /api/v1: keys, resources, availability,
//! bookings with reason codes, idempotency, tenant isolation, OpenAPI.
//! Now = Wed 2026-11-25 10:00 in Jakarta.

mod common;

use common::{call, code, key_for, TestApp};
use domain::clock::Clock;
use http::StatusCode;
use serde_json::{json, Value};

fn new_booking(resource: i64, start: &str, end: &str) -> String {
    json!({ "resource_id": resource, "start": start, "end": end, "customer_phone": "0812 5555 0001", "customer_name": "Budi" }).to_string()
}

#[tokio::test]
async fn an_api_key_is_needed_and_a_revoked_one_is_refused() {
    let app = TestApp::new().await;
    let none = call(&app, "GET", "/api/v1/resources", None, None, None).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(code(&none), "unauthorized");
    let wrong = call(
        &app,
        "GET",
        "/api/v1/resources",
        Some("pk_nope"),
        None,
        None,
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let demo = app
        .store
        .tenant_by_slug("demo")
        .await
        .expect("q")
        .expect("demo");
    let (meta, key) = app
        .store
        .create_api_key(
            demo.id,
            "pos",
            domain::availability::Policy::Customer,
            app.clock.now(),
        )
        .await
        .expect("key");
    assert_eq!(
        call(&app, "GET", "/api/v1/resources", Some(&key), None, None)
            .await
            .status,
        StatusCode::OK
    );
    app.store
        .revoke_api_key(demo.id, meta.id, app.clock.now())
        .await
        .expect("revoke");
    assert_eq!(
        call(&app, "GET", "/api/v1/resources", Some(&key), None, None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn integrator_books_a_free_slot_and_a_second_claim_gets_409() {
    let app = TestApp::new().await;
    let key = key_for(&app, "demo").await;
    let resources = call(&app, "GET", "/api/v1/resources", Some(&key), None, None)
        .await
        .json();
    let court = resources["resources"][0]["id"].as_i64().expect("id");
    let free = call(
        &app,
        "GET",
        &format!("/api/v1/availability?resource_id={court}&from=2026-11-26&minutes=60"),
        Some(&key),
        None,
        None,
    )
    .await;
    assert_eq!(free.status, StatusCode::OK, "{}", free.body);
    let slots = free.json()["slots"].as_array().expect("slots").len();
    assert_eq!(slots, 15, "08:00–23:00 in hourly slots");

    // 19:00–20:00 Jakarta = 12:00–13:00 UTC.
    let body = new_booking(court, "2026-11-26T12:00:00Z", "2026-11-26T13:00:00Z");
    let created = common::post_booking(&app, &key, &body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let booking = created.json();
    assert_eq!(booking["status"], "confirmed");
    assert_eq!(booking["local_start"], "2026-11-26T19:00");
    // One hour at the resource's hourly rate.
    assert_eq!(booking["price"], resources["resources"][0]["hourly_rate"]);
    assert_eq!(
        created.location,
        Some(format!("/api/v1/bookings/{}", booking["id"]))
    );

    let again = call(
        &app,
        "POST",
        "/api/v1/bookings",
        Some(&key),
        Some(&body),
        None,
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(code(&again), "slot_taken");
    let after = call(
        &app,
        "GET",
        &format!("/api/v1/availability?resource_id={court}&from=2026-11-26"),
        Some(&key),
        None,
        None,
    )
    .await;
    assert_eq!(after.json()["slots"].as_array().expect("slots").len(), 14);

    let listed = call(
        &app,
        "GET",
        "/api/v1/bookings?status=confirmed&from=2026-11-26T00:00:00Z&to=2026-11-27T00:00:00Z",
        Some(&key),
        None,
        None,
    )
    .await;
    assert_eq!(listed.json()["bookings"].as_array().expect("list").len(), 1);
    let one = call(
        &app,
        "GET",
        &format!("/api/v1/bookings/{}", booking["id"]),
        Some(&key),
        None,
        None,
    )
    .await;
    assert_eq!(one.json()["customer_phone"], "+6281255550001");
}

#[tokio::test]
async fn a_retry_with_the_same_idempotency_key_returns_the_first_booking() {
    let app = TestApp::new().await;
    let key = key_for(&app, "demo").await;
    let body = new_booking(1, "2026-11-26T05:00:00Z", "2026-11-26T06:00:00Z");
    let first = call(
        &app,
        "POST",
        "/api/v1/bookings",
        Some(&key),
        Some(&body),
        Some("order-42"),
    )
    .await;
    let retry = call(
        &app,
        "POST",
        "/api/v1/bookings",
        Some(&key),
        Some(&body),
        Some("order-42"),
    )
    .await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(retry.status, StatusCode::CREATED, "{}", retry.body);
    assert_eq!(first.json()["id"], retry.json()["id"]);
    let all = call(&app, "GET", "/api/v1/bookings", Some(&key), None, None)
        .await
        .json();
    assert_eq!(all["bookings"].as_array().expect("list").len(), 1);
}

#[tokio::test]
async fn bad_input_gets_a_reason_code_and_writes_nothing() {
    let app = TestApp::new().await;
    let key = key_for(&app, "demo").await;
    let other_key = {
        let b = app
            .store
            .create_tenant("rival", "Rival")
            .await
            .expect("tenant");
        app.store
            .create_api_key(
                b.id,
                "x",
                domain::availability::Policy::Customer,
                app.clock.now(),
            )
            .await
            .expect("key")
            .1
    };
    let cases: Vec<(String, Option<&str>, StatusCode, &str)> = vec![
        (new_booking(1, "2026-11-26T13:00:00Z", "2026-11-26T12:00:00Z"), Some(key.as_str()), StatusCode::BAD_REQUEST, "end_before_start"),
        (new_booking(1, "2026-11-26T12:30:00Z", "2026-11-26T13:30:00Z"), Some(key.as_str()), StatusCode::UNPROCESSABLE_ENTITY, "unaligned"),
        (new_booking(1, "2026-11-26T00:00:00Z", "2026-11-26T01:00:00Z"), Some(key.as_str()), StatusCode::UNPROCESSABLE_ENTITY, "outside_opening_hours"),
        (new_booking(1, "2026-11-25T02:00:00Z", "2026-11-25T03:00:00Z"), Some(key.as_str()), StatusCode::UNPROCESSABLE_ENTITY, "in_the_past"),
        (new_booking(1, "2027-06-01T05:00:00Z", "2027-06-01T06:00:00Z"), Some(key.as_str()), StatusCode::UNPROCESSABLE_ENTITY, "beyond_horizon"),
        (new_booking(999, "2026-11-26T05:00:00Z", "2026-11-26T06:00:00Z"), Some(key.as_str()), StatusCode::NOT_FOUND, "unknown_resource"),
        (new_booking(1, "2026-11-26T05:00:00Z", "2026-11-26T06:00:00Z"), Some(other_key.as_str()), StatusCode::NOT_FOUND, "unknown_resource"),
        ("{\"resource_id\": 1, ".to_string(), Some(key.as_str()), StatusCode::BAD_REQUEST, "invalid_json"),
        (json!({"resource_id": 1, "start": "tomorrow", "end": "x", "customer_phone": "1"}).to_string(), Some(key.as_str()), StatusCode::BAD_REQUEST, "invalid_json"),
        (json!({"resource_id": 1, "start": "2026-11-26T05:00:00Z", "end": "2026-11-26T06:00:00Z", "customer_phone": "call me"}).to_string(), Some(key.as_str()), StatusCode::BAD_REQUEST, "invalid_phone"),
    ];
    for (body, key, status, expected) in cases {
        let reply = call(&app, "POST", "/api/v1/bookings", key, Some(&body), None).await;
        assert_eq!(reply.status, status, "{body}: {}", reply.body);
        assert_eq!(code(&reply), expected, "{body}");
        assert!(reply.json()["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    }
    // Absurd dates are refused, not computed with.
    for query in ["from=%2B262142-12-31", "from=2026-11-26&to=%2B262142-12-31"] {
        let reply = call(
            &app,
            "GET",
            &format!("/api/v1/availability?resource_id=1&{query}"),
            Some(&key),
            None,
            None,
        )
        .await;
        assert_eq!(code(&reply), "invalid_date", "{query}: {}", reply.body);
    }
    let all = call(&app, "GET", "/api/v1/bookings", Some(&key), None, None)
        .await
        .json();
    assert_eq!(all["bookings"], json!([]), "no partial write");
    for (query, expected) in [
        ("resource_id=1&from=26-11-2026", "invalid_date"),
        (
            "resource_id=1&from=2026-11-27&to=2026-11-26",
            "end_before_start",
        ),
        (
            "resource_id=1&from=2026-11-01&to=2026-12-31",
            "range_too_long",
        ),
        ("from=2026-11-26", "missing_resource"),
        (
            "resource_type=swimming&from=2026-11-26",
            "unknown_resource_type",
        ),
    ] {
        let reply = call(
            &app,
            "GET",
            &format!("/api/v1/availability?{query}"),
            Some(&key),
            None,
            None,
        )
        .await;
        assert_eq!(code(&reply), expected, "{query}: {}", reply.body);
    }
    let foreign = call(
        &app,
        "GET",
        "/api/v1/bookings/1",
        Some(&other_key),
        None,
        None,
    )
    .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn availability_by_type_and_outlet_covers_every_matching_court() {
    let app = TestApp::new().await;
    let key = key_for(&app, "demo").await;
    let reply = call(
        &app,
        "GET",
        "/api/v1/availability?resource_type=futsal&outlet_id=1&from=2026-11-26&minutes=120",
        Some(&key),
        None,
        None,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let slots = reply.json()["slots"].as_array().expect("slots").clone();
    let courts: std::collections::BTreeSet<i64> = slots
        .iter()
        .map(|s| s["resource_id"].as_i64().expect("id"))
        .collect();
    assert_eq!(courts.len(), 2, "Kemang has two futsal courts");
    assert_eq!(
        slots.len(),
        2 * 14,
        "2-hour slots starting 08:00…21:00 on each court"
    );
}

#[tokio::test]
async fn the_openapi_document_describes_the_fixed_points() {
    let app = TestApp::new().await;
    let doc: Value = call(&app, "GET", "/api/v1/openapi.json", None, None, None)
        .await
        .json();
    assert_eq!(doc["openapi"], "3.1.0");
    for path in [
        "/resources",
        "/resources/{id}",
        "/resources/{id}/price-rules",
        "/price-rules/{id}",
        "/quote",
        "/availability",
        "/blackouts",
        "/blackouts/{id}",
        "/holds",
        "/holds/{id}",
        "/holds/{id}/confirm",
        "/bookings",
        "/bookings/{id}",
        "/bookings/{id}/status",
        "/bookings/{id}/reschedule",
        "/bookings/{id}/cancel",
        "/bookings/{id}/history",
        "/series",
        "/series/{id}",
        "/series/{id}/cancel",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
    assert!(doc["paths"]["/bookings"]["post"]["responses"]["409"].is_object());
    // Every documented operation is a real route: without a key it is 401,
    // not the API's 404 `no_such_endpoint` or axum's 405.
    for (path, operations) in doc["paths"].as_object().expect("paths") {
        for method in operations.as_object().expect("operations").keys() {
            let uri = format!("/api/v1{}", path.replace("{id}", "1"));
            let reply = call(&app, &method.to_uppercase(), &uri, None, None, None).await;
            assert_eq!(
                reply.status,
                StatusCode::UNAUTHORIZED,
                "{method} {uri}: {}",
                reply.body
            );
        }
    }
}

#[tokio::test]
async fn integrators_cancel_check_in_and_reschedule_with_reason_codes() {
    let app = TestApp::new().await;
    let key = key_for(&app, "demo").await;
    let k = Some(key.as_str());
    // Checking in is the front desk's: a staff-policy key.
    let desk_key = common::staff_key_for(&app, "demo").await;
    let desk = Some(desk_key.as_str());
    let make = |start: &str, end: &str| new_booking(1, start, end);
    let a = call(
        &app,
        "POST",
        "/api/v1/bookings",
        k,
        Some(&make("2026-11-26T05:00:00Z", "2026-11-26T06:00:00Z")),
        None,
    )
    .await
    .json();
    let b = call(
        &app,
        "POST",
        "/api/v1/bookings",
        k,
        Some(&make("2026-11-26T07:00:00Z", "2026-11-26T08:00:00Z")),
        None,
    )
    .await
    .json();
    let (a, b) = (a["id"].as_i64().expect("id"), b["id"].as_i64().expect("id"));

    // Reschedule onto b's slot: 409, a unchanged; onto a free slot: moved.
    let onto_b =
        json!({ "start": "2026-11-26T07:00:00Z", "end": "2026-11-26T08:00:00Z" }).to_string();
    let refused = call(
        &app,
        "POST",
        &format!("/api/v1/bookings/{a}/reschedule"),
        k,
        Some(&onto_b),
        None,
    )
    .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(code(&refused), "slot_taken");
    let unaligned =
        json!({ "start": "2026-11-26T09:30:00Z", "end": "2026-11-26T10:30:00Z" }).to_string();
    let reply = call(
        &app,
        "POST",
        &format!("/api/v1/bookings/{a}/reschedule"),
        k,
        Some(&unaligned),
        None,
    )
    .await;
    assert_eq!(code(&reply), "unaligned");
    let free =
        json!({ "start": "2026-11-26T10:00:00Z", "end": "2026-11-26T11:00:00Z" }).to_string();
    let moved = call(
        &app,
        "POST",
        &format!("/api/v1/bookings/{a}/reschedule"),
        k,
        Some(&free),
        None,
    )
    .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    assert_eq!(moved.json()["start"], "2026-11-26T10:00:00+00:00");

    // Lifecycle: a cancellation needs a reason; going back is refused.
    let no_reason = call(
        &app,
        "POST",
        &format!("/api/v1/bookings/{b}/status"),
        k,
        Some(r#"{"status":"cancelled"}"#),
        None,
    )
    .await;
    assert_eq!(no_reason.status, StatusCode::BAD_REQUEST);
    let cancelled = call(
        &app,
        "POST",
        &format!("/api/v1/bookings/{b}/status"),
        k,
        Some(r#"{"status":"cancelled","reason":"rain"}"#),
        None,
    )
    .await;
    assert_eq!(cancelled.json()["status"], "cancelled");
    let back = call(
        &app,
        "POST",
        &format!("/api/v1/bookings/{b}/status"),
        k,
        Some(r#"{"status":"confirmed"}"#),
        None,
    )
    .await;
    assert_eq!(back.status, StatusCode::CONFLICT);
    assert_eq!(code(&back), "illegal_transition");
    let checked_in = call(
        &app,
        "POST",
        &format!("/api/v1/bookings/{a}/status"),
        k,
        Some(r#"{"status":"checked_in"}"#),
        None,
    )
    .await;
    assert_eq!(
        (checked_in.status, code(&checked_in)),
        (StatusCode::FORBIDDEN, "staff_only".to_string()),
        "a customer-policy key only cancels"
    );
    // A day ahead is too early to check in; half an hour before is not.
    let early = call(
        &app,
        "POST",
        &format!("/api/v1/bookings/{a}/status"),
        desk,
        Some(r#"{"status":"checked_in"}"#),
        None,
    )
    .await;
    assert_eq!(
        (early.status, code(&early)),
        (StatusCode::CONFLICT, "too_early".to_string())
    );
    // 2026-11-26T09:30Z, half an hour before a's 10:00.
    app.clock.advance(chrono::Duration::minutes(30 * 60 + 30));
    let checked_in = call(
        &app,
        "POST",
        &format!("/api/v1/bookings/{a}/status"),
        desk,
        Some(r#"{"status":"checked_in"}"#),
        None,
    )
    .await;
    assert_eq!(checked_in.json()["status"], "checked_in");
    // The named cancel: a reason is needed, and a checked-in booking cannot be.
    let c = call(
        &app,
        "POST",
        "/api/v1/bookings",
        k,
        Some(&make("2026-11-26T12:00:00Z", "2026-11-26T13:00:00Z")),
        None,
    )
    .await
    .json()["id"]
        .as_i64()
        .expect("id");
    let no_reason = call(
        &app,
        "POST",
        &format!("/api/v1/bookings/{c}/cancel"),
        k,
        Some(r#"{"reason":" "}"#),
        None,
    )
    .await;
    assert_eq!(no_reason.status, StatusCode::BAD_REQUEST);
    let cancelled = call(
        &app,
        "POST",
        &format!("/api/v1/bookings/{c}/cancel"),
        k,
        Some(r#"{"reason":"team sick"}"#),
        None,
    )
    .await;
    assert_eq!(
        cancelled.json()["status"],
        "cancelled",
        "{}",
        cancelled.body
    );
    let under_way = call(
        &app,
        "POST",
        &format!("/api/v1/bookings/{a}/cancel"),
        k,
        Some(r#"{"reason":"x"}"#),
        None,
    )
    .await;
    assert_eq!(code(&under_way), "illegal_transition");
    let history = call(
        &app,
        "GET",
        &format!("/api/v1/bookings/{c}/history"),
        k,
        None,
        None,
    )
    .await
    .json();
    let events = history["events"].as_array().expect("events");
    assert_eq!(events.len(), 2);
    assert_eq!(events[1]["from"], "confirmed");
    assert_eq!(events[1]["to"], "cancelled");
    assert_eq!(events[1]["reason"], "team sick");
    assert!(events[1]["actor"]
        .as_str()
        .is_some_and(|a| a.starts_with("api:")));

    // Another tenant's key sees no such booking.
    let rival = {
        let t = app
            .store
            .create_tenant("rival", "Rival")
            .await
            .expect("tenant");
        app.store
            .create_api_key(
                t.id,
                "x",
                domain::availability::Policy::Staff,
                app.clock.now(),
            )
            .await
            .expect("key")
            .1
    };
    let foreign = call(
        &app,
        "POST",
        &format!("/api/v1/bookings/{a}/status"),
        Some(&rival),
        Some(r#"{"status":"no_show"}"#),
        None,
    )
    .await;
    assert_eq!(code(&foreign), "unknown_booking");
    let foreign = call(
        &app,
        "POST",
        &format!("/api/v1/bookings/{a}/reschedule"),
        Some(&rival),
        Some(&free),
        None,
    )
    .await;
    assert_eq!(code(&foreign), "unknown_booking");
}
