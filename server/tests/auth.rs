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
        "/resources/1/pricing",
        "/resources/1/rules",
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
async fn a_stranger_guessing_an_email_does_not_lock_its_owner_out() {
    let app = TestApp::new().await;
    let stranger: std::net::SocketAddr = "203.0.113.50:40000".parse().expect("addr");
    let owner: std::net::SocketAddr = "198.51.100.60:40000".parse().expect("addr");
    for _ in 0..pesan_server::auth::FREE_ATTEMPTS {
        let reply = app
            .login_from(DEMO_EMAIL, "guess", Some(stranger), &[])
            .await;
        assert_eq!(reply.location.as_deref(), Some("/login?error=invalid"));
    }
    let locked = app
        .login_from(DEMO_EMAIL, DEMO_PASSWORD, Some(stranger), &[])
        .await;
    assert_eq!(locked.location.as_deref(), Some("/login?error=throttled"));
    let fine = app
        .login_from(DEMO_EMAIL, DEMO_PASSWORD, Some(owner), &[])
        .await;
    assert_eq!(fine.location.as_deref(), Some("/"));
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

#[tokio::test]
async fn oversized_emails_and_passwords_are_refused_before_any_lookup() {
    let app = TestApp::new().await;
    // With the database closed, anything that reaches it answers 503.
    app.store.close().await;
    let long_email = format!("{}@demo.pesan.id", "a".repeat(250));
    assert!(long_email.len() > 254);
    let reply = app.login_from(&long_email, "whatever1", None, &[]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(reply.location.as_deref(), Some("/login?error=invalid"));
    let long_password = "p".repeat(1025);
    let reply = app.login_from(DEMO_EMAIL, &long_password, None, &[]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(reply.location.as_deref(), Some("/login?error=invalid"));
    assert_eq!(
        app.logins.throttle.len(),
        (0, 0),
        "refused before the throttle counted anything"
    );
}

/// Sends `count` wrong sign-ins at once; `email(n)` and `peer(n)` say as
/// whom and from where. Returns the `Location` of each answer.
async fn parallel_wrong_logins(
    app: &TestApp,
    count: usize,
    email: impl Fn(usize) -> String,
    peer: impl Fn(usize) -> Option<std::net::SocketAddr>,
) -> Vec<String> {
    use tower::ServiceExt;
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..count {
        let mut request = http::Request::post("/auth/login").header(
            http::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        );
        if let Some(peer) = peer(n) {
            request = request.extension(axum::extract::ConnectInfo(peer));
        }
        let body = format!(
            "email={}&password=wrong-guess-{n}",
            common::encode(&email(n))
        );
        let request = request.body(axum::body::Body::from(body)).expect("request");
        let router = app.router.clone();
        tasks.spawn(async move {
            let response = router.oneshot(request).await.expect("infallible");
            response
                .headers()
                .get(http::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        });
    }
    tasks.join_all().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_guesses_for_one_email_get_only_the_free_attempts_checked() {
    let app = TestApp::new().await;
    let answers = parallel_wrong_logins(&app, 20, |_| DEMO_EMAIL.to_string(), |_| None).await;
    let checked = answers
        .iter()
        .filter(|a| *a == "/login?error=invalid")
        .count();
    let throttled = answers
        .iter()
        .filter(|a| *a == "/login?error=throttled")
        .count();
    assert_eq!(checked + throttled, 20, "{answers:?}");
    assert!(
        checked <= pesan_server::auth::FREE_ATTEMPTS as usize,
        "{checked} guesses were checked: {answers:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_address_guessing_many_emails_is_locked_but_others_are_not() {
    let app = TestApp::new().await;
    let guesser: std::net::SocketAddr = "203.0.113.7:50000".parse().expect("addr");
    let colleague: std::net::SocketAddr = "198.51.100.20:40000".parse().expect("addr");
    let limit = pesan_server::auth::CLIENT_FREE_ATTEMPTS as usize;
    let answers = parallel_wrong_logins(
        &app,
        limit,
        |n| format!("guess{n}@demo.pesan.id"),
        |n| Some(std::net::SocketAddr::new(guesser.ip(), 50000 + n as u16)),
    )
    .await;
    assert!(
        answers.iter().all(|a| a == "/login?error=invalid"),
        "{answers:?}"
    );
    // Even the right password, for an email nobody guessed, waits from there…
    let locked = app
        .login_from(DEMO_EMAIL, DEMO_PASSWORD, Some(guesser), &[])
        .await;
    assert_eq!(locked.location.as_deref(), Some("/login?error=throttled"));
    assert!(locked.set_cookie.is_none());
    // …while the rest of the world signs in.
    let fine = app
        .login_from(DEMO_EMAIL, DEMO_PASSWORD, Some(colleague), &[])
        .await;
    assert_eq!(fine.location.as_deref(), Some("/"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn at_most_four_password_checks_run_at_once() {
    let app = TestApp::new().await;
    let answers = parallel_wrong_logins(
        &app,
        32,
        |n| format!("nobody{n}@example.com"),
        |n| {
            Some(std::net::SocketAddr::from((
                [10, 0, (n / 200) as u8, (n % 200) as u8],
                1234,
            )))
        },
    )
    .await;
    assert!(
        answers.iter().all(|a| a == "/login?error=invalid"),
        "{answers:?}"
    );
    let peak = app.logins.checks.peak();
    assert!((1..=4).contains(&peak), "{peak} checks ran at once");
}
