//! The dashboard's inbox on both backends: newest conversation first, the
//! unread count and the read mark (which never moves back), search by name
//! and by number however typed, the "with a person" filter, notes, and
//! paging; all within one tenant.

mod common;

use chrono::Duration;
use common::now;
use domain::PhoneE164;
use store::{Channel, InboxFilter, Store, StoreError, Topic};

async fn write(
    store: &Store,
    tenant: domain::TenantId,
    phone: &str,
    body: &str,
    minutes: i64,
) -> store::Conversation {
    let phone = PhoneE164::parse(phone).expect("phone");
    let at = now() + Duration::minutes(minutes);
    let conversation = store
        .open_conversation(tenant, &phone, Channel::Simulator, at)
        .await
        .expect("conversation");
    store
        .record_inbound(&conversation, body, None, at)
        .await
        .expect("message");
    conversation
}

async fn inbox_lists_newest_first_with_unread_counts(store: Store) {
    let (tenant, _) = common::demo(&store).await;
    let mut news = store.changes(tenant);
    let first = write(&store, tenant, "0811 1000 0001", "halo", 0).await;
    assert_eq!(
        news.recv().await.expect("news").topic,
        Topic::Conversations,
        "a message is news for live screens"
    );
    write(&store, tenant, "0811 1000 0002", "book futsal", 1).await;
    write(&store, tenant, "0811 1000 0001", "are you there?", 2).await;
    let rows = store
        .inbox(tenant, &InboxFilter::default(), now())
        .await
        .expect("inbox");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].conversation, first.id, "newest message first");
    assert_eq!(rows[0].last_body, "are you there?");
    assert_eq!(rows[0].unread, 2);
    assert!(rows[0].last_from_customer);

    // Opening marks read; the mark never moves back.
    let thread = store
        .inbox_thread(tenant, first.id, 200, now())
        .await
        .expect("thread");
    assert_eq!(thread.messages.len(), 2);
    let newest = thread.messages[1].id;
    store
        .mark_read(tenant, first.id, newest)
        .await
        .expect("read");
    store
        .mark_read(tenant, first.id, newest - 1)
        .await
        .expect("older mark");
    let rows = store
        .inbox(tenant, &InboxFilter::default(), now())
        .await
        .expect("inbox");
    assert_eq!(rows[0].unread, 0);

    // Search by name part and by number typed any way.
    let by_number = InboxFilter {
        search: Some("+62 811-1000-0002".into()),
        ..InboxFilter::default()
    };
    let found = store
        .inbox(tenant, &by_number, now())
        .await
        .expect("search");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].phone, "+6281110000002");
    let wildcard = InboxFilter {
        search: Some("%".into()),
        ..InboxFilter::default()
    };
    assert!(
        store
            .inbox(tenant, &wildcard, now())
            .await
            .expect("search")
            .is_empty(),
        "a % is a character, not a wildcard"
    );

    // With a person: only handed-off conversations, until the quiet period ends.
    store
        .take_over(tenant, first.id, None, now())
        .await
        .expect("take over");
    let with_person = InboxFilter {
        with_person: true,
        ..InboxFilter::default()
    };
    let handed = store
        .inbox(tenant, &with_person, now())
        .await
        .expect("with person");
    assert_eq!(handed.len(), 1);
    assert_eq!(
        store
            .waiting_for_person(tenant, now())
            .await
            .expect("waiting"),
        1
    );
    let later = now() + Duration::days(2);
    assert!(store
        .inbox(tenant, &with_person, later)
        .await
        .expect("later")
        .is_empty());

    // Paging: the next page starts after the last row's newest message.
    let next = InboxFilter {
        before_message: Some(rows[0].last_message_id),
        ..InboxFilter::default()
    };
    let page = store.inbox(tenant, &next, now()).await.expect("page");
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].phone, "+6281110000002");
}

async fn another_tenant_sees_nothing_and_notes_are_bounded(store: Store) {
    let (tenant, _) = common::demo(&store).await;
    let other = common::rival_tenant(&store).await;
    let ours = write(&store, tenant, "0811 1000 0003", "halo", 0).await;
    assert!(store
        .inbox(other, &InboxFilter::default(), now())
        .await
        .expect("inbox")
        .is_empty());
    assert!(matches!(
        store.inbox_thread(other, ours.id, 10, now()).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.set_customer_notes(other, ours.customer_id, "x").await,
        Err(StoreError::NotFound)
    ));
    store
        .mark_read(other, ours.id, i64::MAX)
        .await
        .expect("no-op");
    let thread = store
        .inbox_thread(tenant, ours.id, 10, now())
        .await
        .expect("thread");
    assert_eq!(thread.row.unread, 1, "another tenant moved our read mark");

    store
        .set_customer_notes(tenant, ours.customer_id, "  Prefers court 2 \0 ")
        .await
        .expect("notes");
    let thread = store
        .inbox_thread(tenant, ours.id, 10, now())
        .await
        .expect("thread");
    assert_eq!(thread.notes, "Prefers court 2");
    assert!(matches!(
        store
            .set_customer_notes(tenant, ours.customer_id, &"x".repeat(2_001))
            .await,
        Err(StoreError::Invalid(_))
    ));
}

/// Staff replies while customers keep writing: every reply is stored. On
/// SQLite a reply reads before it writes; without the write lock taken
/// first, a message committed in between made it fail ("database is
/// locked").
async fn staff_replies_while_customers_write_all_land(store: Store) {
    let (tenant, _) = common::demo(&store).await;
    let conversation = write(&store, tenant, "0811 1000 0009", "halo", 0).await;
    let at = now() + Duration::minutes(1);
    let customers = {
        let store = store.clone();
        let conversation = conversation.clone();
        tokio::spawn(async move {
            for i in 0..150 {
                store
                    .record_inbound(&conversation, &format!("pesan {i}"), None, at)
                    .await
                    .expect("a customer's message");
            }
        })
    };
    for i in 0..150 {
        store
            .staff_reply(
                tenant,
                conversation.id,
                None,
                &store::Outgoing::text(format!("balasan {i}")),
                at,
            )
            .await
            .expect("a staff reply");
    }
    customers.await.expect("customers");
    let thread = store
        .inbox_thread(tenant, conversation.id, 500, at)
        .await
        .expect("thread");
    assert_eq!(thread.messages.len(), 1 + 150 + 150);
}

conformance!(
    staff_replies_while_customers_write_all_land,
    inbox_lists_newest_first_with_unread_counts,
    another_tenant_sees_nothing_and_notes_are_bounded,
);
