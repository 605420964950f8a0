//! `/webhooks/whatsapp` as Meta uses it, and as a forger would: the
//! subscription check, signatures over the raw body, routing by the
//! business number, every inbound kind and status stored once, and the
//! same delivery fifty times at once.

mod common;

use common::whatsapp::*;
use common::TestApp;
use http::StatusCode;

#[tokio::test]
async fn the_subscription_check_answers_only_our_token() {
    let app = app().await;
    let ok = app
        .get(
            "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444",
            None,
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(ok.body, "1158201444");
    for query in [
        "hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1",
        "hub.mode=unsubscribe&hub.verify_token=verify-me&hub.challenge=1",
        "hub.mode=subscribe&hub.challenge=1",
        "hub.mode=subscribe&hub.verify_token=verify-me",
        "hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=%3Cscript%3E",
        "hub.mode=subscribe&hub.verify_token=%ZZ&hub.challenge=1",
        "",
    ] {
        let refused = app.get(&format!("/webhooks/whatsapp?{query}"), None).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{query}");
        assert!(!refused.body.contains("script"));
    }
}

#[tokio::test]
async fn unsigned_or_forged_deliveries_store_nothing() {
    let app = app().await;
    let body = delivery(NUMBER, &text_message("wamid.F", "book futsal"));
    let forged = whatsapp::signature::sign(b"another-secret", body.as_bytes());
    let tampered = whatsapp::signature::sign(
        SECRET.as_bytes(),
        body.replace("futsal", "tennis").as_bytes(),
    );
    for signature in [
        None,
        Some(forged),
        Some(tampered),
        Some("sha256=".into()),
        Some("garbage".into()),
    ] {
        let reply = app.send(post(&body, signature.clone())).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{signature:?}");
        assert_eq!(reply.json()["error"]["code"], "bad_signature");
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM messages").await, 0);
    // Without a configured secret nothing is taken, and Meta retries.
    let unconfigured = TestApp::new().await;
    let reply = unconfigured.send(signed(&body)).await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        count(&unconfigured, "SELECT COUNT(*) FROM messages").await,
        0
    );
}

#[tokio::test]
async fn a_signed_delivery_is_stored_queued_and_acknowledged() {
    let app = app().await;
    let body = delivery(
        NUMBER,
        &text_message("wamid.OK", "book futsal tomorrow 7pm"),
    );
    let reply = app.send(signed(&body)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let (text, kind, sent_at): (String, String, i64) = sqlx::query_as(
        "SELECT body, kind, sent_at FROM inbound_queue WHERE external_id = 'wamid.OK'",
    )
    .fetch_one(app.store.pool())
    .await
    .expect("stored");
    assert_eq!(
        (text.as_str(), kind.as_str(), sent_at),
        ("book futsal tomorrow 7pm", "text", 1_795_575_600)
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM inbound_queue").await, 1);
    // Meta delivers it again: acknowledged, nothing new.
    assert_eq!(app.send(signed(&body)).await.status, StatusCode::OK);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM inbound_queue").await, 1);
    assert_eq!(answer_all(&app).await, 1);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM messages WHERE direction = 'in'").await,
        1
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM inbound_queue").await, 0);
}

#[tokio::test]
async fn unknown_numbers_other_fields_and_bad_json() {
    let app = app().await;
    let unknown = delivery("999999", &text_message("wamid.U", "hi"));
    assert_eq!(app.send(signed(&unknown)).await.status, StatusCode::OK);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM inbound_queue").await, 0);
    // Connected meanwhile (by the CLI, another process): the very next
    // delivery is taken, not ignored by a remembered absence.
    let cli = app.store.as_another_process();
    let tenant = cli
        .tenant_by_slug("demo")
        .await
        .expect("q")
        .expect("demo")
        .id;
    cli.connect_whatsapp_number(
        tenant,
        &store::NewWhatsappNumber {
            phone_number_id: "999999".into(),
            waba_id: None,
            display_phone: None,
            token_sealed: "v1:sealed".into(),
            token_hint: "…".into(),
        },
        chrono::Utc::now(),
    )
    .await
    .expect("connected");
    assert_eq!(app.send(signed(&unknown)).await.status, StatusCode::OK);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM inbound_queue").await, 1);
    sqlx::query("DELETE FROM inbound_queue")
        .execute(app.store.pool())
        .await
        .expect("reset");
    let other = r#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"phone_number":"x"},"field":"account_update"}]}]}"#;
    assert_eq!(app.send(signed(other)).await.status, StatusCode::OK);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM messages").await, 0);
    for bad in ["not json", "[1]", "{\"entry\": [", ""] {
        let reply = app.send(signed(bad)).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad:?}");
        assert_eq!(reply.json()["error"]["code"], "invalid_json");
    }
}

#[tokio::test]
async fn every_inbound_kind_and_status_is_stored_without_a_crash() {
    let app = app().await;
    let messages = [
        r#"{"from":"6281255550001","id":"wamid.1","timestamp":"1795575601","type":"interactive","interactive":{"type":"button_reply","button_reply":{"id":"offer:1:confirm","title":"Confirm"}}}"#,
        r#"{"from":"6281255550001","id":"wamid.2","timestamp":"1795575602","type":"interactive","interactive":{"type":"list_reply","list_reply":{"id":"offer:1:alt:2","title":"Court 2 19:00","description":"Rp150.000"}}}"#,
        r#"{"from":"6281255550001","id":"wamid.3","timestamp":"1795575603","type":"button","button":{"payload":"keep","text":"Keep booking"}}"#,
        r#"{"from":"6281255550001","id":"wamid.4","timestamp":"1795575604","type":"location","location":{"latitude":-6.2,"longitude":106.8,"name":"Home"}}"#,
        r#"{"from":"6281255550001","id":"wamid.5","timestamp":"1795575605","type":"image","image":{"id":"1003383421387256","mime_type":"image/jpeg","caption":"bukti transfer \u0000"}}"#,
        r#"{"from":"6281255550001","id":"wamid.6","timestamp":"1795575606","type":"reaction","reaction":{"message_id":"wamid.1","emoji":"👍"}}"#,
        r#"{"from":"6281255550001","id":"wamid.7","timestamp":"1795575607","type":"contacts","contacts":[{"name":{"formatted_name":"Budi"}}]}"#,
        r#"{"from":"6281255550001","id":"wamid.8","timestamp":"1795575608","type":"unsupported","errors":[{"code":131051,"title":"Message type unknown"}]}"#,
        r#"{"from":"6281255550001","id":"wamid.9","timestamp":"99999999999999","type":"hologram"}"#,
        r#"{"from":"6281255550001","id":"wamid.10","timestamp":"1795575610","type":"revoke","revoke":{"original_message_id":"wamid.4"}}"#,
        r#"{"from_user_id":"ID.1234567890","id":"wamid.11","timestamp":"1795575611","type":"text","text":{"body":"no phone"}}"#,
    ];
    let statuses = r#"{"id":"wamid.OURS","status":"delivered","timestamp":"1764046900","recipient_id":"6281255550001","biz_opaque_callback_data":"outbox:1"},{"id":"wamid.OURS","status":"failed","timestamp":"1764046901","recipient_id":"6281255550001","errors":[{"code":131047,"title":"Re-engagement message"}]}"#;
    let body = delivery(
        NUMBER,
        &format!(
            r#""contacts":[{{"profile":{{"name":"Sheena"}},"wa_id":"6281255550001"}}],"messages":[{}],"statuses":[{statuses}]"#,
            messages.join(",")
        ),
    );
    let reply = app.send(signed(&body)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM inbound_queue").await, 10);
    // Reactions and revokes are stored, not answered.
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM inbound_queue WHERE answer = 1").await,
        8
    );
    assert_eq!(answer_all(&app).await, 10);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM messages WHERE direction = 'in'").await,
        10
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM outbox").await, 8);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM messages WHERE external_id = 'wamid.4' AND deleted_at IS NOT NULL").await, 1);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM messages WHERE instr(body, char(0)) > 0"
        )
        .await,
        0
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM message_statuses").await,
        2
    );
    let kinds: Vec<String> =
        sqlx::query_scalar("SELECT kind FROM messages WHERE direction = 'in' ORDER BY sent_at, id")
            .fetch_all(app.store.pool())
            .await
            .expect("kinds");
    assert!(
        kinds.contains(&"button_reply".to_string()) && kinds.contains(&"image".to_string()),
        "{kinds:?}"
    );
}

#[tokio::test]
async fn a_customer_books_over_the_webhook_and_each_message_is_answered_once() {
    let app = app().await;
    let first = delivery(NUMBER, &text_message("wamid.1", "book futsal tomorrow 7pm"));
    assert_eq!(app.send(signed(&first)).await.status, StatusCode::OK);
    assert_eq!(answer_all(&app).await, 1);
    let replies = outbox(&app).await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert_eq!(replies[0].0, "6281255550001");
    assert!(replies[0].1.contains("19:00"), "{replies:?}");
    // Meta repeats the message: taken in, found answered, dropped.
    assert_eq!(app.send(signed(&first)).await.status, StatusCode::OK);
    answer_all(&app).await;
    assert_eq!(outbox(&app).await.len(), 1);
    let yes = delivery(
        NUMBER,
        &text_message("wamid.2", "yes").replace("1795575600", "1795575660"),
    );
    assert_eq!(app.send(signed(&yes)).await.status, StatusCode::OK);
    assert_eq!(answer_all(&app).await, 1);
    let replies = outbox(&app).await;
    assert_eq!(replies.len(), 2, "{replies:?}");
    let code: Option<String> = sqlx::query_scalar(
        "SELECT b.code FROM bookings b JOIN customers c ON c.id = b.customer_id
         WHERE c.phone = '+6281255550001' AND b.source = 'whatsapp'",
    )
    .fetch_optional(app.store.pool())
    .await
    .expect("booking");
    let code = code.expect("booked through WhatsApp");
    assert!(replies[1].1.contains(&code), "{replies:?}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM inbound_queue").await, 0);
}

#[tokio::test]
async fn media_gets_a_polite_answer_and_later_messages_wait_their_turn() {
    let app = app().await;
    let body = delivery(
        NUMBER,
        r#""messages":[{"from":"6281255550001","id":"wamid.P","timestamp":"1795575601","type":"image","image":{"id":"1","mime_type":"image/jpeg"}},{"from":"6281255550001","id":"wamid.T","timestamp":"1795575602","type":"text","text":{"body":"halo"}}]"#,
    );
    assert_eq!(app.send(signed(&body)).await.status, StatusCode::OK);
    // The first claim takes the photo; the text waits behind it.
    let now = app.services.clock.now();
    let photo = app
        .store
        .claim_inbound(now)
        .await
        .expect("q")
        .expect("claimed");
    assert_eq!(photo.kind, "image");
    assert_eq!(app.store.claim_inbound(now).await.expect("q"), None);
    // The claim lapses (a crashed worker): the photo is taken again.
    let later = now + chrono::Duration::seconds(store::INBOUND_LEASE_SECONDS + 1);
    let again = app
        .store
        .claim_inbound(later)
        .await
        .expect("q")
        .expect("reclaimed");
    assert_eq!(again.id, photo.id);
    assert_eq!(again.attempts, 2);
    app.store
        .retry_inbound(again.id, &again.claim, "test", now)
        .await
        .expect("released");
    assert_eq!(answer_all(&app).await, 2);
    let replies = outbox(&app).await;
    assert_eq!(replies.len(), 2, "{replies:?}");
    assert!(replies[0].1.contains("text"), "{replies:?}");
}

#[tokio::test]
async fn a_turn_whose_claim_lapsed_records_nothing() {
    let app = app().await;
    let body = delivery(
        NUMBER,
        &text_message("wamid.SLOW", "book futsal tomorrow 7pm"),
    );
    assert_eq!(app.send(signed(&body)).await.status, StatusCode::OK);
    // A worker claims and admits the message, then stalls past its lease.
    let now = app.services.clock.now();
    let stale = app
        .store
        .claim_inbound(now)
        .await
        .expect("q")
        .expect("claimed");
    app.store
        .admit_inbound(&stale, now)
        .await
        .expect("admitted");
    app.clock
        .advance(chrono::Duration::seconds(store::INBOUND_LEASE_SECONDS + 1));
    // Another worker answers it: an offer, and the hold behind it.
    assert_eq!(answer_all(&app).await, 1);
    assert_eq!(outbox(&app).await.len(), 1);
    let offered = holds(&app).await;
    assert_eq!(offered.len(), 1);
    // The stalled worker's turn finishes late: nothing is recorded.
    let late = bot::handle_message(
        &app.services.bookings,
        bot::Inbound {
            tenant: stale.tenant,
            phone: stale.phone.clone(),
            text: stale.text.clone(),
            tap: None,
            channel: store::Channel::Whatsapp,
            external_id: None,
            answering: Some(stale.answering()),
            said_at: None,
            now: app.services.clock.now(),
        },
    )
    .await;
    assert!(late.is_err(), "{late:?}");
    assert_eq!(outbox(&app).await.len(), 1, "one reply, never two");
    assert_eq!(
        holds(&app).await,
        offered,
        "the late turn neither released nor took a hold"
    );
}

/// The ids of the pending bookings (the bot's holds).
async fn holds(app: &TestApp) -> Vec<i64> {
    sqlx::query_scalar("SELECT id FROM bookings WHERE status = 'pending' ORDER BY id")
        .fetch_all(app.store.pool())
        .await
        .expect("holds")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_copies_leave_one_message() {
    use tower::ServiceExt;
    let app = app().await;
    let router = app.router_builder()();
    let body = delivery(NUMBER, &text_message("wamid.SAME", "halo"));
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let router = router.clone();
        let request = signed(&body);
        tasks.push(tokio::spawn(async move {
            router.oneshot(request).await.expect("infallible").status()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.expect("task"), StatusCode::OK);
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM inbound_queue").await, 1);
    assert_eq!(answer_all(&app).await, 1);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM messages WHERE direction = 'in'").await,
        1
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM outbox").await, 1);
}

#[tokio::test]
async fn an_oversized_body_is_refused_before_it_is_read() {
    let app = app().await;
    let huge = delivery(
        NUMBER,
        &text_message("wamid.H", &"a".repeat(2 * 1024 * 1024)),
    );
    let reply = app.send(signed(&huge)).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM messages").await, 0);
}

/// Arbitrary text, and arbitrary messages inside a real envelope, signed:
/// the webhook answers 200 or 400, never a 5xx or a panic. One app for
/// every case (a new one each would spend the run on migrations).
#[test]
fn arbitrary_signed_bodies_never_fail_the_server() {
    use proptest::prelude::*;
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let app = runtime.block_on(app());
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(128));
    let strategy = ("\\PC{0,300}", "[a-z_\"{}\\[\\]:,0-9 ]{0,200}");
    runner
        .run(&strategy, |(body, value)| {
            runtime.block_on(async {
                for body in [
                    body.clone(),
                    delivery(NUMBER, &format!(r#""messages":[{value}]"#)),
                    delivery(NUMBER, &value),
                ] {
                    let reply = app.send(signed(&body)).await;
                    assert!(
                        [StatusCode::OK, StatusCode::BAD_REQUEST].contains(&reply.status),
                        "{body:?}: {} {}",
                        reply.status,
                        reply.body
                    );
                }
            });
            Ok(())
        })
        .expect("no failure");
}

#[tokio::test]
async fn a_sender_known_only_by_user_id_is_kept_once_not_dropped() {
    let app = app().await;
    let body = delivery(
        NUMBER,
        r#""contacts":[{"profile":{"name":"Anon"},"user_id":"US.13491208655302741918"}],"messages":[{"from_user_id":"US.13491208655302741918","id":"wamid.U1","timestamp":"1795575600","type":"text","text":{"body":"halo, bisa booking?"}}]"#,
    );
    for _ in 0..2 {
        assert_eq!(app.send(signed(&body)).await.status, StatusCode::OK);
    }
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM whatsapp_user_messages").await,
        1
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM whatsapp_user_messages WHERE user_id = 'US.13491208655302741918' AND profile_name = 'Anon' AND kind = 'text'").await,
        1
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM inbound_queue").await, 0);
}
