//! The one write transaction a booking use case runs in.
//!
//! The booking service (crate `booking`) opens a [`BookingTx`], reads the
//! resource (locked), its price rules and the customer inside it, checks the
//! rules, and writes the booking, its code, its history and its idempotency
//! record before one commit. So a refused request writes nothing (not even
//! the customer), and what was checked is what is written: no rule, price
//! or slot can change in between. This is the only way to create a booking.

use crate::bookings::{
    insert_booking, instant, lock_booking, record_event, Booking, NewBooking, Proof,
};
use crate::changes::Move;
use crate::conversations::{customer_in_tx, upsert_customer_named};
use crate::db::{Backend, Store, WriteTx};
use crate::error::{Result, StoreError};
use crate::guard::{ensure_free, ensure_length, Guarded};
use crate::holds::{confirm_locked, HoldConfirmation};
use crate::idempotency::Remembered;
use crate::pricing::price_rules;
use crate::resources::Resource;
use chrono::{DateTime, NaiveDateTime, Utc};
use domain::pricing::PriceRule;
use domain::{
    Actor, BookingCode, BookingId, BookingStatus, CustomerId, PhoneE164, ResourceId, SeriesId,
    TenantId,
};
mod codes;
mod reads;

/// A booking use case's write transaction (see the module docs). Dropping
/// it without [`BookingTx::commit`] rolls everything back.
pub struct BookingTx {
    tx: WriteTx,
    store: Store,
    /// Resources locked so far, with their price rules: inserting does not
    /// lock them again, and pricing several bookings (a series) reads the
    /// rules once. Nothing can change them before commit: every writer of
    /// a resource's settings takes the same lock.
    locked: Vec<LockedResource>,
    /// Customers upserted so far, with their numbers, so a booking for one
    /// does not read the number back.
    customers: Vec<(CustomerId, String)>,
    /// Codes this transaction holds (allocated, or written with a booking):
    /// a further booking with one of them shares it instead of claiming it.
    codes: Vec<BookingCode>,
    /// Whether a resource and customer may come from what earlier bookings
    /// read (see [`BookingTx::trust_snapshots`]).
    trust: bool,
    /// The request's code, drawn but not yet claimed: on PostgreSQL the next
    /// locked read claims it in the same statement.
    unclaimed: Option<(BookingCode, i64)>,
    /// A customer taken from what an earlier booking read, with the number
    /// and the name (if one was given) the insert must find unchanged.
    unproven_customer: Option<(CustomerId, String, Option<String>)>,
}

struct LockedResource {
    resource: Resource,
    rules: Vec<PriceRule>,
    guarded: Guarded,
    /// `Some(settings_version)` for a resource taken from what an earlier
    /// booking read, not locked: its insert must find that version still
    /// current (SQLite only; on PostgreSQL every resource is locked).
    unproven: Option<i64>,
}

/// A booking as a status change or a move must check it, read inside the
/// write transaction with its row locked (on SQLite the write transaction
/// excludes every other writer), so what is checked is what is changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockedBooking {
    pub id: BookingId,
    pub status: BookingStatus,
    pub resource_id: ResourceId,
    pub starts_at: DateTime<Utc>,
    /// Set while the booking is (or was) a hold.
    pub hold_expires_at: Option<DateTime<Utc>>,
}

/// What a status change came to, once written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusChange {
    Done,
    /// A hold that was to be confirmed had lapsed: it was released instead.
    /// Commit (the release stands), then report `HoldExpired`.
    HoldLapsed,
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
            tx: self.begin_booking_write().await?,
            store: self.clone(),
            locked: Vec::new(),
            customers: Vec::new(),
            codes: Vec::new(),
            trust: false,
            unclaimed: None,
            unproven_customer: None,
        })
    }
}

impl BookingTx {
    fn keep_locked(
        &mut self,
        resource: Resource,
        rules: Vec<PriceRule>,
        unproven: Option<i64>,
    ) -> Resource {
        self.locked.push(LockedResource {
            unproven,
            guarded: Guarded {
                outlet_id: resource.outlet_id.0,
                buffer_minutes: resource.buffer_minutes,
                name: resource.name.clone(),
                timezone: resource.timezone.name().to_string(),
            },
            resource: resource.clone(),
            rules,
        });
        resource
    }

    fn locked_entry(&self, tenant: TenantId, id: ResourceId) -> Option<&LockedResource> {
        self.locked
            .iter()
            .find(|l| l.resource.id == id && l.resource.tenant_id == tenant)
    }

    /// The resource's price rules, highest priority first (read with the
    /// resource when it was locked).
    pub async fn price_rules(
        &mut self,
        tenant: TenantId,
        resource: ResourceId,
    ) -> Result<Vec<PriceRule>> {
        self.tx.touches(tenant);
        if let Some(locked) = self.locked_entry(tenant, resource) {
            return Ok(locked.rules.clone());
        }
        Ok(price_rules(&mut **self.tx, tenant, resource)
            .await?
            .into_iter()
            .map(|stored| stored.rule)
            .collect())
    }

    /// The customer with this number, created if new; a given name is kept.
    /// A known customer whose name would not change is only read (no row
    /// is written or locked), which is the common case of a booking.
    pub async fn upsert_customer(
        &mut self,
        tenant: TenantId,
        phone: &PhoneE164,
        name: Option<&str>,
    ) -> Result<CustomerId> {
        self.tx.touches(tenant);
        let id = match customer_in_tx(&mut self.tx, tenant, phone, name).await? {
            Some(id) => id,
            None => upsert_customer_named(&mut **self.tx, tenant, phone, name).await?,
        };
        self.remember_customer(id, phone);
        Ok(id)
    }

    /// The customer's number, so the booking returned carries it without a
    /// read.
    fn remember_customer(&mut self, id: CustomerId, phone: &PhoneE164) {
        if !self.customers.iter().any(|(known, _)| *known == id) {
            self.customers.push((id, phone.as_str().to_string()));
        }
    }

    /// Writes a booking and its first history entry after the write check
    /// (buffer, overlap, blackouts), claiming its code unless this
    /// transaction holds it already. A refusal (`SlotTaken`, `Closed`,
    /// `CodeTaken`) writes nothing and leaves the transaction usable. On a
    /// resource taken from an earlier booking's read (see
    /// [`BookingTx::trust_snapshots`]) the insert writes only if that read
    /// still holds and the slot is free, and fails with `Stale` otherwise
    /// (roll back, then run the request again without snapshots).
    pub async fn insert(
        &mut self,
        tenant: TenantId,
        new: &NewBooking,
        now: DateTime<Utc>,
    ) -> Result<Booking> {
        self.tx.touches(tenant);
        if self.locked_entry(tenant, new.resource_id).is_none() {
            self.resource(tenant, new.resource_id).await?;
        }
        let (guarded, unproven) = self
            .locked_entry(tenant, new.resource_id)
            .map(|locked| (locked.guarded.clone(), locked.unproven))
            .ok_or(StoreError::NotFound)?;
        if let Some(until) = new.hold_until {
            if new.status != domain::BookingStatus::Pending || until <= now {
                return Err(StoreError::Invalid(
                    "a hold is a pending booking that expires in the future".into(),
                ));
            }
        }
        let known_phone = new.customer_id.and_then(|customer| {
            self.customers
                .iter()
                .find(|(id, _)| *id == customer)
                .map(|(_, phone)| phone.clone())
        });
        let mut claim_code = new
            .code
            .as_ref()
            .is_some_and(|code| !self.codes.contains(code));
        if let (true, Some(code), Backend::Postgres) = (claim_code, &new.code, self.store.backend())
        {
            // Only SQLite's trigger claims codes (see `code_for_request`).
            self.claim_code(tenant, code, now).await?;
            claim_code = false;
        }
        let proof = unproven.map(|version| Proof {
            settings_version: version,
            customer: self
                .unproven_customer
                .as_ref()
                .filter(|(id, _, _)| Some(*id) == new.customer_id)
                .map(|(_, phone, name)| (phone.clone(), name.clone())),
        });
        let written = insert_booking(
            &mut self.tx,
            &guarded,
            tenant,
            new,
            known_phone,
            claim_code,
            proof.as_ref(),
            now,
        )
        .await;
        let booking = match written {
            Err(StoreError::Stale) => {
                let phone = self.unproven_customer.as_ref().map(|(_, p, _)| p.as_str());
                self.store.booked.forget(tenant, new.resource_id.0, phone);
                return Err(StoreError::Stale);
            }
            other => other?,
        };
        if claim_code {
            self.codes.extend(new.code.clone());
        }
        Ok(booking)
    }

    /// Writes a series' own row; its occurrences follow with `series_id`.
    pub async fn insert_series(
        &mut self,
        tenant: TenantId,
        series: &NewSeriesRow,
        now: DateTime<Utc>,
    ) -> Result<SeriesId> {
        self.tx.touches(tenant);
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
        self.tx.touches(tenant);
        crate::idempotency::remember(&mut self.tx, tenant, remembered, now).await
    }

    /// Locks booking `id` and returns what a change must check. Lock the
    /// resource first if the change needs it (see
    /// [`BookingTx::lock_booking_and_cutoff`]): resources, then bookings,
    /// is the order every writer keeps.
    pub async fn lock_booking(&mut self, tenant: TenantId, id: BookingId) -> Result<LockedBooking> {
        self.tx.touches(tenant);
        let locked = lock_booking(&mut self.tx, self.store.backend(), tenant, id).await?;
        Ok(LockedBooking {
            id,
            status: locked.status,
            resource_id: ResourceId(locked.resource_id),
            starts_at: instant(locked.starts_at)?,
            hold_expires_at: locked.hold_expires_at.map(instant).transpose()?,
        })
    }

    /// Locks booking `id` together with its resource's row (resource first,
    /// the order every writer keeps) and returns the booking with the
    /// resource's change cutoff in minutes (0 if the resource is gone), so
    /// a cutoff check and the change it allows see the same settings.
    /// `ChangedMeanwhile` if the booking moved to another resource between
    /// the unlocked look at it and the lock.
    pub async fn lock_booking_and_cutoff(
        &mut self,
        tenant: TenantId,
        id: BookingId,
    ) -> Result<(LockedBooking, i64)> {
        self.tx.touches(tenant);
        let resource: Option<i64> =
            sqlx::query_scalar("SELECT resource_id FROM bookings WHERE tenant_id = $1 AND id = $2")
                .bind(tenant.0)
                .bind(id.0)
                .fetch_optional(&mut **self.tx)
                .await?;
        let resource = ResourceId(resource.ok_or(StoreError::NotFound)?);
        let cutoff = self.change_cutoff(tenant, resource).await?;
        let locked = self.lock_booking(tenant, id).await?;
        if locked.resource_id != resource {
            return Err(StoreError::ChangedMeanwhile);
        }
        Ok((locked, cutoff))
    }

    /// The change cutoff of `resource` in minutes, its row locked until
    /// commit (0 when the resource is gone: nothing limits changes then).
    pub async fn change_cutoff(&mut self, tenant: TenantId, resource: ResourceId) -> Result<i64> {
        self.tx.touches(tenant);
        if self.trust {
            return Err(StoreError::Invalid(
                "a change's cutoff is read under the resource's lock".into(),
            ));
        }
        if let Some(locked) = self.locked_entry(tenant, resource) {
            return Ok(locked.resource.change_cutoff_minutes);
        }
        let cutoff: Option<i64> = sqlx::query_scalar(&format!(
            "SELECT change_cutoff_minutes FROM resources WHERE tenant_id = $1 AND id = $2{}",
            self.store.backend().for_update("")
        ))
        .bind(tenant.0)
        .bind(resource.0)
        .fetch_optional(&mut **self.tx)
        .await?;
        Ok(cutoff.unwrap_or(0))
    }

    /// Moves the locked booking along its lifecycle: illegal transitions
    /// are refused (`IllegalTransition`), a cancellation needs a reason,
    /// confirming a hold keeps the hold's rules (not after it lapsed), and
    /// the change is written to the history.
    pub async fn set_status(
        &mut self,
        tenant: TenantId,
        locked: &LockedBooking,
        next: BookingStatus,
        actor: &Actor,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<StatusChange> {
        self.tx.touches(tenant);
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if next == BookingStatus::Cancelled && reason.is_none() {
            return Err(StoreError::ReasonRequired);
        }
        let id = locked.id;
        // Confirming a hold keeps the hold's rules: not after it lapsed, and
        // the expiry is cleared so the booking never looks like a hold again.
        if let (BookingStatus::Pending, Some(expiry), BookingStatus::Confirmed) =
            (locked.status, locked.hold_expires_at, next)
        {
            return self
                .confirm_locked_hold(tenant, locked, expiry, actor, now)
                .await;
        }
        if !locked.status.can_become(next) {
            return Err(StoreError::IllegalTransition {
                from: locked.status,
                to: next,
            });
        }
        sqlx::query("UPDATE bookings SET status = $1 WHERE tenant_id = $2 AND id = $3")
            .bind(next.as_str())
            .bind(tenant.0)
            .bind(id.0)
            .execute(&mut **self.tx)
            .await
            .map_err(|e| StoreError::from_write(e, "duplicate booking"))?;
        record_event(
            &mut self.tx,
            tenant,
            id,
            Some(locked.status),
            next,
            actor,
            reason,
            now,
        )
        .await?;
        Ok(StatusChange::Done)
    }

    /// Confirms the locked booking if it is a live hold; a lapsed one is
    /// released (`HoldLapsed`), anything else is `NotAHold`.
    pub async fn confirm_hold(
        &mut self,
        tenant: TenantId,
        locked: &LockedBooking,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<StatusChange> {
        self.tx.touches(tenant);
        match (locked.status, locked.hold_expires_at) {
            (BookingStatus::Pending, Some(expiry)) => {
                self.confirm_locked_hold(tenant, locked, expiry, actor, now)
                    .await
            }
            // Released already by a later claim on the slot, or the sweep.
            (BookingStatus::Cancelled, Some(expiry)) if expiry <= now => {
                Ok(StatusChange::HoldLapsed)
            }
            _ => Err(StoreError::NotAHold),
        }
    }

    async fn confirm_locked_hold(
        &mut self,
        tenant: TenantId,
        locked: &LockedBooking,
        expiry: DateTime<Utc>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<StatusChange> {
        Ok(
            match confirm_locked(
                &mut self.tx,
                tenant,
                locked.id,
                expiry.timestamp(),
                actor,
                now,
            )
            .await?
            {
                HoldConfirmation::Confirmed => StatusChange::Done,
                HoldConfirmation::Lapsed => StatusChange::HoldLapsed,
            },
        )
    }

    /// Moves the locked booking `current` (as read before the lock, for the
    /// history's note) to `to`, on a resource locked with
    /// [`BookingTx::resource`] before the booking: the old slot is freed
    /// only if the new one is free, and the move is kept in the history.
    /// `ChangedMeanwhile` if the booking is no longer what `current` shows.
    pub async fn move_booking(
        &mut self,
        tenant: TenantId,
        current: &Booking,
        locked: &LockedBooking,
        to: Move,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.tx.touches(tenant);
        let Move {
            resource,
            range,
            price,
        } = to;
        let id = current.id;
        if !current.status.can_move() {
            return Err(StoreError::NotMovable(current.status));
        }
        ensure_length(&range)?;
        // Changed since it was read (cancelled, or moved elsewhere): refuse
        // rather than move a booking that is no longer what the caller saw.
        if locked.status != current.status
            || locked.resource_id != current.resource_id
            || locked.starts_at != current.range.start()
        {
            return Err(StoreError::ChangedMeanwhile);
        }
        let target = resource.unwrap_or(current.resource_id);
        if self.trust || self.locked_entry(tenant, target).is_none() {
            return Err(StoreError::Invalid(
                "lock the target resource before the booking".into(),
            ));
        }
        let guarded = self
            .locked_entry(tenant, target)
            .map(|locked| locked.guarded.clone())
            .ok_or(StoreError::NotFound)?;
        ensure_free(&mut self.tx, &guarded, target, &range, Some(id), now).await?;
        let price = price.unwrap_or(current.price);
        sqlx::query("UPDATE bookings SET resource_id = $1, starts_at = $2, ends_at = $3, price_minor = $4, currency = $5 WHERE tenant_id = $6 AND id = $7")
            .bind(target.0)
            .bind(range.start().timestamp())
            .bind(range.end().timestamp())
            .bind(price.minor)
            .bind(price.currency.code())
            .bind(tenant.0)
            .bind(id.0)
            .execute(&mut **self.tx)
            .await
            .map_err(|e| StoreError::from_write(e, "duplicate booking"))?;
        let note = format!(
            "moved from {} {}–{}",
            current.resource_name,
            current.range.start().to_rfc3339(),
            current.range.end().to_rfc3339()
        );
        record_event(
            &mut self.tx,
            tenant,
            id,
            Some(current.status),
            current.status,
            actor,
            Some(&note),
            now,
        )
        .await?;
        Ok(())
    }

    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await
    }

    pub async fn rollback(self) -> Result<()> {
        self.tx.rollback().await
    }
}
