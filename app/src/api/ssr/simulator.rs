//! The WhatsApp simulator: staff write (or tap) as a customer, and the
//! message enters the same pipeline as one from Meta's webhook: stored in
//! the inbound queue through the tenant's simulated number, admitted into
//! the conversation once, answered by the bot's turn from the queue
//! (`bot::queue`), which records the replies. Only the last step differs:
//! nothing is posted to Meta; the replies are read from the thread, with
//! buttons and lists drawn as WhatsApp draws them.

use super::Services;
use crate::dto::{ChatBubble, ChatThread};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use domain::PhoneE164;
use serde_json::json;
use store::{Channel, ChatMessage, Direction, InboundEffect, NewInbound, StaffUser};

/// How long the request waits for the bot's answer.
const ANSWER_WITHIN: std::time::Duration = std::time::Duration::from_secs(15);

/// The simulated customer's number, read as the venue's customers write it.
async fn phone(state: &Services, staff: &StaffUser, text: &str) -> Result<PhoneE164, AppError> {
    Ok(state.bookings.parse_phone(staff.tenant_id, text).await?)
}

pub async fn thread(
    state: Services,
    staff: StaffUser,
    phone_text: String,
) -> Result<ChatThread, AppError> {
    let phone = phone(&state, &staff, &phone_text).await?;
    let zone = super::venue_zone(&state, &staff).await?;
    let messages = state
        .store
        .thread(staff.tenant_id, &phone, Channel::Simulator)
        .await?
        .into_iter()
        .map(|m| bubble(m, zone))
        .collect();
    Ok(ChatThread {
        phone: phone.to_string(),
        messages,
    })
}

/// A stored message as a bubble (see [`super::chat::bubble`]).
fn bubble(message: ChatMessage, zone: chrono_tz::Tz) -> ChatBubble {
    let time = message.at.with_timezone(&zone).format("%H:%M").to_string();
    super::chat::bubble(super::chat::Stored {
        id: message.id,
        from_customer: message.direction == Direction::In,
        body: message.body,
        kind: &message.kind,
        payload: message.payload.as_deref(),
        time,
    })
}

/// What the simulated customer sends.
enum Sent {
    Text(String),
    /// A tapped reply button or list row (`list`), with its id and title.
    Tap {
        list: bool,
        id: String,
        title: String,
    },
}

pub async fn send(
    state: Services,
    staff: StaffUser,
    phone_text: String,
    text: String,
) -> Result<ChatThread, AppError> {
    let text = text.replace('\0', "");
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::Invalid("message is empty".into()));
    }
    let length = text.chars().count();
    if length > bot::MAX_MESSAGE_CHARS {
        return Err(AppError::Invalid(format!(
            "message is too long ({length} characters, at most {})",
            bot::MAX_MESSAGE_CHARS
        )));
    }
    deliver(state, staff, phone_text, Sent::Text(text.to_string())).await
}

/// Taps a button (`kind` "button") or list row (`kind` "list") of a reply.
pub async fn tap(
    state: Services,
    staff: StaffUser,
    phone_text: String,
    kind: String,
    id: String,
    title: String,
) -> Result<ChatThread, AppError> {
    let list = match kind.as_str() {
        "button" => false,
        "list" => true,
        _ => return Err(AppError::Invalid("kind is \"button\" or \"list\"".into())),
    };
    // What WhatsApp itself would carry back: ids and titles within its limits.
    if id.is_empty()
        || id.chars().count() > 256
        || title.trim().is_empty()
        || title.chars().count() > 24
    {
        return Err(AppError::Invalid("not a button or row of ours".into()));
    }
    deliver(state, staff, phone_text, Sent::Tap { list, id, title }).await
}

/// Stores the message in the inbound queue as the webhook would, answers
/// it through the queue, and returns the thread.
async fn deliver(
    state: Services,
    staff: StaffUser,
    phone_text: String,
    sent: Sent,
) -> Result<ChatThread, AppError> {
    let customer = phone(&state, &staff, &phone_text).await?;
    let now = state.clock.now();
    let number = state.store.simulator_number(staff.tenant_id, now).await?;
    let message = inbound(&customer, sent, now);
    let external_id = message.external_id.clone();
    state
        .store
        .record_whatsapp_inbound(&number, &[message], &[], now)
        .await?;
    // Answered here, through the same queue steps as the worker (which
    // may take it first; then this waits for it).
    let deadline = tokio::time::Instant::now() + ANSWER_WITHIN;
    while !state
        .store
        .inbound_done(staff.tenant_id, &external_id)
        .await?
    {
        // The server's knowledge base and agent, when it provides them.
        let assist = leptos::prelude::use_context::<bot::Assist>().unwrap_or_default();
        let answered =
            bot::queue::answer_next_with(&state, &assist, Some((staff.tenant_id, &customer)))
                .await?;
        if !answered {
            if tokio::time::Instant::now() >= deadline {
                return Err(AppError::Invalid(
                    "the bot has not answered yet; the message is kept and will be answered".into(),
                ));
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
    thread(state, staff, phone_text).await
}

/// The message in Meta's shape, as the webhook would have queued it.
fn inbound(customer: &PhoneE164, sent: Sent, now: DateTime<Utc>) -> NewInbound {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let external_id = format!(
        "sim.{}.{}",
        now.timestamp_nanos_opt().unwrap_or_default(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let from = customer.as_str().trim_start_matches('+');
    let mut payload = json!({
        "from": from,
        "id": external_id,
        "timestamp": now.timestamp().to_string(),
    });
    let (kind, body) = match sent {
        Sent::Text(text) => {
            payload["type"] = json!("text");
            payload["text"] = json!({ "body": text });
            ("text", text)
        }
        Sent::Tap { list, id, title } => {
            let kind = if list { "list_reply" } else { "button_reply" };
            payload["type"] = json!("interactive");
            payload["interactive"] = json!({ "type": kind, kind: { "id": id, "title": title } });
            (kind, title)
        }
    };
    NewInbound {
        external_id,
        phone: customer.clone(),
        profile_name: None,
        sent_at: now,
        kind: kind.to_string(),
        body,
        payload: payload.to_string(),
        queue: true,
        effect: InboundEffect::None,
    }
}
