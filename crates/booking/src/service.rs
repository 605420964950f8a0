//! The booking service: the one owner of every booking use case.

use crate::error::{BookingError, Item, Result};
use crate::request::{Caller, CustomerRef, IdempotencyKey, MoveRequest};
use chrono::{DateTime, Duration, Utc};
use domain::availability::{check_slot_for, Policy};
use domain::clock::{Clock, FixedClock};
use domain::pricing::quote;
use domain::{BookingCode, BookingId, BookingStatus, CustomerId, SeriesId, TenantId};
use std::sync::Arc;
use store::{
    Booking, BookingTx, LockedBooking, Remembered, Resource, StatusChange, Store, StoreError,
};

/// Books, holds, confirms, moves and cancels under the resource's rules
/// and the caller's [`Policy`]. Cloning is cheap.
#[derive(Clone, Debug)]
pub struct BookingService {
    store: Store,
    clock: Arc<dyn Clock>,
}

impl BookingService {
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Self {
        BookingService { store, clock }
    }

    /// The same service with "now" pinned: a bot turn is handled at the
    /// instant its message arrived, whatever the clock says meanwhile.
    pub fn at(&self, now: DateTime<Utc>) -> BookingService {
        BookingService {
            store: self.store.clone(),
            clock: Arc::new(FixedClock::at(now)),
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Turns a live hold into a confirmed booking (`hold_expired` if late),
    /// checked and written in one write transaction.
    pub async fn confirm_hold(&self, caller: &Caller, id: BookingId) -> Result<Booking> {
        let now = self.now();
        let mut tx = self.begin().await?;
        let locked = tx
            .lock_booking(caller.tenant, id)
            .await
            .map_err(|e| BookingError::from_store(e, Item::Booking))?;
        let change = tx
            .confirm_hold(caller.tenant, &locked, &caller.actor, now)
            .await
            .map_err(|e| BookingError::from_store(e, Item::Booking))?;
        self.finish(tx, caller, id, change).await
    }

    /// Lets go of a live hold at once (`not_a_hold` for anything else).
    pub async fn release_hold(&self, caller: &Caller, id: BookingId) -> Result<Booking> {
        self.store
            .release_hold(caller.tenant, id, &caller.actor, self.now())
            .await
            .map_err(|e| BookingError::from_store(e, Item::Booking))
    }

    /// A lifecycle step. Under the customer policy only a cancellation
    /// (refused after the resource's cutoff, `too_late_to_change`) or the
    /// confirmation of a hold; the other steps are `staff_only`. Checking
    /// in opens [`CHECK_IN_OPENS_MINUTES`] before the start; a no-show or
    /// a completion only once the booking started (`too_early`). Every
    /// check reads the booking (and the cutoff) inside the write
    /// transaction, under the locks of the write, so a concurrent change
    /// cannot slip in between.
    pub async fn change_status(
        &self,
        caller: &Caller,
        id: BookingId,
        next: BookingStatus,
        reason: Option<&str>,
    ) -> Result<Booking> {
        let now = self.now();
        // Customers cancel (and confirm their holds); checking in, no-shows
        // and completion are the venue's to record.
        if caller.policy == Policy::Customer
            && !matches!(next, BookingStatus::Cancelled | BookingStatus::Confirmed)
        {
            return Err(BookingError::StaffOnly);
        }
        crate::error::check_reason(reason, next == BookingStatus::Cancelled)?;
        let from_store = |e| BookingError::from_store(e, Item::Booking);
        let mut tx = self.begin().await?;
        let locked = if next == BookingStatus::Cancelled && caller.policy != Policy::Staff {
            let (locked, cutoff) = tx
                .lock_booking_and_cutoff(caller.tenant, id)
                .await
                .map_err(from_store)?;
            check_cutoff(cutoff, locked.starts_at, now)?;
            locked
        } else {
            tx.lock_booking(caller.tenant, id)
                .await
                .map_err(from_store)?
        };
        check_not_too_early(&locked, next, now)?;
        let change = tx
            .set_status(caller.tenant, &locked, next, &caller.actor, reason, now)
            .await
            .map_err(from_store)?;
        self.finish(tx, caller, id, change).await
    }

    /// Commits a status change and returns the booking as it is now.
    async fn finish(
        &self,
        tx: BookingTx,
        caller: &Caller,
        id: BookingId,
        change: StatusChange,
    ) -> Result<Booking> {
        tx.commit().await.map_err(internal)?;
        match change {
            StatusChange::Done => self.booking(caller.tenant, id).await,
            StatusChange::HoldLapsed => Err(BookingError::HoldExpired),
        }
    }

    /// Cancels a booking with a reason (see [`Self::change_status`]).
    pub async fn cancel(&self, caller: &Caller, id: BookingId, reason: &str) -> Result<Booking> {
        self.change_status(caller, id, BookingStatus::Cancelled, Some(reason))
            .await
    }

    /// Moves a booking to a new slot (and resource) under that resource's
    /// rules, re-priced; the old slot is freed only if the new one is taken.
    /// Under the customer policy only until the cutoff of the booking's
    /// resource. The cutoff, the rules and the price are read inside the
    /// write transaction with both resources and the booking locked.
    pub async fn reschedule(
        &self,
        caller: &Caller,
        id: BookingId,
        to: MoveRequest,
    ) -> Result<Booking> {
        self.reschedule_with_reason(caller, id, to, None).await
    }

    /// [`Self::reschedule`], keeping why in the booking's history (the
    /// bot records the customer's own words).
    pub async fn reschedule_with_reason(
        &self,
        caller: &Caller,
        id: BookingId,
        to: MoveRequest,
        reason: Option<&str>,
    ) -> Result<Booking> {
        crate::error::check_reason(reason, false)?;
        let now = self.now();
        if !to.range.is_supported() {
            return Err(BookingError::UnsupportedDate);
        }
        // What the caller saw; the transaction refuses the move
        // (`changed_meanwhile`) if the booking is no longer this.
        let current = self.booking(caller.tenant, id).await?;
        if let Some(seen) = to.seen {
            if seen.resource != current.resource_id || seen.range != current.range {
                return Err(BookingError::ChangedMeanwhile);
            }
        }
        let target = to.resource.unwrap_or(current.resource_id);
        let mut tx = self.begin().await?;
        // Resources in ascending id order, then the booking: the order
        // every writer locks in.
        let mut cutoff = 0;
        let mut resource = Err(StoreError::NotFound);
        let mut outlet = None;
        let mut ids = vec![current.resource_id, target];
        ids.sort();
        ids.dedup();
        for rid in ids {
            if rid == target {
                resource = tx.resource(caller.tenant, target).await;
            } else {
                // The booking's own resource, locked in turn: a move stays
                // in its outlet, where the customer was told to come.
                outlet = tx
                    .resource(caller.tenant, rid)
                    .await
                    .ok()
                    .map(|r| r.outlet_id);
            }
            if rid == current.resource_id && caller.policy != Policy::Staff {
                cutoff = tx
                    .change_cutoff(caller.tenant, rid)
                    .await
                    .map_err(internal)?;
            }
        }
        let locked = tx
            .lock_booking(caller.tenant, id)
            .await
            .map_err(|e| BookingError::from_store(e, Item::Booking))?;
        if caller.policy != Policy::Staff {
            check_cutoff(cutoff, locked.starts_at, now)?;
        }
        let resource = resource.map_err(|e| BookingError::from_store(e, Item::Resource))?;
        if outlet.is_some_and(|outlet| outlet != resource.outlet_id) {
            return Err(BookingError::OtherOutlet);
        }
        let price = checked_price(&mut tx, caller, &resource, &to.range, now).await?;
        tx.move_booking(
            caller.tenant,
            &current,
            &locked,
            store::Move {
                resource: Some(target),
                range: to.range,
                price: Some(price),
                reason: reason.map(str::to_string),
            },
            &caller.actor,
            now,
        )
        .await
        .map_err(|e| BookingError::from_store(e, Item::Booking))?;
        tx.commit().await.map_err(internal)?;
        self.booking(caller.tenant, id).await
    }

    /// The country whose numbering plan reads the tenant's local phone
    /// numbers ("0812…" is Indonesian for an Indonesian venue).
    pub async fn region(&self, tenant: TenantId) -> Result<String> {
        self.store
            .tenant(tenant)
            .await
            .map(|t| t.country)
            .map_err(internal)
    }

    /// A phone number as the tenant's staff or customers write it.
    pub async fn parse_phone(&self, tenant: TenantId, input: &str) -> Result<domain::PhoneE164> {
        crate::parse_phone(input, &self.region(tenant).await?)
    }

    /// One booking of the tenant.
    pub async fn booking(&self, tenant: TenantId, id: BookingId) -> Result<Booking> {
        self.store
            .booking(tenant, id)
            .await
            .map_err(|e| BookingError::from_store(e, Item::Booking))
    }

    /// How many minutes before a booking of `resource` customers may last
    /// change it (0 for staff, who always may).
    pub(crate) async fn cutoff_minutes(
        &self,
        caller: &Caller,
        resource: domain::ResourceId,
    ) -> Result<i64> {
        if caller.policy == Policy::Staff {
            return Ok(0);
        }
        match self.store.resource(caller.tenant, resource).await {
            Ok(resource) => Ok(resource.change_cutoff_minutes),
            Err(StoreError::NotFound) => Ok(0),
            Err(other) => Err(internal(other)),
        }
    }

    pub(crate) async fn begin(&self) -> Result<BookingTx> {
        self.store.begin_booking().await.map_err(internal)
    }
}

pub use domain::booking::CHECK_IN_OPENS_MINUTES;

/// Customers may change a booking only until `cutoff` minutes before it
/// starts (and never once it started).
fn check_cutoff(cutoff: i64, starts_at: DateTime<Utc>, now: DateTime<Utc>) -> Result<()> {
    if now > starts_at - Duration::minutes(cutoff) {
        return Err(BookingError::TooLateToChange(cutoff));
    }
    Ok(())
}

/// A check-in opens [`CHECK_IN_OPENS_MINUTES`] before the start; a no-show
/// or a completion can only be recorded once the booking has started.
fn check_not_too_early(
    booking: &LockedBooking,
    next: BookingStatus,
    now: DateTime<Utc>,
) -> Result<()> {
    let Some(before) = next.opens_minutes_before_start() else {
        return Ok(());
    };
    let opens = booking.starts_at - Duration::minutes(before);
    // A transition the lifecycle refuses anyway keeps its own refusal.
    if now < opens && booking.status.can_become(next) {
        return Err(BookingError::TooEarly(next));
    }
    Ok(())
}

/// The price of `range` on `resource` under its rules, once the caller's
/// policy allows the slot.
pub(crate) async fn checked_price(
    tx: &mut BookingTx,
    caller: &Caller,
    resource: &Resource,
    range: &domain::TimeRange,
    now: DateTime<Utc>,
) -> Result<domain::Money> {
    check_slot_for(
        caller.policy,
        &resource.slot_rules(),
        range,
        resource.min_minutes,
        resource.max_minutes,
        now,
    )?;
    let rules = tx
        .price_rules(caller.tenant, resource.id)
        .await
        .map_err(internal)?;
    Ok(
        quote(resource.hourly_rate, &rules, range, resource.timezone)
            .map_err(|e| {
                tracing::error!(error = %e, "booking service: quote failed");
                BookingError::Internal
            })?
            .total,
    )
}

pub(crate) fn check_customer_name(customer: Option<&CustomerRef>) -> Result<()> {
    if let Some(CustomerRef::Phone {
        name: Some(name), ..
    }) = customer
    {
        let kept = store::clean_customer_name(Some(name)).unwrap_or_default();
        if kept.chars().count() > store::MAX_CUSTOMER_NAME {
            return Err(BookingError::InvalidName(store::MAX_CUSTOMER_NAME));
        }
    }
    Ok(())
}

/// The customer of a request, found or created inside its transaction.
pub(crate) async fn customer_in(
    tx: &mut BookingTx,
    tenant: TenantId,
    customer: Option<&CustomerRef>,
) -> Result<Option<CustomerId>> {
    match customer {
        None => Ok(None),
        Some(CustomerRef::Known(id)) => Ok(Some(*id)),
        Some(CustomerRef::Phone { phone, name }) => tx
            .upsert_customer(tenant, phone, name.as_deref())
            .await
            .map(Some)
            .map_err(internal),
    }
}

pub(crate) fn remembered(
    key: &IdempotencyKey,
    code: Option<BookingCode>,
    series_id: Option<SeriesId>,
) -> Remembered {
    Remembered {
        endpoint: key.endpoint.to_string(),
        key: key.key.clone(),
        request_hash: key.request_hash.clone(),
        code,
        series_id,
    }
}

/// A store failure that is ours, not the caller's: logged, then `Internal`.
pub(crate) fn internal(error: StoreError) -> BookingError {
    BookingError::from_store(error, Item::Booking)
}
