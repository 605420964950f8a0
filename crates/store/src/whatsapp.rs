//! WhatsApp numbers and what arrives through them: the webhook's messages
//! are stored in the inbound queue in one statement, once each (unique on
//! the tenant and Meta's message id), so a delivery Meta repeats, or fifty
//! copies of it at once, leaves one message and one bot turn to take.

use crate::conversations::MAX_CUSTOMER_NAME;
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::intake;
use chrono::{DateTime, Utc};
use domain::{PhoneE164, TenantId};

/// How long a looked-up number (or its absence) is trusted: a number
/// connected or paused by another process is seen within this time; this
/// process's own changes at once.
const NUMBER_CACHE_SECONDS: u64 = 10;
/// At most this many numbers are remembered.
const NUMBER_CACHE_ENTRIES: usize = 1024;

/// The numbers the webhook looked up lately, by Meta's id: every delivery
/// names its number, and a lookup per delivery was a third of the time
/// the webhook took to answer.
#[derive(Default, Debug)]
pub(crate) struct NumberCache(
    std::sync::Mutex<
        std::collections::HashMap<String, (Option<WhatsappNumber>, std::time::Instant)>,
    >,
);

impl NumberCache {
    fn lock(
        &self,
    ) -> std::sync::MutexGuard<
        '_,
        std::collections::HashMap<String, (Option<WhatsappNumber>, std::time::Instant)>,
    > {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn get(&self, phone_number_id: &str) -> Option<Option<WhatsappNumber>> {
        self.lock()
            .get(phone_number_id)
            .filter(|(_, read)| read.elapsed().as_secs() < NUMBER_CACHE_SECONDS)
            .map(|(number, _)| number.clone())
    }

    fn put(&self, phone_number_id: &str, number: Option<WhatsappNumber>) {
        let mut cache = self.lock();
        if cache.len() >= NUMBER_CACHE_ENTRIES {
            cache.clear();
        }
        cache.insert(
            phone_number_id.to_string(),
            (number, std::time::Instant::now()),
        );
    }

    pub(crate) fn forget(&self) {
        self.lock().clear();
    }
}

/// What the phone number id of a tenant's simulated number starts with
/// (Meta's ids are digits, so no webhook can name one).
pub const SIMULATOR_NUMBER_PREFIX: &str = "simulator:";

/// Whether a number is the dashboard simulator's, not one of Meta's.
pub fn is_simulated(phone_number_id: &str) -> bool {
    phone_number_id.starts_with(SIMULATOR_NUMBER_PREFIX)
}

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
    /// Whether the bot takes a turn on it (not for a reaction, a revoke…).
    pub queue: bool,
    pub effect: InboundEffect,
}

/// A message from a sender Meta names only by their business-scoped user
/// id (no phone number): kept for staff, not taken in by the bot.
#[derive(Debug, Clone)]
pub struct NewUserMessage {
    pub external_id: String,
    pub user_id: Option<String>,
    pub profile_name: Option<String>,
    pub sent_at: DateTime<Utc>,
    pub kind: String,
    /// The message as Meta sent it (JSON).
    pub payload: String,
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
pub(crate) fn clipped_name(name: Option<&str>) -> Option<String> {
    let name = crate::names::clean_customer_name(name)?;
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
        self.numbers.forget();
        row.map(number).ok_or_else(|| {
            StoreError::Duplicate("that WhatsApp number is connected to another venue".into())
        })
    }

    /// The number Meta names `phone_number_id`, whichever tenant has it.
    pub async fn whatsapp_number(&self, phone_number_id: &str) -> Result<Option<WhatsappNumber>> {
        if is_simulated(phone_number_id) {
            // Only the simulator's own server function reaches those.
            return Ok(None);
        }
        if let Some(found) = self.numbers.get(phone_number_id) {
            return Ok(found);
        }
        let row: Option<NumberRow> = sqlx::query_as(&format!(
            "SELECT {NUMBER_COLUMNS} FROM whatsapp_numbers WHERE phone_number_id = $1"
        ))
        .bind(phone_number_id)
        .fetch_optional(&self.pool)
        .await?;
        let found = row.map(number);
        // Only numbers found: one connected by the CLI (another process)
        // must be seen at once, not after a remembered absence expires.
        if let Some(number) = &found {
            self.numbers.put(phone_number_id, Some(number.clone()));
        }
        Ok(found)
    }

    /// The tenant's simulated number, made on first use: the simulator's
    /// messages enter the same queue as WhatsApp's through it, and its
    /// replies stay in the thread (nothing is posted to Meta).
    pub async fn simulator_number(
        &self,
        tenant: TenantId,
        now: DateTime<Utc>,
    ) -> Result<WhatsappNumber> {
        let phone_number_id = format!("{SIMULATOR_NUMBER_PREFIX}{tenant}");
        sqlx::query(
            "INSERT INTO whatsapp_numbers (tenant_id, phone_number_id, display_phone, token_sealed, token_hint, created_at, updated_at)
             VALUES ($1, $2, 'simulator', '', '', $3, $3) ON CONFLICT (phone_number_id) DO NOTHING",
        )
        .bind(tenant.0)
        .bind(&phone_number_id)
        .bind(now.timestamp())
        .execute(&self.pool)
        .await?;
        let row: Option<NumberRow> = sqlx::query_as(&format!(
            "SELECT {NUMBER_COLUMNS} FROM whatsapp_numbers WHERE phone_number_id = $1 AND tenant_id = $2"
        ))
        .bind(&phone_number_id)
        .bind(tenant.0)
        .fetch_optional(&self.pool)
        .await?;
        row.map(number).ok_or(StoreError::NotFound)
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

    /// Keeps messages from senders without a phone number, once each.
    pub async fn record_user_messages(
        &self,
        number: &WhatsappNumber,
        messages: &[NewUserMessage],
        now: DateTime<Utc>,
    ) -> Result<usize> {
        let mut tx = self.pool.begin().await?;
        let mut stored = 0;
        for message in messages {
            stored += sqlx::query(
                "INSERT INTO whatsapp_user_messages (tenant_id, number_id, external_id, user_id, profile_name, sent_at, kind, payload, received_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (tenant_id, external_id) DO NOTHING",
            )
            .bind(number.tenant_id.0)
            .bind(number.id)
            .bind(message.external_id.replace('\0', ""))
            .bind(message.user_id.as_deref().map(|u| u.replace('\0', "")))
            .bind(clipped_name(message.profile_name.as_deref()).map(|n| n.replace('\0', "")))
            .bind(message.sent_at.timestamp())
            .bind(message.kind.replace('\0', ""))
            .bind(&message.payload)
            .bind(now.timestamp())
            .execute(&mut *tx)
            .await?
            .rows_affected() as usize;
        }
        tx.commit().await?;
        Ok(stored)
    }

    /// The tenant's WhatsApp numbers (not the simulator's).
    pub async fn whatsapp_numbers(&self, tenant: TenantId) -> Result<Vec<WhatsappNumber>> {
        let rows: Vec<NumberRow> = sqlx::query_as(&format!(
            "SELECT {NUMBER_COLUMNS} FROM whatsapp_numbers WHERE tenant_id = $1 ORDER BY id"
        ))
        .bind(tenant.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(number)
            .filter(|n| !is_simulated(&n.phone_number_id))
            .collect())
    }

    /// Stores the messages and statuses of one delivery to `number`. The
    /// messages go into the inbound queue in one statement (all or none,
    /// each once: a redelivered message is skipped), so the webhook can
    /// answer Meta after a single durable write; the worker admits them
    /// into their conversations. The statuses are kept, and applied to the
    /// outbox rows they are about, in one transaction after that.
    pub async fn record_whatsapp_inbound(
        &self,
        number: &WhatsappNumber,
        messages: &[NewInbound],
        statuses: &[NewStatus],
        now: DateTime<Utc>,
    ) -> Result<StoredInbound> {
        let tenant = number.tenant_id;
        let mut report = StoredInbound::default();
        if !messages.is_empty() {
            report.stored = self.queue_inbound(number, messages, now).await?;
            report.duplicates = messages.len() - report.stored;
        }
        if statuses.is_empty() {
            return Ok(report);
        }
        let mut tx = self.begin_write().await?;
        tx.leaves_searches();
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
        self.conversations_changed(tenant);
        Ok(report)
    }

    /// The messages into the inbound queue, each once; how many were new.
    /// A delivery goes into the next batch of the intake (see
    /// [`crate::intake`]); one too large for a batch is written in chunks,
    /// in a transaction of its own.
    async fn queue_inbound(
        &self,
        number: &WhatsappNumber,
        messages: &[NewInbound],
        now: DateTime<Utc>,
    ) -> Result<usize> {
        if messages.len() <= intake::MAX_ROWS {
            return self.queue_in_batch(number, messages, now).await;
        }
        let mut tx = self.begin_write().await?;
        tx.leaves_searches();
        let mut stored = 0;
        for chunk in messages.chunks(intake::MAX_ROWS) {
            let sql = intake::insert_sql(chunk.len(), false);
            let mut query = sqlx::query(&sql);
            for message in chunk {
                query = intake::bind_message(query, (number.tenant_id.0, number.id, now), message);
            }
            stored += query.execute(&mut **tx).await?.rows_affected() as usize;
        }
        tx.commit().await?;
        Ok(stored)
    }
}
