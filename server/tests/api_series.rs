//! Recurring series through the integrator API: a report per occurrence,
//! all-or-nothing or the free ones, never half-written; cancel scopes.
//! Now = Wed 2026-11-25 10:00 in Jakarta (03:00 UTC).

mod common;

use common::{booking_request as body, call, code, futsal_court_1 as court, key_for, TestApp};
use http::StatusCode;
use serde_json::{json, Value};

async fn booking_count(app: &TestApp, key: &str) -> usize {
    call(app, "GET", "/api/v1/bookings", Some(key), None, None)
        .await
        .json()["bookings"]
        .as_array()
        .expect("bookings")
        .len()
}

fn weekly(court: &Value, count: u32, mode: &str) -> String {
    // Thursdays 19:00–20:00 Jakarta from 26 Nov.
    json!({
        "resource_id": court["id"], "start": "2026-11-26T12:00:00Z", "end": "2026-11-26T13:00:00Z",
        "rrule": format!("FREQ=WEEKLY;BYDAY=TH;COUNT={count}"), "customer_phone": "0812 5555 0003",
        "customer_name": "Liga Kamis", "mode": mode,
    })
    .to_string()
}

#[tokio::test]
async fn a_series_reports_every_occurrence_and_is_never_half_written() {
    let app = TestApp::new().await;
    let key = key_for(&app, "demo").await;
    let court = court(&app, &key).await;
    // The third Thursday is taken already.
    let third = body(&court, "2026-12-10T12:00:00Z", "2026-12-10T13:00:00Z");
    call(
        &app,
        "POST",
        "/api/v1/bookings",
        Some(&key),
        Some(&third),
        None,
    )
    .await;
    let before = booking_count(&app, &key).await;

    let strict = call(
        &app,
        "POST",
        "/api/v1/series",
        Some(&key),
        Some(&weekly(&court, 6, "all_or_nothing")),
        None,
    )
    .await;
    assert_eq!(strict.status, StatusCode::CONFLICT, "{}", strict.body);
    let strict = strict.json();
    assert_eq!(strict["error"]["code"], "series_not_free");
    assert_eq!(strict["series_id"], Value::Null);
    let statuses: Vec<&str> = strict["occurrences"]
        .as_array()
        .expect("occurrences")
        .iter()
        .filter_map(|o| o["status"].as_str())
        .collect();
    assert_eq!(
        statuses,
        vec!["free", "free", "refused", "free", "free", "free"]
    );
    assert_eq!(strict["occurrences"][2]["code"], "slot_taken");
    assert_eq!(booking_count(&app, &key).await, before, "nothing written");

    let lenient = call(
        &app,
        "POST",
        "/api/v1/series",
        Some(&key),
        Some(&weekly(&court, 6, "free_ones")),
        None,
    )
    .await;
    assert_eq!(lenient.status, StatusCode::CREATED, "{}", lenient.body);
    let lenient = lenient.json();
    assert_eq!(
        (lenient["booked"].clone(), lenient["refused"].clone()),
        (json!(5), json!(1))
    );
    let series = lenient["series_id"].as_i64().expect("series id");
    assert_eq!(booking_count(&app, &key).await, before + 5);
    // Each booked occurrence answers with its code; the refused one and
    // the all-or-nothing request's would-be bookings with none.
    let codes: Vec<Option<&str>> = lenient["occurrences"]
        .as_array()
        .expect("occurrences")
        .iter()
        .map(|o| o["booking_code"].as_str())
        .collect();
    assert_eq!(
        codes
            .iter()
            .filter(|c| c.is_some_and(|c| c.len() == 6))
            .count(),
        5
    );
    assert_eq!(codes[2], None);
    assert!(strict["occurrences"]
        .as_array()
        .expect("occurrences")
        .iter()
        .all(|o| o.get("booking_code").is_none()));
    let shown = call(
        &app,
        "GET",
        &format!("/api/v1/series/{series}"),
        Some(&key),
        None,
        None,
    )
    .await
    .json();
    let ids: Vec<i64> = shown["bookings"]
        .as_array()
        .expect("bookings")
        .iter()
        .filter_map(|b| b["id"].as_i64())
        .collect();
    assert_eq!(ids.len(), 5);
    assert!(shown["bookings"]
        .as_array()
        .expect("bookings")
        .iter()
        .all(|b| b["series_id"] == series
            && b["local_start"]
                .as_str()
                .is_some_and(|s| s.ends_with("T19:00"))));

    // Cancel one occurrence, then this-and-following, then all.
    let one = call(
        &app,
        "POST",
        &format!("/api/v1/bookings/{}/status", ids[0]),
        Some(&key),
        Some(r#"{"status":"cancelled","reason":"hujan"}"#),
        None,
    )
    .await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.body);
    let following = json!({ "scope": "this_and_following", "booking_id": ids[3], "reason": "libur akhir tahun" });
    let following = call(
        &app,
        "POST",
        &format!("/api/v1/series/{series}/cancel"),
        Some(&key),
        Some(&following.to_string()),
        None,
    )
    .await;
    assert_eq!(following.status, StatusCode::OK, "{}", following.body);
    assert_eq!(following.json()["cancelled"], json!([ids[3], ids[4]]));
    let all = call(
        &app,
        "POST",
        &format!("/api/v1/series/{series}/cancel"),
        Some(&key),
        Some(r#"{"scope":"all","reason":"tim bubar"}"#),
        None,
    )
    .await;
    assert_eq!(all.json()["cancelled"], json!([ids[1], ids[2]]));
    let no_reason = call(
        &app,
        "POST",
        &format!("/api/v1/series/{series}/cancel"),
        Some(&key),
        Some(r#"{"scope":"all","reason":""}"#),
        None,
    )
    .await;
    assert_eq!(no_reason.status, StatusCode::BAD_REQUEST);

    let bad_rule = weekly(&court, 3, "free_ones").replace("FREQ=WEEKLY", "FREQ=HOURLY");
    let bad_rule = call(
        &app,
        "POST",
        "/api/v1/series",
        Some(&key),
        Some(&bad_rule),
        None,
    )
    .await;
    assert_eq!(code(&bad_rule), "invalid_rrule");
    let blink =
        weekly(&court, 3, "free_ones").replace("2026-11-26T13:00:00Z", "2026-11-26T12:00:30Z");
    let blink = call(
        &app,
        "POST",
        "/api/v1/series",
        Some(&key),
        Some(&blink),
        None,
    )
    .await;
    assert_eq!(code(&blink), "bad_length");
    let unknown = call(&app, "GET", "/api/v1/series/999999", Some(&key), None, None).await;
    assert_eq!(code(&unknown), "unknown_series");
}
