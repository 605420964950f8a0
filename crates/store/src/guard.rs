//! The write check every claim on a resource's time goes through: lock the
//! resource, then refuse what overlaps an active booking within the buffer
//! (`SlotTaken`) or a blackout (`Closed`). SQLite serialises writers; on
//! PostgreSQL the resource row lock does, which is what makes the buffer and
//! blackout checks (beyond the exclusion constraint) race-free.

use crate::bookings::ACTIVE_STATUSES;
use crate::db::Backend;
use crate::error::{Result, StoreError};
use crate::holds::release;
use chrono::{DateTime, Utc};
use domain::{BookingId, ResourceId, TenantId, TimeRange};

/// The longest booking the store accepts. Resources cap their own maximum
/// at this, and overlap queries rely on it to bound their index scans.
pub const MAX_BOOKING_MINUTES: i64 = 24 * 60;

/// What the write check needs to know of a resource, read inside the write
/// transaction.
#[derive(Debug, Clone)]
pub(crate) struct Guarded {
    pub outlet_id: i64,
    pub buffer_minutes: i64,
    /// For the booking a write returns, without reading it back.
    pub name: String,
    pub timezone: String,
}

/// Reads the tenant's active `resource` inside the write transaction and,
/// on PostgreSQL, locks its row until commit. Every write that claims time
/// on a resource goes through here, so claims on one resource are
/// serialised on both backends: SQLite by its single writer, PostgreSQL by
/// this row lock. That is what makes the buffer and blackout checks (which
/// the exclusion constraint cannot express) race-free.
pub(crate) async fn lock_resource(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    backend: Backend,
    tenant: TenantId,
    resource: ResourceId,
) -> Result<Guarded> {
    // Only the resource's row is locked (`OF r`), never its outlet's.
    let lock = backend.for_update(" OF r");
    let row: Option<(i64, i64, String, String)> = sqlx::query_as(&format!(
        "SELECT r.outlet_id, r.buffer_minutes, r.name, o.timezone
         FROM resources r JOIN outlets o ON o.id = r.outlet_id AND o.tenant_id = r.tenant_id
         WHERE r.tenant_id = $1 AND r.id = $2 AND r.active{lock}"
    ))
    .bind(tenant.0)
    .bind(resource.0)
    .fetch_optional(&mut **tx)
    .await?;
    let (outlet_id, buffer_minutes, name, timezone) = row.ok_or(StoreError::NotFound)?;
    Ok(Guarded {
        outlet_id,
        buffer_minutes,
        name,
        timezone,
    })
}

/// Refuses a booking longer than [`MAX_BOOKING_MINUTES`].
pub(crate) fn ensure_length(range: &TimeRange) -> Result<()> {
    if range.minutes() > MAX_BOOKING_MINUTES {
        return Err(StoreError::TooLong);
    }
    Ok(())
}

/// A row of the write check: kind (`b` booking, `x` blackout), id, tenant,
/// status, hold expiry, blackout reason.
type InTheWay = (String, i64, i64, String, Option<i64>, Option<String>);

/// `SlotTaken` unless `range` on `resource`, widened by the resource's
/// buffer, is free of active bookings (other than `except`, the booking
/// being moved), and `Closed` if a blackout covers part of it — inside the
/// caller's write transaction, after [`lock_resource`]. Lapsed holds in the
/// way are released first.
pub(crate) async fn ensure_free(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    guarded: &Guarded,
    resource: ResourceId,
    range: &TimeRange,
    except: Option<BookingId>,
    now: DateTime<Utc>,
) -> Result<()> {
    let buffer = chrono::Duration::minutes(guarded.buffer_minutes);
    let widened = TimeRange::new(range.start() - buffer, range.end() + buffer).unwrap_or(*range);
    // Bounded below as well as above, so the (resource_id, starts_at) index
    // is scanned over a day or two rather than the resource's whole history:
    // no booking lasts more than a day (`MAX_BOOKING_MINUTES`).
    // One round trip for both: the active bookings in the way (`b`) and
    // the blackouts over the range itself (`x`, their reason last).
    let in_the_way: Vec<InTheWay> = sqlx::query_as(&format!(
        "SELECT 'b', id, tenant_id, status, hold_expires_at, NULL FROM bookings
             WHERE resource_id = $1 AND starts_at > $2 AND starts_at < $3 AND ends_at > $4
               AND id <> $5 AND status IN {ACTIVE_STATUSES}
             UNION ALL
             SELECT 'x', id, tenant_id, '', NULL, reason FROM blackouts
             WHERE outlet_id = $6 AND (resource_id IS NULL OR resource_id = $1)
               AND starts_at < $7 AND $8 < ends_at"
    ))
    .bind(resource.0)
    .bind(widened.start().timestamp() - MAX_BOOKING_MINUTES * 60)
    .bind(widened.end().timestamp())
    .bind(widened.start().timestamp())
    .bind(except.map_or(-1, |b| b.0))
    .bind(guarded.outlet_id)
    .bind(range.end().timestamp())
    .bind(range.start().timestamp())
    .fetch_all(&mut **tx)
    .await?;
    let mut lapsed = Vec::new();
    let mut closed = None;
    for (kind, id, tenant, status, hold_expires_at, reason) in in_the_way {
        match (kind.as_str(), status.as_str(), hold_expires_at) {
            ("x", ..) => closed = closed.or(reason),
            (_, "pending", Some(expiry)) if expiry <= now.timestamp() => lapsed.push((id, tenant)),
            _ => return Err(StoreError::SlotTaken),
        }
    }
    if let Some(reason) = closed {
        return Err(StoreError::Closed(reason));
    }
    // A lapsed claim never blocks a new one: release it, with its history.
    // One confirmed meanwhile (PostgreSQL) is in the way after all.
    for (id, tenant) in lapsed {
        if !release(tx, TenantId(tenant), BookingId(id), now).await? {
            return Err(StoreError::SlotTaken);
        }
    }
    Ok(())
}
