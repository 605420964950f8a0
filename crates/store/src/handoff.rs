//! Human handoff: who answers a conversation. The bot hands a conversation
//! to a person when the customer asks for one or it could not use two turns
//! in a row; staff take one over by replying. While a person has it the bot
//! stays silent (messages are still stored); it answers again when staff
//! hand it back, or by itself after the tenant's quiet period without a
//! staff reply, so a customer is never left talking to nobody for long.
//!
//! Staff replies go through the same outbox as the bot's, in one
//! transaction with the message and the handoff.

use crate::conversations::{Channel, Outgoing};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::outbox::SERVICE_WINDOW_SECONDS;
use chrono::{DateTime, Duration, TimeZone, Utc};
use domain::{ConversationId, TenantId};
use serde::{Deserialize, Serialize};

/// Why a person answers a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HandoffReason {
    /// The customer asked for a person.
    Asked,
    /// Two turns in a row the bot could not use.
    Unclear,
    /// Staff took it over (or replied).
    Staff,
    /// A question about the venue the knowledge base had no answer for.
    Unanswered,
    /// The agent handed it over (asked to, or unsure).
    Agent,
}

impl HandoffReason {
    pub fn as_str(self) -> &'static str {
        match self {
            HandoffReason::Asked => "asked",
            HandoffReason::Unclear => "unclear",
            HandoffReason::Staff => "staff",
            HandoffReason::Unanswered => "unanswered",
            HandoffReason::Agent => "agent",
        }
    }

    fn parse(text: &str) -> HandoffReason {
        match text {
            "asked" => HandoffReason::Asked,
            "unclear" => HandoffReason::Unclear,
            "unanswered" => HandoffReason::Unanswered,
            "agent" => HandoffReason::Agent,
            _ => HandoffReason::Staff,
        }
    }
}

/// A conversation a person is answering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handoff {
    pub since: DateTime<Utc>,
    pub reason: HandoffReason,
    /// The staff member who took it over or replied last.
    pub handler: Option<i64>,
    pub last_staff_at: Option<DateTime<Utc>>,
    /// The tenant's quiet period, in minutes.
    pub quiet_minutes: i64,
}

impl Handoff {
    /// When the bot answers again if no staff member replies before.
    pub fn returns_at(&self) -> DateTime<Utc> {
        let last = self
            .last_staff_at
            .map_or(self.since, |at| at.max(self.since));
        last + Duration::minutes(self.quiet_minutes.clamp(0, 60 * 24 * 365))
    }

    pub fn is_over(&self, now: DateTime<Utc>) -> bool {
        now >= self.returns_at()
    }
}

/// How a turn changes who answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HandoffChange {
    #[default]
    Keep,
    /// To a person, for this reason.
    Start(HandoffReason),
    /// Back to the bot: the quiet period is over. Applies only if no staff
    /// reply came since `last_staff_at` was read.
    End {
        last_staff_at: Option<DateTime<Utc>>,
    },
}

/// What became of a staff reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaffReplyOutcome {
    /// Stored (and, on WhatsApp, queued for the sender).
    Queued {
        message_id: i64,
        outbox_id: Option<i64>,
    },
    /// More than 24 hours since the customer's latest WhatsApp message (or
    /// they never wrote through a connected number): only an approved
    /// template may be sent.
    WindowClosed {
        last_inbound_at: Option<DateTime<Utc>>,
    },
}

/// A conversation waiting for, or handled by, a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandedOff {
    pub conversation: ConversationId,
    pub channel: Channel,
    pub phone: String,
    pub customer_name: Option<String>,
    pub handoff: Handoff,
}

pub(crate) fn time(seconds: i64) -> Result<DateTime<Utc>> {
    Utc.timestamp_opt(seconds, 0)
        .single()
        .ok_or_else(|| StoreError::Invalid("bad time".into()))
}

pub(crate) fn channel(text: &str) -> Channel {
    if text == "whatsapp" {
        Channel::Whatsapp
    } else {
        Channel::Simulator
    }
}

/// The handoff columns as read (handoff_at, reason, handler, last staff
/// reply, quiet minutes).
pub(crate) type HandoffColumns = (Option<i64>, Option<String>, Option<i64>, Option<i64>, i64);

pub(crate) fn handoff_of(columns: HandoffColumns) -> Result<Option<Handoff>> {
    let (at, reason, handler, last_staff_at, quiet_minutes) = columns;
    let Some(at) = at else {
        return Ok(None);
    };
    Ok(Some(Handoff {
        since: time(at)?,
        reason: HandoffReason::parse(reason.as_deref().unwrap_or_default()),
        handler,
        last_staff_at: last_staff_at.map(time).transpose()?,
        quiet_minutes,
    }))
}

impl Store {
    /// Sends `reply` from staff member `author` into a conversation: stored
    /// as theirs, queued for WhatsApp within the 24-hour window, and the
    /// conversation is (or stays) with a person, its quiet period starting
    /// now.
    pub async fn staff_reply(
        &self,
        tenant: TenantId,
        conversation: ConversationId,
        author: Option<i64>,
        reply: &Outgoing,
        now: DateTime<Utc>,
    ) -> Result<StaffReplyOutcome> {
        // Reads, then writes: the write lock up front (on SQLite a
        // deferred transaction that read first cannot write after another
        // connection committed, "database is locked").
        let mut tx = self.begin_write().await?;
        tx.leaves_searches();
        let row: Option<(String, String)> = sqlx::query_as(
            "SELECT v.channel, c.phone FROM conversations v
             JOIN customers c ON c.id = v.customer_id AND c.tenant_id = v.tenant_id
             WHERE v.tenant_id = $1 AND v.id = $2",
        )
        .bind(tenant.0)
        .bind(conversation.0)
        .fetch_optional(&mut **tx)
        .await?;
        let Some((channel_name, phone)) = row else {
            return Err(StoreError::NotFound);
        };
        let mut route = None;
        if channel(&channel_name) == Channel::Whatsapp {
            let latest: Option<(i64, Option<i64>)> = sqlx::query_as(
                "SELECT number_id, sent_at FROM messages
                 WHERE tenant_id = $1 AND conversation_id = $2 AND direction = 'in' AND number_id IS NOT NULL
                 ORDER BY sent_at DESC, id DESC LIMIT 1",
            )
            .bind(tenant.0)
            .bind(conversation.0)
            .fetch_optional(&mut **tx)
            .await?;
            let last_inbound_at = latest.and_then(|(_, at)| at).map(time).transpose()?;
            let open =
                last_inbound_at.is_some_and(|at| (now - at).num_seconds() < SERVICE_WINDOW_SECONDS);
            match latest {
                Some((number, _)) if open || reply.kind == "template" => route = Some(number),
                _ => return Ok(StaffReplyOutcome::WindowClosed { last_inbound_at }),
            }
        }
        let message_id: i64 = sqlx::query_scalar(
            "INSERT INTO messages (tenant_id, conversation_id, direction, body, created_at, number_id, kind, payload, author_user_id)
             VALUES ($1, $2, 'out', $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(tenant.0)
        .bind(conversation.0)
        .bind(&reply.body)
        .bind(now.timestamp())
        .bind(route)
        .bind(&reply.kind)
        .bind(reply.payload.as_deref())
        .bind(author)
        .fetch_one(&mut **tx)
        .await?;
        let mut outbox_id = None;
        if let Some(number) = route {
            outbox_id = Some(
                sqlx::query_scalar(
                    "INSERT INTO outbox (tenant_id, conversation_id, message_id, number_id, recipient, next_attempt_at, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
                )
                .bind(tenant.0)
                .bind(conversation.0)
                .bind(message_id)
                .bind(number)
                .bind(phone.trim_start_matches('+'))
                .bind(now.timestamp())
                .fetch_one(&mut **tx)
                .await?,
            );
        }
        sqlx::query(
            "UPDATE conversations SET handoff_at = COALESCE(handoff_at, $1),
                    handoff_reason = COALESCE(handoff_reason, 'staff'),
                    handler_user_id = COALESCE($2, handler_user_id),
                    last_staff_at = $1, unclear_turns = 0, updated_at = $1
             WHERE tenant_id = $3 AND id = $4",
        )
        .bind(now.timestamp())
        .bind(author)
        .bind(tenant.0)
        .bind(conversation.0)
        .execute(&mut **tx)
        .await?;
        tx.commit().await?;
        self.conversations_changed(tenant);
        Ok(StaffReplyOutcome::Queued {
            message_id,
            outbox_id,
        })
    }

    /// Staff take a conversation over: the bot stays silent from now on.
    pub async fn take_over(
        &self,
        tenant: TenantId,
        conversation: ConversationId,
        user: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let updated = sqlx::query(
            "UPDATE conversations SET handoff_at = COALESCE(handoff_at, $1),
                    handoff_reason = COALESCE(handoff_reason, 'staff'),
                    handler_user_id = COALESCE($2, handler_user_id), last_staff_at = $1
             WHERE tenant_id = $3 AND id = $4",
        )
        .bind(now.timestamp())
        .bind(user)
        .bind(tenant.0)
        .bind(conversation.0)
        .execute(&self.pool)
        .await?
        .rows_affected();
        if updated == 0 {
            return Err(StoreError::NotFound);
        }
        self.conversations_changed(tenant);
        Ok(())
    }

    /// Gives a conversation back to the bot, which answers the customer's
    /// next message.
    pub async fn hand_back(&self, tenant: TenantId, conversation: ConversationId) -> Result<()> {
        let updated = sqlx::query(
            "UPDATE conversations SET handoff_at = NULL, handoff_reason = NULL,
                    handler_user_id = NULL, last_staff_at = NULL, unclear_turns = 0
             WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant.0)
        .bind(conversation.0)
        .execute(&self.pool)
        .await?
        .rows_affected();
        if updated == 0 {
            return Err(StoreError::NotFound);
        }
        self.conversations_changed(tenant);
        Ok(())
    }

    /// The tenant's conversations with a person, longest waiting first.
    pub async fn handed_off(&self, tenant: TenantId) -> Result<Vec<HandedOff>> {
        type Row = (
            i64,
            String,
            String,
            Option<String>,
            Option<i64>,
            Option<String>,
            Option<i64>,
            Option<i64>,
            i64,
        );
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT v.id, v.channel, c.phone, COALESCE(c.name, c.whatsapp_name), v.handoff_at, v.handoff_reason,
                    v.handler_user_id, v.last_staff_at, t.handoff_quiet_minutes
             FROM conversations v
             JOIN customers c ON c.id = v.customer_id AND c.tenant_id = v.tenant_id
             JOIN tenants t ON t.id = v.tenant_id
             WHERE v.tenant_id = $1 AND v.handoff_at IS NOT NULL
             ORDER BY v.handoff_at, v.id",
        )
        .bind(tenant.0)
        .fetch_all(&self.pool)
        .await?;
        let mut list = Vec::with_capacity(rows.len());
        for (id, channel_name, phone, name, at, reason, handler, last, quiet) in rows {
            if let Some(handoff) = handoff_of((at, reason, handler, last, quiet))? {
                list.push(HandedOff {
                    conversation: ConversationId(id),
                    channel: channel(&channel_name),
                    phone,
                    customer_name: name,
                    handoff,
                });
            }
        }
        Ok(list)
    }

    /// The quiet period after which a handed-off conversation returns to
    /// the bot, in minutes (1 minute to 30 days).
    pub async fn set_handoff_quiet_minutes(&self, tenant: TenantId, minutes: i64) -> Result<()> {
        if !(1..=30 * 24 * 60).contains(&minutes) {
            return Err(StoreError::Invalid(
                "the quiet period is between 1 minute and 30 days".into(),
            ));
        }
        sqlx::query("UPDATE tenants SET handoff_quiet_minutes = $1 WHERE id = $2")
            .bind(minutes)
            .bind(tenant.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
