//! Answering the inbound queue: a claimed message is admitted into its
//! customer's conversation (once, whatever Meta repeats) and the bot takes
//! its turn on it; a turn that fails is tried again with backoff and given
//! up after [`MAX_ATTEMPTS`] (the message stays in the thread for staff).
//! The server's worker runs this in a loop for every customer; the
//! simulator runs it for its own customer within the request, so both go
//! through the same steps.

use crate::{handle_message_with, Assist, Inbound};
use booking::Services;
use domain::{PhoneE164, TenantId};
use store::{QueuedInbound, StoreError};

/// Claims after which a message the bot keeps failing on is taken off
/// the queue (it stays in the thread for staff).
pub const MAX_ATTEMPTS: i64 = 5;

/// Answers the next due message (of `customer` only, if given); `Ok(false)`
/// when none is due.
pub async fn answer_next(
    services: &Services,
    customer: Option<(TenantId, &PhoneE164)>,
) -> Result<bool, StoreError> {
    answer_next_with(services, &Assist::default(), customer).await
}

/// [`answer_next`] with the knowledge base and agent of `assist`.
pub async fn answer_next_with(
    services: &Services,
    assist: &Assist,
    customer: Option<(TenantId, &PhoneE164)>,
) -> Result<bool, StoreError> {
    let now = services.clock.now();
    let Some(queued) = services.store.claim_inbound_of(customer, now).await? else {
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
    let outcome = handle_message_with(&services.bookings, assist, inbound(&queued, now)).await;
    if let Err(error) = outcome {
        failed(services, &queued, &error.to_string()).await?;
    }
    Ok(true)
}

fn inbound(queued: &QueuedInbound, now: chrono::DateTime<chrono::Utc>) -> Inbound {
    Inbound {
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
        channel: queued.channel,
        external_id: None,
        answering: Some(queued.answering()),
        // "Tomorrow" is the day after the customer wrote, however late
        // the message is answered (an outage, a backlog).
        said_at: Some(queued.sent_at),
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
