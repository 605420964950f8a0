//! A test harness: the real `app(state)` over a fresh SQLite file, driven
//! with `oneshot`, no port. Now is pinned to Wed 2026-11-25 10:00 in Jakarta.

#![allow(dead_code)]

pub mod graph;
pub mod whatsapp;

use axum::body::Body;
use axum::Router;
use booking::Services;
use chrono::{TimeZone, Utc};
use domain::clock::FixedClock;
use http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use pesan_server::auth::Logins;
use pesan_server::{app_with_logins, AppState, HttpOptions};
use serde_json::{json, Value};
use std::sync::Arc;
use store::demo::{seed_demo, DEMO_EMAIL, DEMO_PASSWORD};
use store::Store;
use tower::ServiceExt;

pub struct TestApp {
    pub router: Router,
    pub store: Store,
    /// The services the app runs on (the booking service for set-ups that
    /// book as a caller would).
    pub services: Services,
    pub clock: FixedClock,
    /// The app's sign-in throttle and password-check bound.
    pub logins: Arc<Logins>,
    state: AppState,
    options: HttpOptions,
    _dir: tempfile::TempDir,
}

pub struct Reply {
    pub status: StatusCode,
    pub location: Option<String>,
    pub set_cookie: Option<String>,
    pub headers: http::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

impl TestApp {
    /// The app with the per-key rate limit lifted, so tests that make many
    /// calls test what they mean to (the limit has its own test).
    pub async fn new() -> TestApp {
        TestApp::with_options(HttpOptions {
            api_limit: pesan_server::api::limits::RateLimit {
                per_second: 1e9,
                burst: 1e9,
            },
            ..HttpOptions::default()
        })
        .await
    }

    /// Hostile review: the same app on a fresh PostgreSQL database
    /// (`None` without PESAN_TEST_POSTGRES_URL).
    pub async fn on_postgres(options: HttpOptions) -> Option<TestApp> {
        let admin_url = std::env::var("PESAN_TEST_POSTGRES_URL").ok()?;
        let admin = Store::connect(&admin_url).await.expect("admin");
        let name = format!(
            "pesan_hostile_app_{}_{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .expect("clock")
                .as_nanos()
        );
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(admin.pool())
            .await
            .expect("create database");
        admin.close().await;
        let base = admin_url.rsplit_once('/').expect("url").0;
        let store = Store::connect(&format!("{base}/{name}"))
            .await
            .expect("connect");
        Some(TestApp::with_store(store, options).await)
    }

    pub async fn with_options(options: HttpOptions) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::connect(&format!("sqlite:{}", dir.path().join("pesan.db").display()))
            .await
            .expect("connect");
        TestApp::with_store_in(store, options, dir).await
    }

    async fn with_store(store: Store, options: HttpOptions) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        TestApp::with_store_in(store, options, dir).await
    }

    async fn with_store_in(store: Store, options: HttpOptions, dir: tempfile::TempDir) -> TestApp {
        store.migrate().await.expect("migrate");
        seed_demo(&store).await.expect("seed");
        let clock = FixedClock::at(
            Utc.with_ymd_and_hms(2026, 11, 25, 3, 0, 0)
                .single()
                .expect("valid"),
        );
        let leptos_options = LeptosOptions::builder()
            .output_name("pesan")
            .site_root(dir.path().join("site").to_string_lossy().to_string())
            .build();
        let services = Services::new(store.clone(), Arc::new(clock.clone()));
        let state = AppState::new(services.clone(), leptos_options)
            .with_secret_key(::whatsapp::seal::SecretKey::generate());
        let logins = Arc::new(Logins::default());
        TestApp {
            router: app_with_logins(state.clone(), options.clone(), Arc::clone(&logins)),
            state,
            options,
            store,
            services,
            clock,
            logins,
            _dir: dir,
        }
    }

    /// Builds more routers over the same state, as the next test (or a
    /// second server in one process) would, from any thread.
    pub fn router_builder(&self) -> impl Fn() -> Router + Send + 'static {
        let (state, options, logins) = (
            self.state.clone(),
            self.options.clone(),
            Arc::clone(&self.logins),
        );
        move || app_with_logins(state.clone(), options.clone(), Arc::clone(&logins))
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible");
        let status = response.status();
        let header_text = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v: &http::HeaderValue| v.to_str().ok())
                .map(str::to_string)
        };
        let location = header_text(header::LOCATION);
        let set_cookie = header_text(header::SET_COOKIE);
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        Reply {
            status,
            location,
            set_cookie,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut request = Request::get(path);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::empty()).expect("request"))
            .await
    }

    pub async fn post_form(&self, path: &str, form: &str, cookie: Option<&str>) -> Reply {
        let mut request =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::from(form.to_string())).expect("request"))
            .await
    }

    /// Posts the login form as if from `peer` (`ConnectInfo`, which the real
    /// server provides and `oneshot` does not), with extra headers.
    pub async fn login_from(
        &self,
        email: &str,
        password: &str,
        peer: Option<std::net::SocketAddr>,
        extra: &[(&str, &str)],
    ) -> Reply {
        let mut request = Request::post("/auth/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        for (name, value) in extra {
            request = request.header(*name, *value);
        }
        if let Some(peer) = peer {
            request = request.extension(axum::extract::ConnectInfo(peer));
        }
        let form = format!("email={}&password={}", encode(email), encode(password));
        self.send(request.body(Body::from(form)).expect("request"))
            .await
    }

    /// Calls a server function the way the browser does (URL-encoded in, JSON out).
    pub async fn rpc(&self, name: &str, form: &str, cookie: &str) -> Reply {
        self.post_form(&format!("/rpc/{name}"), form, Some(cookie))
            .await
    }

    /// Signs in and returns the `Cookie` header value for later requests.
    /// A user whose password the CLI printed is sent to the account page
    /// first: this replaces it with [`chosen_password`] of it, as that
    /// user would, so the session can reach everything.
    pub async fn login(&self, email: &str, password: &str) -> String {
        let reply = self
            .post_form(
                "/auth/login",
                &format!("email={}&password={}", encode(email), encode(password)),
                None,
            )
            .await;
        let cookie = reply
            .set_cookie
            .clone()
            .unwrap_or_else(|| panic!("login of {email} failed: {:?}", reply.location))
            .split(';')
            .next()
            .expect("name=value")
            .to_string();
        match reply.location.as_deref() {
            Some("/") => {}
            Some("/account") => {
                let new = chosen_password(password);
                let changed = self
                    .rpc(
                        "change_password",
                        &format!(
                            "current={}&new={}&confirm={}",
                            encode(password),
                            encode(&new),
                            encode(&new)
                        ),
                        &cookie,
                    )
                    .await;
                assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
            }
            other => panic!("login of {email} failed: {other:?}"),
        }
        cookie
    }

    pub async fn login_demo(&self) -> String {
        self.login(DEMO_EMAIL, DEMO_PASSWORD).await
    }

    /// Adds a front-desk member (role `staff`) to the demo venue and signs
    /// them in: they run bookings but may not change resources or keys.
    pub async fn login_front_desk(&self) -> String {
        let demo = self
            .store
            .tenant_by_slug("demo")
            .await
            .expect("q")
            .expect("demo");
        self.store
            .create_user(
                demo.id,
                "desk@demo.pesan.id",
                "Front Desk",
                domain::Role::Staff,
                "desk-password",
            )
            .await
            .expect("user");
        self.login("desk@demo.pesan.id", "desk-password").await
    }
}

/// Minimal form encoding for the values tests send.
pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A fresh API key of the tenant `slug`, customer policy (the default a
/// booking site gets).
pub async fn key_for(app: &TestApp, slug: &str) -> String {
    key_with_policy(app, slug, domain::availability::Policy::Customer).await
}

/// A fresh staff-policy API key of the tenant `slug` (walk-ins, rules,
/// prices, blackouts, lifecycle steps).
pub async fn staff_key_for(app: &TestApp, slug: &str) -> String {
    key_with_policy(app, slug, domain::availability::Policy::Staff).await
}

async fn key_with_policy(
    app: &TestApp,
    slug: &str,
    policy: domain::availability::Policy,
) -> String {
    let tenant = app
        .store
        .tenant_by_slug(slug)
        .await
        .expect("q")
        .expect("tenant");
    app.store
        .create_api_key(
            tenant.id,
            "tests",
            policy,
            domain::clock::Clock::now(&app.clock),
        )
        .await
        .expect("key")
        .1
}

/// `POST /api/v1/bookings` with `body` under `key`.
/// The password a test user chooses in place of the one the CLI printed.
pub fn chosen_password(printed: &str) -> String {
    format!("{printed}-mine")
}

pub async fn post_booking(app: &TestApp, key: &str, body: &str) -> Reply {
    call(app, "POST", "/api/v1/bookings", Some(key), Some(body), None).await
}

/// One API request with an optional key, JSON body and Idempotency-Key.
pub async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    key: Option<&str>,
    body: Option<&str>,
    idem: Option<&str>,
) -> Reply {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(key) = key {
        request = request.header(header::AUTHORIZATION, format!("Bearer {key}"));
    }
    if let Some(idem) = idem {
        request = request.header("idempotency-key", idem);
    }
    let request = match body {
        Some(body) => request
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string())),
        None => request.body(Body::empty()),
    };
    app.send(request.expect("request")).await
}

/// The `error.code` of an API reply.
pub fn code(reply: &Reply) -> String {
    reply.json()["error"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// The demo's "Futsal Court 1" (Kemang, 08:00–23:00, Rp 150.000 an hour).
pub async fn futsal_court_1(app: &TestApp, key: &str) -> Value {
    let list = call(app, "GET", "/api/v1/resources", Some(key), None, None)
        .await
        .json();
    list["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .find(|r| r["name"] == "Futsal Court 1")
        .cloned()
        .expect("court")
}

/// A booking (or hold) request body for `resource` from `start` to `end`.
pub fn booking_request(resource: &Value, start: &str, end: &str) -> String {
    json!({ "resource_id": resource["id"], "start": start, "end": end, "customer_phone": "0812 5555 0002" })
        .to_string()
}
