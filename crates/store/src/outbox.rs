//! The outbox: replies on their way to WhatsApp. A row is written with
//! the reply (see `Store::record_turn`); the sender claims it, posts it,
//! and records what the Graph API said. Statuses Meta reports later move a
//! row forward only (sent → delivered → read; failed ends it).
//!
//! "Never twice" with an API that has no idempotency key: a claim marks
//! the row `sending` before the post. A row found still `sending` after
//! its lease (the sender died between posting and recording) is only
//! posted again when no status carrying its callback data arrived within
//! [`RESEND_GRACE_SECONDS`] of that claim: Meta reports `sent` for every
//! message it accepted within seconds. The one remaining window is a
//! post Meta accepted whose statuses are all lost or later than the
//! grace: that message is sent twice.

use crate::db::{Backend, Store};
use crate::error::{Result, StoreError};
use crate::whatsapp::WhatsappNumber;
use chrono::{DateTime, TimeZone, Utc};
use domain::{ConversationId, TenantId};

/// How long a claimed send may take before the row counts as abandoned.
pub const SEND_LEASE_SECONDS: i64 = 60;
/// How long after an abandoned post a status may still reveal that it
/// arrived; only then is the row posted again.
pub const RESEND_GRACE_SECONDS: i64 = 300;
/// WhatsApp's customer-service window: free-form messages only within
/// this long after the customer's latest message.
pub const SERVICE_WINDOW_SECONDS: i64 = 24 * 3600;

/// A claimed outbox row with what sending it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxSend {
    pub id: i64,
    pub tenant: TenantId,
    pub conversation: ConversationId,
    pub number: WhatsappNumber,
    /// International digits.
    pub recipient: String,
    /// What is said as text.
    pub body: String,
    /// `text`, `interactive` or `template`.
    pub kind: String,
    /// The Graph API object to post (None for a plain text reply).
    pub payload: Option<String>,
    /// Claims so far, this one included.
    pub attempts: i64,
    /// Meta's time of the customer's latest message (the 24-hour window).
    pub last_inbound_at: Option<DateTime<Utc>>,
    /// The row was claimed before and abandoned mid-send: it may have
    /// reached Meta already.
    pub maybe_posted: bool,
}

/// Orders delivery states; a status applies only if it moves a row up.
/// `failed` ranks between sent and delivered: it ends a row that was not
/// yet delivered, and nothing moves a row out of it.
const RANK: &str = "CASE state WHEN 'queued' THEN 0 WHEN 'sending' THEN 10 WHEN 'sent' THEN 20
    WHEN 'failed' THEN 99 WHEN 'delivered' THEN 30 WHEN 'read' THEN 40 ELSE 99 END";

fn rank(state: &str) -> i64 {
    match state {
        "queued" => 0,
        "sending" => 10,
        "sent" => 20,
        "failed" => 25,
        "delivered" => 30,
        "read" => 40,
        _ => 0,
    }
}

type Candidate = (i64, String, Option<i64>);

impl Store {
    /// Claims the next row due: the oldest unsent row of a conversation
    /// whose earlier rows are all sent or failed (replies arrive in order),
    /// on a number that is not paused; or a row abandoned mid-send.
    pub async fn claim_outbox(&self, now: DateTime<Utc>) -> Result<Option<OutboxSend>> {
        let skip_locked = match self.backend() {
            Backend::Postgres => "FOR UPDATE OF o SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let candidate: Option<Candidate> = sqlx::query_as(&format!(
            "SELECT o.id, o.state, o.claimed_until FROM outbox o
             JOIN whatsapp_numbers n ON n.id = o.number_id
             WHERE ((o.state = 'queued' AND o.next_attempt_at <= $1)
                    OR (o.state = 'sending' AND o.claimed_until <= $2))
               AND n.paused_reason IS NULL
               AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.conversation_id = o.conversation_id
                               AND e.id < o.id AND e.state IN ('queued', 'sending'))
             ORDER BY o.id LIMIT 1 {skip_locked}"
        ))
        .bind(now.timestamp())
        // A `sending` row's claim began `SEND_LEASE_SECONDS` before its
        // `claimed_until`; it is taken again once the grace from then is over.
        .bind(now.timestamp() - (RESEND_GRACE_SECONDS - SEND_LEASE_SECONDS))
        .fetch_optional(&self.pool)
        .await?;
        let Some((id, state, claimed_until)) = candidate else {
            return Ok(None);
        };
        // Compare and set: another sender that took the row meanwhile wins.
        let claimed = sqlx::query(
            "UPDATE outbox SET state = 'sending', claimed_until = $1, attempts = attempts + 1
             WHERE id = $2 AND state = $3 AND COALESCE(claimed_until, -1) = COALESCE($4, -1)",
        )
        .bind(now.timestamp() + SEND_LEASE_SECONDS)
        .bind(id)
        .bind(&state)
        .bind(claimed_until)
        .execute(&self.pool)
        .await?
        .rows_affected();
        if claimed != 1 {
            return Ok(None);
        }
        type Row = (
            i64,
            i64,
            i64,
            String,
            String,
            String,
            Option<String>,
            i64,
            Option<i64>,
        );
        let (tenant, conversation, number_id, recipient, body, kind, payload, attempts, last_inbound): Row =
            sqlx::query_as(
                "SELECT o.tenant_id, o.conversation_id, o.number_id, o.recipient, m.body, m.kind, m.payload, o.attempts,
                        (SELECT MAX(i.sent_at) FROM messages i
                         WHERE i.tenant_id = o.tenant_id AND i.conversation_id = o.conversation_id AND i.direction = 'in')
                 FROM outbox o JOIN messages m ON m.id = o.message_id WHERE o.id = $1",
            )
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        let number = self
            .whatsapp_number_by_id(number_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(Some(OutboxSend {
            id,
            tenant: TenantId(tenant),
            conversation: ConversationId(conversation),
            number,
            recipient,
            body,
            kind,
            payload,
            attempts,
            last_inbound_at: last_inbound.and_then(|t| Utc.timestamp_opt(t, 0).single()),
            maybe_posted: state == "sending",
        }))
    }

    /// For a row abandoned mid-send: whether a status showed that its
    /// post reached Meta (then it is recorded as sent with that message id,
    /// and not posted again).
    pub async fn settle_abandoned(&self, row: &OutboxSend, now: DateTime<Utc>) -> Result<bool> {
        // Only statuses from the row's own tenant's numbers: another venue
        // can put any callback data on messages it sends itself.
        let found: Option<String> = sqlx::query_scalar(
            "SELECT wamid FROM message_statuses WHERE tenant_id = $1 AND callback_data = $2 ORDER BY id LIMIT 1",
        )
        .bind(row.tenant.0)
        .bind(format!("outbox:{}", row.id))
        .fetch_optional(&self.pool)
        .await?;
        match found {
            Some(wamid) => {
                self.record_sent(row, &wamid, now).await?;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Meta accepted the post: the row is sent, under Meta's message id
    /// (empty when Meta's answer did not name it: then only statuses
    /// carrying the row's callback data find it), and any status that
    /// arrived before this is applied now.
    pub async fn record_sent(
        &self,
        row: &OutboxSend,
        wamid: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let (id, tenant) = (row.id, row.tenant);
        let wamid = Some(wamid).filter(|w| !w.is_empty());
        sqlx::query(
            "UPDATE outbox SET state = 'sent', wamid = $1, posted_at = $2, claimed_until = NULL
             WHERE id = $3 AND state IN ('queued', 'sending')",
        )
        .bind(wamid)
        .bind(now.timestamp())
        .bind(id)
        .execute(&self.pool)
        .await?;
        let kept: Vec<(String, Option<String>)> = sqlx::query_as(
            "SELECT state, errors FROM message_statuses
             WHERE tenant_id = $1 AND (wamid = $2 OR callback_data = $3)",
        )
        .bind(tenant.0)
        .bind(wamid)
        .bind(format!("outbox:{id}"))
        .fetch_all(&self.pool)
        .await?;
        for (state, errors) in kept {
            advance(
                &self.pool,
                Some(tenant),
                Some(id),
                None,
                &state,
                errors.as_deref(),
            )
            .await?;
        }
        self.conversations_changed(tenant);
        Ok(())
    }

    /// The post went out but no answer came back (a timeout, a broken
    /// connection): the row stays `sending`, as if its claim had begun
    /// now, and is settled or posted again after the grace.
    pub async fn abandon_outbox(&self, id: i64, now: DateTime<Utc>) -> Result<()> {
        sqlx::query("UPDATE outbox SET claimed_until = $1 WHERE id = $2 AND state = 'sending'")
            .bind(now.timestamp() + SEND_LEASE_SECONDS)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The post failed in a way worth retrying: the row waits until
    /// `next_attempt_at`.
    pub async fn retry_outbox(
        &self,
        id: i64,
        next_attempt_at: DateTime<Utc>,
        error: &str,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE outbox SET state = 'queued', claimed_until = NULL, next_attempt_at = $1, error_title = $2
             WHERE id = $3 AND state = 'sending'",
        )
        .bind(next_attempt_at.timestamp())
        .bind(error.chars().take(500).collect::<String>())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The message can never be sent as it is: recorded with Meta's code
    /// and title (or ours), for staff.
    pub async fn fail_outbox(&self, id: i64, code: Option<i64>, title: &str) -> Result<()> {
        let tenant: Option<i64> = sqlx::query_scalar(
            "UPDATE outbox SET state = 'failed', claimed_until = NULL, error_code = $1, error_title = $2
             WHERE id = $3 AND state IN ('queued', 'sending') RETURNING tenant_id",
        )
        .bind(code)
        .bind(title.chars().take(500).collect::<String>())
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        if let Some(tenant) = tenant {
            self.conversations_changed(TenantId(tenant));
        }
        Ok(())
    }

    /// Meta refused the number itself: every send of it waits, and the
    /// tenant's settings show why, until the number is connected again.
    pub async fn pause_number(&self, number_id: i64, reason: &str) -> Result<()> {
        sqlx::query("UPDATE whatsapp_numbers SET paused_reason = $1 WHERE id = $2")
            .bind(reason.chars().take(500).collect::<String>())
            .bind(number_id)
            .execute(&self.pool)
            .await?;
        self.numbers.forget();
        Ok(())
    }
}

/// Moves a row forward to `state` (by id or by Meta's message id), never
/// backwards.
pub(crate) async fn advance<'c, E>(
    executor: E,
    tenant: Option<TenantId>,
    id: Option<i64>,
    wamid: Option<&str>,
    state: &str,
    errors: Option<&str>,
) -> Result<()>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let (code, title) = first_error(errors);
    let failed = state == "failed";
    sqlx::query(&format!(
        "UPDATE outbox SET state = $1,
             error_code = CASE WHEN $2 THEN $3 ELSE error_code END,
             error_title = CASE WHEN $2 THEN $4 ELSE error_title END
         WHERE (id = $5 OR wamid = $6) AND ({RANK}) < $7 AND ($8 < 0 OR tenant_id = $8)"
    ))
    .bind(state)
    .bind(failed)
    .bind(code)
    .bind(title)
    .bind(id.unwrap_or(-1))
    // NULL when unknown: it equals no row (an empty id would match every
    // row recorded without one).
    .bind(wamid.filter(|w| !w.is_empty()))
    .bind(rank(state))
    .bind(tenant.map_or(-1, |t| t.0))
    .execute(executor)
    .await?;
    Ok(())
}

/// The first error of a status's `errors` JSON: its code and title.
fn first_error(errors: Option<&str>) -> (Option<i64>, Option<String>) {
    let first = errors
        .and_then(|e| serde_json::from_str::<serde_json::Value>(e).ok())
        .and_then(|v| v.get(0).cloned());
    match first {
        Some(error) => (
            error.get("code").and_then(serde_json::Value::as_i64),
            error
                .get("title")
                .and_then(serde_json::Value::as_str)
                .map(str::to_string),
        ),
        None => (None, None),
    }
}

/// Where a message Pesan starts was queued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    pub message_id: i64,
    pub outbox_id: i64,
}

impl Store {
    /// Queues a message Pesan starts itself (a reminder, a waitlist offer:
    /// a template) to the customer with `phone`, outside any bot turn: into
    /// their WhatsApp conversation (made if new), sent from the number they
    /// last wrote to, or the tenant's first connected number. The caller
    /// checks that the message may go out (a template, or the window open).
    /// `author` is the staff member who sent it (shown in the inbox), `None`
    /// when Pesan sends it by itself.
    pub async fn queue_message(
        &self,
        tenant: TenantId,
        phone: &domain::PhoneE164,
        reply: &crate::Outgoing,
        author: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<Queued> {
        let conversation = self
            .open_conversation(tenant, phone, crate::Channel::Whatsapp, now)
            .await?;
        // Reads, then writes: the write lock up front (on SQLite a
        // deferred transaction that read first cannot write after another
        // connection committed, "database is locked").
        let mut tx = self.begin_write().await?;
        tx.leaves_searches();
        let number: Option<i64> = sqlx::query_scalar(&format!(
            "SELECT COALESCE(
                 (SELECT number_id FROM messages
                  WHERE tenant_id = $1 AND conversation_id = $2 AND direction = 'in' AND number_id IS NOT NULL
                  ORDER BY sent_at DESC, id DESC LIMIT 1),
                 (SELECT id FROM whatsapp_numbers
                  WHERE tenant_id = $1 AND phone_number_id NOT LIKE '{}%' ORDER BY id LIMIT 1))",
            crate::SIMULATOR_NUMBER_PREFIX
        ))
        .bind(tenant.0)
        .bind(conversation.id.0)
        .fetch_one(&mut **tx)
        .await?;
        let Some(number) = number else {
            return Err(StoreError::Invalid(
                "no WhatsApp number is connected: run `pesan whatsapp connect`".into(),
            ));
        };
        let message_id: i64 = sqlx::query_scalar(
            "INSERT INTO messages (tenant_id, conversation_id, direction, body, created_at, number_id, kind, payload, author_user_id)
             VALUES ($1, $2, 'out', $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(tenant.0)
        .bind(conversation.id.0)
        .bind(&reply.body)
        .bind(now.timestamp())
        .bind(number)
        .bind(&reply.kind)
        .bind(reply.payload.as_deref())
        .bind(author)
        .fetch_one(&mut **tx)
        .await?;
        let outbox_id: i64 = sqlx::query_scalar(
            "INSERT INTO outbox (tenant_id, conversation_id, message_id, number_id, recipient, next_attempt_at, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(tenant.0)
        .bind(conversation.id.0)
        .bind(message_id)
        .bind(number)
        .bind(phone.as_str().trim_start_matches('+'))
        .bind(now.timestamp())
        .fetch_one(&mut **tx)
        .await?;
        tx.commit().await?;
        self.conversations_changed(tenant);
        Ok(Queued {
            message_id,
            outbox_id,
        })
    }
}
