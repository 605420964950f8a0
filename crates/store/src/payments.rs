//! Reads of what customers paid, and the venue's payment instructions.
//! (A payment is written by the booking service, in its transaction: see
//! `BookingTx::set_payment`.)

use crate::bookings::instant;
use crate::db::Store;
use crate::error::{Result, StoreError};
use chrono::{DateTime, Utc};
use domain::{BookingId, PaymentMethod, PaymentState, TenantId};

/// The longest payment instructions a venue can give: they travel in the
/// bot's confirmation, which WhatsApp caps at 4,096 characters with the
/// rest of the message.
pub const MAX_PAYMENT_INSTRUCTIONS: usize = 1_000;

/// The longest note kept with a recorded payment ("transfer ref 8812").
pub const MAX_PAYMENT_NOTE: usize = 200;

/// One recorded payment change, for the booking's page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentEvent {
    pub state: PaymentState,
    /// In the booking's currency's minor units.
    pub amount_minor: i64,
    pub method: Option<PaymentMethod>,
    pub note: String,
    pub actor: String,
    pub at: DateTime<Utc>,
}

type EventRow = (String, i64, Option<String>, String, String, i64);

impl Store {
    /// A booking's payment history, oldest first.
    pub async fn payment_history(
        &self,
        tenant: TenantId,
        id: BookingId,
    ) -> Result<Vec<PaymentEvent>> {
        self.booking(tenant, id).await?;
        let rows: Vec<EventRow> = sqlx::query_as(
            "SELECT state, amount_minor, method, note, actor, at FROM payment_events
             WHERE tenant_id = $1 AND booking_id = $2 ORDER BY id",
        )
        .bind(tenant.0)
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        let corrupt = |e: domain::payment::UnknownPayment| StoreError::Corrupt(e.to_string());
        rows.into_iter()
            .map(|(state, amount_minor, method, note, actor, at)| {
                Ok(PaymentEvent {
                    state: state.parse().map_err(corrupt)?,
                    amount_minor,
                    method: method
                        .as_deref()
                        .map(str::parse)
                        .transpose()
                        .map_err(corrupt)?,
                    note,
                    actor,
                    at: instant(at)?,
                })
            })
            .collect()
    }

    /// What the bot tells a customer about paying once a booking is made
    /// (empty: the venue gave none).
    pub async fn payment_instructions(&self, tenant: TenantId) -> Result<String> {
        sqlx::query_scalar("SELECT payment_instructions FROM tenants WHERE id = $1")
            .bind(tenant.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// The payment instructions for a customer answered in `lang`: the
    /// Indonesian text for Indonesian when the venue wrote one, the venue's
    /// main text otherwise (and the Indonesian one when that is all there is).
    pub async fn payment_instructions_in(
        &self,
        tenant: TenantId,
        lang: domain::language::Lang,
    ) -> Result<String> {
        let (main, indonesian) = self.payment_instructions_both(tenant).await?;
        Ok(match lang {
            domain::language::Lang::Id if !indonesian.is_empty() => indonesian,
            _ if main.is_empty() => indonesian,
            _ => main,
        })
    }

    /// The venue's main payment instructions and the Indonesian ones.
    pub async fn payment_instructions_both(&self, tenant: TenantId) -> Result<(String, String)> {
        sqlx::query_as(
            "SELECT payment_instructions, payment_instructions_id FROM tenants WHERE id = $1",
        )
        .bind(tenant.0)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)
    }

    /// Sets the payment instructions: the main text and, when given, the
    /// Indonesian one (`None` keeps it). Each is cleaned like any typed
    /// text and at most [`MAX_PAYMENT_INSTRUCTIONS`] characters; empty
    /// removes it. Both are checked before one UPDATE writes them, so a
    /// refusal changes nothing. Returns the stored main text.
    pub async fn set_payment_instructions(
        &self,
        tenant: TenantId,
        main: &str,
        indonesian: Option<&str>,
    ) -> Result<String> {
        let main = bounded_instructions(main)?;
        let indonesian = indonesian.map(bounded_instructions).transpose()?;
        let done = sqlx::query(
            "UPDATE tenants SET payment_instructions = $1,
                payment_instructions_id = COALESCE($2, payment_instructions_id)
             WHERE id = $3",
        )
        .bind(&main)
        .bind(indonesian)
        .bind(tenant.0)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(main)
    }
}

/// Payment instructions as stored, or why they cannot be.
fn bounded_instructions(text: &str) -> Result<String> {
    let text = clean_text(text);
    let count = text.chars().count();
    if count > MAX_PAYMENT_INSTRUCTIONS {
        return Err(StoreError::Invalid(format!(
            "The payment instructions are too long ({count} characters, at most {MAX_PAYMENT_INSTRUCTIONS})."
        )));
    }
    Ok(text)
}

/// Text a person typed into a box, as it may be stored and sent on:
/// without NUL (PostgreSQL refuses it) or other control characters than
/// line breaks and tabs, without the invisible marks that reorder text
/// (a right-to-left override can make an account number read reversed),
/// line endings made `\n`, and trimmed.
pub fn clean_text(text: &str) -> String {
    let reorders = |c: char| matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    text.replace("\r\n", "\n")
        .chars()
        .filter(|c| (!c.is_control() || *c == '\n' || *c == '\t') && !reorders(*c))
        .collect::<String>()
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::clean_text;

    #[test]
    fn typed_text_loses_control_characters_but_keeps_lines() {
        assert_eq!(
            clean_text("  BCA 123\r\na.n. Arena\0\u{7}\u{202e}\n\tQRIS ok  "),
            "BCA 123\na.n. Arena\n\tQRIS ok"
        );
    }
}
