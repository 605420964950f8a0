//! Booking writes beyond a plain create: idempotent creation and moving a
//! booking to another slot.

use crate::bookings::{insert_booking, lock_booking, record_event, Booking, NewBooking};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::guard::{ensure_free, ensure_length, lock_resource};
use chrono::{DateTime, Utc};
use domain::{Actor, BookingId, BookingStatus, Money, ResourceId, TenantId, TimeRange};

/// The longest idempotency key accepted (clients send UUIDs or similar).
pub const MAX_IDEMPOTENCY_KEY: usize = 200;

/// Where a booking moves to.
#[derive(Debug, Clone, Copy)]
pub struct Move {
    /// Another resource, or `None` for the same one.
    pub resource: Option<ResourceId>,
    pub range: TimeRange,
    /// The new slot's price (a move into peak hours costs more); `None`
    /// keeps the old price.
    pub price: Option<Money>,
}

impl Store {
    /// Creates a booking once per `key`: a retry with a key already used
    /// returns the first booking (`true` = replayed) and creates nothing.
    pub async fn create_booking_once(
        &self,
        tenant: TenantId,
        key: &str,
        new: NewBooking,
        now: DateTime<Utc>,
    ) -> Result<(Booking, bool)> {
        let key = key.trim();
        if key.is_empty() || key.len() > MAX_IDEMPOTENCY_KEY {
            return Err(StoreError::Invalid(format!(
                "an idempotency key has 1 to {MAX_IDEMPOTENCY_KEY} characters"
            )));
        }
        if let Some(existing) = self.booking_for_key(tenant, key).await? {
            return Ok((existing, true));
        }
        let mut tx = self.begin_write().await?;
        let booking = match insert_booking(&mut tx, self.backend(), tenant, &new, now).await {
            Ok(booking) => booking,
            // A retry racing the first request finds the slot taken by it.
            Err(StoreError::SlotTaken) => {
                tx.rollback().await?;
                return match self.booking_for_key(tenant, key).await? {
                    Some(first) => Ok((first, true)),
                    None => Err(StoreError::SlotTaken),
                };
            }
            Err(other) => return Err(other),
        };
        let stored = sqlx::query(
            "INSERT INTO idempotency_keys (tenant_id, key, booking_id, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(tenant.0)
        .bind(key)
        .bind(booking.id.0)
        .bind(now.timestamp())
        .execute(&mut **tx)
        .await
        .map_err(|e| StoreError::from_write(e, "idempotency key in use"));
        match stored {
            Ok(_) => {
                tx.commit().await?;
                Ok((booking, false))
            }
            // A concurrent request with the same key won: drop ours, return theirs.
            Err(StoreError::Duplicate(_)) => {
                tx.rollback().await?;
                let first = self
                    .booking_for_key(tenant, key)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                Ok((first, true))
            }
            Err(other) => Err(other),
        }
    }

    async fn booking_for_key(&self, tenant: TenantId, key: &str) -> Result<Option<Booking>> {
        let id: Option<i64> = sqlx::query_scalar(
            "SELECT booking_id FROM idempotency_keys WHERE tenant_id = $1 AND key = $2",
        )
        .bind(tenant.0)
        .bind(key)
        .fetch_optional(&self.pool)
        .await?;
        match id {
            Some(id) => Ok(Some(self.booking(tenant, BookingId(id)).await?)),
            None => Ok(None),
        }
    }

    /// Moves an active booking to `range` (on `resource`, or the same one)
    /// in one transaction: the old slot is only freed if the new one is
    /// taken, and the move is kept in the history.
    pub async fn reschedule(
        &self,
        tenant: TenantId,
        id: BookingId,
        to: Move,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Booking> {
        let Move {
            resource,
            range,
            price,
        } = to;
        let current = self.booking(tenant, id).await?;
        if !current.status.is_active() {
            return Err(StoreError::Invalid(format!(
                "a {} booking cannot be moved",
                current.status.label().to_lowercase()
            )));
        }
        let target = resource.unwrap_or(current.resource_id);
        ensure_length(&range)?;
        let mut tx = self.begin_write().await?;
        // The resource first, then the booking: the order every writer
        // locks in, so two writers never wait on each other in a circle.
        let guarded = lock_resource(&mut tx, self.backend(), tenant, target).await?;
        let locked = lock_booking(&mut tx, self.backend(), tenant, id).await?;
        // Changed since it was read (cancelled, or moved elsewhere): refuse
        // rather than move a booking that is no longer what the caller saw.
        if locked.status != current.status
            || locked.resource_id != current.resource_id.0
            || locked.starts_at != current.range.start().timestamp()
        {
            return Err(StoreError::Invalid(
                "the booking changed meanwhile; look at it again and retry".into(),
            ));
        }
        ensure_free(&mut tx, &guarded, target, &range, Some(id), now).await?;
        let price = price.unwrap_or(current.price);
        sqlx::query("UPDATE bookings SET resource_id = $1, starts_at = $2, ends_at = $3, price_minor = $4, currency = $5 WHERE tenant_id = $6 AND id = $7")
            .bind(target.0)
            .bind(range.start().timestamp())
            .bind(range.end().timestamp())
            .bind(price.minor)
            .bind(price.currency.code())
            .bind(tenant.0)
            .bind(id.0)
            .execute(&mut **tx)
            .await
            .map_err(|e| StoreError::from_write(e, "duplicate booking"))?;
        let note = format!(
            "moved from {} {}–{}",
            current.resource_name,
            current.range.start().to_rfc3339(),
            current.range.end().to_rfc3339()
        );
        let status: BookingStatus = current.status;
        record_event(
            &mut tx,
            tenant,
            id,
            Some(status),
            status,
            actor,
            Some(&note),
            now,
        )
        .await?;
        tx.commit().await?;
        self.booking(tenant, id).await
    }
}
