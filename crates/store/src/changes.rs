//! Moving a booking to another slot.

use crate::bookings::Booking;
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::guard::ensure_length;
use chrono::{DateTime, Utc};
use domain::{Actor, BookingId, Money, ResourceId, TenantId, TimeRange};

/// Where a booking moves to.
#[derive(Debug, Clone)]
pub struct Move {
    /// Another resource, or `None` for the same one.
    pub resource: Option<ResourceId>,
    pub range: TimeRange,
    /// The new slot's price (a move into peak hours costs more); `None`
    /// keeps the old price.
    pub price: Option<Money>,
    /// Why it moved, kept in the booking's history (the customer's words
    /// when they moved it on WhatsApp).
    pub reason: Option<String>,
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
        let current = self.booking(tenant, id).await?;
        if !current.status.can_move() {
            return Err(StoreError::NotMovable(current.status));
        }
        ensure_length(&to.range)?;
        let target = to.resource.unwrap_or(current.resource_id);
        let mut tx = self.begin_booking().await?;
        // The resource first, then the booking: the order every writer
        // locks in, so two writers never wait on each other in a circle.
        tx.resource(tenant, target).await?;
        let locked = tx.lock_booking(tenant, id).await?;
        tx.move_booking(tenant, &current, &locked, to, actor, now)
            .await?;
        tx.commit().await?;
        self.booking(tenant, id).await
    }
}
