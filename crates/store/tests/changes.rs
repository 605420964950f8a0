//! Rescheduling, on both backends (idempotent creation is the booking
//! service's: see `crates/booking/tests`).

mod common;

use chrono::Duration;
use domain::{Actor, BookingStatus, ResourceId, TenantId, TimeRange};
use store::demo::seed_demo;
use store::{Move, Store, StoreError};

use common::{booking, now, slot, InsertBooking};

fn to(resource: Option<ResourceId>, range: TimeRange, price: Option<domain::Money>) -> Move {
    Move {
        reason: None,
        resource,
        range,
        price,
    }
}

async fn demo(store: &Store) -> (TenantId, ResourceId, ResourceId) {
    let tenant = seed_demo(store).await.expect("seed").tenant_id;
    let resources = store.resources(tenant).await.expect("resources");
    (tenant, resources[0].id, resources[1].id)
}

async fn rescheduling_moves_a_booking_atomically(store: Store) {
    let (tenant, court, other_court) = demo(&store).await;
    let moving = store
        .insert_booking(tenant, booking(court, slot(12, 60)), now())
        .await
        .expect("booking");
    let blocker = store
        .insert_booking(tenant, booking(court, slot(14, 60)), now())
        .await
        .expect("booking");
    // Onto a taken slot: refused, and nothing changes.
    let refused = store
        .reschedule(
            tenant,
            moving.id,
            to(None, slot(14, 60), None),
            &Actor::System,
            now(),
        )
        .await;
    assert!(matches!(refused, Err(StoreError::SlotTaken)), "{refused:?}");
    assert_eq!(
        store.booking(tenant, moving.id).await.expect("b").range,
        slot(12, 60)
    );
    // Overlapping its own old slot is fine.
    let later = TimeRange::new(
        slot(12, 60).start() + Duration::minutes(30),
        slot(13, 60).end() - Duration::minutes(30),
    )
    .expect("range");
    let moved = store
        .reschedule(
            tenant,
            moving.id,
            to(None, later, None),
            &Actor::System,
            now(),
        )
        .await
        .expect("move");
    assert_eq!(moved.range, later);
    // To another court: the old slot is free again.
    let moved = store
        .reschedule(
            tenant,
            moving.id,
            to(
                Some(other_court),
                slot(14, 60),
                Some(domain::Money::idr(90_000)),
            ),
            &Actor::System,
            now(),
        )
        .await
        .expect("move");
    assert_eq!(moved.resource_id, other_court);
    assert_eq!(
        moved.price,
        domain::Money::idr(90_000),
        "moved at the new slot's price"
    );
    store
        .insert_booking(tenant, booking(court, slot(12, 60)), now())
        .await
        .expect("the old slot is free");
    let history = store
        .booking_history(tenant, moving.id)
        .await
        .expect("history");
    assert_eq!(history.len(), 3);
    assert!(
        history[1]
            .reason
            .as_deref()
            .is_some_and(|r| r.starts_with("moved from")),
        "{history:?}"
    );
    // A lapsed hold in the way is released, as it is for a new booking.
    let mut hold = booking(court, slot(16, 60));
    hold.status = BookingStatus::Pending;
    hold.hold_until = Some(now() + Duration::minutes(10));
    store
        .insert_booking(tenant, hold, now())
        .await
        .expect("hold");
    let later = now() + Duration::minutes(11);
    let moved = store
        .reschedule(
            tenant,
            moving.id,
            to(Some(court), slot(16, 60), None),
            &Actor::System,
            later,
        )
        .await
        .expect("onto a lapsed hold");
    assert_eq!(moved.range, slot(16, 60));
    // Not another tenant's booking or resource, and not a cancelled one.
    let other = store.create_tenant("other", "Other").await.expect("tenant");
    assert!(matches!(
        store
            .reschedule(
                other.id,
                moving.id,
                to(None, slot(18, 60), None),
                &Actor::System,
                now()
            )
            .await,
        Err(StoreError::NotFound)
    ));
    store
        .change_status(
            tenant,
            blocker.id,
            BookingStatus::Cancelled,
            &Actor::System,
            Some("test"),
            now(),
        )
        .await
        .expect("cancel");
    assert!(matches!(
        store
            .reschedule(
                tenant,
                blocker.id,
                to(None, slot(18, 60), None),
                &Actor::System,
                now()
            )
            .await,
        Err(StoreError::NotMovable(BookingStatus::Cancelled))
    ));
}

conformance!(rescheduling_moves_a_booking_atomically,);
