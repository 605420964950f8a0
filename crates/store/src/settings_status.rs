//! What the settings page reports about a venue's channels: per WhatsApp
//! number, when a message last came in and how the last send went, so an
//! owner can tell "Meta stopped calling us" from "our sends are refused"
//! without reading logs.

use crate::bookings::instant;
use crate::db::Store;
use crate::error::Result;
use crate::whatsapp::WhatsappNumber;
use chrono::{DateTime, Utc};
use domain::TenantId;

/// The last send of a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastSend {
    /// `queued`, `sending`, `sent`, `delivered`, `read` or `failed`.
    pub state: String,
    pub at: DateTime<Utc>,
    /// Meta's code and title of a refusal.
    pub error: Option<String>,
}

/// One number with what it last did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberStatus {
    pub number: WhatsappNumber,
    pub last_inbound_at: Option<DateTime<Utc>>,
    pub last_send: Option<LastSend>,
}

/// An outbox row's state, created and posted times, Meta's error.
type SendRow = (String, i64, Option<i64>, Option<i64>, Option<String>);

impl Store {
    /// The tenant's WhatsApp numbers (the simulator's aside), each with its
    /// latest inbound message and send. Two index lookups per number.
    pub async fn whatsapp_status(&self, tenant: TenantId) -> Result<Vec<NumberStatus>> {
        let mut out = Vec::new();
        for number in self.whatsapp_numbers(tenant).await? {
            let inbound: Option<i64> = sqlx::query_scalar(
                "SELECT created_at FROM messages
                 WHERE number_id = $1 AND tenant_id = $2 AND direction = 'in'
                 ORDER BY id DESC LIMIT 1",
            )
            .bind(number.id)
            .bind(tenant.0)
            .fetch_optional(&self.pool)
            .await?;
            let send: Option<SendRow> = sqlx::query_as(
                "SELECT state, created_at, posted_at, error_code, error_title FROM outbox
                     WHERE number_id = $1 AND tenant_id = $2
                     ORDER BY id DESC LIMIT 1",
            )
            .bind(number.id)
            .bind(tenant.0)
            .fetch_optional(&self.pool)
            .await?;
            let last_send = match send {
                Some((state, created, posted, code, title)) => Some(LastSend {
                    state,
                    at: instant(posted.unwrap_or(created))?,
                    error: match (code, title) {
                        (None, None) => None,
                        (code, title) => Some(format!(
                            "{}{}",
                            code.map(|c| format!("{c} ")).unwrap_or_default(),
                            title.unwrap_or_default()
                        )),
                    },
                }),
                None => None,
            };
            out.push(NumberStatus {
                number,
                last_inbound_at: inbound.map(instant).transpose()?,
                last_send,
            });
        }
        Ok(out)
    }

    /// The quiet period after which a handed-off conversation returns to
    /// the bot, in minutes.
    pub async fn handoff_quiet_minutes(&self, tenant: TenantId) -> Result<i64> {
        sqlx::query_scalar("SELECT handoff_quiet_minutes FROM tenants WHERE id = $1")
            .bind(tenant.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(crate::error::StoreError::NotFound)
    }

    /// The language the venue's new conversations start in.
    pub async fn venue_language(&self, tenant: TenantId) -> Result<domain::language::Lang> {
        let code: String = sqlx::query_scalar("SELECT default_lang FROM tenants WHERE id = $1")
            .bind(tenant.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(crate::error::StoreError::NotFound)?;
        Ok(crate::conversations::lang_of(&code))
    }

    /// Sets it; conversations already open keep theirs.
    pub async fn set_venue_language(
        &self,
        tenant: TenantId,
        lang: domain::language::Lang,
    ) -> Result<()> {
        let done = sqlx::query("UPDATE tenants SET default_lang = $1 WHERE id = $2")
            .bind(crate::conversations::lang_code(lang))
            .bind(tenant.0)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(crate::error::StoreError::NotFound);
        }
        Ok(())
    }
}
