//! The integrator API's limits: a rate limit per key, and lists that page
//! with a cursor instead of stopping at a fixed number of rows.

mod common;

use common::{call, key_for, post_booking, TestApp};
use http::StatusCode;

#[tokio::test]
async fn a_key_over_its_rate_limit_gets_429_with_retry_after_and_others_do_not() {
    let app = TestApp::with_options(pesan_server::HttpOptions {
        api_limit: pesan_server::api::limits::RateLimit {
            per_second: 1.0,
            burst: 5.0,
        },
        ..pesan_server::HttpOptions::default()
    })
    .await;
    let busy = key_for(&app, store::demo::DEMO_SLUG).await;
    let calm = key_for(&app, store::demo::DEMO_SLUG).await;
    let mut statuses = Vec::new();
    let mut retry_after = None;
    for _ in 0..8 {
        let request = http::Request::get("/api/v1/resources")
            .header(http::header::AUTHORIZATION, format!("Bearer {busy}"))
            .body(axum::body::Body::empty())
            .expect("request");
        let response = tower::ServiceExt::oneshot(app.router.clone(), request)
            .await
            .expect("response");
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            retry_after = response
                .headers()
                .get(http::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok());
        }
        statuses.push(response.status());
    }
    assert_eq!(&statuses[..5], &[StatusCode::OK; 5], "{statuses:?}");
    assert_eq!(statuses[7], StatusCode::TOO_MANY_REQUESTS, "{statuses:?}");
    assert!(
        retry_after.is_some_and(|s| (1..=2).contains(&s)),
        "{retry_after:?}"
    );
    let other = call(&app, "GET", "/api/v1/resources", Some(&calm), None, None).await;
    assert_eq!(
        other.status,
        StatusCode::OK,
        "another key has its own limit"
    );
}

#[tokio::test]
async fn booking_lists_page_with_a_cursor_through_every_row() {
    let app = TestApp::new().await;
    let key = key_for(&app, store::demo::DEMO_SLUG).await;
    let court = common::futsal_court_1(&app, &key).await;
    // Seven bookings tomorrow, 08:00 to 15:00 Jakarta.
    for hour in 1..8 {
        let body = common::booking_request(
            &court,
            &format!("2026-11-26T{hour:02}:00:00Z"),
            &format!("2026-11-26T{:02}:00:00Z", hour + 1),
        );
        let made = post_booking(&app, &key, &body).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/bookings?limit=3&cursor={c}"),
            None => "/api/v1/bookings?limit=3".to_string(),
        };
        let page = call(&app, "GET", &path, Some(&key), None, None)
            .await
            .json();
        pages += 1;
        let ids: Vec<i64> = page["bookings"]
            .as_array()
            .expect("bookings")
            .iter()
            .map(|b| b["id"].as_i64().expect("id"))
            .collect();
        assert!(ids.len() <= 3);
        seen.extend(ids);
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    let mut unique = seen.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(
        (seen.len(), unique.len()),
        (7, 7),
        "every row once: {seen:?}"
    );
    for bad in ["cursor=zz", "limit=0", "limit=501"] {
        let reply = call(
            &app,
            "GET",
            &format!("/api/v1/bookings?{bad}"),
            Some(&key),
            None,
            None,
        )
        .await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{bad}: {}",
            reply.body
        );
    }
}

#[tokio::test]
async fn the_bookings_of_a_code_are_found_however_the_customer_types_it() {
    let app = TestApp::new().await;
    let key = key_for(&app, store::demo::DEMO_SLUG).await;
    let court = common::futsal_court_1(&app, &key).await;
    let mut codes = Vec::new();
    for hour in [1, 2] {
        let body = common::booking_request(
            &court,
            &format!("2026-11-26T{hour:02}:00:00Z"),
            &format!("2026-11-26T{:02}:00:00Z", hour + 1),
        );
        let made = post_booking(&app, &key, &body).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        let made = made.json();
        codes.push((
            made["code"].as_str().expect("a code").to_string(),
            made["id"].as_i64().expect("id"),
        ));
    }
    let (code, id) = &codes[1];
    // As typed: lower case, a dash in the middle.
    let typed = format!("{}-{}", &code[..3], &code[3..]).to_lowercase();
    let page = call(
        &app,
        "GET",
        &format!("/api/v1/bookings?code={typed}"),
        Some(&key),
        None,
        None,
    )
    .await
    .json();
    let ids: Vec<i64> = page["bookings"]
        .as_array()
        .expect("bookings")
        .iter()
        .map(|b| b["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(ids, vec![*id], "only the booking of {code}");
    for bad in [
        "code=K7P2Q",
        "code=K7P2QXX",
        "code=%F0%9F%8E%BE%F0%9F%8E%BE",
    ] {
        let reply = call(
            &app,
            "GET",
            &format!("/api/v1/bookings?{bad}"),
            Some(&key),
            None,
            None,
        )
        .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(reply.json()["error"]["code"], "invalid_code", "{bad}");
    }
}
