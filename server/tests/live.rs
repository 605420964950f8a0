//! `GET /events`, the dashboard's live updates: refused without a session
//! and from another site, scoped to the session's tenant, ended with the
//! session, and capped per user.

mod common;

use axum::body::Body;
use chrono::Duration;
use common::TestApp;
use domain::clock::Clock;
use domain::{PhoneE164, TimeRange};
use http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use pesan_server::cli::CreateTenant;
use store::demo::DEMO_SLUG;
use store::{BookingSource, Channel};
use tower::ServiceExt;

async fn open(app: &TestApp, cookie: Option<&str>, extra: &[(&str, &str)]) -> http::Response<Body> {
    let mut request = Request::get("/events");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    for (name, value) in extra {
        request = request.header(*name, *value);
    }
    app.router
        .clone()
        .oneshot(request.body(Body::empty()).expect("request"))
        .await
        .expect("infallible")
}

/// Reads the stream up to its next event and returns the event's name
/// and data; `None` when the stream ended.
async fn next_event(body: &mut Body, pending: &mut String) -> Option<(String, String)> {
    loop {
        if let Some(end) = pending.find("\n\n") {
            let block: String = pending.drain(..end + 2).collect();
            let mut name = None;
            let mut data = String::new();
            for line in block.lines() {
                if let Some(value) = line.strip_prefix("event:") {
                    name = Some(value.trim().to_string());
                } else if let Some(value) = line.strip_prefix("data:") {
                    data.push_str(value.trim());
                }
            }
            match name {
                Some(name) => return Some((name, data)),
                // A keep-alive comment.
                None => continue,
            }
        }
        let frame = tokio::time::timeout(std::time::Duration::from_secs(10), body.frame())
            .await
            .expect("an event within 10 s");
        match frame {
            Some(Ok(frame)) => {
                if let Ok(bytes) = frame.into_data() {
                    pending.push_str(&String::from_utf8_lossy(&bytes));
                }
            }
            Some(Err(_)) | None => return None,
        }
    }
}

/// Tenant B, made as an operator does; its id.
async fn second_tenant(app: &TestApp) -> domain::TenantId {
    pesan_server::cli::create_tenant(
        &app.store,
        &CreateTenant {
            slug: "rival".into(),
            name: "Rival Arena".into(),
            owner_email: "boss@rival.id".into(),
            owner_name: "Rival Boss".into(),
            timezone: "Asia/Makassar".into(),
            country: "ID".into(),
        },
    )
    .await
    .expect("tenant b")
    .created
    .tenant
    .id
}

/// A customer's message in `tenant`.
async fn message(app: &TestApp, tenant: domain::TenantId, phone: &str) -> store::Conversation {
    let phone = PhoneE164::parse(phone).expect("phone");
    let conversation = app
        .store
        .open_conversation(tenant, &phone, Channel::Simulator, app.clock.now())
        .await
        .expect("conversation");
    app.store
        .record_inbound(&conversation, "halo", None, app.clock.now())
        .await
        .expect("message");
    conversation
}

#[tokio::test]
async fn the_stream_needs_a_session_and_the_same_site() {
    let app = TestApp::new().await;
    assert_eq!(
        open(&app, None, &[]).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let cookie = app.login_demo().await;
    for extra in [
        [("origin", "https://evil.example")],
        [("sec-fetch-site", "cross-site")],
        [("origin", "null")],
    ] {
        let refused = open(&app, Some(&cookie), &extra).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{extra:?}");
    }
    let ok = open(
        &app,
        Some(&cookie),
        &[("origin", "http://localhost"), ("host", "localhost")],
    )
    .await;
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(
        ok.headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
        Some("text/event-stream")
    );
}

#[tokio::test]
async fn a_stream_hears_its_own_tenant_only() {
    let app = TestApp::new().await;
    let a = app
        .store
        .tenant_by_slug(DEMO_SLUG)
        .await
        .expect("q")
        .expect("demo");
    let cookie = app.login_demo().await;
    let b = second_tenant(&app).await;
    let response = open(&app, Some(&cookie), &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let mut body = response.into_body();
    let mut pending = String::new();
    let (name, data) = next_event(&mut body, &mut pending).await.expect("hello");
    assert_eq!((name.as_str(), data.as_str()), ("hello", "{\"waiting\":0}"));

    // B's message: nothing for A's stream. Then a booking in A: the first
    // thing A hears is about bookings.
    message(&app, b, "0811 9999 0009").await;
    let a_court = app.store.resources(a.id).await.expect("resources")[0].id;
    let range = TimeRange::starting_at(app.clock.now() + Duration::days(1), 60).expect("range");
    let desk = booking::Caller {
        tenant: a.id,
        policy: domain::availability::Policy::Staff,
        actor: domain::Actor::System,
        source: BookingSource::Dashboard,
    };
    let request = booking::BookRequest {
        resources: vec![a_court],
        range,
        customer: None,
        hold_minutes: None,
    };
    app.services
        .bookings
        .book(&desk, request, None)
        .await
        .expect("A's booking");
    let (name, _) = next_event(&mut body, &mut pending).await.expect("event");
    assert_eq!(name, "bookings", "A heard B's message");

    // A customer writes to A.
    let conversation = message(&app, a.id, "0811 9999 0002").await;
    let (name, data) = next_event(&mut body, &mut pending).await.expect("event");
    assert_eq!(
        (name.as_str(), data.as_str()),
        ("conversations", "{\"waiting\":0}")
    );

    // A hand-off shows in the waiting count.
    app.store
        .take_over(a.id, conversation.id, None, app.clock.now())
        .await
        .expect("handed to a person");
    let (name, data) = next_event(&mut body, &mut pending).await.expect("event");
    assert_eq!(
        (name.as_str(), data.as_str()),
        ("conversations", "{\"waiting\":1}")
    );
}

#[tokio::test]
async fn the_stream_ends_with_its_session() {
    let app = TestApp::new().await;
    let a = app
        .store
        .tenant_by_slug(DEMO_SLUG)
        .await
        .expect("q")
        .expect("demo");
    let cookie = app.login_demo().await;
    let mut body = open(&app, Some(&cookie), &[]).await.into_body();
    let mut pending = String::new();
    assert_eq!(
        next_event(&mut body, &mut pending).await.map(|e| e.0),
        Some("hello".to_string())
    );
    let out = app.post_form("/auth/logout", "", Some(&cookie)).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    message(&app, a.id, "0811 9999 0003").await;
    assert_eq!(
        next_event(&mut body, &mut pending).await,
        None,
        "a signed-out stream kept talking"
    );
}

#[tokio::test]
async fn streams_are_capped_per_user() {
    let app = TestApp::new().await;
    let cookie = app.login_demo().await;
    let mut open_streams = Vec::new();
    for _ in 0..8 {
        let response = open(&app, Some(&cookie), &[]).await;
        assert_eq!(response.status(), StatusCode::OK);
        open_streams.push(response);
    }
    let ninth = open(&app, Some(&cookie), &[]).await;
    assert_eq!(ninth.status(), StatusCode::TOO_MANY_REQUESTS);
    // A closed stream gives its place back.
    drop(open_streams.pop());
    let again = open(&app, Some(&cookie), &[]).await;
    assert_eq!(again.status(), StatusCode::OK);
}
