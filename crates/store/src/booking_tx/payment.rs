//! Recording what a customer paid for a booking, inside the booking write
//! transaction, so a payment and a status change or a move of the same
//! booking queue on one lock and the calendar hears of it like any other
//! booking write.

use super::BookingTx;
use crate::error::{Result, StoreError};
use chrono::{DateTime, Utc};
use domain::{Actor, BookingId, Currency, Money, Payment, TenantId};

impl BookingTx {
    /// Locks booking `id` and returns its price: what a payment is checked
    /// against, read under the lock its write will hold.
    pub async fn lock_booking_price(&mut self, tenant: TenantId, id: BookingId) -> Result<Money> {
        self.lock_booking(tenant, id).await?;
        let (minor, currency): (i64, String) = sqlx::query_as(
            "SELECT price_minor, currency FROM bookings WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant.0)
        .bind(id.0)
        .fetch_optional(self.conn().await?)
        .await?
        .ok_or(StoreError::NotFound)?;
        let currency = currency
            .parse::<Currency>()
            .map_err(|_| StoreError::Corrupt(format!("booking {id} has an invalid currency")))?;
        Ok(Money::new(minor, currency))
    }

    /// Writes a checked payment as the booking's current one and keeps it
    /// in the payment history with who recorded it and an optional note.
    /// Call after [`BookingTx::lock_booking_price`] in the same transaction.
    pub async fn set_payment(
        &mut self,
        tenant: TenantId,
        id: BookingId,
        payment: &Payment,
        note: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.touch(tenant);
        let method = payment.method.map(|m| m.as_str());
        sqlx::query(
            "UPDATE bookings SET payment_state = $1, paid_minor = $2, payment_method = $3
             WHERE tenant_id = $4 AND id = $5",
        )
        .bind(payment.state.as_str())
        .bind(payment.collected.minor)
        .bind(method)
        .bind(tenant.0)
        .bind(id.0)
        .execute(self.conn().await?)
        .await?;
        sqlx::query(
            "INSERT INTO payment_events (tenant_id, booking_id, state, amount_minor, method, note, actor, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(tenant.0)
        .bind(id.0)
        .bind(payment.state.as_str())
        .bind(payment.collected.minor)
        .bind(method)
        .bind(note)
        .bind(actor.to_string())
        .bind(now.timestamp())
        .execute(self.conn().await?)
        .await?;
        Ok(())
    }
}
