//! Callers and a service with "now" pinned, for the booking service's tests.

#![allow(dead_code)]

use booking::{BookRequest, BookingService, Caller, CustomerRef};
use chrono::{DateTime, Utc};
use domain::availability::Policy;
use domain::clock::FixedClock;
use domain::{Actor, PhoneE164, ResourceId, TenantId, TimeRange};
use std::sync::Arc;
use store::{BookingSource, Store};

pub fn service_at(store: &Store, now: DateTime<Utc>) -> BookingService {
    BookingService::new(store.clone(), Arc::new(FixedClock::at(now)))
}

/// An integrator's customer-facing site: every rule.
pub fn customer(tenant: TenantId) -> Caller {
    Caller {
        tenant,
        policy: Policy::Customer,
        actor: Actor::Api(1),
        source: BookingSource::Api,
    }
}

/// The front desk: walk-ins, late changes.
pub fn staff(tenant: TenantId) -> Caller {
    Caller {
        tenant,
        policy: Policy::Staff,
        actor: Actor::System,
        source: BookingSource::Dashboard,
    }
}

pub fn phone(text: &str) -> PhoneE164 {
    PhoneE164::parse(text).expect("phone")
}

/// A request for `range` on `resources` by the customer at phone `who`.
pub fn request(resources: Vec<ResourceId>, range: TimeRange, who: &str) -> BookRequest {
    BookRequest {
        resources,
        range,
        customer: Some(CustomerRef::Phone {
            phone: phone(who),
            name: Some("Budi".into()),
        }),
        hold_minutes: None,
    }
}

/// Books `range` on `resources` for the customer at phone `who`, as the
/// tenant's customer-facing integration does.
pub async fn book_for(
    service: &BookingService,
    tenant: TenantId,
    resources: Vec<ResourceId>,
    range: TimeRange,
    who: &str,
) -> booking::Result<booking::Booked> {
    service
        .book(&customer(tenant), request(resources, range, who), None)
        .await
}

/// Futsal Court 1 of a fresh tenant and a service at the tests' "now", with
/// two bookings made (02:00 and 03:00 UTC, by +6281255550001) so the booking
/// cache holds the court and the customer: what the fast paths start from.
pub async fn warm(store: &Store) -> (TenantId, store::Resource, BookingService) {
    let (tenant, court) = crate::common::futsal_court_1(store).await;
    let service = service_at(store, crate::common::now());
    for hour in [2, 3] {
        service
            .book(
                &customer(tenant),
                request(
                    vec![court.id],
                    crate::common::slot(hour, 60),
                    "0812 5555 0001",
                ),
                None,
            )
            .await
            .expect("booked");
    }
    (tenant, court, service)
}
