//! The webhook's intake writes deliveries in batches (one statement for
//! every delivery waiting): on both backends each message is stored once
//! however the deliveries overlap and whichever batch they land in, each
//! delivery is told exactly which of its messages were new, one bad
//! delivery fails alone, and a delivery too large for a batch is still
//! stored whole.

mod common;

use common::now;
use common::whatsapp::{connected, count, text};
use std::time::Duration;
use store::{Backend, Store, StoreError, WhatsappNumber};

/// A task's outcome, failing the test instead of hanging it if a delivery
/// is never answered.
async fn answered<T>(task: tokio::task::JoinHandle<T>) -> T {
    tokio::time::timeout(Duration::from_secs(60), task)
        .await
        .expect("a delivery was never answered")
        .expect("task")
}

/// Delivery `k` carries messages `k` and `k + 1`, so neighbours overlap;
/// every tenth is also sent a second time.
async fn overlapping_deliveries_store_each_message_once(store: Store) {
    let number = connected(&store).await;
    let mut tasks = Vec::new();
    for k in 0..200 {
        for _copy in 0..(if k % 10 == 0 { 2 } else { 1 }) {
            let store = store.clone();
            let number = number.clone();
            tasks.push(tokio::spawn(async move {
                let delivery = [
                    text(&format!("wamid.M{k}"), "halo", k),
                    text(&format!("wamid.M{}", k + 1), "lagi", k + 1),
                ];
                store
                    .record_whatsapp_inbound(&number, &delivery, &[], now())
                    .await
            }));
        }
    }
    let (mut stored, mut duplicates) = (0, 0);
    for task in tasks {
        let report = answered(task).await.expect("stored");
        assert_eq!(report.stored + report.duplicates, 2);
        stored += report.stored;
        duplicates += report.duplicates;
    }
    assert_eq!(stored, 201, "messages M0..=M200, each counted once");
    assert_eq!(duplicates, 220 * 2 - 201);
    assert_eq!(
        count(&store, "SELECT COUNT(*) FROM inbound_queue").await,
        201
    );
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(DISTINCT external_id) FROM inbound_queue"
        )
        .await,
        201
    );
}

/// A delivery for a number that is gone (its insert breaks a foreign
/// key) among good ones sent at the same moment: it alone is refused, so
/// Meta delivers it again, and the others are stored.
async fn a_bad_delivery_fails_alone(store: Store) {
    let number = connected(&store).await;
    let gone = WhatsappNumber {
        id: number.id + 1000,
        ..number.clone()
    };
    let mut tasks = Vec::new();
    for k in 0..40 {
        let store = store.clone();
        let target = if k == 20 {
            gone.clone()
        } else {
            number.clone()
        };
        tasks.push(tokio::spawn(async move {
            store
                .record_whatsapp_inbound(
                    &target,
                    &[text(&format!("wamid.G{k}"), "halo", k)],
                    &[],
                    now(),
                )
                .await
        }));
    }
    for (k, task) in tasks.into_iter().enumerate() {
        let outcome = answered(task).await;
        if k == 20 {
            assert!(
                matches!(outcome, Err(StoreError::Database(_))),
                "{outcome:?}"
            );
        } else {
            assert_eq!(outcome.expect("stored").stored, 1, "delivery {k}");
        }
    }
    assert_eq!(
        count(&store, "SELECT COUNT(*) FROM inbound_queue").await,
        39
    );
    // The store still writes after the failure.
    let after = store
        .record_whatsapp_inbound(&number, &[text("wamid.AFTER", "halo", 99)], &[], now())
        .await
        .expect("stored");
    assert_eq!(after.stored, 1);
}

/// More messages than one batch takes: written in chunks in one
/// transaction, and a repeat stores none of them.
async fn a_delivery_larger_than_a_batch_is_stored_whole(store: Store) {
    let number = connected(&store).await;
    let delivery: Vec<_> = (0..1_234)
        .map(|k| text(&format!("wamid.L{k}"), "halo", k))
        .collect();
    let first = store
        .record_whatsapp_inbound(&number, &delivery, &[], now())
        .await
        .expect("stored");
    assert_eq!((first.stored, first.duplicates), (1_234, 0));
    let again = store
        .record_whatsapp_inbound(&number, &delivery, &[], now())
        .await
        .expect("stored");
    assert_eq!((again.stored, again.duplicates), (0, 1_234));
    assert_eq!(
        count(&store, "SELECT COUNT(*) FROM inbound_queue").await,
        1_234
    );
}

/// More messages waiting than one statement takes (500): written over
/// several batches, none left behind.
async fn more_waiting_than_a_batch_takes(store: Store) {
    let number = connected(&store).await;
    let mut tasks = Vec::new();
    for k in 0..400 {
        let store = store.clone();
        let number = number.clone();
        tasks.push(tokio::spawn(async move {
            let delivery: Vec<_> = (0..3)
                .map(|m| text(&format!("wamid.W{k}.{m}"), "halo", k))
                .collect();
            store
                .record_whatsapp_inbound(&number, &delivery, &[], now())
                .await
        }));
    }
    let mut stored = 0;
    for task in tasks {
        stored += answered(task).await.expect("stored").stored;
    }
    assert_eq!(stored, 1_200);
    assert_eq!(
        count(&store, "SELECT COUNT(*) FROM inbound_queue").await,
        1_200
    );
}

/// PostgreSQL drops every connection (a restart): deliveries fail while
/// the dead connections are found out (Meta retries those), then all are
/// stored again; no dead connection is kept for later.
async fn deliveries_recover_after_the_database_drops_its_connections(store: Store) {
    if store.backend() != Backend::Postgres {
        return;
    }
    let number = connected(&store).await;
    store
        .record_whatsapp_inbound(&number, &[text("wamid.BEFORE", "halo", 0)], &[], now())
        .await
        .expect("stored");
    let admin = store.as_another_process();
    sqlx::query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .execute(admin.pool())
    .await
    .ok();
    let mut outcomes = Vec::new();
    for k in 1..=30 {
        outcomes.push(
            store
                .record_whatsapp_inbound(
                    &number,
                    &[text(&format!("wamid.R{k}"), "halo", k)],
                    &[],
                    now(),
                )
                .await
                .is_ok(),
        );
    }
    let failed = outcomes.iter().filter(|ok| !**ok).count();
    assert!(
        outcomes[failed..].iter().all(|ok| *ok),
        "once one succeeded all did: {outcomes:?}"
    );
    assert!(
        failed <= 17,
        "{failed} failed: one per dead connection at most"
    );
}

conformance!(
    more_waiting_than_a_batch_takes,
    deliveries_recover_after_the_database_drops_its_connections,
    overlapping_deliveries_store_each_message_once,
    a_bad_delivery_fails_alone,
    a_delivery_larger_than_a_batch_is_stored_whole,
);
