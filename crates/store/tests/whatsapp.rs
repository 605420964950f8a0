//! WhatsApp numbers and inbound messages, on both backends: one number per
//! tenant, a delivery stored once however often and however concurrently
//! Meta repeats it, queued for exactly one bot turn, revokes and number
//! changes applied, profile names kept apart from the names staff gave.

mod common;

use chrono::Duration;
use common::now;
use common::whatsapp::{admit_all, connected, count, from, new_number, text};
use domain::PhoneE164;
use store::{InboundEffect, NewInbound, NewWhatsappNumber, Store, StoreError};

async fn a_number_belongs_to_one_tenant(store: Store) {
    let number = connected(&store).await;
    assert_eq!(
        store.whatsapp_number("1122334455667").await.expect("q"),
        Some(number.clone())
    );
    assert_eq!(store.whatsapp_number("999").await.expect("q"), None);
    // The same tenant reconnecting updates the token and keeps the row.
    let again = store
        .connect_whatsapp_number(
            number.tenant_id,
            &NewWhatsappNumber {
                token_sealed: "v1:other".into(),
                waba_id: None,
                ..new_number("1122334455667")
            },
            now() + Duration::hours(1),
        )
        .await
        .expect("reconnected");
    assert_eq!(again.id, number.id);
    assert_eq!(again.token_sealed, "v1:other");
    assert_eq!(again.waba_id, number.waba_id);
    // Another tenant claiming it is refused and changes nothing.
    let rival = store
        .create_tenant("rival", "Rival Arena")
        .await
        .expect("tenant");
    let refused = store
        .connect_whatsapp_number(rival.id, &new_number("1122334455667"), now())
        .await;
    assert!(
        matches!(refused, Err(StoreError::Duplicate(_))),
        "{refused:?}"
    );
    assert_eq!(
        store
            .whatsapp_number("1122334455667")
            .await
            .expect("q")
            .map(|n| n.tenant_id),
        Some(number.tenant_id)
    );
    assert!(store
        .whatsapp_numbers(rival.id)
        .await
        .expect("q")
        .is_empty());
    for bad in ["", "12ab", "+62215550100", &"1".repeat(65)] {
        let refused = store
            .connect_whatsapp_number(rival.id, &new_number(bad), now())
            .await;
        assert!(
            matches!(refused, Err(StoreError::Invalid(_))),
            "{bad:?}: {refused:?}"
        );
    }
}

async fn a_delivery_is_stored_and_queued_once(store: Store) {
    let number = connected(&store).await;
    let delivery = [
        text("wamid.A", "book futsal", 0),
        text("wamid.B", "tomorrow 7pm", 1),
    ];
    let first = store
        .record_whatsapp_inbound(&number, &delivery, &[], now())
        .await
        .expect("stored");
    assert_eq!(first.stored, 2);
    let again = store
        .record_whatsapp_inbound(&number, &delivery, &[], now())
        .await
        .expect("stored");
    assert_eq!((again.stored, again.duplicates), (0, 2));
    assert_eq!(count(&store, "SELECT COUNT(*) FROM inbound_queue").await, 2);
    assert_eq!(admit_all(&store).await, 2);
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) FROM messages WHERE direction = 'in'"
        )
        .await,
        2
    );
    // Meta delivers them again after they were answered: queued again,
    // and dropped when the worker finds them in the thread.
    store
        .record_whatsapp_inbound(&number, &delivery, &[], now())
        .await
        .expect("stored");
    assert_eq!(admit_all(&store).await, 0);
    assert_eq!(count(&store, "SELECT COUNT(*) FROM messages").await, 2);
    assert_eq!(count(&store, "SELECT COUNT(*) FROM inbound_queue").await, 0);
    let (name, phone): (Option<String>, String) =
        sqlx::query_as("SELECT whatsapp_name, phone FROM customers WHERE phone = '+6281255550001'")
            .fetch_one(store.pool())
            .await
            .expect("customer");
    assert_eq!(
        (name.as_deref(), phone.as_str()),
        (Some("Sheena"), "+6281255550001")
    );
}

async fn fifty_concurrent_copies_store_one_message(store: Store) {
    let number = connected(&store).await;
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let store = store.clone();
        let number = number.clone();
        tasks.push(tokio::spawn(async move {
            store
                .record_whatsapp_inbound(&number, &[text("wamid.SAME", "halo", 0)], &[], now())
                .await
        }));
    }
    let mut stored = 0;
    for task in tasks {
        stored += task.await.expect("task").expect("stored").stored;
    }
    assert_eq!(stored, 1);
    assert_eq!(count(&store, "SELECT COUNT(*) FROM inbound_queue").await, 1);
    assert_eq!(admit_all(&store).await, 1);
    assert_eq!(count(&store, "SELECT COUNT(*) FROM messages").await, 1);
    assert_eq!(count(&store, "SELECT COUNT(*) FROM conversations").await, 1);
}

async fn revokes_number_changes_and_unqueued_kinds(store: Store) {
    let number = connected(&store).await;
    let reaction = NewInbound {
        kind: "reaction".into(),
        body: "👍".into(),
        queue: false,
        ..text("wamid.R", "", 2)
    };
    let revoke = NewInbound {
        kind: "revoke".into(),
        body: String::new(),
        queue: false,
        effect: InboundEffect::Revoke {
            external_id: "wamid.A".into(),
        },
        ..text("wamid.V", "", 3)
    };
    let stored = store
        .record_whatsapp_inbound(
            &number,
            &[text("wamid.A", "oops", 0), reaction, revoke],
            &[],
            now(),
        )
        .await
        .expect("stored");
    assert_eq!(stored.stored, 3);
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) FROM inbound_queue WHERE answer = 1"
        )
        .await,
        1
    );
    assert_eq!(admit_all(&store).await, 3);
    assert_eq!(
        count(&store, "SELECT COUNT(*) FROM messages WHERE external_id = 'wamid.A' AND deleted_at IS NOT NULL").await,
        1
    );
    let changed = NewInbound {
        kind: "system".into(),
        queue: false,
        effect: InboundEffect::NumberChanged {
            phone: PhoneE164::parse("+6281255550009").expect("phone"),
        },
        ..text("wamid.S", "changed number", 4)
    };
    store
        .record_whatsapp_inbound(&number, &[changed], &[], now())
        .await
        .expect("stored");
    admit_all(&store).await;
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) FROM customers WHERE phone = '+6281255550009'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) FROM customers WHERE phone = '+6281255550001'"
        )
        .await,
        0
    );
}

async fn statuses_are_kept_once_even_before_their_send(store: Store) {
    let number = connected(&store).await;
    let status = |state: &str| store::NewStatus {
        wamid: "wamid.NOT_YET_RECORDED".into(),
        callback_data: Some("outbox:1".into()),
        state: state.into(),
        at: now(),
        errors: None,
    };
    let statuses = [status("sent"), status("delivered"), status("sent")];
    let report = store
        .record_whatsapp_inbound(&number, &[], &statuses, now())
        .await
        .expect("stored");
    assert_eq!(report.statuses, 2);
    let again = store
        .record_whatsapp_inbound(&number, &[], &statuses, now())
        .await
        .expect("stored");
    assert_eq!(again.statuses, 0);
    assert_eq!(
        count(&store, "SELECT COUNT(*) FROM message_statuses").await,
        2
    );
}

async fn the_queue_gives_each_conversation_one_message_at_a_time_in_metas_order(store: Store) {
    let number = connected(&store).await;
    // Two customers; the first one's messages arrive out of order.
    let delivery = [
        from("+6281255550001", "wamid.A2", 20),
        from("+6281255550002", "wamid.B1", 15),
        from("+6281255550001", "wamid.A1", 10),
    ];
    store
        .record_whatsapp_inbound(&number, &delivery, &[], now())
        .await
        .expect("stored");
    let first = store.claim_inbound(now()).await.expect("q").expect("one");
    let second = store.claim_inbound(now()).await.expect("q").expect("two");
    assert_eq!(
        store.claim_inbound(now()).await.expect("q"),
        None,
        "A2 waits for A1"
    );
    assert_eq!(first.external_id, "wamid.A1");
    assert_eq!(second.external_id, "wamid.B1");
    assert_eq!(first.answering().recipient, "6281255550001");
    assert_eq!(first.number_id, number.id);
    // A1 fails and waits a minute; its lease is given back.
    store
        .retry_inbound(first.id, &first.claim, "busy", now() + Duration::minutes(1))
        .await
        .expect("retry");
    assert_eq!(store.claim_inbound(now()).await.expect("q"), None);
    let again = store
        .claim_inbound(now() + Duration::minutes(1))
        .await
        .expect("q")
        .expect("due");
    assert_eq!((again.id, again.attempts), (first.id, 2));
    store
        .give_up_inbound(again.id, &again.claim, "broken")
        .await
        .expect("gave up");
    let next = store
        .claim_inbound(now() + Duration::minutes(1))
        .await
        .expect("q")
        .expect("A2 now");
    assert_eq!(next.external_id, "wamid.A2");
    assert_eq!(store.inbound_waiting().await.expect("count"), 2);
}

async fn concurrent_workers_never_claim_the_same_message(store: Store) {
    let number = connected(&store).await;
    let delivery: Vec<NewInbound> = (0..20)
        .map(|i| from(&format!("+62812555500{i:02}"), &format!("wamid.{i}"), i))
        .collect();
    store
        .record_whatsapp_inbound(&number, &delivery, &[], now())
        .await
        .expect("stored");
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            for _ in 0..10 {
                if let Some(claimed) = store.claim_inbound(now()).await.expect("claim") {
                    mine.push(claimed.id);
                }
            }
            mine
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.expect("task"));
    }
    let unique: std::collections::BTreeSet<_> = all.iter().collect();
    assert_eq!(unique.len(), all.len(), "claimed twice: {all:?}");
    assert_eq!(all.len(), 20);
}

async fn the_outbox_sends_in_order_and_statuses_never_go_back(store: Store) {
    let number = connected(&store).await;
    store
        .record_whatsapp_inbound(&number, &[text("wamid.IN", "halo", 0)], &[], now())
        .await
        .expect("stored");
    admit_all(&store).await;
    let conversation: i64 = sqlx::query_scalar("SELECT conversation_id FROM messages")
        .fetch_one(store.pool())
        .await
        .expect("conversation");
    let mut ids = Vec::new();
    for body in ["one", "two"] {
        let message: i64 = sqlx::query_scalar(
            "INSERT INTO messages (tenant_id, conversation_id, direction, body, created_at, number_id)
             VALUES ($1, $2, 'out', $3, 0, $4) RETURNING id",
        )
        .bind(number.tenant_id.0)
        .bind(conversation)
        .bind(body)
        .bind(number.id)
        .fetch_one(store.pool())
        .await
        .expect("message");
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO outbox (tenant_id, conversation_id, message_id, number_id, recipient, next_attempt_at, created_at)
             VALUES ($1, $2, $3, $4, '6281255550001', 0, 0) RETURNING id",
        )
        .bind(number.tenant_id.0)
        .bind(conversation)
        .bind(message)
        .bind(number.id)
        .fetch_one(store.pool())
        .await
        .expect("outbox");
        ids.push(id);
    }
    let first = store.claim_outbox(now()).await.expect("q").expect("first");
    assert_eq!((first.id, first.body.as_str()), (ids[0], "one"));
    assert!(first.last_inbound_at.is_some());
    assert_eq!(
        store.claim_outbox(now()).await.expect("q"),
        None,
        "two waits for one"
    );
    // A status that comes before the send is recorded is applied then.
    let early = store::NewStatus {
        wamid: "wamid.ONE".into(),
        callback_data: None,
        state: "delivered".into(),
        at: now(),
        errors: None,
    };
    store
        .record_whatsapp_inbound(&number, &[], &[early], now())
        .await
        .expect("status");
    store
        .record_sent(&first, "wamid.ONE", now())
        .await
        .expect("sent");
    let state = |id: i64| {
        let store = store.clone();
        async move {
            sqlx::query_scalar::<_, String>("SELECT state FROM outbox WHERE id = $1")
                .bind(id)
                .fetch_one(store.pool())
                .await
                .expect("state")
        }
    };
    assert_eq!(state(ids[0]).await, "delivered");
    let second = store.claim_outbox(now()).await.expect("q").expect("second");
    assert_eq!(second.id, ids[1]);
    store
        .fail_outbox(second.id, Some(131026), "Message undeliverable")
        .await
        .expect("failed");
    // A late "read" for a failed row changes nothing.
    let late = store::NewStatus {
        wamid: "wamid.TWO".into(),
        callback_data: Some(format!("outbox:{}", ids[1])),
        state: "read".into(),
        at: now(),
        errors: None,
    };
    store
        .record_whatsapp_inbound(&number, &[], &[late], now())
        .await
        .expect("status");
    assert_eq!(state(ids[1]).await, "failed");
    assert_eq!(store.claim_outbox(now()).await.expect("q"), None);
}

async fn a_lapsed_claim_can_no_longer_finish_and_late_earlier_messages_wait(store: Store) {
    let number = connected(&store).await;
    store
        .record_whatsapp_inbound(&number, &[text("wamid.M1", "halo", 10)], &[], now())
        .await
        .expect("stored");
    let stale = store
        .claim_inbound(now())
        .await
        .expect("q")
        .expect("claimed");
    // Meta delivers an earlier message late, while M1 is in a turn: it
    // waits, so one customer never has two messages in flight.
    store
        .record_whatsapp_inbound(&number, &[text("wamid.M0", "earlier", 5)], &[], now())
        .await
        .expect("stored");
    assert_eq!(store.claim_inbound(now()).await.expect("q"), None);
    // The claim lapses and another worker takes M0 (now the head), then M1.
    let later = now() + Duration::seconds(store::INBOUND_LEASE_SECONDS + 1);
    let m0 = store.claim_inbound(later).await.expect("q").expect("M0");
    assert_eq!(m0.external_id, "wamid.M0");
    store.admit_inbound(&m0, later).await.expect("admitted");
    sqlx::query("DELETE FROM inbound_queue WHERE id = $1")
        .bind(m0.id)
        .execute(store.pool())
        .await
        .expect("answered");
    let fresh = store
        .claim_inbound(later)
        .await
        .expect("q")
        .expect("M1 again");
    assert_eq!(fresh.id, stale.id);
    assert_ne!(fresh.claim, stale.claim);
    // The first worker wakes up: it can neither admit, retry nor drop it.
    let late = store.admit_inbound(&stale, later).await;
    assert!(
        matches!(late, Err(StoreError::ChangedMeanwhile)),
        "{late:?}"
    );
    store
        .retry_inbound(stale.id, &stale.claim, "late", later)
        .await
        .expect("no-op");
    store
        .give_up_inbound(stale.id, &stale.claim, "late")
        .await
        .expect("no-op");
    assert_eq!(
        store.claim_inbound(later).await.expect("q"),
        None,
        "still claimed by the second worker"
    );
    assert!(store
        .admit_inbound(&fresh, later)
        .await
        .expect("admit")
        .is_some());
}

/// A photo admitted queues its download once; the bytes come back as
/// stored, only to the tenant's own staff.
async fn media_downloads_are_queued_once_and_kept_byte_for_byte(store: Store) {
    let number = connected(&store).await;
    let photo = NewInbound {
        kind: "image".into(),
        body: "bukti transfer".into(),
        payload: r#"{"id":"wamid.P","type":"image","image":{"id":"MEDIA1","mime_type":"image/jpeg","caption":"bukti transfer"}}"#.into(),
        queue: true,
        ..text("wamid.P", "", 0)
    };
    store
        .record_whatsapp_inbound(&number, &[photo.clone(), photo], &[], now())
        .await
        .expect("stored");
    admit_all(&store).await;
    let job = store.claim_media(now()).await.expect("q").expect("queued");
    assert_eq!(job.media_id, "MEDIA1");
    assert_eq!(
        store.claim_media(now()).await.expect("q"),
        None,
        "claimed once"
    );
    let message: i64 = count(&store, "SELECT message_id FROM whatsapp_media").await;
    assert_eq!(
        store
            .message_media(number.tenant_id, message)
            .await
            .expect("state"),
        store::MediaState::Queued
    );
    let bytes: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    store
        .media_downloaded(job.id, Some("image/jpeg"), &bytes, "abc")
        .await
        .expect("kept");
    match store
        .message_media(number.tenant_id, message)
        .await
        .expect("state")
    {
        store::MediaState::Done(file) => {
            assert_eq!(file.content, bytes);
            assert_eq!(file.mime_type.as_deref(), Some("image/jpeg"));
        }
        other => panic!("not done: {other:?}"),
    }
    assert!(matches!(
        store
            .message_media(domain::TenantId(number.tenant_id.0 + 999), message)
            .await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        store
            .claim_media(now() + Duration::hours(1))
            .await
            .expect("q"),
        None
    );
}

conformance!(
    media_downloads_are_queued_once_and_kept_byte_for_byte,
    a_lapsed_claim_can_no_longer_finish_and_late_earlier_messages_wait,
    the_queue_gives_each_conversation_one_message_at_a_time_in_metas_order,
    concurrent_workers_never_claim_the_same_message,
    the_outbox_sends_in_order_and_statuses_never_go_back,
    statuses_are_kept_once_even_before_their_send,
    a_number_belongs_to_one_tenant,
    a_delivery_is_stored_and_queued_once,
    fifty_concurrent_copies_store_one_message,
    revokes_number_changes_and_unqueued_kinds,
);
