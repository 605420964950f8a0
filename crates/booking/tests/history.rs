//! What the database writes with each booking (migration 0010's trigger):
//! one creation event per booking and one claimed code per request, and
//! the customer written before any resource is locked, through the
//! service, on both backends.

#[path = "../../store/tests/common/mod.rs"]
mod common;
mod support;

use booking::{CustomerRef, MoveRequest, SeriesMode, SeriesRequest};
use domain::opening_hours::local_to_utc;
use domain::{BookingId, TenantId, TimeRange};
use store::Store;
use support::{customer, request, service_at, staff};

use common::{day, futsal_court_1, now, resource_named, slot};

async fn creations(store: &Store, id: BookingId) -> (i64, i64) {
    let (made, all): (i64, i64) = sqlx::query_as(
        "SELECT SUM(CASE WHEN from_status IS NULL THEN 1 ELSE 0 END), COUNT(*)
         FROM booking_events WHERE booking_id = $1",
    )
    .bind(id.0)
    .fetch_one(store.pool())
    .await
    .expect("events");
    (made, all)
}

async fn codes(store: &Store, tenant: TenantId) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM booking_codes WHERE tenant_id = $1")
        .bind(tenant.0)
        .fetch_one(store.pool())
        .await
        .expect("codes")
}

async fn every_booking_has_one_creation_event_and_each_request_one_code(store: Store) {
    let (tenant, one) = futsal_court_1(&store).await;
    let two = resource_named(&store, tenant, "Futsal Court 2").await;
    let service = service_at(&store, now());
    let before = codes(&store, tenant).await;
    // A hold on two courts, confirmed, then one moved.
    let mut held = request(vec![one.id, two.id], slot(12, 60), "0812 5555 0101");
    held.hold_minutes = Some(10);
    let held = service
        .book(&customer(tenant), held, None)
        .await
        .expect("hold");
    assert_eq!(held.bookings.len(), 2);
    assert_eq!(codes(&store, tenant).await, before + 1);
    for b in &held.bookings {
        service
            .confirm_hold(&customer(tenant), b.id)
            .await
            .expect("confirm");
        assert_eq!(creations(&store, b.id).await, (1, 2), "{b:?}");
    }
    service
        .reschedule(
            &staff(tenant),
            held.bookings[0].id,
            MoveRequest {
                resource: None,
                range: slot(13, 60),
                seen: None,
            },
        )
        .await
        .expect("move");
    assert_eq!(creations(&store, held.bookings[0].id).await, (1, 3));
    // A walk-in (staff, no customer).
    let mut walk_in = request(vec![one.id], slot(14, 60), "0812 5555 0102");
    walk_in.customer = None;
    let walk_in = service
        .book(&staff(tenant), walk_in, None)
        .await
        .expect("walk-in");
    assert_eq!(creations(&store, walk_in.bookings[0].id).await, (1, 1));
    assert_eq!(codes(&store, tenant).await, before + 2);
    // A series: one code per occurrence, one creation each.
    let first = TimeRange::starting_at(
        local_to_utc(day(26).and_hms_opt(8, 0, 0).expect("t"), one.timezone),
        60,
    )
    .expect("range");
    let report = service
        .create_series(
            &customer(tenant),
            SeriesRequest {
                resource: two.id,
                first,
                rrule: "FREQ=WEEKLY;COUNT=3".into(),
                customer: None,
                mode: SeriesMode::AllOrNothing,
            },
            None,
        )
        .await
        .expect("series");
    assert_eq!(report.booked(), 3, "{report:?}");
    assert_eq!(codes(&store, tenant).await, before + 5);
    for o in &report.occurrences {
        if let booking::Outcome::Free(Some(id)) = o.outcome {
            assert_eq!(creations(&store, id).await, (1, 1));
        }
    }
}

/// A new number, then the same number under a new name, then a known one:
/// on PostgreSQL the first two run again with the customer written first
/// (see `BookingTx::resource_and_customer`), and every booking lands once.
async fn new_and_renamed_customers_are_written_once(store: Store) {
    let (tenant, one) = futsal_court_1(&store).await;
    let service = service_at(&store, now());
    let mut booked = Vec::new();
    for (hour, name) in [(9, Some("Ann")), (10, Some("Ann Lim")), (11, None)] {
        let mut asked = request(vec![one.id], slot(hour, 60), "0812 5555 0199");
        if let Some(CustomerRef::Phone { name: given, .. }) = asked.customer.as_mut() {
            *given = name.map(str::to_string);
        }
        booked.push(
            service
                .book(&customer(tenant), asked, None)
                .await
                .expect("booked"),
        );
    }
    let ids: Vec<_> = booked.iter().map(|b| b.bookings[0].customer_id).collect();
    assert!(
        ids[0].is_some() && ids.iter().all(|id| *id == ids[0]),
        "{ids:?}"
    );
    let (count, name): (i64, Option<String>) = sqlx::query_as(
        "SELECT COUNT(*), MAX(name) FROM customers WHERE tenant_id = $1 AND phone = $2",
    )
    .bind(tenant.0)
    .bind("+6281255550199")
    .fetch_one(store.pool())
    .await
    .expect("customers");
    assert_eq!((count, name.as_deref()), (1, Some("Ann Lim")));
    let events: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM booking_events e JOIN bookings b ON b.id = e.booking_id
         WHERE b.customer_id = $1",
    )
    .bind(ids[0].map(|c| c.0))
    .fetch_one(store.pool())
    .await
    .expect("events");
    assert_eq!(events, 3, "one creation event per booking, none twice");
}

conformance!(
    every_booking_has_one_creation_event_and_each_request_one_code,
    new_and_renamed_customers_are_written_once,
);
