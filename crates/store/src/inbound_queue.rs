//! The inbound work queue: WhatsApp messages the webhook stored and the
//! bot has yet to take in. A worker claims the oldest message of a
//! customer whose earlier messages are all done (one message per customer
//! at a time, in Meta's order) for a lease, admits it into the customer's
//! conversation ([`Store::admit_inbound`]: once, whatever Meta repeats),
//! and the transaction that records the bot's turn deletes the row. A
//! worker that crashes leaves its claim to lapse, and the message is taken
//! again: none is left stored but unanswered.

use crate::conversations::Channel;
use crate::db::{Backend, Store};
use crate::error::{Result, StoreError};
use chrono::{DateTime, TimeZone, Utc};
use domain::{PhoneE164, TenantId};

/// How long a claim lasts before another worker may take the message.
pub const INBOUND_LEASE_SECONDS: i64 = 120;

/// A claimed inbound message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedInbound {
    /// The queue row.
    pub id: i64,
    pub tenant: TenantId,
    pub number_id: i64,
    /// Meta's message id.
    pub external_id: String,
    /// The customer's number.
    pub phone: PhoneE164,
    pub profile_name: Option<String>,
    /// What the bot reads (empty for a photo without a caption…).
    pub text: String,
    /// `text`, `image`, `button_reply`…
    pub kind: String,
    pub payload: String,
    /// Whether the bot takes a turn on it.
    pub answer: bool,
    effect: Option<String>,
    /// The messages row, once admitted.
    pub message_id: Option<i64>,
    /// Meta's time of the message.
    pub sent_at: DateTime<Utc>,
    /// Claims so far, this one included.
    pub attempts: i64,
    /// This claim's token.
    pub claim: String,
    /// `Simulator` when it came from the dashboard's simulator (through the
    /// tenant's simulated number), else `Whatsapp`.
    pub channel: Channel,
}

/// What a bot turn answers, when it answers a queued WhatsApp message:
/// recording the turn deletes the queue row, and each reply gets an
/// outbox row to the customer on the number the message came through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answering {
    /// The queue row, and the claim that holds it: the turn is recorded
    /// only while the claim is still this one.
    pub queue_id: i64,
    pub claim: String,
    pub number_id: i64,
    /// The customer's WhatsApp id: international digits without `+`.
    pub recipient: String,
    /// Replies go to the outbox only on WhatsApp; the simulator shows them
    /// from the thread.
    pub channel: Channel,
}

impl QueuedInbound {
    pub fn answering(&self) -> Answering {
        Answering {
            queue_id: self.id,
            claim: self.claim.clone(),
            number_id: self.number_id,
            recipient: self.phone.as_str().trim_start_matches('+').to_string(),
            channel: self.channel,
        }
    }
}

type Row = (
    i64,
    i64,
    i64,
    String,
    String,
    Option<String>,
    String,
    String,
    String,
    i64,
    Option<String>,
    Option<i64>,
    i64,
    i64,
    String,
);

impl Store {
    /// Claims the next message to take in, if any is due: the oldest one
    /// (by Meta's time) that heads its customer's queue, is not claimed by
    /// a live lease and is not waiting for a retry.
    pub async fn claim_inbound(&self, now: DateTime<Utc>) -> Result<Option<QueuedInbound>> {
        self.claim_inbound_of(None, now).await
    }

    /// [`Store::claim_inbound`] for one customer only (`None`: anyone): the
    /// simulator answers its own message within the request.
    pub async fn claim_inbound_of(
        &self,
        customer: Option<(TenantId, &PhoneE164)>,
        now: DateTime<Utc>,
    ) -> Result<Option<QueuedInbound>> {
        let only = if customer.is_some() {
            "AND q.tenant_id = $4 AND q.phone = $5"
        } else {
            ""
        };
        let skip_locked = match self.backend() {
            Backend::Postgres => "FOR UPDATE OF q SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let token = claim_token();
        // The head of a customer's queue on one number, while none of
        // their messages there is claimed (an earlier one Meta delivered
        // late must not run beside a later one already in a turn). The
        // simulator's number has its own queue: a simulated message in
        // backoff never holds up the same phone's WhatsApp messages.
        let sql = format!(
            "UPDATE inbound_queue SET claimed_until = $1, claimed_by = $3, attempts = attempts + 1
             WHERE id = (
                 SELECT q.id FROM inbound_queue q
                 WHERE q.not_before <= $2 AND (q.claimed_until IS NULL OR q.claimed_until <= $2)
                   AND NOT EXISTS (
                       SELECT 1 FROM inbound_queue e
                       WHERE e.tenant_id = q.tenant_id AND e.phone = q.phone AND e.number_id = q.number_id
                         AND e.id <> q.id
                         AND (e.sent_at < q.sent_at OR (e.sent_at = q.sent_at AND e.id < q.id)
                              OR e.claimed_until > $2))
                   {only}
                 ORDER BY q.sent_at, q.id LIMIT 1 {skip_locked})
               AND (claimed_until IS NULL OR claimed_until <= $2)
             RETURNING id"
        );
        let claimed = sqlx::query_scalar(&sql)
            .bind(now.timestamp() + INBOUND_LEASE_SECONDS)
            .bind(now.timestamp())
            .bind(&token);
        let claimed: Option<i64> = match customer {
            Some((tenant, phone)) => claimed.bind(tenant.0).bind(phone.as_str()),
            None => claimed,
        }
        .fetch_optional(&self.pool)
        .await?;
        let Some(claimed) = claimed else {
            return Ok(None);
        };
        let row: Option<Row> = sqlx::query_as(
            "SELECT q.id, q.tenant_id, q.number_id, q.external_id, q.phone, q.profile_name, q.body, q.kind, q.payload,
                    q.answer, q.effect, q.message_id, q.sent_at, q.attempts, n.phone_number_id
             FROM inbound_queue q JOIN whatsapp_numbers n ON n.id = q.number_id WHERE q.id = $1",
        )
        .bind(claimed)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let Ok(phone) = PhoneE164::parse(&row.4) else {
            // Cannot be answered; left in place it would block the queue.
            self.give_up_inbound(row.0, &token, &format!("unreadable phone {:?}", row.4))
                .await?;
            return Err(StoreError::Corrupt(format!("queued phone {:?}", row.4)));
        };
        Ok(Some(QueuedInbound {
            id: row.0,
            tenant: TenantId(row.1),
            number_id: row.2,
            external_id: row.3,
            phone,
            profile_name: row.5,
            text: row.6,
            kind: row.7,
            payload: row.8,
            answer: row.9 != 0,
            effect: row.10,
            message_id: row.11,
            sent_at: Utc.timestamp_opt(row.12, 0).single().unwrap_or(now),
            attempts: row.13,
            claim: token,
            channel: if crate::whatsapp::is_simulated(&row.14) {
                Channel::Simulator
            } else {
                Channel::Whatsapp
            },
        }))
    }

    /// Takes a claimed message into its customer's conversation: the
    /// customer (with their WhatsApp profile name) and the conversation
    /// made if new, the message stored in the thread, a revoke or a number
    /// change applied, all in one transaction. `Ok(None)` when the thread
    /// has the message already (Meta delivered it again after it was
    /// answered): the queue row is dropped and nothing else happens. A
    /// message the bot does not answer leaves the queue here.
    pub async fn admit_inbound(
        &self,
        queued: &QueuedInbound,
        now: DateTime<Utc>,
    ) -> Result<Option<i64>> {
        if let Some(message) = queued.message_id {
            return Ok(Some(message));
        }
        let tenant = queued.tenant;
        let mut tx = self.begin_write().await?;
        tx.leaves_searches();
        let customer: i64 = sqlx::query_scalar(
            "INSERT INTO customers (tenant_id, phone, whatsapp_name) VALUES ($1, $2, $3)
             ON CONFLICT (tenant_id, phone) DO UPDATE
                 SET whatsapp_name = COALESCE(excluded.whatsapp_name, customers.whatsapp_name)
             RETURNING id",
        )
        .bind(tenant.0)
        .bind(queued.phone.as_str())
        .bind(queued.profile_name.as_deref())
        .fetch_one(&mut **tx)
        .await?;
        let conversation: i64 = sqlx::query_scalar(
            "INSERT INTO conversations (tenant_id, customer_id, channel, updated_at, lang)
             VALUES ($1, $2, $3, $4, (SELECT default_lang FROM tenants WHERE id = $1))
             ON CONFLICT (tenant_id, customer_id, channel) DO UPDATE SET updated_at = excluded.updated_at
             RETURNING id",
        )
        .bind(tenant.0)
        .bind(customer)
        .bind(queued.channel.as_str())
        .bind(now.timestamp())
        .fetch_one(&mut **tx)
        .await?;
        let stored: Option<i64> = sqlx::query_scalar(
            "INSERT INTO messages (tenant_id, conversation_id, direction, body, external_id, created_at, kind, payload, sent_at, number_id)
             VALUES ($1, $2, 'in', $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT DO NOTHING RETURNING id",
        )
        .bind(tenant.0)
        .bind(conversation)
        .bind(&queued.text)
        .bind(&queued.external_id)
        .bind(now.timestamp())
        .bind(&queued.kind)
        .bind(&queued.payload)
        .bind(queued.sent_at.timestamp())
        .bind(queued.number_id)
        .fetch_optional(&mut **tx)
        .await?;
        let Some(stored) = stored else {
            delete_claimed(&mut tx, queued).await?;
            tx.commit().await?;
            return Ok(None);
        };
        match queued.effect.as_deref() {
            Some(effect) if effect.starts_with("revoke:") => {
                sqlx::query(
                    "UPDATE messages SET deleted_at = $1
                     WHERE tenant_id = $2 AND conversation_id = $3 AND external_id = $4 AND deleted_at IS NULL",
                )
                .bind(now.timestamp())
                .bind(tenant.0)
                .bind(conversation)
                .bind(effect.trim_start_matches("revoke:"))
                .execute(&mut **tx)
                .await?;
            }
            Some(effect) if effect.starts_with("number:") => {
                // Only when no other customer of the tenant has the new
                // number already (then staff merge them by hand).
                sqlx::query(
                    "UPDATE customers SET phone = $1 WHERE tenant_id = $2 AND id = $3
                       AND NOT EXISTS (SELECT 1 FROM customers WHERE tenant_id = $2 AND phone = $1)",
                )
                .bind(effect.trim_start_matches("number:"))
                .bind(tenant.0)
                .bind(customer)
                .execute(&mut **tx)
                .await?;
            }
            _ => {}
        }
        if let Some(reference) = crate::media::reference(&queued.kind, &queued.payload) {
            crate::media::queue_download(&mut tx, queued, stored, &reference, now).await?;
        }
        if queued.answer {
            let kept = sqlx::query(
                "UPDATE inbound_queue SET message_id = $1 WHERE id = $2 AND claimed_by = $3",
            )
            .bind(stored)
            .bind(queued.id)
            .bind(&queued.claim)
            .execute(&mut **tx)
            .await?
            .rows_affected();
            if kept != 1 {
                tx.rollback().await?;
                return Err(StoreError::ChangedMeanwhile);
            }
        } else {
            delete_claimed(&mut tx, queued).await?;
        }
        tx.commit().await?;
        self.conversations_changed(tenant);
        Ok(Some(stored))
    }

    /// Gives a claimed message back for another try at `not_before`,
    /// noting why this one failed.
    pub async fn retry_inbound(
        &self,
        queue_id: i64,
        claim: &str,
        error: &str,
        not_before: DateTime<Utc>,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE inbound_queue SET claimed_until = NULL, claimed_by = NULL, not_before = $1, last_error = $2
             WHERE id = $3 AND claimed_by = $4",
        )
        .bind(not_before.timestamp())
        .bind(error.chars().take(500).collect::<String>())
        .bind(queue_id)
        .bind(claim)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Takes a message the bot failed on again and again off the queue, so
    /// the customer's later messages are answered; an admitted message
    /// stays in the thread for staff.
    pub async fn give_up_inbound(&self, queue_id: i64, claim: &str, error: &str) -> Result<()> {
        tracing::error!(
            queue_id,
            error,
            "an inbound message was taken off the queue unanswered"
        );
        sqlx::query("DELETE FROM inbound_queue WHERE id = $1 AND claimed_by = $2")
            .bind(queue_id)
            .bind(claim)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Whether `claim` still holds the queued message at `now`: checked
    /// before a turn acts (holds a slot, books), so a worker whose lease
    /// lapsed while it stalled stops instead of acting a second time on a
    /// message another worker has taken.
    pub async fn holds_inbound_claim(
        &self,
        queue_id: i64,
        claim: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let held: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM inbound_queue WHERE id = $1 AND claimed_by = $2 AND claimed_until > $3",
        )
        .bind(queue_id)
        .bind(claim)
        .bind(now.timestamp())
        .fetch_optional(&self.pool)
        .await?;
        Ok(held.is_some())
    }

    /// How many inbound messages wait for the bot.
    pub async fn inbound_waiting(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM inbound_queue")
            .fetch_one(&self.pool)
            .await?)
    }
}

/// Deletes the claimed row; `ChangedMeanwhile` (the transaction then
/// rolls back as it drops) when the claim is no longer this one: it lapsed
/// and another worker holds the message.
async fn delete_claimed(tx: &mut crate::db::WriteTx, queued: &QueuedInbound) -> Result<()> {
    let done = sqlx::query("DELETE FROM inbound_queue WHERE id = $1 AND claimed_by = $2")
        .bind(queued.id)
        .bind(&queued.claim)
        .execute(&mut ***tx)
        .await?
        .rows_affected();
    if done != 1 {
        return Err(StoreError::ChangedMeanwhile);
    }
    Ok(())
}

/// A token naming one claim.
fn claim_token() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Store {
    /// At start-up with SQLite, where one process serves the file, every
    /// claim in it belonged to a process that has ended: the queued
    /// messages and conversation turns it held are let go, so they are
    /// answered now rather than when their leases run out. Replies caught
    /// mid-send are not touched: they may have reached Meta, and the
    /// outbox's grace decides (see `outbox`). With PostgreSQL other
    /// replicas may hold live claims, so nothing is released; leases do it.
    pub async fn release_claims_at_start(&self) -> Result<u64> {
        if self.backend() != Backend::Sqlite {
            return Ok(0);
        }
        let messages = sqlx::query(
            "UPDATE inbound_queue SET claimed_until = NULL, claimed_by = NULL
             WHERE claimed_by IS NOT NULL",
        )
        .execute(&self.pool)
        .await?
        .rows_affected();
        let turns = sqlx::query(
            "UPDATE conversations SET turn_token = NULL, turn_until = NULL
             WHERE turn_token IS NOT NULL",
        )
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(messages + turns)
    }
}

impl Store {
    /// Whether the queued message with Meta's id `external_id` is done
    /// (answered, or taken off the queue).
    pub async fn inbound_done(&self, tenant: TenantId, external_id: &str) -> Result<bool> {
        let waiting: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM inbound_queue WHERE tenant_id = $1 AND external_id = $2",
        )
        .bind(tenant.0)
        .bind(external_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(waiting.is_none())
    }
}
