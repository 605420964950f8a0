//! The WhatsApp sender against a local stand-in for the Graph API: Meta's
//! request shape, errors judged by code, a post without an answer settled
//! by a status or posted again after the grace, the 24-hour window.

mod common;

use common::graph;
use common::whatsapp::*;
use common::TestApp;
use http::StatusCode;
use pesan_server::config::Secret;
use pesan_server::whatsapp::WhatsappSettings;
use pesan_server::HttpOptions;

/// "Now" of the test app, as Meta writes times.
const NOW: i64 = 1_795_575_600;

/// The app with the number connected through the CLI (its token sealed
/// under `key`), a Graph stand-in, and a sender posting to it.
async fn sending_app() -> (
    TestApp,
    graph::Graph,
    pesan_server::whatsapp::sender::Sender,
) {
    let app = TestApp::with_options(HttpOptions {
        whatsapp: WhatsappSettings {
            app_secret: Some(Secret::new(SECRET)),
            ..WhatsappSettings::default()
        },
        ..HttpOptions::default()
    })
    .await;
    let key = whatsapp::seal::SecretKey::generate();
    pesan_server::cli::connect_whatsapp(
        &app.store,
        &key,
        &pesan_server::cli::ConnectWhatsapp {
            tenant: "demo".into(),
            phone_number_id: NUMBER.into(),
            access_token: "EAAG-test-access-token-0001".into(),
            waba_id: None,
            display_phone: None,
        },
    )
    .await
    .expect("connected");
    let (url, graph) = graph::start().await;
    let mut sender =
        pesan_server::whatsapp::sender::Sender::new(app.services.clone(), &url, "v23.0", Some(key))
            .expect("client");
    sender.http = reqwest::Client::builder()
        .timeout(std::time::Duration::from_millis(500))
        .build()
        .expect("client");
    (app, graph, sender)
}

/// A customer's text at `seconds` after the app's now, delivered and
/// answered by the bot.
async fn customer_says(app: &TestApp, id: &str, text: &str, seconds: i64) {
    let body = delivery(NUMBER, &text_message(id, text))
        .replace("1795575600", &(NOW + seconds).to_string());
    assert_eq!(app.send(signed(&body)).await.status, StatusCode::OK);
    answer_all(app).await;
}

async fn send_all(sender: &pesan_server::whatsapp::sender::Sender) -> usize {
    let mut sent = 0;
    while sender.send_next().await.expect("outbox") {
        sent += 1;
    }
    sent
}

async fn rows(app: &TestApp) -> Vec<(i64, String, Option<String>, Option<i64>)> {
    sqlx::query_as("SELECT id, state, wamid, error_code FROM outbox ORDER BY id")
        .fetch_all(app.store.pool())
        .await
        .expect("outbox")
}

fn status_delivery(wamid: &str, callback: Option<i64>, state: &str) -> String {
    let callback = callback
        .map(|id| format!(r#","biz_opaque_callback_data":"outbox:{id}""#))
        .unwrap_or_default();
    delivery(
        NUMBER,
        &format!(
            r#""statuses":[{{"id":"{wamid}","status":"{state}","timestamp":"{NOW}","recipient_id":"6281255550001"{callback}}}]"#
        ),
    )
}

#[tokio::test]
async fn replies_are_posted_in_meta_shape_once_and_statuses_only_move_forward() {
    let (app, graph, sender) = sending_app().await;
    customer_says(&app, "wamid.1", "book futsal tomorrow 7pm", 0).await;
    assert_eq!(send_all(&sender).await, 1);
    assert_eq!(send_all(&sender).await, 0, "nothing is sent twice");
    let posts = graph.posts();
    assert_eq!(posts.len(), 1);
    let (path, auth, body) = &posts[0];
    assert_eq!(path, &format!("/v23.0/{NUMBER}/messages"));
    assert_eq!(auth, "Bearer EAAG-test-access-token-0001");
    assert_eq!(body["messaging_product"], "whatsapp");
    assert_eq!(body["to"], "6281255550001");
    assert_eq!(body["type"], "interactive");
    assert_eq!(body["interactive"]["type"], "button");
    assert!(body["interactive"]["body"]["text"]
        .as_str()
        .expect("text")
        .contains("19:00"));
    let id = rows(&app).await[0].0;
    assert_eq!(body["biz_opaque_callback_data"], format!("outbox:{id}"));
    assert_eq!(rows(&app).await[0].1, "sent");
    assert_eq!(rows(&app).await[0].2.as_deref(), Some("wamid.SENT1"));
    // Delivered, then read; a late "sent" does not move it back.
    for state in ["delivered", "read", "sent", "delivered"] {
        let reply = app
            .send(signed(&status_delivery("wamid.SENT1", None, state)))
            .await;
        assert_eq!(reply.status, StatusCode::OK);
    }
    assert_eq!(rows(&app).await[0].1, "read");
}

#[tokio::test]
async fn meta_errors_are_judged_by_code() {
    let (app, graph, sender) = sending_app().await;
    // Throttled (HTTP 400, code 130429): retried later, then sent.
    graph.then(graph::Answer::Refuse(
        400,
        r#"{"error":{"message":"(#130429) Rate limit hit","type":"OAuthException","code":130429,"fbtrace_id":"A"}}"#,
    ));
    customer_says(&app, "wamid.1", "halo", 0).await;
    assert_eq!(send_all(&sender).await, 1);
    assert_eq!(rows(&app).await[0].1, "queued");
    app.clock.advance(chrono::Duration::minutes(1));
    assert_eq!(send_all(&sender).await, 1);
    assert_eq!(rows(&app).await[0].1, "sent");
    // Re-engagement required (131047): failed with its code, not retried.
    graph.then(graph::Answer::Refuse(
        400,
        r#"{"error":{"message":"(#131047) Re-engagement message","type":"OAuthException","code":131047,"error_data":{"messaging_product":"whatsapp","details":"More than 24 hours have passed"}}}"#,
    ));
    customer_says(&app, "wamid.2", "halo lagi", 60).await;
    assert_eq!(send_all(&sender).await, 1);
    let failed = rows(&app).await[1].clone();
    assert_eq!((failed.1.as_str(), failed.3), ("failed", Some(131047)));
    // A server error is retried.
    graph.then(graph::Answer::Refuse(500, "oops"));
    customer_says(&app, "wamid.3", "thanks", 120).await;
    assert_eq!(send_all(&sender).await, 1);
    assert_eq!(rows(&app).await[2].1, "queued");
    app.clock.advance(chrono::Duration::minutes(1));
    assert_eq!(send_all(&sender).await, 1);
    assert_eq!(rows(&app).await[2].1, "sent");
    // An expired token (401, code 190) pauses the number: nothing more is
    // posted until it is connected again.
    graph.then(graph::Answer::Refuse(
        401,
        r#"{"error":{"message":"Error validating access token","type":"OAuthException","code":190,"error_subcode":463}}"#,
    ));
    customer_says(&app, "wamid.4", "hello", 180).await;
    assert_eq!(send_all(&sender).await, 1);
    let posted = graph.posts().len();
    app.clock.advance(chrono::Duration::hours(1));
    assert_eq!(send_all(&sender).await, 0);
    assert_eq!(graph.posts().len(), posted);
    let paused: Option<String> = sqlx::query_scalar("SELECT paused_reason FROM whatsapp_numbers")
        .fetch_one(app.store.pool())
        .await
        .expect("number");
    assert!(paused.expect("paused").contains("access token"));
}

#[tokio::test]
async fn a_send_without_an_answer_is_not_repeated_when_meta_reports_it() {
    let (app, graph, sender) = sending_app().await;
    graph.then(graph::Answer::Hang);
    customer_says(&app, "wamid.1", "halo", 0).await;
    assert_eq!(send_all(&sender).await, 1);
    let (id, state, _, _) = rows(&app).await[0].clone();
    assert_eq!(state, "sending", "it may have reached Meta");
    // Within the grace nothing is posted again.
    app.clock
        .advance(chrono::Duration::seconds(store::SEND_LEASE_SECONDS + 1));
    assert_eq!(send_all(&sender).await, 0);
    // Meta's status names the row: it arrived, and is never posted again.
    let status = status_delivery("wamid.HUNG", Some(id), "sent");
    assert_eq!(app.send(signed(&status)).await.status, StatusCode::OK);
    app.clock
        .advance(chrono::Duration::seconds(store::RESEND_GRACE_SECONDS));
    assert_eq!(send_all(&sender).await, 0);
    assert_eq!(graph.posts().len(), 1);
    assert_eq!(rows(&app).await[0].1, "sent");
}

#[tokio::test]
async fn a_send_without_an_answer_or_a_status_is_posted_again_after_the_grace() {
    // The documented window: Meta accepted the post, and no status came.
    let (app, graph, sender) = sending_app().await;
    graph.then(graph::Answer::Hang);
    customer_says(&app, "wamid.1", "halo", 0).await;
    assert_eq!(send_all(&sender).await, 1);
    app.clock
        .advance(chrono::Duration::seconds(store::RESEND_GRACE_SECONDS - 10));
    assert_eq!(send_all(&sender).await, 0);
    app.clock.advance(chrono::Duration::seconds(20));
    assert_eq!(send_all(&sender).await, 1);
    assert_eq!(graph.posts().len(), 2);
    assert_eq!(rows(&app).await[0].1, "sent");
}

#[tokio::test]
async fn outside_the_24_hour_window_nothing_free_form_is_posted() {
    let (app, graph, sender) = sending_app().await;
    // The customer's message is two days old by Meta's time.
    customer_says(&app, "wamid.1", "halo", -2 * 24 * 3600).await;
    assert_eq!(send_all(&sender).await, 1);
    assert!(graph.posts().is_empty());
    let row = rows(&app).await[0].clone();
    assert_eq!((row.1.as_str(), row.3), ("failed", Some(131047)));
}

/// A tap on a reply button, in Meta's shape, answering our message `context`.
fn button_tap(id: &str, context: &str, button_id: &str, title: &str, seconds: i64) -> String {
    delivery(
        NUMBER,
        &format!(
            r#""contacts":[{{"profile":{{"name":"Sheena"}},"wa_id":"6281255550001"}}],"messages":[{{"context":{{"from":"15550783881","id":"{context}"}},"from":"6281255550001","id":"{id}","timestamp":"{}","type":"interactive","interactive":{{"type":"button_reply","button_reply":{{"id":"{button_id}","title":"{title}"}}}}}}]"#,
            NOW + seconds
        ),
    )
}

#[tokio::test]
async fn a_whole_booking_over_the_webhook_offer_buttons_tap_confirm_booked() {
    let (app, graph, sender) = sending_app().await;
    customer_says(&app, "wamid.IN1", "book futsal tomorrow 7pm", 0).await;
    assert_eq!(send_all(&sender).await, 1);
    let offer = graph.posts()[0].2.clone();
    let buttons = offer["interactive"]["action"]["buttons"]
        .as_array()
        .expect("buttons")
        .clone();
    let titles: Vec<&str> = buttons
        .iter()
        .map(|b| b["reply"]["title"].as_str().expect("title"))
        .collect();
    assert_eq!(titles, ["Confirm", "Change time", "Cancel"]);
    let confirm = buttons[0]["reply"]["id"].as_str().expect("id");
    // The tap, delivered twice (Meta retries): one turn, one booking.
    let tap = button_tap("wamid.IN2", "wamid.SENT1", confirm, "Confirm", 30);
    for _ in 0..2 {
        assert_eq!(app.send(signed(&tap)).await.status, StatusCode::OK);
    }
    answer_all(&app).await;
    assert_eq!(send_all(&sender).await, 1);
    let posts = graph.posts();
    assert_eq!(posts.len(), 2);
    let confirmation = &posts[1].2;
    assert_eq!(confirmation["type"], "text");
    let text = confirmation["text"]["body"].as_str().expect("text");
    assert!(text.starts_with("Booked"), "{text}");
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM bookings WHERE status = 'confirmed' AND source = 'whatsapp'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM bookings WHERE status = 'pending'"
        )
        .await,
        0
    );
    // The stored tap keeps what was tapped for staff.
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM messages WHERE kind = 'button_reply' AND body = 'Confirm'"
        )
        .await,
        1
    );
    // A tap on the spent offer later books nothing and says so.
    customer_tap_again(&app, confirm).await;
    assert_eq!(send_all(&sender).await, 1);
    let stale = &graph.posts()[2].2;
    assert!(stale["text"]["body"]
        .as_str()
        .expect("text")
        .contains("no longer open"));
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM bookings WHERE status = 'confirmed'"
        )
        .await,
        1
    );
}

async fn customer_tap_again(app: &TestApp, confirm: &str) {
    let tap = button_tap("wamid.IN3", "wamid.SENT1", confirm, "Confirm", 90);
    assert_eq!(app.send(signed(&tap)).await.status, StatusCode::OK);
    answer_all(app).await;
}

/// The WhatsApp conversation of the test customer.
async fn conversation_id(app: &TestApp) -> i64 {
    count(
        app,
        "SELECT id FROM conversations WHERE channel = 'whatsapp'",
    )
    .await
}

#[tokio::test]
async fn a_person_takes_over_replies_through_the_outbox_and_hands_back() {
    let (app, graph, sender) = sending_app().await;
    let staff = common::staff_key_for(&app, "demo").await;
    customer_says(&app, "wamid.H1", "mau bicara dengan admin", 0).await;
    assert_eq!(send_all(&sender).await, 1);
    let told = graph.posts()[0].2["text"]["body"]
        .as_str()
        .expect("text")
        .to_string();
    assert!(told.contains("tim kami"), "{told}");
    let id = conversation_id(&app).await;
    let list = common::call(&app, "GET", "/api/v1/handoffs", Some(&staff), None, None).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert_eq!(list.json()["handoffs"][0]["conversation_id"], id);
    assert_eq!(list.json()["handoffs"][0]["reason"], "asked");
    // The bot is silent while a person has it; the message is kept.
    customer_says(&app, "wamid.H2", "halo? ada orang?", 60).await;
    assert_eq!(send_all(&sender).await, 0);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM messages WHERE direction = 'in'").await,
        2
    );
    let path = format!("/api/v1/conversations/{id}/messages");
    let sent = common::call(
        &app,
        "POST",
        &path,
        Some(&staff),
        Some(r#"{"text":"Halo kak, saya Rina. Ada yang bisa dibantu?"}"#),
        None,
    )
    .await;
    assert_eq!(sent.status, StatusCode::ACCEPTED, "{}", sent.body);
    assert_eq!(send_all(&sender).await, 1);
    let posted = &graph.posts()[1].2;
    assert_eq!(posted["type"], "text");
    assert_eq!(posted["to"], "6281255550001");
    assert_eq!(
        posted["text"]["body"],
        "Halo kak, saya Rina. Ada yang bisa dibantu?"
    );
    // Refusals: empty, unknown, a customer-policy key, bad JSON.
    let empty = common::call(
        &app,
        "POST",
        &path,
        Some(&staff),
        Some(r#"{"text":"   "}"#),
        None,
    )
    .await;
    assert_eq!(
        (empty.status, common::code(&empty)),
        (StatusCode::BAD_REQUEST, "invalid_text".to_string())
    );
    let long = format!(r#"{{"text":"{}"}}"#, "x".repeat(4097));
    let long = common::call(&app, "POST", &path, Some(&staff), Some(&long), None).await;
    assert_eq!(common::code(&long), "invalid_text");
    let unknown = common::call(
        &app,
        "POST",
        "/api/v1/conversations/999999/messages",
        Some(&staff),
        Some(r#"{"text":"hi"}"#),
        None,
    )
    .await;
    assert_eq!(
        (unknown.status, common::code(&unknown)),
        (StatusCode::NOT_FOUND, "unknown_conversation".to_string())
    );
    let customer_key = common::key_for(&app, "demo").await;
    let refused = common::call(
        &app,
        "POST",
        &path,
        Some(&customer_key),
        Some(r#"{"text":"hi"}"#),
        None,
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let broken = common::call(
        &app,
        "POST",
        &path,
        Some(&staff),
        Some(r#"{"body":"hi"}"#),
        None,
    )
    .await;
    assert_eq!(common::code(&broken), "invalid_json");
    assert_eq!(send_all(&sender).await, 0, "nothing refused was queued");
    // Handed back: the bot answers the next message.
    let back = common::call(
        &app,
        "POST",
        &format!("/api/v1/conversations/{id}/handback"),
        Some(&staff),
        None,
        None,
    )
    .await;
    assert_eq!(back.status, StatusCode::NO_CONTENT, "{}", back.body);
    customer_says(&app, "wamid.H3", "book futsal tomorrow 7pm", 120).await;
    assert_eq!(send_all(&sender).await, 1);
    assert_eq!(graph.posts()[2].2["type"], "interactive");
    // Taken over by staff: silent again.
    let taken = common::call(
        &app,
        "POST",
        &format!("/api/v1/conversations/{id}/takeover"),
        Some(&staff),
        None,
        None,
    )
    .await;
    assert_eq!(taken.status, StatusCode::NO_CONTENT);
    customer_says(&app, "wamid.H4", "yes", 180).await;
    assert_eq!(send_all(&sender).await, 0);
}

#[tokio::test]
async fn a_staff_reply_outside_the_24_hour_window_is_refused_not_posted() {
    let (app, graph, sender) = sending_app().await;
    let staff = common::staff_key_for(&app, "demo").await;
    customer_says(&app, "wamid.W1", "talk to a person", -25 * 3600).await;
    send_all(&sender).await;
    let id = conversation_id(&app).await;
    let path = format!("/api/v1/conversations/{id}/messages");
    let late = common::call(
        &app,
        "POST",
        &path,
        Some(&staff),
        Some(r#"{"text":"Sorry for the wait!"}"#),
        None,
    )
    .await;
    assert_eq!(
        (late.status, common::code(&late)),
        (StatusCode::CONFLICT, "outside_window".to_string())
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM messages WHERE body = 'Sorry for the wait!'"
        )
        .await,
        0
    );
    assert_eq!(send_all(&sender).await, 0);
    assert!(graph
        .posts()
        .iter()
        .all(|p| p.2["text"]["body"] != "Sorry for the wait!"));
}

fn template(name: &str, status: &str, parameters: u32, header: u32) -> store::NewTemplate {
    store::NewTemplate {
        template_id: Some(format!("id-{name}")),
        name: name.into(),
        language: "id".into(),
        category: "UTILITY".into(),
        status: status.into(),
        body: Some("Halo {{1}}, booking kamu besok jam {{2}}.".into()),
        parameters,
        header_parameters: header,
        components: "[]".into(),
    }
}

#[tokio::test]
async fn an_approved_template_goes_out_beyond_the_24_hour_window_and_nothing_else_does() {
    let (app, graph, sender) = sending_app().await;
    let tenant = app
        .store
        .tenant_by_slug("demo")
        .await
        .expect("q")
        .expect("demo")
        .id;
    app.store
        .sync_templates(
            tenant,
            "102290129340398",
            &[
                template("booking_reminder", "APPROVED", 2, 0),
                template("promo_paused", "PAUSED", 2, 0),
                template("with_header", "APPROVED", 2, 1),
            ],
            app.services.clock.now(),
        )
        .await
        .expect("templates");
    // The customer last wrote 30 hours ago.
    customer_says(&app, "wamid.T1", "hello", -30 * 3600).await;
    send_all(&sender).await;
    let before = graph.posts().len();
    let phone = domain::PhoneE164::parse("+6281255550001").expect("phone");
    let now = app.services.clock.now();
    let owner = count(
        &app,
        "SELECT id FROM users WHERE email = 'owner@demo.pesan.id'",
    )
    .await;
    let queued = bot::send_template(
        &app.store,
        tenant,
        &phone,
        "booking_reminder",
        "id",
        &["Sheena", "19.00"],
        Some(owner),
        now,
    )
    .await
    .expect("queued");
    assert_eq!(send_all(&sender).await, 1);
    let posts = graph.posts();
    assert_eq!(posts.len(), before + 1);
    let body = &posts[before].2;
    assert_eq!(body["type"], "template");
    assert_eq!(body["template"]["name"], "booking_reminder");
    assert_eq!(body["template"]["language"]["code"], "id");
    assert_eq!(
        body["template"]["components"][0]["parameters"][0]["text"],
        "Sheena"
    );
    assert_eq!(
        body["biz_opaque_callback_data"],
        format!("outbox:{}", queued.outbox_id)
    );
    assert_eq!(
        count(&app, &format!("SELECT COUNT(*) FROM messages WHERE body = 'Halo Sheena, booking kamu besok jam 19.00.' AND author_user_id = {owner}")).await,
        1,
        "the thread shows the filled template, as sent by the staff member"
    );
    // Refused before anything is stored: paused, unknown, wrong count, header.
    for (name, params, expected) in [
        ("promo_paused", 2, "no approved template"),
        ("nope", 2, "no approved template"),
        ("booking_reminder", 1, "takes 2 body parameters"),
        ("with_header", 2, "header"),
    ] {
        let values = ["a", "b"];
        let error = bot::send_template(
            &app.store,
            tenant,
            &phone,
            name,
            "id",
            &values[..params],
            None,
            now,
        )
        .await
        .expect_err("refused");
        assert!(error.to_string().contains(expected), "{name}: {error}");
    }
    assert_eq!(send_all(&sender).await, 0);
}

/// A media message from the test customer, in Meta's shape.
fn media_message(id: &str, kind: &str, media_id: &str, mime: &str, seconds: i64) -> String {
    delivery(
        NUMBER,
        &format!(
            r#""contacts":[{{"profile":{{"name":"Sheena"}},"wa_id":"6281255550001"}}],"messages":[{{"from":"6281255550001","id":"{id}","timestamp":"{}","type":"{kind}","{kind}":{{"id":"{media_id}","mime_type":"{mime}","caption":"bukti transfer"}}}}]"#,
            NOW + seconds
        ),
    )
}

async fn message_id_of(app: &TestApp, external: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM messages WHERE external_id = $1")
        .bind(external)
        .fetch_one(app.store.pool())
        .await
        .expect("message")
}

#[tokio::test]
async fn files_customers_send_are_downloaded_within_16_mb_for_staff() {
    let (app, graph, sender) = sending_app().await;
    let staff = common::staff_key_for(&app, "demo").await;
    let receipt: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    graph.keep_media("MEDIA-RECEIPT", "image/jpeg", receipt.clone());
    graph.media.lock().expect("lock").insert(
        "MEDIA-HUGE".into(),
        ("application/pdf".into(), b"%PDF".to_vec(), 17 * 1024 * 1024),
    );
    // Its metadata says 10 bytes; the file is over 16 MB.
    graph.media.lock().expect("lock").insert(
        "MEDIA-LIAR".into(),
        ("video/mp4".into(), vec![0u8; 16 * 1024 * 1024 + 1], 10),
    );
    for (id, kind, media, mime) in [
        ("wamid.M5", "video", "MEDIA-LIAR", "video/mp4"),
        ("wamid.M1", "image", "MEDIA-RECEIPT", "image/jpeg"),
        ("wamid.M2", "document", "MEDIA-HUGE", "application/pdf"),
        ("wamid.M3", "audio", "MEDIA-GONE", "audio/ogg"),
    ] {
        let body = media_message(id, kind, media, mime, 0);
        assert_eq!(app.send(signed(&body)).await.status, StatusCode::OK);
    }
    answer_all(&app).await;
    let receipt_message = message_id_of(&app, "wamid.M1").await;
    let path = format!("/api/v1/messages/{receipt_message}/media");
    let early = common::call(&app, "GET", &path, Some(&staff), None, None).await;
    assert_eq!(
        (early.status, common::code(&early)),
        (StatusCode::CONFLICT, "media_not_ready".to_string())
    );
    while sender.fetch_next_media().await.expect("media") {}
    let got = common::call(&app, "GET", &path, Some(&staff), None, None).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.headers["content-type"], "image/jpeg");
    assert_eq!(got.headers["content-disposition"], "attachment");
    assert_eq!(got.headers["x-content-type-options"], "nosniff");
    let stored: Vec<u8> =
        sqlx::query_scalar("SELECT content FROM whatsapp_media WHERE message_id = $1")
            .bind(receipt_message)
            .fetch_one(app.store.pool())
            .await
            .expect("content");
    assert_eq!(stored, receipt, "the bytes as Meta kept them");
    // Both requests carried the number's token.
    assert!(graph
        .media_gets
        .lock()
        .expect("lock")
        .iter()
        .all(|(_, auth)| auth == "Bearer EAAG-test-access-token-0001"));
    // Too large: refused from the metadata, never fetched.
    let huge = message_id_of(&app, "wamid.M2").await;
    let refused = common::call(
        &app,
        "GET",
        &format!("/api/v1/messages/{huge}/media"),
        Some(&staff),
        None,
        None,
    )
    .await;
    assert_eq!(refused.status, StatusCode::GONE, "{}", refused.body);
    assert!(refused.body.contains("16 MB"), "{}", refused.body);
    assert!(!graph
        .media_gets
        .lock()
        .expect("lock")
        .iter()
        .any(|(p, _)| p == "/lookaside/MEDIA-HUGE"));
    // Gone from Meta (error 100): failed with Meta's reason.
    let gone = message_id_of(&app, "wamid.M3").await;
    let failed = common::call(
        &app,
        "GET",
        &format!("/api/v1/messages/{gone}/media"),
        Some(&staff),
        None,
        None,
    )
    .await;
    assert_eq!(common::code(&failed), "media_failed");
    let liar = message_id_of(&app, "wamid.M5").await;
    let cut = common::call(
        &app,
        "GET",
        &format!("/api/v1/messages/{liar}/media"),
        Some(&staff),
        None,
        None,
    )
    .await;
    assert_eq!(cut.status, StatusCode::GONE, "{}", cut.body);
    // A text has no file; a customer-policy key may not read files.
    customer_says(&app, "wamid.M4", "halo", 10).await;
    let text = message_id_of(&app, "wamid.M4").await;
    let none = common::call(
        &app,
        "GET",
        &format!("/api/v1/messages/{text}/media"),
        Some(&staff),
        None,
        None,
    )
    .await;
    assert_eq!(common::code(&none), "unknown_media");
    let customer_key = common::key_for(&app, "demo").await;
    let forbidden = common::call(&app, "GET", &path, Some(&customer_key), None, None).await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
}
