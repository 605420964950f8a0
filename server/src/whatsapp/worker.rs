//! The inbound worker: answers the WhatsApp messages the webhook stored,
//! from the database's queue, so a message is answered whether the
//! process that stored it lives on or not. Each turn's replies go to the
//! outbox in the turn's own transaction (see `store::Store::record_turn`).

use booking::Services;
use std::sync::Arc;
use std::time::Duration;
use store::StoreError;
use tokio::sync::Notify;

/// How often an idle worker looks at the queue without being woken (a
/// retry coming due, a claim lapsing, another replica's webhook).
const POLL: Duration = Duration::from_secs(2);

pub use bot::queue::MAX_ATTEMPTS;

/// Workers per process: different customers' turns run side by side (a
/// bot turn waits on the database most of its time), while each
/// customer's own messages still go one at a time, since the queue never
/// hands out a second message of a customer whose earlier one is claimed.
pub const WORKERS: usize = 4;

/// Answers the next due message of any customer (see `bot::queue`);
/// `Ok(false)` when none is due.
pub async fn answer_next(services: &Services) -> Result<bool, StoreError> {
    bot::queue::answer_next(services, None).await
}

/// [`answer_next`] with the knowledge base and agent of `assist`.
pub async fn answer_next_with(
    services: &Services,
    assist: &bot::Assist,
) -> Result<bool, StoreError> {
    bot::queue::answer_next_with(services, assist, None).await
}

/// Answers queued messages until the process ends; `wake` is notified by
/// the webhook after it stores something, and `sender` is notified after
/// each turn (its replies are in the outbox).
pub async fn run(services: Services, assist: bot::Assist, wake: Arc<Notify>, sender: Arc<Notify>) {
    loop {
        // Each turn runs as its own task: a panic in one (a bug reached by
        // some message) is that turn's failure, logged, and this worker
        // goes on; the message's claim lapses and the queue's attempt
        // limit ends it, instead of the panic ending the worker for good.
        let turn = {
            let (services, assist) = (services.clone(), assist.clone());
            tokio::spawn(async move { answer_next_with(&services, &assist).await })
        };
        match turn.await {
            Ok(Ok(true)) => {
                sender.notify_one();
                continue;
            }
            Ok(Ok(false)) => {}
            Ok(Err(error)) => {
                tracing::error!(%error, "the inbound worker could not read its queue")
            }
            Err(error) => tracing::error!(%error, "an inbound turn panicked; the worker goes on"),
        }
        tokio::select! {
            () = wake.notified() => {}
            () = tokio::time::sleep(POLL) => {}
        }
    }
}
