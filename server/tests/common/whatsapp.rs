//! WhatsApp helpers shared by the webhook and sender tests: the app with
//! a connected number, Meta's delivery shapes, signing, and running the
//! worker.

use super::TestApp;
use axum::body::Body;
use http::Request;
use pesan_server::config::Secret;
use pesan_server::whatsapp::WhatsappSettings;
use pesan_server::HttpOptions;

pub const SECRET: &str = "meta-app-secret";
pub const NUMBER: &str = "1122334455667";

pub async fn app() -> TestApp {
    let app = TestApp::with_options(HttpOptions {
        whatsapp: WhatsappSettings {
            app_secret: Some(Secret::new(SECRET)),
            verify_token: Some(Secret::new("verify-me")),
            ..WhatsappSettings::default()
        },
        ..HttpOptions::default()
    })
    .await;
    let tenant = app
        .store
        .tenant_by_slug("demo")
        .await
        .expect("q")
        .expect("demo")
        .id;
    app.store
        .connect_whatsapp_number(
            tenant,
            &store::NewWhatsappNumber {
                phone_number_id: NUMBER.into(),
                waba_id: None,
                display_phone: None,
                token_sealed: "v1:sealed".into(),
                token_hint: "…abcd".into(),
            },
            chrono::Utc::now(),
        )
        .await
        .expect("connected");
    app
}

/// A `messages` delivery to `number` with `value`'s extra fields.
pub fn delivery(number: &str, value: &str) -> String {
    format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"102290129340398","changes":[{{"value":{{"messaging_product":"whatsapp","metadata":{{"display_phone_number":"15550783881","phone_number_id":"{number}"}},{value}}},"field":"messages"}}]}}]}}"#
    )
}

pub fn text_message(id: &str, body: &str) -> String {
    format!(
        r#""contacts":[{{"profile":{{"name":"Sheena"}},"wa_id":"6281255550001"}}],"messages":[{{"from":"6281255550001","id":"{id}","timestamp":"1795575600","type":"text","text":{{"body":"{body}"}}}}]"#
    )
}

pub fn post(body: &str, signature: Option<String>) -> Request<Body> {
    let mut request =
        Request::post("/webhooks/whatsapp").header("content-type", "application/json");
    if let Some(signature) = signature {
        request = request.header("x-hub-signature-256", signature);
    }
    request.body(Body::from(body.to_string())).expect("request")
}

pub fn signed(body: &str) -> Request<Body> {
    post(
        body,
        Some(whatsapp::signature::sign(
            SECRET.as_bytes(),
            body.as_bytes(),
        )),
    )
}

pub async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(app.store.pool())
        .await
        .expect("count")
}

/// Answers everything due, as the worker does.
pub async fn answer_all(app: &TestApp) -> usize {
    let mut answered = 0;
    while pesan_server::whatsapp::worker::answer_next(&app.services)
        .await
        .expect("queue")
    {
        answered += 1;
    }
    answered
}

pub async fn outbox(app: &TestApp) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT o.recipient, m.body FROM outbox o JOIN messages m ON m.id = o.message_id ORDER BY o.id",
    )
    .fetch_all(app.store.pool())
    .await
    .expect("outbox")
}
