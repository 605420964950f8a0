//! Signing in and out, the session gate, and health checks.

mod common;

use common::TestApp;
use http::StatusCode;
use store::demo::{DEMO_EMAIL, DEMO_PASSWORD};

#[tokio::test]
async fn health_is_ok_while_the_database_answers_and_503_when_it_does_not() {
    let app = TestApp::new().await;
    let ok = app.get("/healthz", None).await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(ok.json()["database"], "ok");
    app.store.close().await;
    let down = app.get("/healthz", None).await;
    assert_eq!(down.status, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn pages_and_server_functions_need_a_session() {
    let app = TestApp::new().await;
    for path in [
        "/",
        "/calendar",
        "/bookings",
        "/resources",
        "/simulator",
        "/resources/1",
        "/bookings/1",
    ] {
        let reply = app.get(path, None).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(reply.location.as_deref(), Some("/login"), "{path}");
    }
    let rpc = app.post_form("/rpc/list_bookings", "", None).await;
    assert_eq!(rpc.status, StatusCode::UNAUTHORIZED);
    let forged = app
        .rpc("list_bookings", "", "pesan_session=forged-token")
        .await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
    let login = app.get("/login", None).await;
    assert_eq!(login.status, StatusCode::OK);
    assert!(login.body.contains("Sign in"));
}

#[tokio::test]
async fn the_right_password_opens_a_session_in_an_http_only_cookie() {
    let app = TestApp::new().await;
    let reply = app
        .post_form(
            "/auth/login",
            &format!(
                "email={}&password={}",
                common::encode(DEMO_EMAIL),
                DEMO_PASSWORD
            ),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let cookie = reply.set_cookie.expect("cookie");
    assert!(cookie.starts_with("pesan_session="));
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"),
        "{cookie}"
    );
    let session = cookie.split(';').next().expect("pair");
    let home = app.get("/", Some(session)).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("Overview"));
    let me = app.rpc("me", "", session).await;
    assert_eq!(me.json()["email"], DEMO_EMAIL);
    // Signed in, the login page sends you on.
    assert_eq!(
        app.get("/login", Some(session)).await.location.as_deref(),
        Some("/")
    );
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_answer() {
    let app = TestApp::new().await;
    let wrong = app
        .post_form(
            "/auth/login",
            &format!("email={}&password=nope-nope", common::encode(DEMO_EMAIL)),
            None,
        )
        .await;
    let unknown = app
        .post_form(
            "/auth/login",
            "email=nobody%40example.com&password=nope-nope",
            None,
        )
        .await;
    for reply in [&wrong, &unknown] {
        assert_eq!(reply.status, StatusCode::SEE_OTHER);
        assert_eq!(reply.location.as_deref(), Some("/login?error=invalid"));
        assert!(reply.set_cookie.is_none());
    }
    let page = app.get("/login?error=invalid", None).await;
    assert!(page.body.contains("Wrong email or password."));
}

#[tokio::test]
async fn repeated_failures_lock_the_account_for_a_while() {
    let app = TestApp::new().await;
    let bad = format!("email={}&password=guess", common::encode(DEMO_EMAIL));
    for _ in 0..5 {
        let reply = app.post_form("/auth/login", &bad, None).await;
        assert_eq!(reply.location.as_deref(), Some("/login?error=invalid"));
    }
    let good = format!(
        "email={}&password={DEMO_PASSWORD}",
        common::encode(DEMO_EMAIL)
    );
    let locked = app.post_form("/auth/login", &good, None).await;
    assert_eq!(locked.location.as_deref(), Some("/login?error=throttled"));
    assert!(
        locked.set_cookie.is_none(),
        "even the right password waits out the lock"
    );
    let page = app.get("/login?error=throttled", None).await;
    assert!(page.body.contains("Too many failed attempts"));
    app.clock.advance(chrono::Duration::seconds(31));
    let after = app.post_form("/auth/login", &good, None).await;
    assert_eq!(after.location.as_deref(), Some("/"));
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let app = TestApp::new().await;
    let session = app.login_demo().await;
    let out = app.post_form("/auth/logout", "", Some(&session)).await;
    assert_eq!(out.location.as_deref(), Some("/login"));
    assert!(out
        .set_cookie
        .as_deref()
        .is_some_and(|c| c.contains("Max-Age=0")));
    assert_eq!(
        app.get("/bookings", Some(&session))
            .await
            .location
            .as_deref(),
        Some("/login")
    );
}

#[tokio::test]
async fn unknown_pages_are_404() {
    let app = TestApp::new().await;
    let session = app.login_demo().await;
    let reply = app.get("/no-such-page", Some(&session)).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}
