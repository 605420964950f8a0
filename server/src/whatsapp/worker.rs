//! The inbound worker: answers the WhatsApp messages the webhook stored,
//! from the database's queue, so a message is answered whether the
//! process that stored it lives on or not. Each turn's replies go to the
//! outbox in the turn's own transaction (see `store::Store::record_turn`).

use booking::Services;
use std::sync::Arc;
use std::time::Duration;
use store::{Channel, QueuedInbound, StoreError};
use tokio::sync::Notify;

/// How often an idle worker looks at the queue without being woken (a
/// retry coming due, a claim lapsing, another replica's webhook).
const POLL: Duration = Duration::from_secs(2);

/// Claims after which a message the bot keeps failing on is taken off
/// the queue (it stays in the thread for staff).
pub const MAX_ATTEMPTS: i64 = 5;

/// Answers queued messages until the process ends; `wake` is notified by
/// the webhook after it stores something, and `sender` is notified after
/// each turn (its replies are in the outbox).
pub async fn run(services: Services, wake: Arc<Notify>, sender: Arc<Notify>) {
    loop {
        match answer_next(&services).await {
            Ok(true) => {
                sender.notify_one();
                continue;
            }
            Ok(false) => {}
            Err(error) => tracing::error!(%error, "the inbound worker could not read its queue"),
        }
        tokio::select! {
            () = wake.notified() => {}
            () = tokio::time::sleep(POLL) => {}
        }
    }
}

/// Answers the next due message, if there is one; `Ok(false)` when none
/// is due.
pub async fn answer_next(services: &Services) -> Result<bool, StoreError> {
    let now = services.clock.now();
    let Some(queued) = services.store.claim_inbound(now).await? else {
        return Ok(false);
    };
    // Into the customer's conversation first (once: a message Meta
    // delivered again after it was answered stops here).
    match services.store.admit_inbound(&queued, now).await {
        Ok(Some(_)) if queued.answer => crate::fault::point("before_record"),
        Ok(_) => return Ok(true),
        Err(error) => {
            failed(services, &queued, &error.to_string()).await?;
            return Ok(true);
        }
    }
    let outcome = bot::handle_message(&services.bookings, inbound(&queued, now)).await;
    if let Err(error) = outcome {
        failed(services, &queued, &error.to_string()).await?;
    }
    Ok(true)
}

fn inbound(queued: &QueuedInbound, now: chrono::DateTime<chrono::Utc>) -> bot::Inbound {
    bot::Inbound {
        tenant: queued.tenant,
        phone: queued.phone.clone(),
        // The bot reads what the customer typed or tapped; a location's
        // name or a caption is for the thread (the bot says it reads text).
        text: if matches!(
            queued.kind.as_str(),
            "text" | "button_reply" | "list_reply" | "button"
        ) {
            queued.text.clone()
        } else {
            String::new()
        },
        tap: serde_json::from_str(&queued.payload)
            .ok()
            .and_then(|message: serde_json::Value| {
                whatsapp::webhook::tapped_id(&message).map(str::to_string)
            }),
        channel: Channel::Whatsapp,
        external_id: None,
        answering: Some(queued.answering()),
        now,
    }
}

/// A turn that failed (the database, a conversation busy for too long):
/// tried again later, with backoff, or given up after [`MAX_ATTEMPTS`].
async fn failed(
    services: &Services,
    queued: &QueuedInbound,
    error: &str,
) -> Result<(), StoreError> {
    tracing::warn!(
        queue_id = queued.id,
        attempts = queued.attempts,
        error,
        "a bot turn failed"
    );
    if queued.attempts >= MAX_ATTEMPTS {
        return services
            .store
            .give_up_inbound(queued.id, &queued.claim, error)
            .await;
    }
    let attempt = u32::try_from(queued.attempts).unwrap_or(u32::MAX);
    let wait = whatsapp::errors::backoff(attempt, whatsapp::errors::jitter());
    let not_before = services.clock.now()
        + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::seconds(60));
    services
        .store
        .retry_inbound(queued.id, &queued.claim, error, not_before)
        .await
}
