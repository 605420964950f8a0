//! Staff writing into a customer's conversation (the dashboard's inbox and
//! `POST /api/v1/conversations/{id}/messages` both come here): the text is
//! checked against WhatsApp's limits, stored as the staff member's, sent
//! through the same outbox as the bot's replies, and the conversation
//! stays with a person for the tenant's quiet period.

use chrono::{DateTime, Utc};
use domain::{ConversationId, TenantId};
use store::{Outgoing, StaffReplyOutcome, Store, StoreError};
use whatsapp::reply::{Reply, ReplyError};

/// Why a staff reply was not sent.
#[derive(Debug, thiserror::Error)]
pub enum StaffReplyError {
    #[error("{0}")]
    Invalid(#[from] ReplyError),
    #[error("no such conversation")]
    NotFound,
    /// WhatsApp allows only approved templates more than 24 hours after
    /// the customer's latest message.
    #[error("the customer's last message is more than 24 hours old: only an approved template may be sent")]
    OutsideWindow {
        last_inbound_at: Option<DateTime<Utc>>,
    },
    #[error(transparent)]
    Store(StoreError),
}

/// Sends `text` from staff member `author` to the customer of `conversation`.
pub async fn reply(
    store: &Store,
    tenant: TenantId,
    conversation: ConversationId,
    author: Option<i64>,
    text: &str,
    now: DateTime<Utc>,
) -> Result<i64, StaffReplyError> {
    let cleaned = text.replace('\0', "");
    // Within WhatsApp's limits (not empty, at most 4,096 characters).
    Reply::text(&cleaned)?;
    let outgoing = Outgoing::text(cleaned.trim());
    match store
        .staff_reply(tenant, conversation, author, &outgoing, now)
        .await
    {
        Ok(StaffReplyOutcome::Queued { message_id, .. }) => Ok(message_id),
        Ok(StaffReplyOutcome::WindowClosed { last_inbound_at }) => {
            Err(StaffReplyError::OutsideWindow { last_inbound_at })
        }
        Err(StoreError::NotFound) => Err(StaffReplyError::NotFound),
        Err(other) => Err(StaffReplyError::Store(other)),
    }
}
