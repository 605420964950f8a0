//! Holds: a pending booking with an expiry that claims its slot until it
//! is confirmed, released, or lapses (then the next write on the resource,
//! or the sweep, releases it). Every status change of a hold locks the
//! booking row on PostgreSQL, so a confirmation and a release never both win.

use crate::booking_tx::StatusChange;
use crate::bookings::{lock_booking, record_event, Booking};
use crate::db::Store;
use crate::error::{Result, StoreError};
use chrono::{DateTime, Utc};
use domain::{Actor, BookingId, BookingStatus, TenantId};

const HOLD_LAPSED: &str = "hold expired";

/// Cancels one lapsed hold, with its history entry, if it is still a
/// pending hold (a concurrent confirmation or sweep may have got there
/// first: then nothing is written and `false` comes back). The expiry is
/// kept, so a late confirmation can still be told that the hold lapsed.
pub(crate) async fn release(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    tenant: TenantId,
    id: BookingId,
    now: DateTime<Utc>,
) -> Result<bool> {
    let changed = sqlx::query(
        "UPDATE bookings SET status = $1 WHERE tenant_id = $2 AND id = $3
           AND status = 'pending' AND hold_expires_at IS NOT NULL AND hold_expires_at <= $4",
    )
    .bind(BookingStatus::Cancelled.as_str())
    .bind(tenant.0)
    .bind(id.0)
    .bind(now.timestamp())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Ok(false);
    }
    record_event(
        tx,
        tenant,
        id,
        Some(BookingStatus::Pending),
        BookingStatus::Cancelled,
        &Actor::System,
        Some(HOLD_LAPSED),
        now,
    )
    .await?;
    Ok(true)
}

/// What confirming a hold comes to, decided inside the write transaction.
pub(crate) enum HoldConfirmation {
    Confirmed,
    /// Lapsed: released now (or before) — the caller commits and reports it.
    Lapsed,
}

/// Confirms the locked pending hold `id` unless it lapsed (then releases it).
pub(crate) async fn confirm_locked(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    tenant: TenantId,
    id: BookingId,
    expiry: i64,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<HoldConfirmation> {
    if expiry <= now.timestamp() {
        release(tx, tenant, id, now).await?;
        return Ok(HoldConfirmation::Lapsed);
    }
    sqlx::query(
        "UPDATE bookings SET status = $1, hold_expires_at = NULL WHERE tenant_id = $2 AND id = $3",
    )
    .bind(BookingStatus::Confirmed.as_str())
    .bind(tenant.0)
    .bind(id.0)
    .execute(&mut **tx)
    .await?;
    record_event(
        tx,
        tenant,
        id,
        Some(BookingStatus::Pending),
        BookingStatus::Confirmed,
        actor,
        None,
        now,
    )
    .await?;
    Ok(HoldConfirmation::Confirmed)
}

impl Store {
    /// Turns a live hold into a confirmed booking; the slot stays claimed
    /// throughout. A hold that has lapsed is released and `HoldExpired`.
    pub async fn confirm_hold(
        &self,
        tenant: TenantId,
        id: BookingId,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Booking> {
        let mut tx = self.begin_booking().await?;
        let locked = tx.lock_booking(tenant, id).await?;
        let change = tx.confirm_hold(tenant, &locked, actor, now).await?;
        tx.commit().await?;
        match change {
            StatusChange::Done => self.booking(tenant, id).await,
            StatusChange::HoldLapsed => Err(StoreError::HoldExpired),
        }
    }

    /// Releases a live hold before it lapses (the customer said no, or an
    /// integrator gave up), so the slot is free at once. Anything but a
    /// pending hold is refused (`NotAHold`), even if it was one a moment ago.
    pub async fn release_hold(
        &self,
        tenant: TenantId,
        id: BookingId,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Booking> {
        let mut tx = self.begin_write().await?;
        tx.touches(tenant);
        let locked = lock_booking(&mut tx, self.backend(), tenant, id).await?;
        if locked.status != BookingStatus::Pending || locked.hold_expires_at.is_none() {
            return Err(StoreError::NotAHold);
        }
        sqlx::query("UPDATE bookings SET status = $1 WHERE tenant_id = $2 AND id = $3")
            .bind(BookingStatus::Cancelled.as_str())
            .bind(tenant.0)
            .bind(id.0)
            .execute(&mut **tx)
            .await?;
        record_event(
            &mut tx,
            tenant,
            id,
            Some(BookingStatus::Pending),
            BookingStatus::Cancelled,
            actor,
            Some("hold released"),
            now,
        )
        .await?;
        tx.commit().await?;
        self.booking(tenant, id).await
    }

    /// Releases every hold that lapsed before `now`, in all tenants, with a
    /// history entry each ("hold expired"); returns how many. Writes release
    /// lapsed holds in their way anyway; this sweep makes the dashboard and
    /// the API show them as what they are soon after they lapse.
    pub async fn release_lapsed_holds(&self, now: DateTime<Utc>) -> Result<usize> {
        let lapsed: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT id, tenant_id FROM bookings
             WHERE hold_expires_at IS NOT NULL AND hold_expires_at <= $1 AND status = 'pending'
             ORDER BY id LIMIT 1000",
        )
        .bind(now.timestamp())
        .fetch_all(&self.pool)
        .await?;
        // One short transaction per hold: the sweep never holds one booking
        // while waiting for another, so it cannot deadlock with a writer.
        let mut released = 0;
        for (id, tenant) in lapsed {
            let mut tx = self.begin_write().await?;
            tx.touches(TenantId(tenant));
            if release(&mut tx, TenantId(tenant), BookingId(id), now).await? {
                released += 1;
            }
            tx.commit().await?;
        }
        Ok(released)
    }
}
