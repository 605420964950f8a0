//! The inbound work queue: stored WhatsApp messages the bot has yet to
//! answer. A worker claims the oldest message of a conversation whose
//! earlier messages are all answered (one message per conversation at a
//! time, in Meta's order) for a lease; the transaction that records the
//! bot's turn deletes the row. A worker that crashes leaves its claim to
//! lapse, and the message is taken again: none is left stored but
//! unanswered.

use crate::db::{Backend, Store};
use crate::error::{Result, StoreError};
use chrono::{DateTime, TimeZone, Utc};
use domain::{ConversationId, PhoneE164, TenantId};

/// How long a claim lasts before another worker may take the message.
pub const INBOUND_LEASE_SECONDS: i64 = 120;

/// A claimed inbound message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedInbound {
    pub message_id: i64,
    pub tenant: TenantId,
    pub conversation: ConversationId,
    /// The customer's number.
    pub phone: PhoneE164,
    /// What the bot reads (empty for media without a caption…).
    pub text: String,
    /// `text`, `image`, `button_reply`…
    pub kind: String,
    /// The WhatsApp number it came through; replies go out on it.
    pub number_id: i64,
    /// Meta's time of the message.
    pub sent_at: DateTime<Utc>,
    /// Claims so far, this one included.
    pub attempts: i64,
}

/// What a bot turn answers, when it answers a queued WhatsApp message:
/// recording the turn deletes the queue row, and each reply gets an
/// outbox row to the customer on the number the message came through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answering {
    pub message_id: i64,
    pub number_id: i64,
    /// The customer's WhatsApp id: international digits without `+`.
    pub recipient: String,
}

impl QueuedInbound {
    pub fn answering(&self) -> Answering {
        Answering {
            message_id: self.message_id,
            number_id: self.number_id,
            recipient: self.phone.as_str().trim_start_matches('+').to_string(),
        }
    }
}

type Row = (i64, i64, i64, String, String, String, i64, i64, i64);

impl Store {
    /// Claims the next message to answer, if any is due: the oldest one
    /// (by Meta's time) that heads its conversation's queue, is not claimed
    /// by a live lease and is not waiting for a retry.
    pub async fn claim_inbound(&self, now: DateTime<Utc>) -> Result<Option<QueuedInbound>> {
        let skip_locked = match self.backend() {
            Backend::Postgres => "FOR UPDATE OF q SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let claimed: Option<i64> = sqlx::query_scalar(&format!(
            "UPDATE inbound_queue SET claimed_until = $1, attempts = attempts + 1
             WHERE message_id = (
                 SELECT q.message_id FROM inbound_queue q
                 WHERE q.not_before <= $2 AND (q.claimed_until IS NULL OR q.claimed_until <= $2)
                   AND NOT EXISTS (
                       SELECT 1 FROM inbound_queue e
                       WHERE e.conversation_id = q.conversation_id
                         AND (e.sent_at < q.sent_at OR (e.sent_at = q.sent_at AND e.message_id < q.message_id)))
                 ORDER BY q.sent_at, q.message_id LIMIT 1 {skip_locked})
               AND (claimed_until IS NULL OR claimed_until <= $2)
             RETURNING message_id"
        ))
        .bind(now.timestamp() + INBOUND_LEASE_SECONDS)
        .bind(now.timestamp())
        .fetch_optional(&self.pool)
        .await?;
        let Some(claimed) = claimed else {
            return Ok(None);
        };
        let row: Option<Row> = sqlx::query_as(
            "SELECT q.message_id, q.tenant_id, q.conversation_id, c.phone, m.body, m.kind,
                    COALESCE(m.number_id, 0), q.sent_at, q.attempts
             FROM inbound_queue q
             JOIN messages m ON m.id = q.message_id
             JOIN conversations v ON v.tenant_id = q.tenant_id AND v.id = q.conversation_id
             JOIN customers c ON c.tenant_id = v.tenant_id AND c.id = v.customer_id
             WHERE q.message_id = $1",
        )
        .bind(claimed)
        .fetch_optional(&self.pool)
        .await?;
        let Some((
            message_id,
            tenant,
            conversation,
            phone,
            text,
            kind,
            number_id,
            sent_at,
            attempts,
        )) = row
        else {
            return Ok(None);
        };
        Ok(Some(QueuedInbound {
            message_id,
            tenant: TenantId(tenant),
            conversation: ConversationId(conversation),
            phone: PhoneE164::parse(&phone)
                .map_err(|_| StoreError::Corrupt(format!("customer phone {phone:?}")))?,
            text,
            kind,
            number_id,
            sent_at: Utc.timestamp_opt(sent_at, 0).single().unwrap_or(now),
            attempts,
        }))
    }

    /// Gives a claimed message back for another try at `not_before`,
    /// noting why this one failed.
    pub async fn retry_inbound(
        &self,
        message_id: i64,
        error: &str,
        not_before: DateTime<Utc>,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE inbound_queue SET claimed_until = NULL, not_before = $1, last_error = $2 WHERE message_id = $3",
        )
        .bind(not_before.timestamp())
        .bind(error.chars().take(500).collect::<String>())
        .bind(message_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Takes a message the bot failed on again and again off the queue, so
    /// the conversation's later messages are answered; the message stays
    /// in the thread for staff.
    pub async fn give_up_inbound(&self, message_id: i64, error: &str) -> Result<()> {
        tracing::error!(
            message_id,
            error,
            "an inbound message was taken off the queue unanswered"
        );
        sqlx::query("DELETE FROM inbound_queue WHERE message_id = $1")
            .bind(message_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// How many inbound messages wait for the bot.
    pub async fn inbound_waiting(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM inbound_queue")
            .fetch_one(&self.pool)
            .await?)
    }
}
