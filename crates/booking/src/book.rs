//! Booking a slot: one request, one or several resources ("2 lapangan
//! futsal"), all or none under one code, replayed for a repeated
//! idempotency key.

use crate::error::{BookingError, Item, Result};
use crate::request::{
    BookRequest, Caller, CustomerRef, IdempotencyKey, MAX_HOLD_MINUTES, MAX_RESOURCES_PER_REQUEST,
};
use crate::service::{
    check_customer_name, checked_price, customer_in, internal, remembered, BookingService,
};
use chrono::{DateTime, Duration, Utc};
use domain::{BookingCode, BookingStatus, ResourceId, TenantId};
use store::{Booking, NewBooking, StoreError};

/// How one run of a booking request's transaction ended.
enum Attempt {
    Done(Booked),
    /// The drawn code was taken; nothing was written.
    CodeTaken,
    /// The customer must be written before any resource is locked.
    CustomerFirst,
    /// What earlier bookings read of the resource or customer could not be
    /// proven current, or the slot was not free; nothing was written. Run
    /// again reading everything (which also names any refusal exactly).
    Stale,
}

/// How many times a booking request's transaction runs before giving up:
/// once more without snapshots, once more for a customer to write first,
/// and again for a taken code (odds of about one in a million for a tenant
/// with a thousand bookings), so reaching the limit means something else is
/// wrong.
const ATTEMPTS: usize = 5;

/// What a booking request created: one code, one booking per resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booked {
    pub code: BookingCode,
    pub bookings: Vec<Booking>,
    /// True when an idempotency key replayed an earlier request: nothing
    /// was created now.
    pub replayed: bool,
}

impl BookingService {
    /// Books (or holds) every resource of the request for the same time,
    /// all or none, under one new code: the rules of each resource are
    /// checked under the caller's policy, each booking is priced by its
    /// resource's rules, and the customer, the bookings, their history and
    /// the idempotency record are written in one transaction.
    #[tracing::instrument(skip(self, caller, request, key), fields(tenant = %caller.tenant))]
    pub async fn book(
        &self,
        caller: &Caller,
        request: BookRequest,
        key: Option<IdempotencyKey>,
    ) -> Result<Booked> {
        let now = self.now();
        if let Some(key) = &key {
            if let Some(replay) = self.replay(caller.tenant, key, now).await? {
                return Ok(replay);
            }
        }
        if !request.range.is_supported() {
            return Err(BookingError::UnsupportedDate);
        }
        let mut resources = request.resources.clone();
        resources.sort();
        resources.dedup();
        if resources.is_empty()
            || resources.len() > MAX_RESOURCES_PER_REQUEST
            || resources.len() != request.resources.len()
        {
            return Err(BookingError::TooManyResources(MAX_RESOURCES_PER_REQUEST));
        }
        let hold_until = match request.hold_minutes {
            None => None,
            Some(minutes) if (1..=MAX_HOLD_MINUTES).contains(&minutes) => {
                Some(now + Duration::minutes(minutes))
            }
            Some(_) => return Err(BookingError::InvalidHoldLength(MAX_HOLD_MINUTES)),
        };
        check_customer_name(request.customer.as_ref())?;
        // The request runs again when its drawn code turns out taken (about
        // once in a million draws for a tenant holding a thousand codes),
        // and on PostgreSQL when the customer must be written first (new or
        // renamed: see `BookingTx::resource_and_customer`).
        let mut customer_first = false;
        // The first run may take the resource and customer from what
        // earlier bookings read (see `BookingTx::trust_snapshots`).
        let mut trust = true;
        for _ in 0..ATTEMPTS {
            match self
                .book_once(
                    caller,
                    &request,
                    &resources,
                    hold_until,
                    &key,
                    now,
                    customer_first,
                    trust,
                )
                .await?
            {
                Attempt::Done(booked) => return Ok(booked),
                Attempt::CodeTaken => {}
                Attempt::CustomerFirst => customer_first = true,
                Attempt::Stale => trust = false,
            }
        }
        tracing::error!(
            tenant = caller.tenant.0,
            "a booking request gave up after {ATTEMPTS} attempts"
        );
        Err(BookingError::Internal)
    }

    /// [`BookingService::book`]'s write transaction, once; with
    /// `customer_first`, the customer is written before any resource is
    /// locked; with `trust`, snapshots of earlier reads may stand in for
    /// reads, proven by the inserts.
    #[allow(clippy::too_many_arguments)]
    async fn book_once(
        &self,
        caller: &Caller,
        request: &BookRequest,
        resources: &[ResourceId],
        hold_until: Option<DateTime<Utc>>,
        key: &Option<IdempotencyKey>,
        now: DateTime<Utc>,
        customer_first: bool,
        trust: bool,
    ) -> Result<Attempt> {
        let mut tx = self.begin().await?;
        if trust {
            tx.trust_snapshots();
        }
        let code = tx
            .code_for_request(caller.tenant, now)
            .await
            .map_err(internal)?;
        // Ascending ids: the lock order every writer keeps. A customer
        // given by number is read with the first resource, in the same
        // round trip, and only written when new or renamed.
        let by_phone = matches!(request.customer, Some(CustomerRef::Phone { .. }));
        let mut customer = if by_phone && !customer_first {
            None
        } else {
            customer_in(&mut tx, caller.tenant, request.customer.as_ref()).await?
        };
        let mut priced = Vec::with_capacity(resources.len());
        for &id in resources {
            // On PostgreSQL the first read may claim the request's code.
            let read = match (&request.customer, customer) {
                (Some(CustomerRef::Phone { phone, name }), None) => tx
                    .resource_and_customer(caller.tenant, id, phone, name.as_deref())
                    .await
                    .map(|(resource, known)| (resource, known, true)),
                _ => tx
                    .resource(caller.tenant, id)
                    .await
                    .map(|resource| (resource, customer, false)),
            };
            let resource = match read {
                Ok((_, None, true)) => {
                    tx.rollback().await.map_err(internal)?;
                    return Ok(Attempt::CustomerFirst);
                }
                Ok((resource, known, _)) => {
                    customer = known;
                    resource
                }
                Err(StoreError::CodeTaken) => {
                    tx.rollback().await.map_err(internal)?;
                    return Ok(Attempt::CodeTaken);
                }
                // An earlier resource taken on trust was proven stale.
                Err(StoreError::Stale) => {
                    tx.rollback().await.map_err(internal)?;
                    return Ok(Attempt::Stale);
                }
                Err(e) => return Err(BookingError::from_store(e, Item::Resource)),
            };
            let price = match checked_price(&mut tx, caller, &resource, &request.range, now).await {
                Ok(price) => price,
                // Refused on settings an earlier booking read: they may
                // have changed since (longer hours, a shorter lead time),
                // so only settings read now may refuse.
                Err(_) if tx.is_unproven(caller.tenant, resource.id) => {
                    tx.rollback().await.map_err(internal)?;
                    return Ok(Attempt::Stale);
                }
                Err(refused) => return Err(refused),
            };
            priced.push((resource, price));
        }
        let status = if hold_until.is_some() {
            BookingStatus::Pending
        } else {
            BookingStatus::Confirmed
        };
        let new_booking = |resource: &store::Resource, price| NewBooking {
            resource_id: resource.id,
            range: request.range,
            customer_id: customer,
            status,
            price,
            source: caller.source,
            actor: caller.actor.clone(),
            hold_until,
            series_id: None,
            code: Some(code.clone()),
        };
        // The common request, one resource and no key: its insert is the
        // transaction's last statement and goes with the commit.
        if let ([(resource, price)], None) = (priced.as_slice(), key) {
            let written = tx
                .insert_and_commit(caller.tenant, &new_booking(resource, *price), now)
                .await;
            return match written {
                Ok(booking) => Ok(Attempt::Done(Booked {
                    code,
                    bookings: vec![booking],
                    replayed: false,
                })),
                Err(StoreError::CodeTaken) => Ok(Attempt::CodeTaken),
                Err(StoreError::Stale) => Ok(Attempt::Stale),
                Err(refused) => Err(BookingError::from_store(refused, Item::Resource)),
            };
        }
        let mut bookings = Vec::with_capacity(priced.len());
        for (resource, price) in &priced {
            match tx
                .insert(caller.tenant, &new_booking(resource, *price), now)
                .await
            {
                Ok(booking) => bookings.push(booking),
                Err(StoreError::CodeTaken) => {
                    tx.rollback().await.map_err(internal)?;
                    return Ok(Attempt::CodeTaken);
                }
                Err(StoreError::Stale) => {
                    tx.rollback().await.map_err(internal)?;
                    return Ok(Attempt::Stale);
                }
                Err(refused) => {
                    tx.rollback().await.map_err(internal)?;
                    return self
                        .refused_or_replay(caller.tenant, key.clone(), refused, now)
                        .await
                        .map(Attempt::Done);
                }
            }
        }
        if let Some(key) = &key {
            let remembered = remembered(key, Some(code.clone()), None);
            if let Err(error) = tx.remember_request(caller.tenant, &remembered, now).await {
                tx.rollback().await.map_err(internal)?;
                return self
                    .refused_or_replay(caller.tenant, Some(key.clone()), error, now)
                    .await
                    .map(Attempt::Done);
            }
        }
        tx.commit().await.map_err(internal)?;
        Ok(Attempt::Done(Booked {
            code,
            bookings,
            replayed: false,
        }))
    }

    /// The earlier result of a keyed request, or `idempotency_key_reused`
    /// when the key came with another request; `None` for a new key.
    async fn replay(
        &self,
        tenant: TenantId,
        key: &IdempotencyKey,
        now: DateTime<Utc>,
    ) -> Result<Option<Booked>> {
        let Some(earlier) = self
            .store()
            .remembered_request(tenant, key.endpoint, &key.key, now)
            .await
            .map_err(internal)?
        else {
            return Ok(None);
        };
        if earlier.request_hash != key.request_hash {
            return Err(BookingError::IdempotencyKeyReused);
        }
        let Some(code) = earlier.code else {
            return Err(BookingError::IdempotencyKeyReused);
        };
        let bookings = self
            .store()
            .bookings_by_code(tenant, &code)
            .await
            .map_err(internal)?;
        Ok(Some(Booked {
            code,
            bookings,
            replayed: true,
        }))
    }

    /// After a refused write: a concurrent request with the same key may
    /// have made the booking (its slot is then "taken" by itself); replay
    /// it. Otherwise the refusal stands.
    async fn refused_or_replay(
        &self,
        tenant: TenantId,
        key: Option<IdempotencyKey>,
        refused: StoreError,
        now: DateTime<Utc>,
    ) -> Result<Booked> {
        if let Some(key) = key {
            if let Some(replay) = self.replay(tenant, &key, now).await? {
                return Ok(replay);
            }
        }
        Err(BookingError::from_store(refused, Item::Resource))
    }
}
