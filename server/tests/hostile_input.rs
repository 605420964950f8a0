//! The server faces the internet: arbitrary JSON bodies, path ids and query
//! strings at every `/api/v1` route, and arbitrary text at the bot through
//! the simulator. Whatever comes in, the answer is a 2xx or a 4xx with the
//! JSON error shape: never a 5xx, never a panic (the panic layer would turn
//! one into a 500, which fails here too).

mod common;

use axum::body::Body;
use common::{key_for, TestApp};
use http::{header, Request};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use serde_json::{json, Map, Value};
use store::demo::DEMO_SLUG;

/// Field names the API knows, so random bodies get past "unknown field"
/// often enough to reach the handlers' own checks.
const FIELDS: &[&str] = &[
    "resource_id",
    "resource_ids",
    "start",
    "end",
    "customer_phone",
    "customer_name",
    "hold_minutes",
    "rrule",
    "mode",
    "scope",
    "booking_id",
    "reason",
    "status",
    "buffer_minutes",
    "lead_minutes",
    "horizon_days",
    "change_cutoff_minutes",
    "outlet_id",
    "name",
    "priority",
    "weekdays",
    "dates",
    "from",
    "to",
    "adjustment",
    "multiplier",
];

fn hostile_string() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("2026-11-26T12:00:00Z".to_string()),
        Just("2026-11-26T12:00:59.999Z".to_string()),
        Just("+262143-12-31T23:59:59Z".to_string()),
        Just("-262143-01-01T00:00:00Z".to_string()),
        Just("0000-01-01T00:00:00Z".to_string()),
        Just("9999-12-31T23:59:59Z".to_string()),
        Just("1969-12-31T23:59:59Z".to_string()),
        Just("FREQ=WEEKLY;COUNT=999999999".to_string()),
        Just("FREQ=WEEKLY;BYDAY=TH;UNTIL=99991231T235959Z".to_string()),
        Just("FREQ=MONTHLY;BYMONTHDAY=31;COUNT=5000".to_string()),
        Just("FREQ=WEEKLY;BYDAY=ÄÖ;COUNT=é".to_string()),
        Just("all_or_nothing".to_string()),
        Just("free_ones".to_string()),
        Just("this_and_following".to_string()),
        Just("cancelled".to_string()),
        Just("0812 5555 0001".to_string()),
        Just("+999 1".to_string()),
        Just("x".repeat(5000)),
        ".{0,40}",
    ]
}

fn hostile_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        prop_oneof![
            Just(i64::MAX),
            Just(i64::MIN),
            Just(0),
            Just(1),
            Just(-1),
            Just(1440)
        ]
        .prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        hostile_string().prop_map(Value::from),
    ];
    leaf.prop_recursive(2, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(".{0,8}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn hostile_body() -> impl Strategy<Value = String> {
    let object = prop::collection::vec((prop::sample::select(FIELDS), hostile_value()), 0..8)
        .prop_map(|fields| {
            let mut map = Map::new();
            for (name, value) in fields {
                map.insert(name.to_string(), value);
            }
            Value::Object(map).to_string()
        });
    prop_oneof![
        4 => object,
        1 => hostile_value().prop_map(|v| v.to_string()),
        1 => ".{0,64}",
    ]
}

fn hostile_id() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("1".to_string()),
        Just("2".to_string()),
        Just("99999999999999999999".to_string()),
        Just("-1".to_string()),
        Just("0".to_string()),
        Just("%00".to_string()),
        Just("%41".to_string()),
        "[a-z0-9]{0,12}",
    ]
}

/// Every route with a body: (method, path with `{id}`).
const WITH_BODY: &[(&str, &str)] = &[
    ("POST", "/api/v1/bookings"),
    ("POST", "/api/v1/holds"),
    ("POST", "/api/v1/series"),
    ("POST", "/api/v1/blackouts"),
    ("PATCH", "/api/v1/resources/{id}"),
    ("POST", "/api/v1/resources/{id}/price-rules"),
    ("POST", "/api/v1/bookings/{id}/status"),
    ("POST", "/api/v1/bookings/{id}/cancel"),
    ("POST", "/api/v1/bookings/{id}/reschedule"),
    ("POST", "/api/v1/series/{id}/cancel"),
    ("POST", "/api/v1/holds/{id}/confirm"),
];

/// Every route without one.
const WITHOUT_BODY: &[(&str, &str)] = &[
    ("GET", "/api/v1/resources"),
    ("GET", "/api/v1/resources/{id}/price-rules"),
    ("DELETE", "/api/v1/price-rules/{id}"),
    ("GET", "/api/v1/quote"),
    ("GET", "/api/v1/availability"),
    ("GET", "/api/v1/blackouts"),
    ("DELETE", "/api/v1/blackouts/{id}"),
    ("DELETE", "/api/v1/holds/{id}"),
    ("GET", "/api/v1/series/{id}"),
    ("GET", "/api/v1/bookings"),
    ("GET", "/api/v1/bookings/{id}"),
    ("GET", "/api/v1/bookings/{id}/history"),
];

const QUERY_NAMES: &[&str] = &[
    "resource_id",
    "resource_type",
    "outlet_id",
    "from",
    "to",
    "minutes",
    "start",
    "end",
    "status",
    "series_id",
    "limit",
    "cursor",
];

fn query() -> impl Strategy<Value = String> {
    prop::collection::vec((prop::sample::select(QUERY_NAMES), hostile_string()), 0..6).prop_map(
        |pairs| {
            pairs
                .into_iter()
                .map(|(k, v)| format!("{k}={}", common::encode(&v)))
                .collect::<Vec<_>>()
                .join("&")
        },
    )
}

struct Harness {
    runtime: tokio::runtime::Runtime,
    app: TestApp,
    key: String,
}

fn harness() -> Harness {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (app, key) = runtime.block_on(async {
        let app = TestApp::new().await;
        let key = key_for(&app, DEMO_SLUG).await;
        (app, key)
    });
    Harness { runtime, app, key }
}

impl Harness {
    fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<String>,
        idem: Option<&str>,
    ) -> (u16, String) {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {}", self.key));
        if let Some(idem) = idem {
            request = request.header("idempotency-key", idem);
        }
        let request = match body {
            Some(body) => request
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body)),
            None => request.body(Body::empty()),
        }
        .expect("request");
        let reply = self.runtime.block_on(self.app.send(request));
        (reply.status.as_u16(), reply.body)
    }
}

fn assert_no_server_error(status: u16, body: &str, what: &str) {
    assert!(status < 500, "{what} → {status}: {body}");
    if status >= 400 {
        let json: Value = serde_json::from_str(body)
            .unwrap_or_else(|_| panic!("{what} → {status}: not JSON: {body}"));
        assert!(
            json["error"]["code"].is_string(),
            "{what} → {status}: no error code: {body}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bodies_never_get_a_5xx(
        route in prop::sample::select(WITH_BODY),
        id in hostile_id(),
        body in hostile_body(),
        idem in prop::option::of("[ -~]{0,10}"),
    ) {
        thread_local!(static H: Harness = harness());
        let path = route.1.replace("{id}", &id);
        H.with(|h| {
            let (status, reply) = h.send(route.0, &path, Some(body.clone()), idem.as_deref());
            assert_no_server_error(status, &reply, &format!("{} {path} {body}", route.0));
        });
    }

    #[test]
    fn arbitrary_ids_and_queries_never_get_a_5xx(
        route in prop::sample::select(WITHOUT_BODY),
        id in hostile_id(),
        q in query(),
    ) {
        thread_local!(static H: Harness = harness());
        let path = format!("{}?{q}", route.1.replace("{id}", &id));
        H.with(|h| {
            let (status, reply) = h.send(route.0, &path, None, None);
            assert_no_server_error(status, &reply, &format!("{} {path}", route.0));
        });
    }
}

#[test]
fn valid_requests_with_one_hostile_field_never_get_a_5xx() {
    // A valid booking with each field in turn replaced by hostile values:
    // the checks behind the JSON parser are reached every time.
    let h = harness();
    let valid = json!({
        "resource_id": 1, "start": "2026-11-26T12:00:00Z", "end": "2026-11-26T13:00:00Z",
        "customer_phone": "0812 5555 0001", "customer_name": "Budi",
    });
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let fields = [
        "resource_id",
        "start",
        "end",
        "customer_phone",
        "customer_name",
    ];
    for _ in 0..200 {
        let value = hostile_value()
            .new_tree(&mut runner)
            .expect("value")
            .current();
        let field = fields[usize::try_from(runner.rng().next_u32()).unwrap_or(0) % fields.len()];
        let mut body = valid.clone();
        body[field] = value;
        for path in ["/api/v1/bookings", "/api/v1/holds"] {
            let (status, reply) = h.send("POST", path, Some(body.to_string()), None);
            assert_no_server_error(status, &reply, &format!("{path} {body}"));
        }
    }
}

#[test]
fn nul_characters_are_refused_before_they_reach_the_database() {
    // PostgreSQL refuses NUL in text: these were 500s (and a 503 on the
    // signed-out login form) there while SQLite stored them.
    let h = harness();
    let booking = json!({
        "resource_id": 1, "start": "2026-11-26T12:00:00Z", "end": "2026-11-26T13:00:00Z",
        "customer_phone": "0812 5555 0001", "customer_name": "a\u{0}b",
    });
    let (status, reply) = h.send("POST", "/api/v1/bookings", Some(booking.to_string()), None);
    assert_eq!(status, 400, "{reply}");
    assert!(reply.contains("invalid_text"), "{reply}");
    let blackout = r#"{"outlet_id":1,"start":"2026-11-26T12:00:00Z","end":"2026-11-26T13:00:00Z","reason":"a\u0000b"}"#;
    let (status, reply) = h.send("POST", "/api/v1/blackouts", Some(blackout.into()), None);
    assert_eq!(status, 400, "{reply}");
    let login = Request::post("/auth/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("email=owner%00%40demo.pesan.id&password=x"))
        .expect("request");
    let reply = h.runtime.block_on(h.app.send(login));
    assert_eq!(reply.status.as_u16(), 400, "{}", reply.body);
    // A body past the limit gets the JSON error shape too.
    let huge = format!("{{\"reason\":\"{}\"}}", "x".repeat(2 * 1024 * 1024));
    let (status, reply) = h.send("POST", "/api/v1/bookings/1/cancel", Some(huge), None);
    assert_eq!(status, 413);
    assert!(reply.contains("body_too_large"), "{reply}");
}

/// A body of `size` bytes that never ends: a sender holding its last byte.
fn held_body(size: usize) -> Body {
    use futures_util::StreamExt;
    let first = futures_util::stream::once(async move {
        Ok::<_, std::io::Error>(bytes::Bytes::from(vec![b'a'; size]))
    });
    Body::from_stream(first.chain(futures_util::stream::pending()))
}

/// One address cannot take the whole body budget: its bodies together
/// hold at most an eighth of it, and then it is `busy` while others are
/// served. Anyone may post the sign-in form, so it takes at most 16 KiB;
/// and a webhook without a signature is refused before its body is read.
#[tokio::test]
async fn one_address_holds_only_its_share_of_the_body_budget() {
    use tower::ServiceExt;
    let app = TestApp::new().await;
    let s = app.login_demo().await;
    let greedy: std::net::SocketAddr = "203.0.113.77:40000".parse().expect("addr");
    let post = |peer: Option<std::net::SocketAddr>, path: &str, body: Body| {
        let mut request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, s.as_str());
        if let Some(peer) = peer {
            request = request.extension(axum::extract::ConnectInfo(peer));
        }
        request.body(body).expect("request")
    };
    // Eight bodies of just under 1 MiB from one address fill its share.
    let mut holding = Vec::new();
    for _ in 0..8 {
        let request = post(
            Some(greedy),
            "/rpc/get_overview",
            held_body(1024 * 1024 - 1),
        );
        holding.push(tokio::spawn(app.router.clone().oneshot(request)));
    }
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let started = std::time::Instant::now();
    let ninth = app
        .send(post(Some(greedy), "/rpc/get_overview", Body::from("x=1")))
        .await;
    assert_eq!(
        ninth.status,
        http::StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        ninth.body
    );
    assert!(ninth.body.contains("busy"), "{}", ninth.body);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(4),
        "refused without waiting"
    );
    // Another address is served meanwhile.
    let other: std::net::SocketAddr = "198.51.100.9:40000".parse().expect("addr");
    let served = app
        .send(post(Some(other), "/rpc/get_overview", Body::from("x=1")))
        .await;
    assert_eq!(served.status, http::StatusCode::OK, "{}", served.body);
    // The senders give up: their share comes back.
    for task in &holding {
        task.abort();
    }
    for task in holding {
        let _ = task.await;
    }
    let again = app
        .send(post(Some(greedy), "/rpc/get_overview", Body::from("x=1")))
        .await;
    assert_eq!(again.status, http::StatusCode::OK, "{}", again.body);

    // The sign-in form: 16 KiB at most.
    let long = format!("email=a%40b.c&password={}", "p".repeat(20 * 1024));
    let login = app.post_form("/auth/login", &long, None).await;
    assert_eq!(
        login.status,
        http::StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        login.body
    );

    // An unsigned webhook: refused at once, its endless body never read.
    let whatsapp = common::whatsapp::app().await;
    let unsigned = tokio::time::timeout(
        std::time::Duration::from_secs(3),
        whatsapp.send(
            Request::post("/webhooks/whatsapp")
                .header(header::CONTENT_TYPE, "application/json")
                .body(held_body(512 * 1024))
                .expect("request"),
        ),
    )
    .await
    .expect("answered without reading the body");
    assert_eq!(
        unsigned.status,
        http::StatusCode::UNAUTHORIZED,
        "{}",
        unsigned.body
    );
}
