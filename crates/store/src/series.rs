//! Recurring series: an RRULE from a first local start, whose occurrences
//! are ordinary bookings pointing back at the series.
//!
//! Every occurrence is checked (the resource's rules, blackouts, other
//! bookings) inside one write transaction, and the caller gets a report per
//! occurrence. All-or-nothing commits only when every occurrence is free;
//! "free ones" books those that are and reports the rest. Either way a
//! series is never half-written: what the report says was booked is exactly
//! what the database holds.

use crate::bookings::{insert_booking, record_event, NewBooking};
use crate::bookings::{Booking, BookingFilter, BookingSource, ACTIVE_STATUSES};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::guard::{ensure_free, lock_resource};
use crate::resources::Resource;
use chrono::{DateTime, NaiveDateTime, Utc};
use domain::availability::check_slot;
use domain::opening_hours::local_to_utc;
use domain::pricing::{quote, PriceRule};
use domain::recurrence::Rule;
use domain::{Actor, BookingId, BookingStatus, CustomerId, TenantId, TimeRange};

/// How a series treats occurrences that cannot be booked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesMode {
    /// Book nothing unless every occurrence is free.
    AllOrNothing,
    /// Book the free occurrences, report the others.
    FreeOnes,
}

/// A series to create.
#[derive(Debug, Clone)]
pub struct NewSeries {
    pub resource: Resource,
    /// The first occurrence's start, in the outlet's local time (RFC 5545's
    /// DTSTART): later occurrences keep this wall-clock time across DST.
    pub first_local: NaiveDateTime,
    pub minutes: i64,
    pub rrule: String,
    pub customer_id: Option<CustomerId>,
    pub source: BookingSource,
    pub actor: Actor,
    pub mode: SeriesMode,
}

/// What happened to one occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Booked (or, all-or-nothing, would have been: see `SeriesReport::created`).
    Free(Option<BookingId>),
    /// Not bookable: a reason code (`slot_taken`, `blackout`, or a rule's
    /// code such as `outside_opening_hours`) and a message.
    Refused { code: String, message: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OccurrenceReport {
    pub range: TimeRange,
    pub outcome: Outcome,
}

/// The per-occurrence answer to a series request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesReport {
    /// The series, when anything was booked.
    pub series_id: Option<i64>,
    pub occurrences: Vec<OccurrenceReport>,
}

impl SeriesReport {
    pub fn booked(&self) -> usize {
        self.occurrences
            .iter()
            .filter(|o| matches!(o.outcome, Outcome::Free(Some(_))))
            .count()
    }

    pub fn refused(&self) -> usize {
        self.occurrences
            .iter()
            .filter(|o| matches!(o.outcome, Outcome::Refused { .. }))
            .count()
    }
}

/// Which occurrences a cancellation covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelScope {
    /// Every occurrence not yet under way.
    All,
    /// This occurrence and every later one.
    FromBooking(BookingId),
}

fn refused(code: &str, message: impl Into<String>) -> Outcome {
    Outcome::Refused {
        code: code.to_string(),
        message: message.into(),
    }
}

impl Store {
    /// Checks every occurrence of a series and books it as `mode` says, in
    /// one transaction.
    pub async fn create_series(
        &self,
        tenant: TenantId,
        new: NewSeries,
        now: DateTime<Utc>,
    ) -> Result<SeriesReport> {
        if !(1..=crate::guard::MAX_BOOKING_MINUTES).contains(&new.minutes) {
            return Err(StoreError::Invalid(
                "each occurrence lasts from a minute to 24 hours".into(),
            ));
        }
        let rule = Rule::parse(&new.rrule).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let starts = rule
            .occurrences(new.first_local)
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        if starts.is_empty() {
            return Err(StoreError::Invalid(
                "the rule gives no occurrence from the first start".into(),
            ));
        }
        let resource = &new.resource;
        let rules: Vec<PriceRule> = self
            .price_rules(tenant, resource.id)
            .await?
            .into_iter()
            .map(|stored| stored.rule)
            .collect();
        let slot_rules = resource.slot_rules();
        let mut tx = self.begin_write().await?;
        let guarded = lock_resource(&mut tx, self.backend(), tenant, resource.id).await?;
        let series_id: i64 = sqlx::query_scalar(
            "INSERT INTO booking_series (tenant_id, resource_id, customer_id, rrule, first_local, minutes, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(tenant.0)
        .bind(resource.id.0)
        .bind(new.customer_id.map(|c| c.0))
        .bind(new.rrule.trim())
        .bind(new.first_local.format("%Y-%m-%dT%H:%M").to_string())
        .bind(new.minutes)
        .bind(now.timestamp())
        .fetch_one(&mut **tx)
        .await?;
        let mut occurrences = Vec::with_capacity(starts.len());
        for local in starts {
            let range = TimeRange::starting_at(local_to_utc(local, resource.timezone), new.minutes)
                .map_err(|e| StoreError::Invalid(e.to_string()))?;
            let checked = check_slot(
                &slot_rules,
                &range,
                resource.min_minutes,
                resource.max_minutes,
                now,
            );
            let outcome = if let Err(violation) = checked {
                refused(violation.code(), violation.to_string())
            } else {
                match ensure_free(&mut tx, &guarded, resource.id, &range, None, now).await {
                    Err(StoreError::SlotTaken) => {
                        refused("slot_taken", "that time slot is already taken")
                    }
                    Err(StoreError::Closed(reason)) => {
                        refused("blackout", format!("the venue is closed then: {reason}"))
                    }
                    Err(other) => return Err(other),
                    Ok(()) => {
                        let price = quote(resource.hourly_rate, &rules, &range, resource.timezone)
                            .map_err(|e| StoreError::Invalid(e.to_string()))?
                            .total;
                        let booking = NewBooking {
                            resource_id: resource.id,
                            range,
                            customer_id: new.customer_id,
                            status: BookingStatus::Confirmed,
                            price,
                            source: new.source,
                            actor: new.actor.clone(),
                            hold_until: None,
                            series_id: Some(series_id),
                        };
                        let booked =
                            insert_booking(&mut tx, self.backend(), tenant, &booking, now).await?;
                        Outcome::Free(Some(booked.id))
                    }
                }
            };
            occurrences.push(OccurrenceReport { range, outcome });
        }
        let mut report = SeriesReport {
            series_id: Some(series_id),
            occurrences,
        };
        let all_free = report.refused() == 0;
        let keep = report.booked() > 0 && (all_free || new.mode == SeriesMode::FreeOnes);
        if keep {
            tx.commit().await?;
        } else {
            tx.rollback().await?;
            report.series_id = None;
            for occurrence in &mut report.occurrences {
                if let Outcome::Free(id) = &mut occurrence.outcome {
                    *id = None;
                }
            }
        }
        Ok(report)
    }

    /// A series' occurrences (every status), by start.
    pub async fn series_bookings(&self, tenant: TenantId, series: i64) -> Result<Vec<Booking>> {
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT id FROM booking_series WHERE tenant_id = $1 AND id = $2")
                .bind(tenant.0)
                .bind(series)
                .fetch_optional(&self.pool)
                .await?;
        if exists.is_none() {
            return Err(StoreError::NotFound);
        }
        let filter = BookingFilter {
            series_id: Some(series),
            limit: Some(5000),
            ..BookingFilter::default()
        };
        self.bookings(tenant, &filter).await
    }

    /// Cancels the occurrences of a series that `scope` covers and that have
    /// not started yet (one under way or over is left alone, whatever its
    /// status), in one transaction with a history entry each. Returns the
    /// cancelled ids.
    pub async fn cancel_series(
        &self,
        tenant: TenantId,
        series: i64,
        scope: CancelScope,
        reason: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Vec<BookingId>> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(StoreError::Invalid("a cancellation needs a reason".into()));
        }
        let occurrences = self.series_bookings(tenant, series).await?;
        let from = match scope {
            CancelScope::All => None,
            CancelScope::FromBooking(id) => Some(
                occurrences
                    .iter()
                    .find(|b| b.id == id)
                    .ok_or_else(|| {
                        StoreError::Invalid(format!("booking {id} is not in series {series}"))
                    })?
                    .range
                    .start(),
            ),
        };
        let mut tx = self.begin_write().await?;
        let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
            "SELECT id, status FROM bookings WHERE tenant_id = $1 AND series_id = $2
               AND status IN {ACTIVE_STATUSES} AND status <> 'checked_in' AND starts_at >= $3
             ORDER BY starts_at"
        ))
        .bind(tenant.0)
        .bind(series)
        .bind(from.map_or(now, |f| f.max(now)).timestamp())
        .fetch_all(&mut **tx)
        .await?;
        let mut cancelled = Vec::with_capacity(rows.len());
        for (id, status) in rows {
            let status: BookingStatus = status
                .parse()
                .map_err(|e| StoreError::Invalid(format!("{e}")))?;
            // Only if it is still as read: an occurrence checked in or
            // cancelled meanwhile (PostgreSQL) is left as it now is.
            let changed = sqlx::query(
                "UPDATE bookings SET status = $1 WHERE tenant_id = $2 AND id = $3 AND status = $4",
            )
            .bind(BookingStatus::Cancelled.as_str())
            .bind(tenant.0)
            .bind(id)
            .bind(status.as_str())
            .execute(&mut **tx)
            .await?
            .rows_affected();
            if changed == 0 {
                continue;
            }
            record_event(
                &mut tx,
                tenant,
                BookingId(id),
                Some(status),
                BookingStatus::Cancelled,
                actor,
                Some(reason),
                now,
            )
            .await?;
            cancelled.push(BookingId(id));
        }
        tx.commit().await?;
        Ok(cancelled)
    }
}
