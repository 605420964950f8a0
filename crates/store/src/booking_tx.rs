//! The one write transaction a booking use case runs in.
//!
//! The booking service (crate `booking`) opens a [`BookingTx`], reads the
//! resource (locked), its price rules and the customer inside it, checks the
//! rules, and writes the booking, its code, its history and its idempotency
//! record before one commit. So a refused request writes nothing (not even
//! the customer), and what was checked is what is written: no rule, price
//! or slot can change in between. This is the only way to create a booking.

use crate::bookings::{insert_booking, Booking, NewBooking};
use crate::conversations::upsert_customer_named;
use crate::db::{Store, WriteTx};
use crate::error::{Result, StoreError};
use crate::guard::Guarded;
use crate::idempotency::Remembered;
use crate::pricing::price_rules;
use crate::resources::{locked_resource, Resource};
use chrono::{DateTime, NaiveDateTime, Utc};
use domain::pricing::PriceRule;
use domain::{BookingCode, CustomerId, PhoneE164, ResourceId, SeriesId, TenantId};
use rand::Rng;

/// How many random codes are tried before giving up: with 32⁶ codes a
/// tenant would need hundreds of millions of bookings for one retry to be
/// likely, so running out means something else is wrong.
const CODE_ATTEMPTS: usize = 8;

/// A booking use case's write transaction (see the module docs). Dropping
/// it without [`BookingTx::commit`] rolls everything back.
pub struct BookingTx {
    tx: WriteTx,
    store: Store,
    /// Resources locked so far, so inserting does not lock them again.
    locked: Vec<(ResourceId, Guarded)>,
}

/// A recurring series' own row (its occurrences are ordinary bookings).
#[derive(Debug, Clone)]
pub struct NewSeriesRow {
    pub resource_id: ResourceId,
    pub customer_id: Option<CustomerId>,
    pub rrule: String,
    /// The first occurrence's local start (RFC 5545's DTSTART).
    pub first_local: NaiveDateTime,
    pub minutes: i64,
}

impl Store {
    /// Opens a booking use case's write transaction.
    pub async fn begin_booking(&self) -> Result<BookingTx> {
        Ok(BookingTx {
            tx: self.begin_write().await?,
            store: self.clone(),
            locked: Vec::new(),
        })
    }
}

impl Store {
    /// Gives a code to every booking written before codes existed (run
    /// after migrating; one short transaction per booking, nothing to do
    /// once all have one). Returns how many were given.
    pub async fn give_codes_to_old_bookings(&self, now: DateTime<Utc>) -> Result<usize> {
        let mut given = 0;
        loop {
            let old: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT id, tenant_id FROM bookings WHERE code IS NULL ORDER BY id LIMIT 500",
            )
            .fetch_all(&self.pool)
            .await?;
            if old.is_empty() {
                return Ok(given);
            }
            for (id, tenant) in old {
                let mut tx = self.begin_booking().await?;
                let code = tx.allocate_code(TenantId(tenant), now).await?;
                sqlx::query("UPDATE bookings SET code = $1 WHERE id = $2 AND code IS NULL")
                    .bind(code.as_str())
                    .bind(id)
                    .execute(&mut **tx.tx)
                    .await?;
                tx.commit().await?;
                given += 1;
            }
        }
    }
}

impl BookingTx {
    /// The tenant's active resource, its row locked until commit (on SQLite
    /// the write transaction already excludes other writers). Lock several
    /// resources in ascending id order, as every writer does, so two
    /// requests never wait on each other in a circle.
    pub async fn resource(&mut self, tenant: TenantId, id: ResourceId) -> Result<Resource> {
        let resource = locked_resource(&mut self.tx, self.store.backend(), tenant, id).await?;
        if !self.locked.iter().any(|(locked, _)| *locked == id) {
            self.locked.push((
                id,
                Guarded {
                    outlet_id: resource.outlet_id.0,
                    buffer_minutes: resource.buffer_minutes,
                    name: resource.name.clone(),
                    timezone: resource.timezone.name().to_string(),
                },
            ));
        }
        Ok(resource)
    }

    /// The resource's price rules, highest priority first.
    pub async fn price_rules(
        &mut self,
        tenant: TenantId,
        resource: ResourceId,
    ) -> Result<Vec<PriceRule>> {
        Ok(price_rules(&mut **self.tx, tenant, resource)
            .await?
            .into_iter()
            .map(|stored| stored.rule)
            .collect())
    }

    /// The customer with this number, created if new; a given name is kept.
    pub async fn upsert_customer(
        &mut self,
        tenant: TenantId,
        phone: &PhoneE164,
        name: Option<&str>,
    ) -> Result<CustomerId> {
        upsert_customer_named(&mut **self.tx, tenant, phone, name).await
    }

    /// A new random code, unique within the tenant, for one request's
    /// bookings.
    pub async fn allocate_code(
        &mut self,
        tenant: TenantId,
        now: DateTime<Utc>,
    ) -> Result<BookingCode> {
        for _ in 0..CODE_ATTEMPTS {
            let code = BookingCode::from_random(rand::thread_rng().gen());
            // ON CONFLICT DO NOTHING: a taken code must not abort the
            // transaction (PostgreSQL would), only make us draw again.
            let taken = sqlx::query(
                "INSERT INTO booking_codes (tenant_id, code, created_at) VALUES ($1, $2, $3)
                 ON CONFLICT DO NOTHING",
            )
            .bind(tenant.0)
            .bind(code.as_str())
            .bind(now.timestamp())
            .execute(&mut **self.tx)
            .await?
            .rows_affected()
                == 0;
            if !taken {
                return Ok(code);
            }
        }
        Err(StoreError::Corrupt(format!(
            "no free booking code after {CODE_ATTEMPTS} tries"
        )))
    }

    /// Writes a booking and its first history entry after the write check
    /// (buffer, overlap, blackouts). A refusal (`SlotTaken`, `Closed`)
    /// writes nothing and leaves the transaction usable.
    pub async fn insert(
        &mut self,
        tenant: TenantId,
        new: &NewBooking,
        now: DateTime<Utc>,
    ) -> Result<Booking> {
        let guarded = match self.locked.iter().find(|(id, _)| *id == new.resource_id) {
            Some((_, guarded)) => guarded.clone(),
            None => {
                self.resource(tenant, new.resource_id).await?;
                self.locked
                    .iter()
                    .find(|(id, _)| *id == new.resource_id)
                    .map(|(_, guarded)| guarded.clone())
                    .ok_or(StoreError::NotFound)?
            }
        };
        if let Some(until) = new.hold_until {
            if new.status != domain::BookingStatus::Pending || until <= now {
                return Err(StoreError::Invalid(
                    "a hold is a pending booking that expires in the future".into(),
                ));
            }
        }
        insert_booking(&mut self.tx, &guarded, tenant, new, now).await
    }

    /// Writes a series' own row; its occurrences follow with `series_id`.
    pub async fn insert_series(
        &mut self,
        tenant: TenantId,
        series: &NewSeriesRow,
        now: DateTime<Utc>,
    ) -> Result<SeriesId> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO booking_series (tenant_id, resource_id, customer_id, rrule, first_local, minutes, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(tenant.0)
        .bind(series.resource_id.0)
        .bind(series.customer_id.map(|c| c.0))
        .bind(series.rrule.trim())
        .bind(series.first_local.format("%Y-%m-%dT%H:%M").to_string())
        .bind(series.minutes)
        .bind(now.timestamp())
        .fetch_one(&mut **self.tx)
        .await?;
        Ok(SeriesId(id))
    }

    /// Records what an idempotent request created, in the same transaction
    /// as the creation. A concurrent request with the same key that
    /// committed first makes this `Duplicate`: roll back and replay theirs.
    pub async fn remember_request(
        &mut self,
        tenant: TenantId,
        remembered: &Remembered,
        now: DateTime<Utc>,
    ) -> Result<()> {
        crate::idempotency::remember(&mut self.tx, tenant, remembered, now).await
    }

    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await
    }

    pub async fn rollback(self) -> Result<()> {
        self.tx.rollback().await
    }
}
