//! `pesan whatsapp templates sync` against a local stand-in for the Graph
//! API's template list (Meta's shape, two pages): every page stored, a
//! later sync drops what is no longer listed, status webhooks keep the
//! copy current, and a refused or broken list stores nothing.

mod common;

use common::whatsapp::*;
use common::TestApp;
use http::StatusCode;
use pesan_server::cli;
use pesan_server::whatsapp::templates::GraphApi;

const WABA: &str = "102290129340398";
const TOKEN: &str = "EAAG-test-access-token-0001";

mod graph {
    use axum::extract::{Path, Query, State};
    use axum::response::{IntoResponse, Response};
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};

    /// One recorded request: the path, the query, the Authorization header.
    pub type Request = (String, HashMap<String, String>, String);

    /// A page answered otherwise: its number, the HTTP status, the body.
    pub type Refusal = (usize, u16, &'static str);

    /// The list the stand-in serves: pages of `data` items; page `n`
    /// after the first is asked for with the cursor `cursor-n`.
    #[derive(Clone, Default)]
    pub struct Graph {
        pub pages: Arc<Mutex<Vec<Vec<serde_json::Value>>>>,
        /// A page answered with this status and body instead.
        pub refuse: Arc<Mutex<Option<Refusal>>>,
        pub requests: Arc<Mutex<Vec<Request>>>,
        /// The token the stand-in accepts.
        pub token: Arc<Mutex<String>>,
    }

    impl Graph {
        pub fn serve(&self, pages: Vec<Vec<serde_json::Value>>) {
            *self.pages.lock().expect("lock") = pages;
        }

        pub fn refuse(&self, page: usize, status: u16, body: &'static str) {
            *self.refuse.lock().expect("lock") = Some((page, status, body));
        }

        pub fn requests(&self) -> Vec<Request> {
            self.requests.lock().expect("lock").clone()
        }
    }

    const BAD_TOKEN: &str = r#"{"error":{"message":"Invalid OAuth access token - Cannot parse access token","type":"OAuthException","code":190,"fbtrace_id":"AbCdEf"}}"#;

    async fn templates(
        State(graph): State<Graph>,
        Path((version, waba)): Path<(String, String)>,
        Query(query): Query<HashMap<String, String>>,
        headers: http::HeaderMap,
    ) -> Response {
        let auth = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        graph.requests.lock().expect("lock").push((
            format!("/{version}/{waba}/message_templates"),
            query.clone(),
            auth.clone(),
        ));
        let json = |status: u16, body: String| {
            (
                http::StatusCode::from_u16(status).expect("status"),
                [("content-type", "application/json")],
                body,
            )
                .into_response()
        };
        if auth != format!("Bearer {}", graph.token.lock().expect("lock")) {
            return json(401, BAD_TOKEN.to_string());
        }
        let page = match query.get("after") {
            None => 0,
            Some(cursor) => match cursor
                .strip_prefix("cursor-")
                .and_then(|n| n.parse::<usize>().ok())
            {
                Some(n) => n,
                None => {
                    return json(
                        400,
                        r#"{"error":{"message":"bad cursor","code":100}}"#.into(),
                    )
                }
            },
        };
        if let Some((refused, status, body)) = *graph.refuse.lock().expect("lock") {
            if refused == page {
                return json(status, body.to_string());
            }
        }
        let pages = graph.pages.lock().expect("lock").clone();
        let data = pages.get(page).cloned().unwrap_or_default();
        let mut paging = serde_json::json!({
            "cursors": {"before": format!("before-{page}"), "after": format!("cursor-{}", page + 1)}
        });
        if page + 1 < pages.len() {
            paging["next"] = format!(
                "http://stand-in/{version}/{waba}/message_templates?after=cursor-{}",
                page + 1
            )
            .into();
        }
        json(
            200,
            serde_json::json!({ "data": data, "paging": paging }).to_string(),
        )
    }

    /// Serves the stand-in on a free local port; returns its base URL.
    pub async fn start(token: &str) -> (String, Graph) {
        let graph = Graph::default();
        *graph.token.lock().expect("lock") = token.to_string();
        let router = axum::Router::new()
            .route(
                "/{version}/{waba}/message_templates",
                axum::routing::get(templates),
            )
            .with_state(graph.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(async move { axum::serve(listener, router).await });
        (url, graph)
    }
}

/// A template as Meta lists it.
fn template(name: &str, language: &str, status: &str, body: &str) -> serde_json::Value {
    serde_json::json!({
        "name": name,
        "components": [
            {"type": "HEADER", "format": "TEXT", "text": "Pesan"},
            {"type": "BODY", "text": body},
            {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "OK"}]}
        ],
        "language": language,
        "status": status,
        "category": "UTILITY",
        "id": meta_id(name, language),
    })
}

/// Meta's id of a template in the stand-in's lists.
fn meta_id(name: &str, language: &str) -> String {
    format!("{}", name.len() * 1000 + language.len())
}

fn two_pages() -> Vec<Vec<serde_json::Value>> {
    vec![
        vec![
            template(
                "booking_confirmation",
                "id",
                "APPROVED",
                "Halo {{1}}, booking {{2}} jam {{3}} sudah dikonfirmasi.",
            ),
            template(
                "promo",
                "id",
                "PENDING",
                "Diskon {{discount}} untuk {{name}}!",
            ),
        ],
        vec![
            template(
                "booking_confirmation",
                "en_US",
                "APPROVED",
                "Hi {{1}}, booking {{2}} at {{3}} is confirmed.",
            ),
            template("reminder", "id", "REJECTED", "Ingat {{1}}"),
        ],
    ]
}

/// The app with the number connected through the CLI (with its account
/// unless `waba` is None), the key its token is sealed with, and the
/// Graph stand-in accepting that token.
async fn connected_app(
    waba: Option<&str>,
) -> (TestApp, whatsapp::seal::SecretKey, GraphApi, graph::Graph) {
    let app = app_without_number().await;
    let key = whatsapp::seal::SecretKey::generate();
    cli::connect_whatsapp(
        &app.store,
        &key,
        &cli::ConnectWhatsapp {
            tenant: "demo".into(),
            phone_number_id: NUMBER.into(),
            access_token: TOKEN.into(),
            waba_id: waba.map(str::to_string),
            display_phone: None,
        },
    )
    .await
    .expect("connected");
    let (url, graph) = graph::start(TOKEN).await;
    let api = GraphApi::new(&url, "v23.0").expect("client");
    (app, key, api, graph)
}

async fn app_without_number() -> TestApp {
    TestApp::with_options(pesan_server::HttpOptions {
        whatsapp: pesan_server::whatsapp::WhatsappSettings {
            app_secret: Some(pesan_server::config::Secret::new(SECRET)),
            ..Default::default()
        },
        ..Default::default()
    })
    .await
}

fn sync() -> cli::SyncTemplates {
    cli::SyncTemplates {
        tenant: "demo".into(),
        phone_number_id: None,
    }
}

async fn stored(app: &TestApp) -> Vec<(String, String, String, u32)> {
    let tenant = app
        .store
        .tenant_by_slug("demo")
        .await
        .expect("q")
        .expect("demo")
        .id;
    app.store
        .templates(tenant)
        .await
        .expect("templates")
        .into_iter()
        .map(|t| (t.name, t.language, t.status, t.parameters))
        .collect()
}

fn owned(rows: &[(&str, &str, &str, u32)]) -> Vec<(String, String, String, u32)> {
    rows.iter()
        .map(|(n, l, s, p)| (n.to_string(), l.to_string(), s.to_string(), *p))
        .collect()
}

fn template_status(waba: &str, name: &str, language: &str, event: &str) -> String {
    let id = meta_id(name, language);
    format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"{waba}","time":1795575600,"changes":[{{"value":{{"event":"{event}","message_template_id":{id},"message_template_name":"{name}","message_template_language":"{language}","reason":"NONE"}},"field":"message_template_status_update"}}]}}]}}"#
    )
}

#[tokio::test]
async fn sync_stores_every_page_and_a_later_sync_drops_what_is_gone() {
    let (app, key, api, graph) = connected_app(Some(WABA)).await;
    graph.serve(two_pages());
    let synced = cli::sync_templates(&app.store, &key, &api, &sync())
        .await
        .expect("synced");
    assert_eq!(
        (
            synced.sync.stored,
            synced.sync.approved,
            synced.sync.removed
        ),
        (4, 2, 0)
    );
    let printed = synced.to_string();
    assert!(
        printed.starts_with(&format!(
            "Synced 4 WhatsApp templates of account {WABA} for tenant demo: 2 approved."
        )),
        "{printed}"
    );
    assert!(
        printed.contains("booking_confirmation (id) APPROVED UTILITY, 3 body parameters"),
        "{printed}"
    );
    assert!(!printed.contains(TOKEN), "{printed}");
    assert_eq!(
        stored(&app).await,
        owned(&[
            ("booking_confirmation", "en_US", "APPROVED", 3),
            ("booking_confirmation", "id", "APPROVED", 3),
            ("promo", "id", "PENDING", 2),
            ("reminder", "id", "REJECTED", 1),
        ])
    );
    // Meta's request shape: the account's edge, the fields, the page size,
    // the bearer token; the second page by the first's cursor.
    let requests = graph.requests();
    assert_eq!(requests.len(), 2);
    for (path, query, auth) in &requests {
        assert_eq!(path, &format!("/v23.0/{WABA}/message_templates"));
        assert_eq!(
            query.get("fields").map(String::as_str),
            Some("name,language,status,category,components")
        );
        assert_eq!(query.get("limit").map(String::as_str), Some("100"));
        assert_eq!(auth, &format!("Bearer {TOKEN}"));
    }
    assert_eq!(requests[0].1.get("after"), None);
    assert_eq!(
        requests[1].1.get("after").map(String::as_str),
        Some("cursor-1")
    );
    let tenant = app
        .store
        .tenant_by_slug("demo")
        .await
        .expect("q")
        .expect("demo")
        .id;
    let confirmation = app
        .store
        .approved_template(tenant, "booking_confirmation", "id")
        .await
        .expect("q")
        .expect("approved");
    assert_eq!(confirmation.waba_id, WABA);
    assert_eq!(confirmation.header_parameters, 0);
    assert!(confirmation.components.contains("QUICK_REPLY"));

    // One page now, without promo and reminder: they go.
    graph.serve(vec![vec![
        template("booking_confirmation", "id", "APPROVED", "Halo {{1}}"),
        template("booking_confirmation", "en_US", "PAUSED", "Hi {{1}}"),
    ]]);
    let synced = cli::sync_templates(&app.store, &key, &api, &sync())
        .await
        .expect("synced");
    assert_eq!(
        (
            synced.sync.stored,
            synced.sync.approved,
            synced.sync.removed
        ),
        (2, 1, 2)
    );
    assert!(
        synced
            .to_string()
            .contains("1 approved; 2 no longer listed removed."),
        "{synced}"
    );
    assert_eq!(
        stored(&app).await,
        owned(&[
            ("booking_confirmation", "en_US", "PAUSED", 1),
            ("booking_confirmation", "id", "APPROVED", 1),
        ])
    );
}

#[tokio::test]
async fn signed_template_status_webhooks_keep_the_copy_current() {
    let (app, key, api, graph) = connected_app(Some(WABA)).await;
    graph.serve(two_pages());
    cli::sync_templates(&app.store, &key, &api, &sync())
        .await
        .expect("synced");
    let status_of = |rows: Vec<(String, String, String, u32)>, name: &str, language: &str| {
        rows.into_iter()
            .find(|(n, l, _, _)| n == name && l == language)
            .map(|(_, _, status, _)| status)
    };

    let paused = template_status(WABA, "booking_confirmation", "id", "PAUSED");
    assert_eq!(app.send(signed(&paused)).await.status, StatusCode::OK);
    assert_eq!(
        status_of(stored(&app).await, "booking_confirmation", "id").as_deref(),
        Some("PAUSED")
    );
    // The other language is another template.
    assert_eq!(
        status_of(stored(&app).await, "booking_confirmation", "en_US").as_deref(),
        Some("APPROVED")
    );
    // An unsigned one changes nothing.
    let approved = template_status(WABA, "booking_confirmation", "id", "APPROVED");
    assert_eq!(
        app.send(post(&approved, None)).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        status_of(stored(&app).await, "booking_confirmation", "id").as_deref(),
        Some("PAUSED")
    );
    for (event, now) in [
        ("REINSTATED", "APPROVED"),
        ("FLAGGED", "APPROVED"),
        ("PENDING", "PENDING"),
        ("APPROVED", "APPROVED"),
    ] {
        let body = template_status(WABA, "booking_confirmation", "id", event);
        assert_eq!(app.send(signed(&body)).await.status, StatusCode::OK);
        assert_eq!(
            status_of(stored(&app).await, "booking_confirmation", "id").as_deref(),
            Some(now),
            "after {event}"
        );
    }
    // A template no sync stored, another account, garbage: acknowledged
    // (200, so Meta does not redeliver for days) and nothing changes.
    let before = stored(&app).await;
    for body in [
        template_status(WABA, "never_synced", "id", "APPROVED"),
        template_status("555", "booking_confirmation", "id", "DISABLED"),
        template_status(WABA, "booking_confirmation", "id", "'; DROP TABLE x; --"),
        r#"{"entry":[{"changes":[{"field":"message_template_status_update","value":{"event":7}}]}]}"#
            .to_string(),
        r#"{"entry":[{"id":{"x":1},"changes":[{"field":"message_template_status_update","value":[]}]}]}"#
            .to_string(),
    ] {
        assert_eq!(app.send(signed(&body)).await.status, StatusCode::OK, "{body}");
    }
    assert_eq!(stored(&app).await, before);
}

fn error_text(error: &anyhow::Error) -> String {
    format!("{error:#}")
}

#[tokio::test]
async fn refused_or_broken_lists_store_nothing_and_say_why() {
    let (app, key, api, graph) = connected_app(Some(WABA)).await;
    graph.serve(two_pages());

    // The second page refused: the first is not stored either.
    graph.refuse(
        1,
        401,
        r#"{"error":{"message":"Error validating access token: Session has expired","type":"OAuthException","code":190,"error_subcode":463}}"#,
    );
    let error = cli::sync_templates(&app.store, &key, &api, &sync())
        .await
        .err()
        .expect("refused");
    let text = error_text(&error);
    assert!(text.contains("error 190"), "{text}");
    assert!(text.contains("Session has expired"), "{text}");
    assert!(text.contains("connect the number again"), "{text}");
    assert!(!text.contains(TOKEN), "{text}");
    assert!(stored(&app).await.is_empty());

    // A token Meta does not take.
    *graph.refuse.lock().expect("lock") = None;
    *graph.token.lock().expect("lock") = "EAAG-another-token".into();
    let text = error_text(
        &cli::sync_templates(&app.store, &key, &api, &sync())
            .await
            .err()
            .expect("refused"),
    );
    assert!(
        text.contains("HTTP 401, error 190") && text.contains("Invalid OAuth access token"),
        "{text}"
    );
    assert!(stored(&app).await.is_empty());

    // Not JSON, an error without a body, a next page without a cursor.
    *graph.token.lock().expect("lock") = TOKEN.into();
    for (status, body, says) in [
        (200, "<html>maintenance</html>", "could not be read"),
        (502, "Bad Gateway", "HTTP 502 without saying why"),
        (
            200,
            r#"{"data":[],"paging":{"next":"http://x/next"}}"#,
            "no cursor",
        ),
    ] {
        graph.refuse(0, status, body);
        let text = error_text(
            &cli::sync_templates(&app.store, &key, &api, &sync())
                .await
                .err()
                .expect("refused"),
        );
        assert!(text.contains(says), "{text}");
    }
    assert!(stored(&app).await.is_empty());

    // A key that does not open the token; a Graph API that is not there.
    let other = whatsapp::seal::SecretKey::generate();
    let text = error_text(
        &cli::sync_templates(&app.store, &other, &api, &sync())
            .await
            .err()
            .expect("refused"),
    );
    assert!(text.contains("cannot be opened"), "{text}");
    let gone = GraphApi::new("http://127.0.0.1:9", "v23.0").expect("client");
    let text = error_text(
        &cli::sync_templates(&app.store, &key, &gone, &sync())
            .await
            .err()
            .expect("refused"),
    );
    assert!(text.contains("could not be reached"), "{text}");
    assert!(stored(&app).await.is_empty());
    assert_eq!(
        graph
            .requests()
            .iter()
            .filter(|(_, _, auth)| auth != &format!("Bearer {TOKEN}"))
            .count(),
        0,
        "only the number's own token is sent"
    );
}

#[tokio::test]
async fn a_number_without_its_account_or_a_tenant_without_a_number_is_told_what_to_run() {
    let (app, key, api, graph) = connected_app(None).await;
    graph.serve(two_pages());
    let text = error_text(
        &cli::sync_templates(&app.store, &key, &api, &sync())
            .await
            .err()
            .expect("refused"),
    );
    assert!(
        text.contains("pesan whatsapp connect") && text.contains("--waba-id"),
        "{text}"
    );
    assert!(graph.requests().is_empty());

    let text = error_text(
        &cli::sync_templates(
            &app.store,
            &key,
            &api,
            &cli::SyncTemplates {
                tenant: "demo".into(),
                phone_number_id: Some("999".into()),
            },
        )
        .await
        .err()
        .expect("refused"),
    );
    assert!(text.contains("no WhatsApp number \"999\""), "{text}");

    let bare = app_without_number().await;
    let text = error_text(
        &cli::sync_templates(&bare.store, &key, &api, &sync())
            .await
            .err()
            .expect("refused"),
    );
    assert!(
        text.contains("has no WhatsApp number") && text.contains("--waba-id"),
        "{text}"
    );
    let text = error_text(
        &cli::sync_templates(
            &bare.store,
            &key,
            &api,
            &cli::SyncTemplates {
                tenant: "nobody".into(),
                phone_number_id: None,
            },
        )
        .await
        .err()
        .expect("refused"),
    );
    assert!(text.contains("no tenant"), "{text}");
}
