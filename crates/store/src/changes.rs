//! Moving a booking to another slot.

use crate::bookings::{lock_booking, record_event, Booking};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::guard::{ensure_free, ensure_length, lock_resource};
use chrono::{DateTime, Utc};
use domain::{Actor, BookingId, BookingStatus, Money, ResourceId, TenantId, TimeRange};

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
            return Err(StoreError::NotMovable(current.status));
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
            return Err(StoreError::ChangedMeanwhile);
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
