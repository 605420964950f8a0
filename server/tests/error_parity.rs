//! One request, one answer: the REST API and the dashboard's server
//! functions refuse the same booking with the same code and HTTP status,
//! because both map the booking service's `BookingError` mechanically.

mod common;

use common::{booking_request, call, code, encode, futsal_court_1, key_for, post_booking, TestApp};
use http::StatusCode;
use store::demo::DEMO_SLUG;

/// (local date, local start, minutes, phone) as the walk-in form sends it,
/// and the same request as the REST API gets it (Jakarta is UTC+7).
struct Case {
    what: &'static str,
    date: &'static str,
    start: &'static str,
    minutes: i64,
    phone: &'static str,
    rest_start: &'static str,
    rest_end: &'static str,
}

#[tokio::test]
async fn both_web_layers_refuse_alike() {
    let app = TestApp::new().await;
    let key = key_for(&app, DEMO_SLUG).await;
    let session = app.login_demo().await;
    let court = futsal_court_1(&app, &key).await;
    let id = court["id"].as_i64().expect("id");
    // 19:00 tomorrow is taken.
    let taken = call(
        &app,
        "POST",
        "/api/v1/bookings",
        Some(&key),
        Some(&booking_request(
            &court,
            "2026-11-26T12:00:00Z",
            "2026-11-26T13:00:00Z",
        )),
        None,
    )
    .await;
    assert_eq!(taken.status, StatusCode::CREATED, "{}", taken.body);
    let cases = [
        Case {
            what: "slot_taken",
            date: "2026-11-26",
            start: "19:00",
            minutes: 60,
            phone: "0812 5555 0002",
            rest_start: "2026-11-26T12:00:00Z",
            rest_end: "2026-11-26T13:00:00Z",
        },
        Case {
            what: "outside_opening_hours",
            date: "2026-11-26",
            start: "23:00",
            minutes: 60,
            phone: "0812 5555 0002",
            rest_start: "2026-11-26T16:00:00Z",
            rest_end: "2026-11-26T17:00:00Z",
        },
        Case {
            what: "unaligned",
            date: "2026-11-26",
            start: "12:30",
            minutes: 60,
            phone: "0812 5555 0002",
            rest_start: "2026-11-26T05:30:00Z",
            rest_end: "2026-11-26T06:30:00Z",
        },
        Case {
            what: "in_the_past",
            date: "2026-11-24",
            start: "09:00",
            minutes: 60,
            phone: "0812 5555 0002",
            rest_start: "2026-11-24T02:00:00Z",
            rest_end: "2026-11-24T03:00:00Z",
        },
        Case {
            what: "bad_length",
            date: "2026-11-26",
            start: "14:00",
            minutes: 600,
            phone: "0812 5555 0002",
            rest_start: "2026-11-26T07:00:00Z",
            rest_end: "2026-11-26T17:00:00Z",
        },
        Case {
            what: "invalid_phone",
            date: "2026-11-26",
            start: "14:00",
            minutes: 60,
            phone: "call me",
            rest_start: "2026-11-26T07:00:00Z",
            rest_end: "2026-11-26T08:00:00Z",
        },
    ];
    for case in cases {
        let body = serde_json::json!({
            "resource_id": id, "start": case.rest_start, "end": case.rest_end,
            "customer_phone": case.phone,
        })
        .to_string();
        let rest = post_booking(&app, &key, &body).await;
        let form = format!(
            "resource_id={id}&date={}&start={}&minutes={}&customer_phone={}&customer_name=",
            case.date,
            encode(case.start),
            case.minutes,
            encode(case.phone)
        );
        let rpc = app.rpc("create_staff_booking", &form, &session).await;
        assert_eq!(code(&rest), case.what, "REST: {}", rest.body);
        assert_eq!(
            rpc.json()["Refused"]["code"],
            case.what,
            "dashboard: {}",
            rpc.body
        );
        assert_eq!(
            rest.status, rpc.status,
            "{}: same status on both layers",
            case.what
        );
    }
}
