//! Bookings, with the double-booking guard.
//!
//! A booking is written inside a `BEGIN IMMEDIATE` transaction: it takes
//! SQLite's single write lock before reading, so the overlap check and the
//! insert see the same state and no other writer can slip in between. The
//! `bookings_no_overlap_*` triggers repeat the check inside the database, so
//! even a writer that skipped this code cannot create an overlap.

use crate::db::{Backend, Store};
use crate::error::{Result, StoreError};
use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Tz;
use domain::{
    Actor, BookingId, BookingStatus, Currency, CustomerId, Money, OutletId, ResourceId, TenantId,
    TimeRange,
};
use serde::{Deserialize, Serialize};

/// Where a booking came from, for reporting (bot vs staff vs integrations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookingSource {
    Dashboard,
    Simulator,
    Whatsapp,
    Api,
}

impl BookingSource {
    pub fn as_str(self) -> &'static str {
        match self {
            BookingSource::Dashboard => "dashboard",
            BookingSource::Simulator => "simulator",
            BookingSource::Whatsapp => "whatsapp",
            BookingSource::Api => "api",
        }
    }
}

/// A booking as the dashboard and the bot read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booking {
    pub id: BookingId,
    pub tenant_id: TenantId,
    pub resource_id: ResourceId,
    pub resource_name: String,
    pub outlet_id: OutletId,
    pub timezone: Tz,
    pub customer_id: Option<CustomerId>,
    pub customer_phone: Option<String>,
    pub range: TimeRange,
    pub status: BookingStatus,
    pub price: Money,
    pub source: String,
    pub created_at: DateTime<Utc>,
    /// Set while the booking is a hold: it lapses at this instant unless confirmed.
    pub hold_expires_at: Option<DateTime<Utc>>,
    /// The recurring series this booking is an occurrence of.
    pub series_id: Option<i64>,
}

/// What is needed to create a booking.
#[derive(Debug, Clone)]
pub struct NewBooking {
    pub resource_id: ResourceId,
    pub range: TimeRange,
    pub customer_id: Option<CustomerId>,
    pub status: BookingStatus,
    pub price: Money,
    pub source: BookingSource,
    /// Who asked for it, for the booking's history.
    pub actor: Actor,
    /// Makes the booking a hold (status `pending`) that lapses at this instant.
    pub hold_until: Option<DateTime<Utc>>,
    /// The recurring series this booking is an occurrence of.
    pub series_id: Option<i64>,
}

/// One entry of a booking's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingEvent {
    pub from: Option<BookingStatus>,
    pub to: BookingStatus,
    pub actor: String,
    pub reason: Option<String>,
    pub at: DateTime<Utc>,
}

/// Which bookings to list; every field narrows the list.
#[derive(Debug, Clone, Default)]
pub struct BookingFilter {
    /// Bookings that overlap this range.
    pub overlapping: Option<TimeRange>,
    pub outlet_id: Option<OutletId>,
    pub resource_id: Option<ResourceId>,
    pub status: Option<BookingStatus>,
    /// Occurrences of one recurring series.
    pub series_id: Option<i64>,
    pub limit: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct BookingRow {
    id: i64,
    tenant_id: i64,
    resource_id: i64,
    resource_name: String,
    outlet_id: i64,
    timezone: String,
    customer_id: Option<i64>,
    customer_phone: Option<String>,
    starts_at: i64,
    ends_at: i64,
    status: String,
    price_minor: i64,
    currency: String,
    source: String,
    created_at: i64,
    hold_expires_at: Option<i64>,
    series_id: Option<i64>,
}

fn instant(seconds: i64) -> Result<DateTime<Utc>> {
    Utc.timestamp_opt(seconds, 0)
        .single()
        .ok_or_else(|| StoreError::Invalid(format!("stored instant {seconds} is out of range")))
}

impl TryFrom<BookingRow> for Booking {
    type Error = StoreError;
    fn try_from(row: BookingRow) -> Result<Self> {
        let bad =
            |what: &str| StoreError::Invalid(format!("booking {} has an invalid {what}", row.id));
        Ok(Booking {
            id: BookingId(row.id),
            tenant_id: TenantId(row.tenant_id),
            resource_id: ResourceId(row.resource_id),
            outlet_id: OutletId(row.outlet_id),
            timezone: row.timezone.parse().map_err(|_| bad("time zone"))?,
            customer_id: row.customer_id.map(CustomerId),
            range: TimeRange::new(instant(row.starts_at)?, instant(row.ends_at)?)
                .map_err(|_| bad("time range"))?,
            status: row.status.parse().map_err(|_| bad("status"))?,
            price: Money::new(
                row.price_minor,
                row.currency
                    .parse::<Currency>()
                    .map_err(|_| bad("currency"))?,
            ),
            created_at: instant(row.created_at)?,
            hold_expires_at: row.hold_expires_at.map(instant).transpose()?,
            series_id: row.series_id,
            resource_name: row.resource_name,
            customer_phone: row.customer_phone,
            source: row.source,
        })
    }
}

const BOOKING_SELECT: &str = "SELECT b.id, b.tenant_id, b.resource_id, r.name AS resource_name, r.outlet_id, o.timezone,
        b.customer_id, c.phone AS customer_phone, b.starts_at, b.ends_at, b.status, b.price_minor, b.currency,
        b.source, b.created_at, b.hold_expires_at, b.series_id
    FROM bookings b
    JOIN resources r ON r.id = b.resource_id AND r.tenant_id = b.tenant_id
    JOIN outlets o ON o.id = r.outlet_id AND o.tenant_id = b.tenant_id
    LEFT JOIN customers c ON c.id = b.customer_id AND c.tenant_id = b.tenant_id
    WHERE b.tenant_id = $1";

/// What the write check needs to know of a resource, read inside the write
/// transaction.
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
    let lock = match backend {
        Backend::Postgres => " FOR UPDATE OF r",
        Backend::Sqlite => "",
    };
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
        return Err(StoreError::Invalid(format!(
            "a booking lasts at most {} hours",
            MAX_BOOKING_MINUTES / 60
        )));
    }
    Ok(())
}

/// Inserts a booking inside the caller's write transaction: the resource
/// and customer must be the tenant's, lapsed holds are released, and an
/// active booking within the buffer is `SlotTaken` (the database guard backs
/// the plain-overlap part of this check up), a blackout `Closed`.
pub(crate) async fn insert_booking(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    backend: Backend,
    tenant: TenantId,
    new: &NewBooking,
    now: DateTime<Utc>,
) -> Result<Booking> {
    ensure_length(&new.range)?;
    let guarded = lock_resource(tx, backend, tenant, new.resource_id).await?;
    let customer_phone = match new.customer_id {
        Some(customer) => {
            let phone: Option<String> =
                sqlx::query_scalar("SELECT phone FROM customers WHERE tenant_id = $1 AND id = $2")
                    .bind(tenant.0)
                    .bind(customer.0)
                    .fetch_optional(&mut **tx)
                    .await?;
            Some(phone.ok_or(StoreError::NotFound)?)
        }
        None => None,
    };
    if new.status.is_active() {
        ensure_free(tx, &guarded, new.resource_id, &new.range, None, now).await?;
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO bookings (tenant_id, resource_id, customer_id, starts_at, ends_at, status, price_minor, currency, source, created_at, hold_expires_at, series_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(tenant.0)
    .bind(new.resource_id.0)
    .bind(new.customer_id.map(|c| c.0))
    .bind(new.range.start().timestamp())
    .bind(new.range.end().timestamp())
    .bind(new.status.as_str())
    .bind(new.price.minor)
    .bind(new.price.currency.code())
    .bind(new.source.as_str())
    .bind(now.timestamp())
    .bind(new.hold_until.map(|t| t.timestamp()))
    .bind(new.series_id)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| StoreError::from_write(e, "duplicate booking"))?;
    record_event(
        tx,
        tenant,
        BookingId(id),
        None,
        new.status,
        &new.actor,
        None,
        now,
    )
    .await?;
    // What the row now holds, without reading it back.
    Ok(Booking {
        id: BookingId(id),
        tenant_id: tenant,
        resource_id: new.resource_id,
        resource_name: guarded.name,
        outlet_id: OutletId(guarded.outlet_id),
        timezone: guarded.timezone.parse().map_err(|_| {
            StoreError::Invalid(format!(
                "outlet {} has an invalid time zone",
                guarded.outlet_id
            ))
        })?,
        customer_id: new.customer_id,
        customer_phone,
        range: new.range,
        status: new.status,
        price: new.price,
        source: new.source.as_str().to_string(),
        created_at: instant(now.timestamp())?,
        hold_expires_at: new.hold_until.map(|t| instant(t.timestamp())).transpose()?,
        series_id: new.series_id,
    })
}

const HOLD_LAPSED: &str = "hold expired";

/// Cancels one lapsed hold, with its history entry, if it is still a
/// pending hold (a concurrent confirmation or sweep may have got there
/// first: then nothing is written and `false` comes back). The expiry is
/// kept, so a late confirmation can still be told that the hold lapsed.
async fn release(
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

/// A booking's status and hold expiry, read inside the write transaction
/// and, on PostgreSQL, locked until it ends, so two status changes of one
/// booking (a confirmation and a release, say) never both pass their check.
async fn lock_booking(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    backend: Backend,
    tenant: TenantId,
    id: BookingId,
) -> Result<(BookingStatus, Option<i64>)> {
    let lock = match backend {
        Backend::Postgres => " FOR UPDATE",
        Backend::Sqlite => "",
    };
    let row: Option<(String, Option<i64>)> = sqlx::query_as(&format!(
        "SELECT status, hold_expires_at FROM bookings WHERE tenant_id = $1 AND id = $2{lock}"
    ))
    .bind(tenant.0)
    .bind(id.0)
    .fetch_optional(&mut **tx)
    .await?;
    let (status, expiry) = row.ok_or(StoreError::NotFound)?;
    let status = status
        .parse()
        .map_err(|e| StoreError::Invalid(format!("{e}")))?;
    Ok((status, expiry))
}

/// What confirming a hold comes to, decided inside the write transaction.
enum HoldConfirmation {
    Confirmed,
    /// Lapsed: released now (or before) — the caller commits and reports it.
    Lapsed,
}

/// Confirms the locked pending hold `id` unless it lapsed (then releases it).
async fn confirm_locked(
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

#[derive(sqlx::FromRow)]
struct EventRow {
    from_status: Option<String>,
    to_status: String,
    actor: String,
    reason: Option<String>,
    at: i64,
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn record_event(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    tenant: TenantId,
    booking: BookingId,
    from: Option<BookingStatus>,
    to: BookingStatus,
    actor: &Actor,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO booking_events (tenant_id, booking_id, from_status, to_status, actor, reason, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(tenant.0)
    .bind(booking.0)
    .bind(from.map(|s| s.as_str()))
    .bind(to.as_str())
    .bind(actor.to_string())
    .bind(reason)
    .bind(now.timestamp())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The longest booking the store accepts. Resources cap their own maximum
/// at this, and overlap queries rely on it to bound their index scans.
pub const MAX_BOOKING_MINUTES: i64 = 24 * 60;

pub(crate) const ACTIVE_STATUSES: &str = "('pending', 'confirmed', 'checked_in')";

impl Store {
    /// Creates a booking unless an active booking of the same resource
    /// overlaps it (`SlotTaken`). The resource, and the customer if given,
    /// must belong to `tenant` (`NotFound`).
    pub async fn create_booking(
        &self,
        tenant: TenantId,
        new: NewBooking,
        now: DateTime<Utc>,
    ) -> Result<Booking> {
        if let Some(until) = new.hold_until {
            if new.status != BookingStatus::Pending || until <= now {
                return Err(StoreError::Invalid(
                    "a hold is a pending booking that expires in the future".into(),
                ));
            }
        }
        let mut tx = self.begin_write().await?;
        let booking = insert_booking(&mut tx, self.backend(), tenant, &new, now).await?;
        tx.commit().await?;
        Ok(booking)
    }

    /// Moves a booking along its lifecycle. Illegal transitions are refused
    /// (`IllegalTransition`), a cancellation needs a reason, and every change
    /// is written to the history in the same transaction.
    pub async fn change_status(
        &self,
        tenant: TenantId,
        id: BookingId,
        next: BookingStatus,
        actor: &Actor,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Booking> {
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if next == BookingStatus::Cancelled && reason.is_none() {
            return Err(StoreError::Invalid("a cancellation needs a reason".into()));
        }
        let mut tx = self.begin_write().await?;
        let (current, expiry) = lock_booking(&mut tx, self.backend(), tenant, id).await?;
        // Confirming a hold keeps the hold's rules: not after it lapsed, and
        // the expiry is cleared so the booking never looks like a hold again.
        if let (BookingStatus::Pending, Some(expiry), BookingStatus::Confirmed) =
            (current, expiry, next)
        {
            let outcome = confirm_locked(&mut tx, tenant, id, expiry, actor, now).await?;
            tx.commit().await?;
            return match outcome {
                HoldConfirmation::Confirmed => self.booking(tenant, id).await,
                HoldConfirmation::Lapsed => Err(StoreError::HoldExpired),
            };
        }
        if !current.can_become(next) {
            return Err(StoreError::IllegalTransition {
                from: current,
                to: next,
            });
        }
        sqlx::query("UPDATE bookings SET status = $1 WHERE tenant_id = $2 AND id = $3")
            .bind(next.as_str())
            .bind(tenant.0)
            .bind(id.0)
            .execute(&mut **tx)
            .await
            .map_err(|e| StoreError::from_write(e, "duplicate booking"))?;
        record_event(&mut tx, tenant, id, Some(current), next, actor, reason, now).await?;
        tx.commit().await?;
        self.booking(tenant, id).await
    }

    /// Turns a live hold into a confirmed booking; the slot stays claimed
    /// throughout. A hold that has lapsed is released and `HoldExpired`.
    pub async fn confirm_hold(
        &self,
        tenant: TenantId,
        id: BookingId,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Booking> {
        let mut tx = self.begin_write().await?;
        let (status, expiry) = lock_booking(&mut tx, self.backend(), tenant, id).await?;
        let outcome = match (status, expiry) {
            (BookingStatus::Pending, Some(expiry)) => {
                confirm_locked(&mut tx, tenant, id, expiry, actor, now).await?
            }
            // Released already by a later claim on the slot, or the sweep.
            (BookingStatus::Cancelled, Some(expiry)) if expiry <= now.timestamp() => {
                HoldConfirmation::Lapsed
            }
            _ => return Err(StoreError::Invalid("this booking is not a hold".into())),
        };
        tx.commit().await?;
        match outcome {
            HoldConfirmation::Confirmed => self.booking(tenant, id).await,
            HoldConfirmation::Lapsed => Err(StoreError::HoldExpired),
        }
    }

    /// Releases a live hold before it lapses (the customer said no, or an
    /// integrator gave up), so the slot is free at once. Anything but a
    /// pending hold is refused (`Invalid`), even if it was one a moment ago.
    pub async fn release_hold(
        &self,
        tenant: TenantId,
        id: BookingId,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Booking> {
        let mut tx = self.begin_write().await?;
        let (status, expiry) = lock_booking(&mut tx, self.backend(), tenant, id).await?;
        if status != BookingStatus::Pending || expiry.is_none() {
            return Err(StoreError::Invalid(format!(
                "booking {id} is not a live hold"
            )));
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
            if release(&mut tx, TenantId(tenant), BookingId(id), now).await? {
                released += 1;
            }
            tx.commit().await?;
        }
        Ok(released)
    }

    /// A booking's history, oldest first.
    pub async fn booking_history(
        &self,
        tenant: TenantId,
        id: BookingId,
    ) -> Result<Vec<BookingEvent>> {
        self.booking(tenant, id).await?;
        let rows = sqlx::query_as::<_, EventRow>(
            "SELECT from_status, to_status, actor, reason, at FROM booking_events
             WHERE tenant_id = $1 AND booking_id = $2 ORDER BY id",
        )
        .bind(tenant.0)
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        let status = |s: &str| {
            s.parse::<BookingStatus>()
                .map_err(|e| StoreError::Invalid(format!("{e}")))
        };
        rows.into_iter()
            .map(|row| {
                Ok(BookingEvent {
                    from: row.from_status.as_deref().map(status).transpose()?,
                    to: status(&row.to_status)?,
                    actor: row.actor,
                    reason: row.reason,
                    at: instant(row.at)?,
                })
            })
            .collect()
    }

    pub async fn booking(&self, tenant: TenantId, id: BookingId) -> Result<Booking> {
        sqlx::query_as::<_, BookingRow>(&format!("{BOOKING_SELECT} AND b.id = $2"))
            .bind(tenant.0)
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
            .and_then(Booking::try_from)
    }

    /// Bookings matching `filter`, by start time.
    pub async fn bookings(&self, tenant: TenantId, filter: &BookingFilter) -> Result<Vec<Booking>> {
        let sql = format!(
            "{BOOKING_SELECT}
               AND ($2 IS NULL OR b.starts_at < $2) AND ($3 IS NULL OR $3 < b.ends_at)
               AND ($4 IS NULL OR r.outlet_id = $4)
               AND ($5 IS NULL OR b.resource_id = $5)
               AND ($6 IS NULL OR b.status = $6)
               AND ($8 IS NULL OR b.series_id = $8)
             ORDER BY b.starts_at, b.id LIMIT $7"
        );
        let range_end = filter.overlapping.map(|r| r.end().timestamp());
        let range_start = filter.overlapping.map(|r| r.start().timestamp());
        let outlet = filter.outlet_id.map(|o| o.0);
        let resource = filter.resource_id.map(|r| r.0);
        let status = filter.status.map(|s| s.as_str());
        sqlx::query_as::<_, BookingRow>(&sql)
            .bind(tenant.0)
            .bind(range_end)
            .bind(range_start)
            .bind(outlet)
            .bind(resource)
            .bind(status)
            .bind(filter.limit.unwrap_or(500).clamp(1, 5000))
            .bind(filter.series_id)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(Booking::try_from)
            .collect()
    }

    /// Whether `range` on `resource` is free of active bookings and live
    /// holds at `now` (a lapsed hold no longer counts).
    pub async fn is_free(
        &self,
        tenant: TenantId,
        resource: ResourceId,
        range: &TimeRange,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let clash: Option<i64> = sqlx::query_scalar(&format!(
            "SELECT id FROM bookings WHERE tenant_id = $1 AND resource_id = $2 AND status IN {ACTIVE_STATUSES}
             AND starts_at < $3 AND $4 < ends_at AND starts_at > $6
             AND NOT (status = 'pending' AND hold_expires_at IS NOT NULL AND hold_expires_at <= $5) LIMIT 1"
        ))
        .bind(tenant.0)
        .bind(resource.0)
        .bind(range.end().timestamp())
        .bind(range.start().timestamp())
        .bind(now.timestamp())
        .bind(range.start().timestamp() - MAX_BOOKING_MINUTES * 60)
        .fetch_optional(&self.pool)
        .await?;
        Ok(clash.is_none())
    }
}
