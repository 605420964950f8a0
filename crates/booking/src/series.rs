//! Recurring series: every occurrence checked under the caller's policy and
//! booked in one write transaction, with a report per occurrence.
//!
//! All-or-nothing commits only when every occurrence is free; "free ones"
//! books those that are and reports the rest. Either way a series is never
//! half-written: what the report says was booked is exactly what the
//! database holds. Each occurrence gets its own code, so a customer can
//! cancel one evening without naming the series.

use crate::error::{BookingError, Item, Result};
use crate::request::{Caller, CustomerRef, IdempotencyKey};
use crate::service::{
    check_customer_name, checked_price, customer_in, internal, remembered, BookingService,
};
use chrono::NaiveDateTime;
use domain::availability::SlotViolation;
use domain::opening_hours::local_to_utc;
use domain::recurrence::Rule;
use domain::{BookingId, BookingStatus, ResourceId, SeriesId, TimeRange};
use store::{CancelScope, NewBooking, NewSeriesRow};

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
pub struct SeriesRequest {
    pub resource: ResourceId,
    /// The first occurrence; later ones keep its local wall-clock time
    /// (RFC 5545's DTSTART) across DST changes.
    pub first: TimeRange,
    pub rrule: String,
    pub customer: Option<CustomerRef>,
    pub mode: SeriesMode,
}

/// What happened to one occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Booked (or, all-or-nothing, would have been: see `SeriesReport::series_id`).
    Free(Option<BookingId>),
    /// Not bookable, with the refusal (`slot_taken`, `blackout`, a rule).
    Refused(BookingError),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OccurrenceReport {
    pub range: TimeRange,
    pub outcome: Outcome,
    /// The booked occurrence's code, the one its customer quotes.
    pub code: Option<domain::BookingCode>,
}

/// The per-occurrence answer to a series request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesReport {
    /// The series, when anything was booked.
    pub series_id: Option<SeriesId>,
    pub occurrences: Vec<OccurrenceReport>,
    pub timezone: chrono_tz::Tz,
    /// True when an idempotency key replayed an earlier request.
    pub replayed: bool,
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
            .filter(|o| matches!(o.outcome, Outcome::Refused(_)))
            .count()
    }
}

impl BookingService {
    /// Checks every occurrence of a series and books it as `mode` says.
    pub async fn create_series(
        &self,
        caller: &Caller,
        request: SeriesRequest,
        key: Option<IdempotencyKey>,
    ) -> Result<SeriesReport> {
        let now = self.now();
        if let Some(key) = &key {
            if let Some(replay) = self.replay_series(caller, key, now).await? {
                return Ok(replay);
            }
        }
        if !request.first.is_supported() {
            return Err(BookingError::UnsupportedDate);
        }
        let minutes = request.first.minutes();
        if minutes < 1 {
            return Err(SlotViolation::BadLength(1, store::MAX_BOOKING_MINUTES).into());
        }
        if minutes > store::MAX_BOOKING_MINUTES {
            return Err(BookingError::TooLong);
        }
        let rule =
            Rule::parse(&request.rrule).map_err(|e| BookingError::InvalidRrule(e.to_string()))?;
        check_customer_name(request.customer.as_ref())?;
        let mut tx = self.begin().await?;
        // The customer before the resource's lock, as every booking does.
        let customer = customer_in(&mut tx, caller.tenant, request.customer.as_ref()).await?;
        let resource = tx
            .resource(caller.tenant, request.resource)
            .await
            .map_err(|e| BookingError::from_store(e, Item::Resource))?;
        let first_local: NaiveDateTime = request
            .first
            .start()
            .with_timezone(&resource.timezone)
            .naive_local();
        let starts = rule
            .occurrences(first_local)
            .map_err(|e| BookingError::InvalidRrule(e.to_string()))?;
        if starts.is_empty() {
            return Err(BookingError::InvalidRrule(
                "the rule gives no occurrence from the first start".into(),
            ));
        }
        let series_id = tx
            .insert_series(
                caller.tenant,
                &NewSeriesRow {
                    resource_id: resource.id,
                    customer_id: customer,
                    rrule: request.rrule.clone(),
                    first_local,
                    minutes,
                },
                now,
            )
            .await
            .map_err(internal)?;
        let mut occurrences = Vec::with_capacity(starts.len());
        for local in starts {
            let range = TimeRange::starting_at(local_to_utc(local, resource.timezone), minutes)
                .map_err(|e| BookingError::InvalidRrule(e.to_string()))?;
            let mut booked_code = None;
            let outcome = match checked_price(&mut tx, caller, &resource, &range, now).await {
                Err(BookingError::Internal) => return Err(BookingError::Internal),
                Err(refused) => Outcome::Refused(refused),
                Ok(price) => {
                    let code = tx
                        .allocate_code(caller.tenant, now)
                        .await
                        .map_err(internal)?;
                    let new = NewBooking {
                        resource_id: resource.id,
                        range,
                        customer_id: customer,
                        status: BookingStatus::Confirmed,
                        price,
                        source: caller.source,
                        actor: caller.actor.clone(),
                        hold_until: None,
                        series_id: Some(series_id),
                        code: Some(code),
                    };
                    match tx.insert(caller.tenant, &new, now).await {
                        Ok(booked) => {
                            booked_code = booked.code;
                            Outcome::Free(Some(booked.id))
                        }
                        Err(e @ (store::StoreError::SlotTaken | store::StoreError::Closed(_))) => {
                            Outcome::Refused(BookingError::from_store(e, Item::Resource))
                        }
                        Err(other) => return Err(internal(other)),
                    }
                }
            };
            occurrences.push(OccurrenceReport {
                range,
                outcome,
                code: booked_code,
            });
        }
        let mut report = SeriesReport {
            series_id: Some(series_id),
            occurrences,
            timezone: resource.timezone,
            replayed: false,
        };
        let keep =
            report.booked() > 0 && (report.refused() == 0 || request.mode == SeriesMode::FreeOnes);
        if !keep {
            tx.rollback().await.map_err(internal)?;
            // A concurrent retry with the same key may have booked the
            // series meanwhile (its occurrences then look taken): replay it.
            if let Some(key) = &key {
                if let Some(replay) = self.replay_series(caller, key, now).await? {
                    return Ok(replay);
                }
            }
            report.series_id = None;
            for occurrence in &mut report.occurrences {
                if let Outcome::Free(id) = &mut occurrence.outcome {
                    *id = None;
                }
                occurrence.code = None;
            }
            return Ok(report);
        }
        if let Some(key) = &key {
            let remember = remembered(key, None, Some(series_id));
            if let Err(error) = tx.remember_request(caller.tenant, &remember, now).await {
                tx.rollback().await.map_err(internal)?;
                return match self.replay_series(caller, key, now).await? {
                    Some(replay) => Ok(replay),
                    None => Err(internal(error)),
                };
            }
        }
        tx.commit().await.map_err(internal)?;
        Ok(report)
    }

    /// The report of an earlier keyed series request, rebuilt from what it
    /// booked; `idempotency_key_reused` for another request.
    async fn replay_series(
        &self,
        caller: &Caller,
        key: &IdempotencyKey,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<SeriesReport>> {
        let Some(earlier) = self
            .store()
            .remembered_request(caller.tenant, key.endpoint, &key.key, now)
            .await
            .map_err(internal)?
        else {
            return Ok(None);
        };
        let (true, Some(series_id)) = (earlier.request_hash == key.request_hash, earlier.series_id)
        else {
            return Err(BookingError::IdempotencyKeyReused);
        };
        let bookings = self
            .store()
            .series_bookings(caller.tenant, series_id)
            .await
            .map_err(|e| BookingError::from_store(e, Item::Series))?;
        let timezone = bookings
            .first()
            .map_or(chrono_tz::Asia::Jakarta, |b| b.timezone);
        Ok(Some(SeriesReport {
            series_id: Some(series_id),
            occurrences: bookings
                .iter()
                .map(|b| OccurrenceReport {
                    range: b.range,
                    outcome: Outcome::Free(Some(b.id)),
                    code: b.code.clone(),
                })
                .collect(),
            timezone,
            replayed: true,
        }))
    }

    /// Cancels the occurrences of a series that `scope` covers and that
    /// have not started yet, with a reason; returns the cancelled ids.
    pub async fn cancel_series(
        &self,
        caller: &Caller,
        series: SeriesId,
        scope: CancelScope,
        reason: &str,
    ) -> Result<Vec<BookingId>> {
        crate::error::check_reason(Some(reason), true)?;
        let now = self.now();
        // Customers cancel only occurrences still before the cutoff; the
        // ones inside it stay booked (staff can still cancel them).
        let occurrences = self
            .store()
            .series_bookings(caller.tenant, series)
            .await
            .map_err(|e| BookingError::from_store(e, Item::Series))?;
        let not_before = match occurrences.first() {
            Some(first) => {
                now + chrono::Duration::minutes(
                    self.cutoff_minutes(caller, first.resource_id).await?,
                )
            }
            None => now,
        };
        self.store()
            .cancel_series(
                caller.tenant,
                series,
                scope,
                reason,
                &caller.actor,
                now,
                not_before,
            )
            .await
            .map_err(|e| BookingError::from_store(e, Item::Series))
    }
}
