//! The booking service on both backends: codes, one transaction per use
//! case, several resources at once, idempotency keys (changes to a booking
//! after it is made: `changes.rs`).

#[path = "../../store/tests/common/mod.rs"]
mod common;
mod support;

use booking::{BookRequest, IdempotencyKey};
use chrono::Duration;
use domain::BookingStatus;
use store::{BookingFilter, Store};

use common::{booking, futsal_court_1, now, resource_named, slot, InsertBooking};
use support::{customer, request, service_at};

async fn count(store: &Store, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(store.pool())
        .await
        .expect("count")
}

async fn a_booking_gets_a_code_and_its_customer_in_one_transaction(store: Store) {
    let (tenant, court) = futsal_court_1(&store).await;
    let service = service_at(&store, now());
    // 19:00–20:00 Jakarta tomorrow.
    let booked = service
        .book(
            &customer(tenant),
            request(vec![court.id], slot(12, 60), "0812 5555 0001"),
            None,
        )
        .await
        .expect("booked");
    assert!(!booked.replayed);
    assert_eq!(booked.code.as_str().len(), 6);
    let [made] = booked.bookings.as_slice() else {
        panic!("one booking: {:?}", booked.bookings)
    };
    assert_eq!(made.code.as_ref(), Some(&booked.code));
    assert_eq!(made.customer_phone.as_deref(), Some("+6281255550001"));
    assert_eq!(made.status, BookingStatus::Confirmed);
    assert_eq!(made.price, domain::Money::idr(150_000));
    let by_code = store
        .bookings_by_code(tenant, &booked.code)
        .await
        .expect("by code");
    assert_eq!(
        by_code.iter().map(|b| b.id).collect::<Vec<_>>(),
        vec![made.id]
    );
    // Codes are unique per tenant and not sequential.
    let second = service
        .book(
            &customer(tenant),
            request(vec![court.id], slot(13, 60), "0812 5555 0001"),
            None,
        )
        .await
        .expect("second");
    assert_ne!(second.code, booked.code);
}

async fn a_refused_booking_writes_nothing_not_even_the_customer(store: Store) {
    let (tenant, court) = futsal_court_1(&store).await;
    let service = service_at(&store, now());
    let customers = count(&store, "customers").await;
    let codes = count(&store, "booking_codes").await;
    // 02:00 Jakarta: the court is closed.
    let refused = service
        .book(
            &customer(tenant),
            request(vec![court.id], slot(19, 60), "0812 9999 0001"),
            None,
        )
        .await;
    assert_eq!(refused.map_err(|e| e.code()), Err("outside_opening_hours"));
    // Taken: the write check refuses after the customer upsert; all of it
    // rolls back.
    store
        .insert_booking(tenant, booking(court.id, slot(12, 60)), now())
        .await
        .expect("blocker");
    let refused = service
        .book(
            &customer(tenant),
            request(vec![court.id], slot(12, 60), "0812 9999 0002"),
            None,
        )
        .await;
    assert_eq!(refused.map_err(|e| e.code()), Err("slot_taken"));
    assert_eq!(
        count(&store, "customers").await,
        customers,
        "no customer was kept"
    );
    assert_eq!(
        count(&store, "booking_codes").await,
        codes,
        "no code was kept"
    );
}

async fn several_resources_are_booked_all_or_none_under_one_code(store: Store) {
    let (tenant, one) = futsal_court_1(&store).await;
    let two = resource_named(&store, tenant, "Futsal Court 2").await;
    let service = service_at(&store, now());
    store
        .insert_booking(tenant, booking(two.id, slot(12, 60)), now())
        .await
        .expect("court 2 taken at 19:00");
    let before = count(&store, "bookings").await;
    let refused = service
        .book(
            &customer(tenant),
            request(vec![one.id, two.id], slot(12, 60), "0812 5555 0001"),
            None,
        )
        .await;
    assert_eq!(refused.map_err(|e| e.code()), Err("slot_taken"));
    assert_eq!(
        count(&store, "bookings").await,
        before,
        "court 1 was not booked alone"
    );
    let booked = service
        .book(
            &customer(tenant),
            request(vec![two.id, one.id], slot(13, 60), "0812 5555 0001"),
            None,
        )
        .await
        .expect("both courts at 20:00");
    assert_eq!(booked.bookings.len(), 2);
    assert!(booked
        .bookings
        .iter()
        .all(|b| b.code.as_ref() == Some(&booked.code)));
    assert_eq!(
        store
            .bookings_by_code(tenant, &booked.code)
            .await
            .expect("by code")
            .len(),
        2
    );
    for bad in [vec![], vec![one.id, one.id], vec![one.id; 11]] {
        let refused = service
            .book(
                &customer(tenant),
                request(bad, slot(14, 60), "0812 5555 0001"),
                None,
            )
            .await;
        assert_eq!(refused.map_err(|e| e.code()), Err("too_many_resources"));
    }
}

fn key(endpoint: &'static str, key: &str, body: &str) -> IdempotencyKey {
    IdempotencyKey::new(endpoint, key, body.as_bytes()).expect("key")
}

async fn an_idempotency_key_replays_the_same_request_and_refuses_another(store: Store) {
    let (tenant, court) = futsal_court_1(&store).await;
    let service = service_at(&store, now());
    let ask = |range| request(vec![court.id], range, "0812 5555 0001");
    let first = service
        .book(
            &customer(tenant),
            ask(slot(12, 60)),
            Some(key("bookings", "k1", "a")),
        )
        .await
        .expect("first");
    let again = service
        .book(
            &customer(tenant),
            ask(slot(12, 60)),
            Some(key("bookings", "k1", "a")),
        )
        .await
        .expect("retry");
    assert!(again.replayed);
    assert_eq!(again.code, first.code);
    assert_eq!(again.bookings, first.bookings);
    // The same key with another request: refused, and nothing written,
    // even though the request itself would be refused for other reasons.
    let reused = service
        .book(
            &customer(tenant),
            ask(slot(19, 60)),
            Some(key("bookings", "k1", "b")),
        )
        .await;
    assert_eq!(reused.map_err(|e| e.code()), Err("idempotency_key_reused"));
    // Keys are per endpoint and per tenant.
    let hold = BookRequest {
        hold_minutes: Some(5),
        ..ask(slot(14, 60))
    };
    let held = service
        .book(&customer(tenant), hold, Some(key("holds", "k1", "a")))
        .await
        .expect("a hold with the same key");
    assert!(!held.replayed);
    let other = store.create_tenant("other", "Other").await.expect("tenant");
    let foreign = service
        .book(
            &customer(other.id),
            ask(slot(15, 60)),
            Some(key("bookings", "k1", "a")),
        )
        .await;
    assert_eq!(foreign.map_err(|e| e.code()), Err("unknown_resource"));
    // After a day the key is forgotten: the same key makes a new booking.
    let tomorrow = service_at(&store, now() + Duration::hours(25));
    let later = tomorrow
        .book(
            &customer(tenant),
            ask(slot(11, 60)),
            Some(key("bookings", "k1", "c")),
        )
        .await
        .expect("a new booking with an expired key");
    assert!(!later.replayed);
    assert_ne!(later.code, first.code);
    assert_eq!(
        store
            .purge_expired_keys(now() + Duration::hours(50))
            .await
            .expect("purge"),
        2
    );
}

async fn concurrent_retries_with_one_key_create_one_booking(store: Store) {
    let (tenant, court) = futsal_court_1(&store).await;
    let service = service_at(&store, now());
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let service = service.clone();
        let court = court.id;
        tasks.push(tokio::spawn(async move {
            service
                .book(
                    &customer(tenant),
                    request(vec![court], slot(12, 60), "0812 5555 0001"),
                    Some(key("bookings", "same-key", "same")),
                )
                .await
        }));
    }
    let mut codes = Vec::new();
    for task in tasks {
        let booked = task
            .await
            .expect("task")
            .expect("every retry gets the first result");
        codes.push(booked.code);
    }
    codes.dedup();
    assert_eq!(codes.len(), 1, "{codes:?}");
    assert_eq!(
        store
            .bookings(tenant, &BookingFilter::default())
            .await
            .expect("list")
            .len(),
        1
    );
}

conformance!(
    a_booking_gets_a_code_and_its_customer_in_one_transaction,
    a_refused_booking_writes_nothing_not_even_the_customer,
    several_resources_are_booked_all_or_none_under_one_code,
    an_idempotency_key_replays_the_same_request_and_refuses_another,
    concurrent_retries_with_one_key_create_one_booking,
);
