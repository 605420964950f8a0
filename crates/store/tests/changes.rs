//! Idempotent creation and rescheduling, on both backends.

mod common;

use chrono::Duration;
use domain::{Actor, BookingStatus, ResourceId, TenantId, TimeRange};
use store::demo::seed_demo;
use store::{BookingFilter, Move, Store, StoreError};

use common::{booking, now, slot};

fn to(resource: Option<ResourceId>, range: TimeRange, price: Option<domain::Money>) -> Move {
    Move {
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

async fn a_reused_idempotency_key_returns_the_first_booking(store: Store) {
    let (tenant, court, _) = demo(&store).await;
    let (first, replayed) = store
        .create_booking_once(tenant, "key-1", booking(court, slot(12, 60)), now())
        .await
        .expect("create");
    assert!(!replayed);
    let (again, replayed) = store
        .create_booking_once(tenant, "key-1", booking(court, slot(12, 60)), now())
        .await
        .expect("retry");
    assert!(replayed);
    assert_eq!(again.id, first.id);
    // Same key, different body: still the first result, nothing new.
    let (other_body, _) = store
        .create_booking_once(tenant, "key-1", booking(court, slot(15, 60)), now())
        .await
        .expect("retry");
    assert_eq!(other_body.id, first.id);
    assert_eq!(
        store
            .bookings(tenant, &BookingFilter::default())
            .await
            .expect("list")
            .len(),
        1
    );
    assert!(matches!(
        store
            .create_booking_once(tenant, " ", booking(court, slot(16, 60)), now())
            .await,
        Err(StoreError::Invalid(_))
    ));
    // Keys are per tenant.
    let other = store.create_tenant("other", "Other").await.expect("tenant");
    let foreign = store
        .create_booking_once(other.id, "key-1", booking(court, slot(17, 60)), now())
        .await;
    assert!(matches!(foreign, Err(StoreError::NotFound)), "{foreign:?}");
}

async fn concurrent_retries_with_one_key_create_one_booking(store: Store) {
    let (tenant, court, _) = demo(&store).await;
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            store
                .create_booking_once(tenant, "same-key", booking(court, slot(12, 60)), now())
                .await
        }));
    }
    let mut ids = Vec::new();
    for task in tasks {
        let (b, _) = task
            .await
            .expect("task")
            .expect("every retry gets the first result");
        ids.push(b.id);
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "{ids:?}");
    assert_eq!(
        store
            .bookings(tenant, &BookingFilter::default())
            .await
            .expect("list")
            .len(),
        1
    );
}

async fn rescheduling_moves_a_booking_atomically(store: Store) {
    let (tenant, court, other_court) = demo(&store).await;
    let moving = store
        .create_booking(tenant, booking(court, slot(12, 60)), now())
        .await
        .expect("booking");
    let blocker = store
        .create_booking(tenant, booking(court, slot(14, 60)), now())
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
        .create_booking(tenant, booking(court, slot(12, 60)), now())
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
        .create_booking(tenant, hold, now())
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
        Err(StoreError::Invalid(_))
    ));
}

conformance!(
    a_reused_idempotency_key_returns_the_first_booking,
    concurrent_retries_with_one_key_create_one_booking,
    rescheduling_moves_a_booking_atomically,
);
