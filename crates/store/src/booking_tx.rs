//! The one write transaction a booking use case runs in.
//!
//! The booking service (crate `booking`) opens a [`BookingTx`], reads the
//! resource (locked), its price rules and the customer inside it, checks the
//! rules, and writes the booking, its code, its history and its idempotency
//! record before one commit. So a refused request writes nothing (not even
//! the customer), and what was checked is what is written: no rule, price
//! or slot can change in between. This is the only way to create a booking.

use crate::bookings::{instant, lock_booking, record_event, Booking};
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
mod insert;
mod payment;
mod reads;

/// A booking use case's write transaction (see the module docs). Dropping
/// it without [`BookingTx::commit`] rolls everything back.
pub struct BookingTx {
    /// Begun by the first statement (see [`BookingTx::tx`]): a booking
    /// whose resource and customer come from earlier reads needs none
    /// before its insert, which then begins, writes and commits in one
    /// hand-off to SQLite (see [`BookingTx::insert_and_commit`]).
    tx: Option<WriteTx>,
    /// Tenants whose rows this transaction may change (see
    /// `WriteTx::touches`), told to the transaction once it begins.
    tenants: Vec<TenantId>,
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
    /// booking read and not proven yet: that version must still be current,
    /// as its insert finds (SQLite, or PostgreSQL's `book_proven`) or
    /// `prove_deferred` checks under the resource's lock before the
    /// transaction's next statement (PostgreSQL).
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
    pub ends_at: DateTime<Utc>,
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
            tx: None,
            tenants: Vec::new(),
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
    /// The write transaction, begun now if this is its first statement; on
    /// PostgreSQL, what was taken on trust is proven first (`Stale` if it
    /// no longer holds).
    async fn tx(&mut self) -> Result<&mut WriteTx> {
        if self.tx.is_none() {
            let mut tx = self.store.begin_booking_write().await?;
            for tenant in &self.tenants {
                tx.touches(*tenant);
            }
            self.tx = Some(tx);
        }
        if self.store.backend() == Backend::Postgres {
            self.prove_deferred().await?;
        }
        self.tx
            .as_mut()
            .ok_or_else(|| StoreError::Corrupt("a write transaction did not begin".into()))
    }

    /// The transaction's connection, for a statement (begins it if needed).
    async fn conn(&mut self) -> Result<&mut sqlx::AnyConnection> {
        Ok(&mut ***self.tx().await?)
    }

    /// Notes that this transaction writes `tenant`'s rows.
    fn touch(&mut self, tenant: TenantId) {
        if !self.tenants.contains(&tenant) {
            self.tenants.push(tenant);
            if let Some(tx) = self.tx.as_mut() {
                tx.touches(tenant);
            }
        }
    }

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

    /// Whether resource `id` was taken from what an earlier booking read
    /// and is not proven yet (see [`BookingTx::trust_snapshots`]): a refusal
    /// on its settings may be stale.
    pub fn is_unproven(&self, tenant: TenantId, id: ResourceId) -> bool {
        self.locked_entry(tenant, id)
            .is_some_and(|locked| locked.unproven.is_some())
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
        self.touch(tenant);
        if let Some(locked) = self.locked_entry(tenant, resource) {
            return Ok(locked.rules.clone());
        }
        Ok(price_rules(self.conn().await?, tenant, resource)
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
        self.touch(tenant);
        let id = match customer_in_tx(self.tx().await?, tenant, phone, name).await? {
            Some(id) => id,
            None => upsert_customer_named(self.conn().await?, tenant, phone, name).await?,
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

    /// Writes a series' own row; its occurrences follow with `series_id`.
    pub async fn insert_series(
        &mut self,
        tenant: TenantId,
        series: &NewSeriesRow,
        now: DateTime<Utc>,
    ) -> Result<SeriesId> {
        self.touch(tenant);
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
        .fetch_one(self.conn().await?)
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
        self.touch(tenant);
        crate::idempotency::remember(self.tx().await?, tenant, remembered, now).await
    }

    /// Locks booking `id` and returns what a change must check. Lock the
    /// resource first if the change needs it (see
    /// [`BookingTx::lock_booking_and_cutoff`]): resources, then bookings,
    /// is the order every writer keeps.
    pub async fn lock_booking(&mut self, tenant: TenantId, id: BookingId) -> Result<LockedBooking> {
        self.touch(tenant);
        let backend = self.store.backend();
        let locked = lock_booking(self.tx().await?, backend, tenant, id).await?;
        Ok(LockedBooking {
            id,
            status: locked.status,
            resource_id: ResourceId(locked.resource_id),
            starts_at: instant(locked.starts_at)?,
            ends_at: instant(locked.ends_at)?,
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
        self.touch(tenant);
        let resource: Option<i64> =
            sqlx::query_scalar("SELECT resource_id FROM bookings WHERE tenant_id = $1 AND id = $2")
                .bind(tenant.0)
                .bind(id.0)
                .fetch_optional(self.conn().await?)
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
        self.touch(tenant);
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
        .fetch_optional(self.conn().await?)
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
        self.touch(tenant);
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
            .execute(self.conn().await?)
            .await
            .map_err(|e| StoreError::from_write(e, "duplicate booking"))?;
        record_event(
            self.tx().await?,
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
        self.touch(tenant);
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
                self.tx().await?,
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
        self.touch(tenant);
        let Move {
            resource,
            range,
            price,
            reason,
        } = to;
        let id = current.id;
        if !current.status.can_move() {
            return Err(StoreError::NotMovable(current.status));
        }
        ensure_length(&range)?;
        // Changed since it was read (cancelled, moved elsewhere, made
        // longer or shorter): refuse rather than move a booking that is no
        // longer what the caller saw.
        if locked.status != current.status
            || locked.resource_id != current.resource_id
            || locked.starts_at != current.range.start()
            || locked.ends_at != current.range.end()
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
        ensure_free(self.tx().await?, &guarded, target, &range, Some(id), now).await?;
        let price = price.unwrap_or(current.price);
        // The money collected stays what it was; what it amounts to
        // follows the new price (a deposit that now covers it is paid, a
        // "paid" that no longer does is a deposit), as the payment page
        // shows it against the price.
        sqlx::query(
            "UPDATE bookings SET resource_id = $1, starts_at = $2, ends_at = $3, price_minor = $4, currency = $5,
                 payment_state = CASE
                     WHEN payment_state = 'unpaid' THEN 'unpaid'
                     WHEN paid_minor >= $4 THEN 'paid'
                     WHEN paid_minor > 0 THEN 'deposit'
                     ELSE 'unpaid' END
             WHERE tenant_id = $6 AND id = $7",
        )
            .bind(target.0)
            .bind(range.start().timestamp())
            .bind(range.end().timestamp())
            .bind(price.minor)
            .bind(price.currency.code())
            .bind(tenant.0)
            .bind(id.0)
            .execute(self.conn().await?)
            .await
            .map_err(|e| StoreError::from_write(e, "duplicate booking"))?;
        let note = crate::move_note::MoveNote::write(
            &current.resource_name,
            current.range,
            reason.as_deref(),
        );
        record_event(
            self.tx().await?,
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

    /// Commits what was written (nothing to do if no statement ran).
    pub async fn commit(self) -> Result<()> {
        match self.tx {
            Some(tx) => tx.commit().await,
            None => Ok(()),
        }
    }

    pub async fn rollback(self) -> Result<()> {
        match self.tx {
            Some(tx) => tx.rollback().await,
            None => Ok(()),
        }
    }
}
