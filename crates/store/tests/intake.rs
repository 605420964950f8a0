//! The webhook's intake writes deliveries in batches (one statement for
//! every delivery waiting): on both backends each message is stored once
//! however the deliveries overlap and whichever batch they land in, each
//! delivery is told exactly which of its messages were new, one bad
//! delivery fails alone, and a delivery too large for a batch is still
//! stored whole.

mod common;

use common::now;
use common::whatsapp::{connected, count, text};
use store::{Store, StoreError, WhatsappNumber};

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
        let report = task.await.expect("task").expect("stored");
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
        let outcome = task.await.expect("task");
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

conformance!(
    overlapping_deliveries_store_each_message_once,
    a_bad_delivery_fails_alone,
    a_delivery_larger_than_a_batch_is_stored_whole,
);
