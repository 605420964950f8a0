//! The integrator API beyond plain bookings: holds, blackouts, price rules
//! and quotes, and booking windows.
//! Now = Wed 2026-11-25 10:00 in Jakarta (03:00 UTC).

mod common;

use chrono::Duration;
use common::{
    booking_request as body, call, code, futsal_court_1 as court, key_for, staff_key_for, TestApp,
};
use http::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn a_hold_blocks_the_slot_until_confirmed_released_or_lapsed() {
    let app = TestApp::new().await;
    let key = key_for(&app, "demo").await;
    let court = court(&app, &key).await;
    let slot = body(&court, "2026-11-26T12:00:00Z", "2026-11-26T13:00:00Z");
    let hold = call(
        &app,
        "POST",
        "/api/v1/holds",
        Some(&key),
        Some(&slot),
        Some("hold-1"),
    )
    .await;
    assert_eq!(hold.status, StatusCode::CREATED, "{}", hold.body);
    let hold = hold.json();
    // A retry of the same request (lost answer) gets the same hold back.
    let retry = call(
        &app,
        "POST",
        "/api/v1/holds",
        Some(&key),
        Some(&slot),
        Some("hold-1"),
    )
    .await;
    assert_eq!(retry.status, StatusCode::CREATED, "{}", retry.body);
    assert_eq!(retry.json()["id"], hold["id"]);
    assert_eq!(hold["status"], "pending");
    assert_eq!(hold["hold_expires_at"], "2026-11-25T03:10:00+00:00");
    let rival = call(
        &app,
        "POST",
        "/api/v1/bookings",
        Some(&key),
        Some(&slot),
        None,
    )
    .await;
    assert_eq!(rival.status, StatusCode::CONFLICT);
    assert_eq!(code(&rival), "slot_taken");
    let confirmed = call(
        &app,
        "POST",
        &format!("/api/v1/holds/{}/confirm", hold["id"]),
        Some(&key),
        None,
        None,
    )
    .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    assert_eq!(confirmed.json()["status"], "confirmed");
    assert_eq!(confirmed.json()["hold_expires_at"], Value::Null);
    // Once confirmed, it is a booking: "releasing the hold" cannot cancel it.
    let too_late = call(
        &app,
        "DELETE",
        &format!("/api/v1/holds/{}", hold["id"]),
        Some(&key),
        None,
        None,
    )
    .await;
    assert_eq!(code(&too_late), "not_a_hold");

    // A released hold frees the slot at once.
    let next = body(&court, "2026-11-26T13:00:00Z", "2026-11-26T14:00:00Z");
    let hold = call(&app, "POST", "/api/v1/holds", Some(&key), Some(&next), None)
        .await
        .json();
    let released = call(
        &app,
        "DELETE",
        &format!("/api/v1/holds/{}", hold["id"]),
        Some(&key),
        None,
        None,
    )
    .await;
    assert_eq!(released.status, StatusCode::OK, "{}", released.body);
    assert_eq!(released.json()["status"], "cancelled");
    let again = call(
        &app,
        "DELETE",
        &format!("/api/v1/holds/{}", hold["id"]),
        Some(&key),
        None,
        None,
    )
    .await;
    assert_eq!(code(&again), "not_a_hold");

    // A short hold lapses: confirming late is 409, and the slot is free.
    let mut short: Value = serde_json::from_str(&next).expect("json");
    short["hold_minutes"] = json!(2);
    let hold = call(
        &app,
        "POST",
        "/api/v1/holds",
        Some(&key),
        Some(&short.to_string()),
        None,
    )
    .await
    .json();
    app.clock.advance(Duration::minutes(3));
    let late = call(
        &app,
        "POST",
        &format!("/api/v1/holds/{}/confirm", hold["id"]),
        Some(&key),
        None,
        None,
    )
    .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert_eq!(code(&late), "hold_expired");
    let taken = call(
        &app,
        "POST",
        "/api/v1/bookings",
        Some(&key),
        Some(&next),
        None,
    )
    .await;
    assert_eq!(taken.status, StatusCode::CREATED, "{}", taken.body);

    short["hold_minutes"] = json!(90);
    let long = call(
        &app,
        "POST",
        "/api/v1/holds",
        Some(&key),
        Some(&short.to_string()),
        None,
    )
    .await;
    assert_eq!(code(&long), "invalid_hold_length");
    // `hold_minutes` means nothing to a plain booking.
    let confused = call(
        &app,
        "POST",
        "/api/v1/bookings",
        Some(&key),
        Some(&short.to_string()),
        None,
    )
    .await;
    assert_eq!(confused.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_blackout_hides_slots_refuses_bookings_and_can_be_lifted() {
    let app = TestApp::new().await;
    // The venue manages rules: a staff-policy key.
    let key = staff_key_for(&app, "demo").await;
    let court = court(&app, &key).await;
    let existing = body(&court, "2026-11-26T05:00:00Z", "2026-11-26T06:00:00Z");
    let existing = call(
        &app,
        "POST",
        "/api/v1/bookings",
        Some(&key),
        Some(&existing),
        None,
    )
    .await
    .json();
    // Close the whole outlet 10:00–14:00 Jakarta on Thursday.
    let blackout = json!({ "outlet_id": court["outlet_id"], "start": "2026-11-26T03:00:00Z", "end": "2026-11-26T07:00:00Z", "reason": "Kerja bakti" });
    let created = call(
        &app,
        "POST",
        "/api/v1/blackouts",
        Some(&key),
        Some(&blackout.to_string()),
        None,
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let created = created.json();
    assert_eq!(created["conflicts"][0]["id"], existing["id"]);
    let slots = call(
        &app,
        "GET",
        &format!(
            "/api/v1/availability?resource_id={}&from=2026-11-26&minutes=60",
            court["id"]
        ),
        Some(&key),
        None,
        None,
    )
    .await
    .json();
    let starts: Vec<&str> = slots["slots"]
        .as_array()
        .expect("slots")
        .iter()
        .filter_map(|s| s["local_start"].as_str())
        .collect();
    assert_eq!(starts.len(), 15 - 4, "{starts:?}");
    assert!(!starts.contains(&"2026-11-26T10:00") && starts.contains(&"2026-11-26T14:00"));
    let refused = call(
        &app,
        "POST",
        "/api/v1/bookings",
        Some(&key),
        Some(&body(
            &court,
            "2026-11-26T04:00:00Z",
            "2026-11-26T05:00:00Z",
        )),
        None,
    )
    .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(code(&refused), "blackout");
    assert!(refused.json()["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .contains("Kerja bakti"));
    let listed = call(
        &app,
        "GET",
        "/api/v1/blackouts?from=2026-11-26T00:00:00Z&to=2026-11-27T00:00:00Z",
        Some(&key),
        None,
        None,
    )
    .await;
    assert_eq!(listed.json()["blackouts"].as_array().map(Vec::len), Some(1));

    // Bad input writes nothing; another tenant cannot lift it.
    let backwards = json!({ "outlet_id": court["outlet_id"], "start": "2026-11-26T07:00:00Z", "end": "2026-11-26T03:00:00Z", "reason": "x" });
    let backwards = call(
        &app,
        "POST",
        "/api/v1/blackouts",
        Some(&key),
        Some(&backwards.to_string()),
        None,
    )
    .await;
    assert_eq!(code(&backwards), "end_before_start");
    let no_reason = json!({ "outlet_id": court["outlet_id"], "start": "2026-11-26T03:00:00Z", "end": "2026-11-26T07:00:00Z", "reason": "  " });
    let no_reason = call(
        &app,
        "POST",
        "/api/v1/blackouts",
        Some(&key),
        Some(&no_reason.to_string()),
        None,
    )
    .await;
    assert_eq!(no_reason.status, StatusCode::BAD_REQUEST);
    let other = app
        .store
        .create_tenant("other", "Other")
        .await
        .expect("tenant");
    let other_key = app
        .store
        .create_api_key(
            other.id,
            "x",
            domain::availability::Policy::Staff,
            domain::clock::Clock::now(&app.clock),
        )
        .await
        .expect("key")
        .1;
    let path = format!("/api/v1/blackouts/{}", created["blackout"]["id"]);
    let foreign = call(&app, "DELETE", &path, Some(&other_key), None, None).await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    assert_eq!(code(&foreign), "unknown_blackout");
    let foreign_outlet = call(
        &app,
        "POST",
        "/api/v1/blackouts",
        Some(&other_key),
        Some(&blackout.to_string()),
        None,
    )
    .await;
    assert_eq!(code(&foreign_outlet), "unknown_outlet");
    let lifted = call(&app, "DELETE", &path, Some(&key), None, None).await;
    assert_eq!(lifted.status, StatusCode::NO_CONTENT);
    let booked = call(
        &app,
        "POST",
        "/api/v1/bookings",
        Some(&key),
        Some(&body(
            &court,
            "2026-11-26T04:00:00Z",
            "2026-11-26T05:00:00Z",
        )),
        None,
    )
    .await;
    assert_eq!(booked.status, StatusCode::CREATED, "{}", booked.body);
}

#[tokio::test]
async fn price_rules_shape_quotes_and_booking_prices() {
    let app = TestApp::new().await;
    // The venue manages rules: a staff-policy key.
    let key = staff_key_for(&app, "demo").await;
    let court = court(&app, &key).await;
    let rules_path = format!("/api/v1/resources/{}/price-rules", court["id"]);
    let peak = json!({
        "name": "Jam sibuk", "priority": 10,
        "when": { "weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri"], "dates": [], "from_minute": 1020, "to_minute": 1380 },
        "adjustment": { "type": "multiplier", "permille": 1500 }
    });
    let added = call(
        &app,
        "POST",
        &rules_path,
        Some(&key),
        Some(&peak.to_string()),
        None,
    )
    .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    let mut backwards = peak.clone();
    backwards["when"]["from_minute"] = json!(1380);
    backwards["when"]["to_minute"] = json!(1020);
    let refused = call(
        &app,
        "POST",
        &rules_path,
        Some(&key),
        Some(&backwards.to_string()),
        None,
    )
    .await;
    assert_eq!(code(&refused), "invalid_price_rule");
    let mut negative = peak.clone();
    negative["adjustment"] =
        json!({ "type": "fixed_hourly", "price": { "minor": -1000, "currency": "IDR" } });
    let negative = call(
        &app,
        "POST",
        &rules_path,
        Some(&key),
        Some(&negative.to_string()),
        None,
    )
    .await;
    assert_eq!(code(&negative), "invalid_price_rule");
    let listed = call(&app, "GET", &rules_path, Some(&key), None, None).await;
    assert_eq!(
        listed.json()["price_rules"].as_array().map(Vec::len),
        Some(1)
    );

    // Thu 16:00–18:00 Jakarta: an hour at the base rate, an hour at peak.
    let quote = call(
        &app,
        "GET",
        &format!(
            "/api/v1/quote?resource_id={}&start=2026-11-26T09:00:00Z&end=2026-11-26T11:00:00Z",
            court["id"]
        ),
        Some(&key),
        None,
        None,
    )
    .await;
    assert_eq!(quote.status, StatusCode::OK, "{}", quote.body);
    let quote = quote.json();
    assert_eq!(quote["pieces"].as_array().map(Vec::len), Some(2));
    assert_eq!(quote["pieces"][0]["rule"], Value::Null);
    assert_eq!(quote["pieces"][1]["rule"], "Jam sibuk");
    assert_eq!(quote["pieces"][1]["amount"]["amount"], 225_000);
    assert_eq!(quote["total"]["amount"], 375_000);
    assert_eq!(quote["total"]["display"], "Rp 375.000");
    let booked = call(
        &app,
        "POST",
        "/api/v1/bookings",
        Some(&key),
        Some(&body(
            &court,
            "2026-11-26T09:00:00Z",
            "2026-11-26T11:00:00Z",
        )),
        None,
    )
    .await;
    assert_eq!(booked.json()["price"]["amount"], 375_000);
    // Moved to the morning, it costs the base rate again.
    let moved = call(
        &app,
        "POST",
        &format!("/api/v1/bookings/{}/reschedule", booked.json()["id"]),
        Some(&key),
        Some(r#"{"start":"2026-11-27T02:00:00Z","end":"2026-11-27T04:00:00Z"}"#),
        None,
    )
    .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    assert_eq!(moved.json()["price"]["amount"], 300_000);

    let rule_id = added.json()["id"].clone();
    let deleted = call(
        &app,
        "DELETE",
        &format!("/api/v1/price-rules/{rule_id}"),
        Some(&key),
        None,
        None,
    )
    .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let gone = call(
        &app,
        "DELETE",
        &format!("/api/v1/price-rules/{rule_id}"),
        Some(&key),
        None,
        None,
    )
    .await;
    assert_eq!(code(&gone), "unknown_price_rule");
}

#[tokio::test]
async fn lead_time_and_horizon_are_set_per_resource() {
    let app = TestApp::new().await;
    let key = key_for(&app, "demo").await;
    let staff = staff_key_for(&app, "demo").await;
    let court = court(&app, &key).await;
    let path = format!("/api/v1/resources/{}", court["id"]);
    let changed = call(
        &app,
        "PATCH",
        &path,
        Some(&staff),
        Some(r#"{"lead_minutes":180,"horizon_days":7,"buffer_minutes":30}"#),
        None,
    )
    .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(changed.json()["lead_minutes"], 180);
    // 12:00 today is within three hours of 10:00.
    let soon = call(
        &app,
        "POST",
        "/api/v1/bookings",
        Some(&key),
        Some(&body(
            &court,
            "2026-11-25T05:00:00Z",
            "2026-11-25T06:00:00Z",
        )),
        None,
    )
    .await;
    assert_eq!(code(&soon), "in_the_past");
    let far = call(
        &app,
        "POST",
        "/api/v1/bookings",
        Some(&key),
        Some(&body(
            &court,
            "2026-12-03T12:00:00Z",
            "2026-12-03T13:00:00Z",
        )),
        None,
    )
    .await;
    assert_eq!(code(&far), "beyond_horizon");
    // The buffer: back to back is refused, half an hour later is not.
    let first = body(&court, "2026-11-26T12:00:00Z", "2026-11-26T13:00:00Z");
    let first = call(
        &app,
        "POST",
        "/api/v1/bookings",
        Some(&key),
        Some(&first),
        None,
    )
    .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let touching = body(&court, "2026-11-26T13:00:00Z", "2026-11-26T14:00:00Z");
    let touching = call(
        &app,
        "POST",
        "/api/v1/bookings",
        Some(&key),
        Some(&touching),
        None,
    )
    .await;
    assert_eq!(code(&touching), "slot_taken");
    let invalid = call(
        &app,
        "PATCH",
        &path,
        Some(&staff),
        Some(r#"{"horizon_days":0}"#),
        None,
    )
    .await;
    assert_eq!(invalid.status, StatusCode::BAD_REQUEST);
    let unknown_field = call(
        &app,
        "PATCH",
        &path,
        Some(&staff),
        Some(r#"{"name":"x"}"#),
        None,
    )
    .await;
    assert_eq!(code(&unknown_field), "invalid_json");
    // A customer-policy key (a booking site) may not change the rules it
    // is held to.
    let lifted = call(
        &app,
        "PATCH",
        &path,
        Some(&key),
        Some(r#"{"lead_minutes":0}"#),
        None,
    )
    .await;
    assert_eq!(
        (lifted.status, code(&lifted)),
        (StatusCode::FORBIDDEN, "staff_only".to_string())
    );
}
