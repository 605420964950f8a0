//! Bookings: creating them, their lifecycle and history, and reading them.
//!
//! A booking is written inside a write transaction (on SQLite `BEGIN
//! IMMEDIATE`, the single write lock taken before reading) after the write
//! check of [`crate::guard`], so the check and the insert see the same state.
//! The `bookings_no_overlap_*` triggers (SQLite) and the exclusion
//! constraint (PostgreSQL) repeat the plain-overlap part inside the
//! database, so even a writer that skipped this code cannot create one.

use crate::booking_tx::StatusChange;
use crate::db::{Backend, Store};
use crate::error::{Result, StoreError};
use crate::guard::MAX_BOOKING_MINUTES;
use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Tz;
use domain::{
    Actor, BookingCode, BookingId, BookingStatus, Currency, CustomerId, Money, OutletId, Payment,
    ResourceId, SeriesId, TenantId, TimeRange,
};
use serde::{Deserialize, Serialize};

mod group_commit;
mod insert;
pub(crate) use group_commit::{insert_proven_in_batch, ProvenQueue};
pub(crate) use insert::{book_proven, insert_booking, Proof};

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

impl std::str::FromStr for BookingSource {
    type Err = StoreError;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "dashboard" => Ok(BookingSource::Dashboard),
            "simulator" => Ok(BookingSource::Simulator),
            "whatsapp" => Ok(BookingSource::Whatsapp),
            "api" => Ok(BookingSource::Api),
            other => Err(StoreError::Corrupt(format!(
                "unknown booking source {other:?}"
            ))),
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
    pub source: BookingSource,
    /// The short code the customer quotes; the bookings of one request
    /// ("2 courts") share it. `None` only for rows written around the store.
    pub code: Option<BookingCode>,
    pub created_at: DateTime<Utc>,
    /// Set while the booking is a hold: it lapses at this instant unless confirmed.
    pub hold_expires_at: Option<DateTime<Utc>>,
    /// The recurring series this booking is an occurrence of.
    pub series_id: Option<SeriesId>,
    /// What the customer has paid so far, as the front desk recorded it.
    pub payment: Payment,
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
    pub series_id: Option<SeriesId>,
    /// The request's code (see [`crate::BookingTx::allocate_code`]).
    pub code: Option<BookingCode>,
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
    pub series_id: Option<SeriesId>,
    /// The bookings of one request, by the code the customer quotes.
    pub code: Option<BookingCode>,
    /// One customer's bookings (the bot's "my bookings").
    pub customer_id: Option<CustomerId>,
    /// Made through this channel.
    pub source: Option<BookingSource>,
    /// Part of the customer's name, their number (digits, however typed)
    /// or the booking's code: what staff type into a search box.
    pub search: Option<String>,
    /// Only bookings after this one in the list's order (start, then id):
    /// the cursor of the page before.
    pub after: Option<BookingCursor>,
    pub limit: Option<i64>,
}

/// A position in a booking list (ordered by start, then id), for paging
/// through any number of rows without offsets that shift under inserts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BookingCursor {
    pub starts_at: i64,
    pub id: i64,
}

impl BookingCursor {
    /// The cursor just after `booking`.
    pub fn after(booking: &Booking) -> Self {
        BookingCursor {
            starts_at: booking.range.start().timestamp(),
            id: booking.id.0,
        }
    }

    /// An opaque token for clients (`<start>.<id>` in hex).
    pub fn token(&self) -> String {
        format!("{:x}.{:x}", self.starts_at, self.id)
    }

    /// Reads a token made by [`BookingCursor::token`].
    pub fn parse(token: &str) -> Option<Self> {
        let (start, id) = token.split_once('.')?;
        Some(BookingCursor {
            starts_at: i64::from_str_radix(start, 16).ok()?,
            id: i64::from_str_radix(id, 16).ok()?,
        })
    }
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
    code: Option<String>,
    payment_state: String,
    paid_minor: i64,
    payment_method: Option<String>,
}

pub(crate) fn instant(seconds: i64) -> Result<DateTime<Utc>> {
    Utc.timestamp_opt(seconds, 0)
        .single()
        .ok_or_else(|| StoreError::Corrupt(format!("stored instant {seconds} is out of range")))
}

impl TryFrom<BookingRow> for Booking {
    type Error = StoreError;
    fn try_from(row: BookingRow) -> Result<Self> {
        let bad =
            |what: &str| StoreError::Corrupt(format!("booking {} has an invalid {what}", row.id));
        let currency = row
            .currency
            .parse::<Currency>()
            .map_err(|_| bad("currency"))?;
        let payment = Payment {
            state: row
                .payment_state
                .parse()
                .map_err(|_| bad("payment state"))?,
            collected: Money::new(row.paid_minor, currency),
            method: row
                .payment_method
                .as_deref()
                .map(str::parse)
                .transpose()
                .map_err(|_| bad("payment method"))?,
        };
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
            price: Money::new(row.price_minor, currency),
            payment,
            created_at: instant(row.created_at)?,
            hold_expires_at: row.hold_expires_at.map(instant).transpose()?,
            series_id: row.series_id.map(SeriesId),
            source: row.source.parse()?,
            code: row
                .code
                .as_deref()
                .map(BookingCode::parse)
                .transpose()
                .map_err(|_| bad("code"))?,
            resource_name: row.resource_name,
            customer_phone: row.customer_phone,
        })
    }
}

const BOOKING_SELECT: &str = "SELECT b.id, b.tenant_id, b.resource_id, r.name AS resource_name, r.outlet_id, o.timezone,
        b.customer_id, c.phone AS customer_phone, b.starts_at, b.ends_at, b.status, b.price_minor, b.currency,
        b.source, b.created_at, b.hold_expires_at, b.series_id, b.code,
        b.payment_state, b.paid_minor, b.payment_method
    FROM bookings b
    JOIN resources r ON r.id = b.resource_id AND r.tenant_id = b.tenant_id
    JOIN outlets o ON o.id = r.outlet_id AND o.tenant_id = b.tenant_id
    LEFT JOIN customers c ON c.id = b.customer_id AND c.tenant_id = b.tenant_id
    WHERE b.tenant_id = $1";

/// What a status change or a move must check of a booking, read inside the
/// write transaction.
pub(crate) struct LockedBooking {
    pub status: BookingStatus,
    pub hold_expires_at: Option<i64>,
    pub resource_id: i64,
    pub starts_at: i64,
    pub ends_at: i64,
}

/// Reads a booking inside the write transaction and, on PostgreSQL, locks
/// its row until it ends, so two changes of one booking (a confirmation and
/// a release, a cancellation and a move) never both pass their check.
pub(crate) async fn lock_booking(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    backend: Backend,
    tenant: TenantId,
    id: BookingId,
) -> Result<LockedBooking> {
    let row: Option<(String, Option<i64>, i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT status, hold_expires_at, resource_id, starts_at, ends_at FROM bookings
         WHERE tenant_id = $1 AND id = $2{}",
        backend.for_update("")
    ))
    .bind(tenant.0)
    .bind(id.0)
    .fetch_optional(&mut **tx)
    .await?;
    let (status, hold_expires_at, resource_id, starts_at, ends_at) =
        row.ok_or(StoreError::NotFound)?;
    Ok(LockedBooking {
        status: status
            .parse()
            .map_err(|e| StoreError::Corrupt(format!("{e}")))?,
        hold_expires_at,
        resource_id,
        starts_at,
        ends_at,
    })
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

pub(crate) const ACTIVE_STATUSES: &str = "('pending', 'confirmed', 'checked_in')";

impl Store {
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
            return Err(StoreError::ReasonRequired);
        }
        let mut tx = self.begin_booking().await?;
        let locked = tx.lock_booking(tenant, id).await?;
        let change = tx
            .set_status(tenant, &locked, next, actor, reason, now)
            .await?;
        tx.commit().await?;
        match change {
            StatusChange::Done => self.booking(tenant, id).await,
            StatusChange::HoldLapsed => Err(StoreError::HoldExpired),
        }
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
                .map_err(|e| StoreError::Corrupt(format!("{e}")))
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

    /// The bookings of one request, by the code the customer quotes.
    pub async fn bookings_by_code(
        &self,
        tenant: TenantId,
        code: &BookingCode,
    ) -> Result<Vec<Booking>> {
        sqlx::query_as::<_, BookingRow>(&format!(
            "{BOOKING_SELECT} AND b.code = $2 ORDER BY b.resource_id, b.id"
        ))
        .bind(tenant.0)
        .bind(code.as_str())
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(Booking::try_from)
        .collect()
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
               AND ($9 IS NULL OR b.starts_at > $9 OR (b.starts_at = $9 AND b.id > $10))
               AND ($11 IS NULL OR b.code = $11)
               AND ($12 IS NULL OR b.customer_id = $12)
               AND ($13 IS NULL OR b.source = $13)
               AND ($14 IS NULL OR LOWER(COALESCE(c.name, '')) LIKE LOWER($14) ESCAPE '\\'
                    OR LOWER(COALESCE(c.whatsapp_name, '')) LIKE LOWER($14) ESCAPE '\\'
                    OR ($15 <> '' AND c.phone LIKE $15)
                    OR UPPER(COALESCE(b.code, '')) = UPPER($16))
             ORDER BY b.starts_at, b.id LIMIT $7"
        );
        let search = filter
            .search
            .as_deref()
            .map(|s| s.replace('\0', ""))
            .map(|s| s.trim().chars().take(100).collect::<String>())
            .filter(|s| !s.is_empty());
        // A code as customers read it out ("k7p-2qx", "K7P 2QX", O for 0)
        // finds the booking; anything else is compared as typed.
        let code = search.as_deref().map(|s| {
            BookingCode::parse(s).map_or_else(|_| s.to_string(), |c| c.as_str().to_string())
        });
        let digits = search.as_deref().map_or(String::new(), |s| {
            let digits: String = s.chars().filter(char::is_ascii_digit).collect();
            let digits = digits.trim_start_matches('0');
            if digits.len() >= 3 {
                format!("%{digits}%")
            } else {
                String::new()
            }
        });
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
            .bind(filter.series_id.map(|s| s.0))
            .bind(filter.after.map(|c| c.starts_at))
            .bind(filter.after.map_or(0, |c| c.id))
            .bind(filter.code.as_ref().map(BookingCode::as_str))
            .bind(filter.customer_id.map(|c| c.0))
            .bind(filter.source.map(BookingSource::as_str))
            .bind(
                search
                    .as_deref()
                    .map(|s| crate::inbox::like_pattern(&s.to_lowercase())),
            )
            .bind(digits)
            .bind(code.unwrap_or_default())
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
