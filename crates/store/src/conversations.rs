//! Customers, their conversations and the messages in them.

use crate::db::Store;
use crate::error::{Result, StoreError};
use chrono::{DateTime, TimeZone, Utc};
use domain::language::Lang;
use domain::{ConversationId, CustomerId, PhoneE164, TenantId};
use serde::{Deserialize, Serialize};

/// Which pipe a conversation arrived through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The dashboard's WhatsApp simulator.
    Simulator,
    /// Meta's WhatsApp Cloud API.
    Whatsapp,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Simulator => "simulator",
            Channel::Whatsapp => "whatsapp",
        }
    }
}

/// Inbound (from the customer) or outbound (to the customer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    In,
    Out,
}

/// A conversation with the dialogue state the bot keeps between turns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversation {
    pub id: ConversationId,
    pub tenant_id: TenantId,
    pub customer_id: CustomerId,
    pub phone: PhoneE164,
    pub lang: Lang,
    /// The bot's dialogue state, as JSON (`{}` when idle).
    pub state: String,
    /// Bumped by every recorded turn: a turn commits only if the version it
    /// read is still current.
    pub version: i64,
    /// Set while a person answers it. Read when a turn is claimed (see
    /// [`Store::claim_turn`]); `None` from [`Store::open_conversation`].
    pub handoff: Option<crate::Handoff>,
    /// Turns in a row the bot could not use (read with the claim).
    pub unclear_turns: i64,
}

/// What a bot turn leaves behind (see [`Store::record_turn`]).
#[derive(Debug, Clone, Copy)]
pub struct TurnRecord<'a> {
    pub replies: &'a [Outgoing],
    /// The language the conversation continues in.
    pub lang: Lang,
    /// The dialogue state, as JSON.
    pub state: &'a str,
    /// The queued WhatsApp message the turn answers, if it answers one.
    pub answering: Option<&'a crate::Answering>,
    /// Turns in a row the bot could not use, this one counted.
    pub unclear_turns: i64,
    /// Whether a person takes the conversation over, or it returns to the bot.
    pub handoff: crate::HandoffChange,
}

/// One reply as stored: what it says as text, and (for WhatsApp's typed
/// messages) its kind and Graph API object, which the sender posts as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// Plain text: the thread's summary and what staff search.
    pub body: String,
    /// `text`, `interactive` or `template`.
    pub kind: String,
    /// The Graph API object of the kind, as JSON.
    pub payload: Option<String>,
}

impl Outgoing {
    /// A plain text reply.
    pub fn text(body: impl Into<String>) -> Outgoing {
        Outgoing {
            body: body.into(),
            kind: "text".to_string(),
            payload: None,
        }
    }
}

/// How long a claimed turn keeps its conversation before another worker
/// may take it over (the first one crashed or hangs).
pub const TURN_LEASE_SECONDS: i64 = 60;

/// One message of a thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    pub id: i64,
    pub direction: Direction,
    pub body: String,
    /// `text`, `interactive`, `button_reply`, `image`…
    pub kind: String,
    /// What WhatsApp carried (the Graph object of a reply, Meta's message
    /// for an inbound one), as JSON.
    pub payload: Option<String>,
    pub at: DateTime<Utc>,
}

/// A language as stored (`conversations.lang`, `tenants.default_lang`).
pub(crate) fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Id => "id",
    }
}

/// A stored language code read back (English for anything else).
pub(crate) fn lang_of(code: &str) -> Lang {
    if code == "id" {
        Lang::Id
    } else {
        Lang::En
    }
}

impl Store {
    /// The customer with this number, created on first contact.
    pub async fn upsert_customer(&self, tenant: TenantId, phone: &PhoneE164) -> Result<CustomerId> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO customers (tenant_id, phone) VALUES ($1, $2)
             ON CONFLICT (tenant_id, phone) DO UPDATE SET phone = excluded.phone RETURNING id",
        )
        .bind(tenant.0)
        .bind(phone.as_str())
        .fetch_one(&self.pool)
        .await?;
        Ok(CustomerId(id))
    }

    /// The customer with this number, created if new; a given name is kept.
    pub async fn upsert_customer_named(
        &self,
        tenant: TenantId,
        phone: &PhoneE164,
        name: Option<&str>,
    ) -> Result<CustomerId> {
        upsert_customer_named(&self.pool, tenant, phone, name).await
    }

    /// The conversation of this customer on this channel, created if new.
    pub async fn open_conversation(
        &self,
        tenant: TenantId,
        phone: &PhoneE164,
        channel: Channel,
        now: DateTime<Utc>,
    ) -> Result<Conversation> {
        let customer = self.upsert_customer(tenant, phone).await?;
        let row: (i64, String, String, i64) = sqlx::query_as(
            "INSERT INTO conversations (tenant_id, customer_id, channel, updated_at, lang)
             VALUES ($1, $2, $3, $4, (SELECT default_lang FROM tenants WHERE id = $1))
             ON CONFLICT (tenant_id, customer_id, channel) DO UPDATE SET updated_at = excluded.updated_at
             RETURNING id, lang, state, version",
        )
        .bind(tenant.0)
        .bind(customer.0)
        .bind(channel.as_str())
        .bind(now.timestamp())
        .fetch_one(&self.pool)
        .await?;
        Ok(Conversation {
            id: ConversationId(row.0),
            tenant_id: tenant,
            customer_id: customer,
            phone: phone.clone(),
            lang: lang_of(&row.1),
            state: row.2,
            version: row.3,
            handoff: None,
            unclear_turns: 0,
        })
    }

    /// Claims the conversation for one bot turn under `token`, unless
    /// another turn holds it (then `None`: wait and try again). Returns the
    /// conversation as it is now, to run the turn on its current state.
    pub async fn claim_turn(
        &self,
        conversation: &Conversation,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Conversation>> {
        let claimed = sqlx::query(
            "UPDATE conversations SET turn_token = $1, turn_until = $2
             WHERE tenant_id = $3 AND id = $4 AND (turn_until IS NULL OR turn_until <= $5)",
        )
        .bind(token)
        .bind(now.timestamp() + TURN_LEASE_SECONDS)
        .bind(conversation.tenant_id.0)
        .bind(conversation.id.0)
        .bind(now.timestamp())
        .execute(&self.pool)
        .await?
        .rows_affected();
        if claimed == 0 {
            return Ok(None);
        }
        type Row = (
            String,
            String,
            i64,
            i64,
            Option<i64>,
            Option<String>,
            Option<i64>,
            Option<i64>,
            i64,
        );
        let (lang, state, version, unclear_turns, at, reason, handler, last_staff, quiet): Row =
            sqlx::query_as(
                "SELECT v.lang, v.state, v.version, v.unclear_turns, v.handoff_at, v.handoff_reason,
                        v.handler_user_id, v.last_staff_at, t.handoff_quiet_minutes
                 FROM conversations v JOIN tenants t ON t.id = v.tenant_id
                 WHERE v.tenant_id = $1 AND v.id = $2",
            )
            .bind(conversation.tenant_id.0)
            .bind(conversation.id.0)
            .fetch_one(&self.pool)
            .await?;
        Ok(Some(Conversation {
            lang: lang_of(&lang),
            state,
            version,
            handoff: crate::handoff::handoff_of((at, reason, handler, last_staff, quiet))?,
            unclear_turns,
            ..conversation.clone()
        }))
    }

    /// Gives up a claimed turn that recorded nothing (it failed).
    pub async fn release_turn(&self, conversation: &Conversation, token: &str) -> Result<()> {
        sqlx::query(
            "UPDATE conversations SET turn_token = NULL, turn_until = NULL
             WHERE tenant_id = $1 AND id = $2 AND turn_token = $3",
        )
        .bind(conversation.tenant_id.0)
        .bind(conversation.id.0)
        .bind(token)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Stores an inbound message. With an `external_id` (WhatsApp's message
    /// id) a retry of the same message is stored once: `Ok(false)` says it
    /// was already there.
    pub async fn record_inbound(
        &self,
        conversation: &Conversation,
        body: &str,
        external_id: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let inserted = sqlx::query(
            "INSERT INTO messages (tenant_id, conversation_id, direction, body, external_id, created_at)
             VALUES ($1, $2, 'in', $3, $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind(conversation.tenant_id.0)
        .bind(conversation.id.0)
        .bind(body)
        .bind(external_id)
        .bind(now.timestamp())
        .execute(&self.pool)
        .await?
        .rows_affected();
        if inserted == 1 {
            self.conversations_changed(conversation.tenant_id);
        }
        Ok(inserted == 1)
    }

    /// Stores the bot's replies and its new dialogue state in one transaction,
    /// so a crash cannot leave replies without the state that produced them,
    /// and ends the turn claimed with `token`. A turn `answering` a queued
    /// WhatsApp message also puts each reply in the outbox and takes the
    /// message off the queue, in the same transaction. Only if the conversation is
    /// still at the version the turn read and still claimed by it; otherwise
    /// nothing is written and `ChangedMeanwhile` says so.
    pub async fn record_turn(
        &self,
        conversation: &Conversation,
        token: &str,
        turn: TurnRecord<'_>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let TurnRecord {
            replies,
            lang,
            state,
            answering,
            unclear_turns,
            handoff,
        } = turn;
        let mut tx = self.pool.begin().await?;
        for reply in replies {
            let message: i64 = sqlx::query_scalar(
                "INSERT INTO messages (tenant_id, conversation_id, direction, body, created_at, number_id, kind, payload)
                 VALUES ($1, $2, 'out', $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(conversation.tenant_id.0)
            .bind(conversation.id.0)
            .bind(&reply.body)
            .bind(now.timestamp())
            .bind(answering.map(|a| a.number_id))
            .bind(&reply.kind)
            .bind(reply.payload.as_deref())
            .fetch_one(&mut *tx)
            .await?;
            if let Some(answering) = answering.filter(|a| a.channel == Channel::Whatsapp) {
                sqlx::query(
                    "INSERT INTO outbox (tenant_id, conversation_id, message_id, number_id, recipient, next_attempt_at, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $6)",
                )
                .bind(conversation.tenant_id.0)
                .bind(conversation.id.0)
                .bind(message)
                .bind(answering.number_id)
                .bind(&answering.recipient)
                .bind(now.timestamp())
                .execute(&mut *tx)
                .await?;
            }
        }
        if let Some(answering) = answering {
            // The message is answered exactly when its replies exist.
            let answered =
                sqlx::query("DELETE FROM inbound_queue WHERE id = $1 AND claimed_by = $2")
                    .bind(answering.queue_id)
                    .bind(&answering.claim)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            if answered != 1 {
                // The claim lapsed and another worker holds the message:
                // its turn answers it, not this one.
                tx.rollback().await?;
                return Err(StoreError::ChangedMeanwhile);
            }
        }
        let updated = sqlx::query(
            "UPDATE conversations SET lang = $1, state = $2, updated_at = $3, version = version + 1,
                    turn_token = NULL, turn_until = NULL, unclear_turns = $8
             WHERE tenant_id = $4 AND id = $5 AND version = $6 AND turn_token = $7",
        )
        .bind(lang_code(lang))
        .bind(state)
        .bind(now.timestamp())
        .bind(conversation.tenant_id.0)
        .bind(conversation.id.0)
        .bind(conversation.version)
        .bind(token)
        .bind(unclear_turns)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if updated != 1 {
            tx.rollback().await?;
            return Err(StoreError::ChangedMeanwhile);
        }
        match handoff {
            crate::HandoffChange::Keep => {}
            // A new handoff starts now, whatever an earlier one left (its
            // quiet period is over, or there was none).
            crate::HandoffChange::Start(reason) => {
                sqlx::query(
                    "UPDATE conversations SET handoff_at = $1, handoff_reason = $2,
                            handler_user_id = NULL, last_staff_at = NULL
                     WHERE tenant_id = $3 AND id = $4",
                )
                .bind(now.timestamp())
                .bind(reason.as_str())
                .bind(conversation.tenant_id.0)
                .bind(conversation.id.0)
                .execute(&mut *tx)
                .await?;
            }
            // Only if no staff reply came since the turn read the handoff;
            // if one did, the person keeps the conversation, and the turn's
            // replies (a booking's confirmation, say) still go out.
            crate::HandoffChange::End { last_staff_at } => {
                let ended = sqlx::query(
                    "UPDATE conversations SET handoff_at = NULL, handoff_reason = NULL,
                            handler_user_id = NULL, last_staff_at = NULL
                     WHERE tenant_id = $1 AND id = $2 AND COALESCE(last_staff_at, -1) = $3",
                )
                .bind(conversation.tenant_id.0)
                .bind(conversation.id.0)
                .bind(last_staff_at.map_or(-1, |at| at.timestamp()))
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if ended == 0 {
                    tracing::info!(conversation = %conversation.id, "staff replied during the turn; the conversation stays with them");
                }
            }
        }
        tx.commit().await?;
        self.conversations_changed(conversation.tenant_id);
        Ok(())
    }

    /// The messages of a customer's conversation on `channel`, oldest first;
    /// empty when the customer never wrote.
    pub async fn thread(
        &self,
        tenant: TenantId,
        phone: &PhoneE164,
        channel: Channel,
    ) -> Result<Vec<ChatMessage>> {
        type Row = (i64, String, String, i64, String, Option<String>);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT m.id, m.direction, m.body, m.created_at, m.kind, m.payload FROM messages m
             JOIN conversations v ON v.id = m.conversation_id AND v.tenant_id = m.tenant_id
             JOIN customers c ON c.id = v.customer_id AND c.tenant_id = v.tenant_id
             WHERE m.tenant_id = $1 AND c.phone = $2 AND v.channel = $3
             ORDER BY m.id",
        )
        .bind(tenant.0)
        .bind(phone.as_str())
        .bind(channel.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(id, direction, body, at, kind, payload)| {
                Ok(ChatMessage {
                    id,
                    direction: if direction == "in" {
                        Direction::In
                    } else {
                        Direction::Out
                    },
                    body,
                    kind,
                    payload,
                    at: Utc
                        .timestamp_opt(at, 0)
                        .single()
                        .ok_or_else(|| StoreError::Invalid("bad message time".into()))?,
                })
            })
            .collect()
    }
}

impl Store {
    /// The last `limit` text bodies of a conversation, oldest first, as
    /// `(from the customer, body)`: what an agent turn reads as history,
    /// bounded however long the conversation has run.
    pub async fn recent_messages(
        &self,
        tenant: TenantId,
        conversation: ConversationId,
        limit: i64,
    ) -> Result<Vec<(bool, String)>> {
        let mut rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT direction, body FROM messages
             WHERE tenant_id = $1 AND conversation_id = $2
             ORDER BY id DESC LIMIT $3",
        )
        .bind(tenant.0)
        .bind(conversation.0)
        .bind(limit.clamp(0, 200))
        .fetch_all(&self.pool)
        .await?;
        rows.reverse();
        Ok(rows
            .into_iter()
            .map(|(direction, body)| (direction == "in", body))
            .collect())
    }
}

/// The longest customer name kept.
pub const MAX_CUSTOMER_NAME: usize = 120;

/// The customer with this number if it exists and `name` would not change
/// it (no name given, or the same one): read only, nothing written or
/// locked. `None` means: upsert it.
pub(crate) async fn customer_in_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    tenant: TenantId,
    phone: &PhoneE164,
    name: Option<&str>,
) -> Result<Option<CustomerId>> {
    let row: Option<(i64, Option<String>)> =
        sqlx::query_as("SELECT id, name FROM customers WHERE tenant_id = $1 AND phone = $2")
            .bind(tenant.0)
            .bind(phone.as_str())
            .fetch_optional(&mut **tx)
            .await?;
    Ok(customer_as_is(row, name))
}

/// The customer read as `(id, stored name)`, if nothing needs writing: it
/// exists, and the name given (if any) is the one it has.
pub(crate) fn customer_as_is(
    row: Option<(i64, Option<String>)>,
    name: Option<&str>,
) -> Option<CustomerId> {
    let name = crate::names::clean_customer_name(name);
    match row {
        Some((id, stored)) if name.is_none() || name == stored => Some(CustomerId(id)),
        _ => None,
    }
}

/// The customer with this number, created if new; a given name is kept.
/// Through any executor, so a booking upserts its customer inside its own
/// write transaction.
pub(crate) async fn upsert_customer_named<'c, E>(
    executor: E,
    tenant: TenantId,
    phone: &PhoneE164,
    name: Option<&str>,
) -> Result<CustomerId>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let name = crate::names::clean_customer_name(name);
    if name
        .as_ref()
        .is_some_and(|n| n.chars().count() > MAX_CUSTOMER_NAME)
    {
        return Err(StoreError::Invalid(format!(
            "a customer name has at most {MAX_CUSTOMER_NAME} characters"
        )));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO customers (tenant_id, phone, name) VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id, phone) DO UPDATE SET name = COALESCE(excluded.name, customers.name) RETURNING id",
    )
    .bind(tenant.0)
    .bind(phone.as_str())
    .bind(name)
    .fetch_one(executor)
    .await?;
    Ok(CustomerId(id))
}
