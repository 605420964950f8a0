//! Refusals found by attacking the API as a hostile client (each failed
//! before its fix): absurd price rules, moving a booking in use, letters in
//! phone numbers, and availability for lengths off the slot grid.
//! Now = Wed 2026-11-25 10:00 in Jakarta (03:00 UTC).

mod common;

use common::{
    booking_request as body, call, code, futsal_court_1 as court, post_booking, staff_key_for,
    TestApp,
};
use http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn absurd_price_rules_are_refused_so_bookings_cannot_overflow() {
    let app = TestApp::new().await;
    let key = staff_key_for(&app, "demo").await;
    let court = court(&app, &key).await;
    let rules = format!("/api/v1/resources/{}/price-rules", court["id"]);
    for adjustment in [
        json!({ "type": "fixed_hourly", "price": { "minor": i64::MAX, "currency": "IDR" } }),
        json!({ "type": "multiplier", "permille": i64::MAX }),
    ] {
        let rule = json!({ "name": "absurd", "priority": 1,
            "when": { "weekdays": [], "dates": [], "from_minute": 0, "to_minute": 1440 },
            "adjustment": adjustment });
        let reply = call(
            &app,
            "POST",
            &rules,
            Some(&key),
            Some(&rule.to_string()),
            None,
        )
        .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
        assert_eq!(code(&reply), "invalid_price_rule");
    }
    // A long booking on the court is still priced and made.
    let long = body(&court, "2026-11-26T03:00:00Z", "2026-11-26T06:00:00Z");
    let reply = post_booking(&app, &key, &long).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
}

#[tokio::test]
async fn a_checked_in_booking_cannot_be_moved() {
    let app = TestApp::new().await;
    let key = staff_key_for(&app, "demo").await;
    let court = court(&app, &key).await;
    // Under way now (a walk-in with a staff key), then checked in.
    let slot = body(&court, "2026-11-25T03:00:00Z", "2026-11-25T04:00:00Z");
    let booked = post_booking(&app, &key, &slot).await;
    assert_eq!(booked.status, StatusCode::CREATED, "{}", booked.body);
    let id = booked.json()["id"].clone();
    let status = json!({ "status": "checked_in" }).to_string();
    let path = format!("/api/v1/bookings/{id}/status");
    let reply = call(&app, "POST", &path, Some(&key), Some(&status), None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let elsewhere = json!({ "start": "2026-11-26T03:00:00Z", "end": "2026-11-26T04:00:00Z" });
    let path = format!("/api/v1/bookings/{id}/reschedule");
    let reply = call(
        &app,
        "POST",
        &path,
        Some(&key),
        Some(&elsewhere.to_string()),
        None,
    )
    .await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    assert_eq!(code(&reply), "not_movable");
    // Its slot stays taken.
    let again = body(&court, "2026-11-25T03:00:00Z", "2026-11-25T04:00:00Z");
    assert_eq!(code(&post_booking(&app, &key, &again).await), "slot_taken");
}

#[tokio::test]
async fn letters_in_a_phone_number_are_refused_not_read_as_keypad_digits() {
    let app = TestApp::new().await;
    let key = staff_key_for(&app, "demo").await;
    let court = court(&app, &key).await;
    for phone in ["O812 5555 OOO1", "0812-5555-000a", "0812 5555 0001 ext 5"] {
        let request = json!({ "resource_id": court["id"], "start": "2026-11-26T03:00:00Z",
            "end": "2026-11-26T04:00:00Z", "customer_phone": phone });
        let reply = post_booking(&app, &key, &request.to_string()).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{phone}: {}",
            reply.body
        );
        assert_eq!(code(&reply), "invalid_phone");
    }
}

#[tokio::test]
async fn availability_refuses_a_length_off_the_slot_grid() {
    let app = TestApp::new().await;
    let key = staff_key_for(&app, "demo").await;
    let court = court(&app, &key).await;
    let path = format!(
        "/api/v1/availability?resource_id={}&from=2026-11-26&minutes=90",
        court["id"]
    );
    let reply = call(&app, "GET", &path, Some(&key), None, None).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert_eq!(code(&reply), "unaligned");
}

#[tokio::test]
async fn reasons_have_a_sensible_length_and_wrong_methods_answer_json() {
    let app = TestApp::new().await;
    let key = staff_key_for(&app, "demo").await;
    let court = court(&app, &key).await;
    let slot = body(&court, "2026-11-26T03:00:00Z", "2026-11-26T04:00:00Z");
    let booked = post_booking(&app, &key, &slot).await;
    let id = booked.json()["id"].clone();
    let long = json!({ "reason": "x".repeat(501) }).to_string();
    let path = format!("/api/v1/bookings/{id}/cancel");
    let reply = call(&app, "POST", &path, Some(&key), Some(&long), None).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert_eq!(code(&reply), "reason_too_long");
    let fine = json!({ "reason": "x".repeat(500) }).to_string();
    let reply = call(&app, "POST", &path, Some(&key), Some(&fine), None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let reply = call(&app, "PUT", "/api/v1/bookings", Some(&key), None, None).await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(code(&reply), "method_not_allowed");
}
