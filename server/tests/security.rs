//! Security headers on every response, and writes from other sites refused.

mod common;

use axum::body::Body;
use common::{Reply, TestApp};
use http::{header, Request, StatusCode};
use pesan_server::HttpOptions;
use store::demo::{DEMO_EMAIL, DEMO_PASSWORD};

fn login_form() -> String {
    format!(
        "email={}&password={}",
        common::encode(DEMO_EMAIL),
        common::encode(DEMO_PASSWORD)
    )
}

async fn post(app: &TestApp, path: &str, cookie: Option<&str>, extra: &[(&str, &str)]) -> Reply {
    let mut request = Request::post(path)
        .header(header::HOST, "pesan.example")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    for (name, value) in extra {
        request = request.header(*name, *value);
    }
    let body = if path == "/auth/login" {
        login_form()
    } else {
        String::new()
    };
    app.send(request.body(Body::from(body)).expect("request"))
        .await
}

fn assert_cross_site(reply: &Reply, what: &str) {
    assert_eq!(
        reply.status,
        StatusCode::FORBIDDEN,
        "{what}: {}",
        reply.body
    );
    assert_eq!(reply.json()["error"]["code"], "cross_site", "{what}");
    assert!(reply.set_cookie.is_none(), "{what}");
}

#[tokio::test]
async fn another_site_cannot_sign_in_or_call_server_functions() {
    let app = TestApp::new().await;
    let evil = post(
        &app,
        "/auth/login",
        None,
        &[("origin", "https://evil.example")],
    )
    .await;
    assert_cross_site(&evil, "login from another origin");
    let fetched = post(
        &app,
        "/auth/login",
        None,
        &[("sec-fetch-site", "cross-site")],
    )
    .await;
    assert_cross_site(&fetched, "login with Sec-Fetch-Site: cross-site");
    let opaque = post(&app, "/auth/login", None, &[("origin", "null")]).await;
    assert_cross_site(&opaque, "login from an opaque origin");

    let session = app.login_demo().await;
    let rpc = post(
        &app,
        "/rpc/me",
        Some(&session),
        &[("origin", "https://evil.example")],
    )
    .await;
    assert_cross_site(&rpc, "server function from another origin");
    let rpc = post(
        &app,
        "/rpc/me",
        Some(&session),
        &[("sec-fetch-site", "cross-site")],
    )
    .await;
    assert_cross_site(&rpc, "server function with Sec-Fetch-Site: cross-site");
    let logout = post(
        &app,
        "/auth/logout",
        Some(&session),
        &[("origin", "https://evil.example")],
    )
    .await;
    assert_cross_site(&logout, "logout from another origin");
}

#[tokio::test]
async fn the_site_itself_and_clients_without_browser_headers_pass() {
    let app = TestApp::new().await;
    let same = post(
        &app,
        "/auth/login",
        None,
        &[
            ("origin", "https://pesan.example"),
            ("sec-fetch-site", "same-origin"),
        ],
    )
    .await;
    assert_eq!(same.location.as_deref(), Some("/"), "{}", same.body);
    let session = same.set_cookie.expect("cookie");
    let session = session.split(';').next().expect("pair");
    let plain = post(&app, "/auth/login", None, &[]).await;
    assert_eq!(plain.location.as_deref(), Some("/"));
    let rpc = post(
        &app,
        "/rpc/me",
        Some(session),
        &[("origin", "https://pesan.example")],
    )
    .await;
    assert_eq!(rpc.status, StatusCode::OK, "{}", rpc.body);
    assert_eq!(rpc.json()["email"], DEMO_EMAIL);
}

fn script_src(csp: &str) -> &str {
    csp.split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src"))
        .unwrap_or_else(|| panic!("no script-src in {csp}"))
}

fn header_of<'a>(reply: &'a Reply, name: &str) -> &'a str {
    reply
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("no {name} header"))
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::new().await;
    let session = app.login_demo().await;
    let replies = [
        ("/healthz", app.get("/healthz", None).await),
        ("/login", app.get("/login", None).await),
        ("/", app.get("/", Some(&session)).await),
        (
            "/no-such-page",
            app.get("/no-such-page", Some(&session)).await,
        ),
        ("/rpc/me", app.rpc("me", "", &session).await),
        (
            "/api/v1/resources",
            app.get("/api/v1/resources", None).await,
        ),
        (
            "/auth/login (refused)",
            post(
                &app,
                "/auth/login",
                None,
                &[("origin", "https://evil.example")],
            )
            .await,
        ),
    ];
    for (path, reply) in &replies {
        let csp = header_of(reply, "content-security-policy");
        for directive in [
            "default-src 'self'",
            "script-src 'self' 'wasm-unsafe-eval'",
            "frame-ancestors 'none'",
            "object-src 'none'",
        ] {
            assert!(csp.contains(directive), "{path}: {csp}");
        }
        let scripts = script_src(csp);
        assert!(
            !scripts.contains("'unsafe-inline'") && !scripts.contains(" 'unsafe-eval'"),
            "{path}: {scripts}"
        );
        assert_eq!(
            header_of(reply, "x-content-type-options"),
            "nosniff",
            "{path}"
        );
        assert_eq!(header_of(reply, "referrer-policy"), "same-origin", "{path}");
        assert!(
            reply.headers.get("strict-transport-security").is_none(),
            "{path}: no HSTS over plain HTTP"
        );
    }
}

/// The `nonce="…"` values of the page's `<script>` tags, and how many tags.
fn script_nonces(html: &str) -> (Vec<String>, usize) {
    let tags: Vec<&str> = html
        .split("<script")
        .skip(1)
        .map(|rest| rest.split('>').next().unwrap_or(""))
        .collect();
    let nonces = tags
        .iter()
        .filter_map(|tag| tag.split("nonce=\"").nth(1))
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_string)
        .collect();
    (nonces, tags.len())
}

#[tokio::test]
async fn pages_allow_their_own_inline_scripts_by_a_fresh_nonce() {
    let app = TestApp::new().await;
    let session = app.login_demo().await;
    let mut seen = Vec::new();
    for (path, cookie) in [
        ("/login", None),
        ("/", Some(session.as_str())),
        ("/calendar", Some(session.as_str())),
    ] {
        let page = app.get(path, cookie).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        let csp = header_of(&page, "content-security-policy");
        let (nonces, scripts) = script_nonces(&page.body);
        assert!(scripts > 0, "{path} has Leptos's hydration script");
        assert_eq!(nonces.len(), scripts, "{path}: every script has a nonce");
        let nonce = &nonces[0];
        assert!(
            nonces.iter().all(|n| n == nonce),
            "{path}: one nonce per page"
        );
        assert!(nonce.len() >= 16, "{path}: {nonce}");
        assert!(
            csp.contains(&format!("'nonce-{nonce}'")),
            "{path}: the header names the page's nonce: {csp}"
        );
        assert!(
            !script_src(csp).contains("'unsafe-inline'"),
            "{path}: {csp}"
        );
        seen.push(nonce.clone());
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 3, "a new nonce for every response");
}

#[tokio::test]
async fn https_sites_ask_browsers_to_stay_on_https() {
    let app = TestApp::with_options(HttpOptions {
        cookie_secure: true,
        ..HttpOptions::default()
    })
    .await;
    for path in ["/healthz", "/login"] {
        let reply = app.get(path, None).await;
        let hsts = header_of(&reply, "strict-transport-security");
        assert!(hsts.starts_with("max-age="), "{path}: {hsts}");
    }
}
