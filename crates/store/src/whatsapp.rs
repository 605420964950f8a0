//! WhatsApp numbers and what arrives through them: the webhook's messages
//! are stored, with their place in the inbound queue, in one transaction,
//! once each (unique on the tenant and Meta's message id), so a delivery
//! Meta repeats, or fifty copies of it at once, leaves one message and one
//! bot turn to take.

use crate::conversations::MAX_CUSTOMER_NAME;
use crate::db::Store;
use crate::error::{Result, StoreError};
use chrono::{DateTime, Utc};
use domain::{PhoneE164, TenantId};

/// A business number bound to a tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhatsappNumber {
    pub id: i64,
    pub tenant_id: TenantId,
    /// Meta's id of the number: what webhooks and sends name it by.
    pub phone_number_id: String,
    pub waba_id: Option<String>,
    pub display_phone: Option<String>,
    /// The access token, sealed (the store never sees it in the clear).
    pub token_sealed: String,
    /// Its last characters, to tell tokens apart without showing one.
    pub token_hint: String,
    /// Why sends of this number are paused, if they are.
    pub paused_reason: Option<String>,
}

/// What `pesan whatsapp connect` binds.
#[derive(Debug, Clone)]
pub struct NewWhatsappNumber {
    pub phone_number_id: String,
    pub waba_id: Option<String>,
    pub display_phone: Option<String>,
    pub token_sealed: String,
    pub token_hint: String,
}

/// Something a stored message does beyond being stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InboundEffect {
    None,
    /// The customer deleted an earlier message (Meta's id of it): it is
    /// marked deleted; nothing it led to is undone.
    Revoke {
        external_id: String,
    },
    /// The customer's WhatsApp number changed to this one.
    NumberChanged {
        phone: PhoneE164,
    },
}

/// One inbound message as the webhook read it.
#[derive(Debug, Clone)]
pub struct NewInbound {
    /// Meta's message id (`wamid.…`).
    pub external_id: String,
    pub phone: PhoneE164,
    /// The customer's WhatsApp profile name.
    pub profile_name: Option<String>,
    /// Meta's time of the message.
    pub sent_at: DateTime<Utc>,
    /// `text`, `image`, `button_reply`…
    pub kind: String,
    /// What the thread shows: the text, a button's title, a caption.
    pub body: String,
    /// The message as Meta sent it (JSON).
    pub payload: String,
    /// Whether the bot takes a turn on it.
    pub queue: bool,
    pub effect: InboundEffect,
}

/// A delivery status of one of our messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStatus {
    /// Meta's id of our message.
    pub wamid: String,
    /// What we sent as `biz_opaque_callback_data`.
    pub callback_data: Option<String>,
    /// `sent`, `delivered`, `read` or `failed`.
    pub state: String,
    pub at: DateTime<Utc>,
    /// Meta's `errors[]`, as JSON, for a failure.
    pub errors: Option<String>,
}

/// What storing a delivery did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredInbound {
    /// Messages stored now.
    pub stored: usize,
    /// Messages stored before (a redelivery).
    pub duplicates: usize,
    /// The ids of the stored messages queued for a bot turn.
    pub queued: Vec<i64>,
    /// Statuses stored now (a repeated one is stored once).
    pub statuses: usize,
}

const NUMBER_COLUMNS: &str = "id, tenant_id, phone_number_id, waba_id, display_phone, token_sealed, token_hint, paused_reason";

type NumberRow = (
    i64,
    i64,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    Option<String>,
);

fn number(row: NumberRow) -> WhatsappNumber {
    WhatsappNumber {
        id: row.0,
        tenant_id: TenantId(row.1),
        phone_number_id: row.2,
        waba_id: row.3,
        display_phone: row.4,
        token_sealed: row.5,
        token_hint: row.6,
        paused_reason: row.7,
    }
}

/// A profile name within the customer-name limit (Meta allows longer).
fn clipped_name(name: Option<&str>) -> Option<String> {
    let name = name.map(str::trim).filter(|n| !n.is_empty())?;
    Some(name.chars().take(MAX_CUSTOMER_NAME).collect())
}

impl Store {
    /// Binds a number to `tenant`, or updates its token and details when
    /// the tenant already has it. A number another tenant holds is
    /// refused (`Duplicate`): one number belongs to one tenant.
    pub async fn connect_whatsapp_number(
        &self,
        tenant: TenantId,
        new: &NewWhatsappNumber,
        now: DateTime<Utc>,
    ) -> Result<WhatsappNumber> {
        let id = new.phone_number_id.trim();
        if id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(StoreError::Invalid(
                "a phone number id is Meta's id of the number: digits only".into(),
            ));
        }
        let row: Option<NumberRow> = sqlx::query_as(&format!(
            "INSERT INTO whatsapp_numbers (tenant_id, phone_number_id, waba_id, display_phone, token_sealed, token_hint, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
             ON CONFLICT (phone_number_id) DO UPDATE SET
                 waba_id = COALESCE(excluded.waba_id, whatsapp_numbers.waba_id),
                 display_phone = COALESCE(excluded.display_phone, whatsapp_numbers.display_phone),
                 token_sealed = excluded.token_sealed, token_hint = excluded.token_hint,
                 paused_reason = NULL, updated_at = excluded.updated_at
             WHERE whatsapp_numbers.tenant_id = excluded.tenant_id
             RETURNING {NUMBER_COLUMNS}"
        ))
        .bind(tenant.0)
        .bind(id)
        .bind(new.waba_id.as_deref())
        .bind(new.display_phone.as_deref())
        .bind(&new.token_sealed)
        .bind(&new.token_hint)
        .bind(now.timestamp())
        .fetch_optional(&self.pool)
        .await?;
        row.map(number).ok_or_else(|| {
            StoreError::Duplicate("that WhatsApp number is connected to another venue".into())
        })
    }

    /// The number Meta names `phone_number_id`, whichever tenant has it.
    pub async fn whatsapp_number(&self, phone_number_id: &str) -> Result<Option<WhatsappNumber>> {
        let row: Option<NumberRow> = sqlx::query_as(&format!(
            "SELECT {NUMBER_COLUMNS} FROM whatsapp_numbers WHERE phone_number_id = $1"
        ))
        .bind(phone_number_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(number))
    }

    /// A number by its row id.
    pub async fn whatsapp_number_by_id(&self, id: i64) -> Result<Option<WhatsappNumber>> {
        let row: Option<NumberRow> = sqlx::query_as(&format!(
            "SELECT {NUMBER_COLUMNS} FROM whatsapp_numbers WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(number))
    }

    /// The tenant's numbers.
    pub async fn whatsapp_numbers(&self, tenant: TenantId) -> Result<Vec<WhatsappNumber>> {
        let rows: Vec<NumberRow> = sqlx::query_as(&format!(
            "SELECT {NUMBER_COLUMNS} FROM whatsapp_numbers WHERE tenant_id = $1 ORDER BY id"
        ))
        .bind(tenant.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(number).collect())
    }

    /// Stores the messages and statuses of one delivery to `number` and
    /// queues the messages the bot answers, all in one transaction: after it commits every
    /// message is stored once, and none is lost when it fails (the webhook
    /// then answers an error and Meta delivers again).
    pub async fn record_whatsapp_inbound(
        &self,
        number: &WhatsappNumber,
        messages: &[NewInbound],
        statuses: &[NewStatus],
        now: DateTime<Utc>,
    ) -> Result<StoredInbound> {
        let tenant = number.tenant_id;
        let mut report = StoredInbound::default();
        if messages.is_empty() && statuses.is_empty() {
            return Ok(report);
        }
        let mut tx = self.begin_write().await?;
        tx.leaves_searches();
        for message in messages {
            let customer: i64 = sqlx::query_scalar(
                "INSERT INTO customers (tenant_id, phone, whatsapp_name) VALUES ($1, $2, $3)
                 ON CONFLICT (tenant_id, phone) DO UPDATE
                     SET whatsapp_name = COALESCE(excluded.whatsapp_name, customers.whatsapp_name)
                 RETURNING id",
            )
            .bind(tenant.0)
            .bind(message.phone.as_str())
            .bind(clipped_name(message.profile_name.as_deref()))
            .fetch_one(&mut **tx)
            .await?;
            let conversation: i64 = sqlx::query_scalar(
                "INSERT INTO conversations (tenant_id, customer_id, channel, updated_at) VALUES ($1, $2, 'whatsapp', $3)
                 ON CONFLICT (tenant_id, customer_id, channel) DO UPDATE SET updated_at = excluded.updated_at
                 RETURNING id",
            )
            .bind(tenant.0)
            .bind(customer)
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
            .bind(&message.body)
            .bind(&message.external_id)
            .bind(now.timestamp())
            .bind(&message.kind)
            .bind(&message.payload)
            .bind(message.sent_at.timestamp())
            .bind(number.id)
            .fetch_optional(&mut **tx)
            .await?;
            let Some(stored) = stored else {
                report.duplicates += 1;
                continue;
            };
            report.stored += 1;
            if message.queue {
                sqlx::query(
                    "INSERT INTO inbound_queue (message_id, tenant_id, conversation_id, sent_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(stored)
                .bind(tenant.0)
                .bind(conversation)
                .bind(message.sent_at.timestamp())
                .execute(&mut **tx)
                .await?;
                report.queued.push(stored);
            }
            match &message.effect {
                InboundEffect::None => {}
                InboundEffect::Revoke { external_id } => {
                    sqlx::query(
                        "UPDATE messages SET deleted_at = $1
                         WHERE tenant_id = $2 AND conversation_id = $3 AND external_id = $4 AND deleted_at IS NULL",
                    )
                    .bind(now.timestamp())
                    .bind(tenant.0)
                    .bind(conversation)
                    .bind(external_id)
                    .execute(&mut **tx)
                    .await?;
                }
                InboundEffect::NumberChanged { phone } => {
                    // Only when no other customer of the tenant has the new
                    // number already (then staff merge them by hand).
                    sqlx::query(
                        "UPDATE customers SET phone = $1 WHERE tenant_id = $2 AND id = $3
                           AND NOT EXISTS (SELECT 1 FROM customers WHERE tenant_id = $2 AND phone = $1)",
                    )
                    .bind(phone.as_str())
                    .bind(tenant.0)
                    .bind(customer)
                    .execute(&mut **tx)
                    .await?;
                }
            }
        }
        for status in statuses {
            report.statuses += sqlx::query(
                "INSERT INTO message_statuses (tenant_id, wamid, callback_data, state, at, errors, received_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
            )
            .bind(tenant.0)
            .bind(&status.wamid)
            .bind(status.callback_data.as_deref())
            .bind(&status.state)
            .bind(status.at.timestamp())
            .bind(status.errors.as_deref())
            .bind(now.timestamp())
            .execute(&mut **tx)
            .await?
            .rows_affected() as usize;
            // Applied now to the message it is about, if that message's
            // send is recorded; otherwise when it is (`record_sent`).
            crate::outbox::advance(
                &mut **tx,
                Some(tenant),
                status
                    .callback_data
                    .as_deref()
                    .and_then(|c| c.strip_prefix("outbox:"))
                    .and_then(|id| id.parse().ok()),
                Some(&status.wamid),
                &status.state,
                status.errors.as_deref(),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(report)
    }
}
