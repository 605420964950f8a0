//! Availability searches keep what they read for the next search (the
//! store's search cache): every change must still show in the next search,
//! on both backends — at once for this process's changes, within the cache's
//! age for another process's.

#[path = "../../store/tests/common/mod.rs"]
mod common;
mod support;

use chrono::Duration;
use domain::{LocalInterval, Money, ResourceKind, TimeRange, WeeklyHours};
use store::{NewBlackout, NewResource, Store, SEARCH_CACHE_MAX_AGE};

use common::{day, futsal_court_1, now, slot};
use support::{customer, request, service_at, staff};

/// Whether `range` is among the court's free hour slots tomorrow, as a
/// search at `at` sees it.
async fn free(
    store: &Store,
    court: &store::Resource,
    range: TimeRange,
    at: chrono::DateTime<chrono::Utc>,
) -> bool {
    store
        .free_slots(court.tenant_id, court, day(26), day(26), 60, at)
        .await
        .expect("search")
        .contains(&range)
}

async fn searches_see_every_change_this_process_makes(store: Store) {
    let (tenant, court) = futsal_court_1(&store).await;
    let service = service_at(&store, now());
    let evening = slot(12, 60);
    assert!(
        free(&store, &court, evening, now()).await,
        "free to start with"
    );
    // Searched again and again: answered from what was read.
    assert!(free(&store, &court, evening, now()).await);

    let booked = service
        .book(
            &customer(tenant),
            request(vec![court.id], evening, "0812 5555 0001"),
            None,
        )
        .await
        .expect("booked")
        .bookings[0]
        .clone();
    assert!(
        !free(&store, &court, evening, now()).await,
        "a booking takes it"
    );
    service
        .cancel(&staff(tenant), booked.id, "rain")
        .await
        .expect("cancelled");
    assert!(
        free(&store, &court, evening, now()).await,
        "a cancellation frees it"
    );

    let mut held = request(vec![court.id], evening, "0812 5555 0002");
    held.hold_minutes = Some(10);
    let hold = service
        .book(&customer(tenant), held, None)
        .await
        .expect("held")
        .bookings[0]
        .clone();
    assert!(
        !free(&store, &court, evening, now()).await,
        "a hold takes it"
    );
    let later = now() + Duration::minutes(11);
    assert!(
        free(&store, &court, evening, later).await,
        "a lapsed hold stops blocking with no write at all"
    );
    let moved_to = slot(13, 60);
    service_at(&store, now())
        .reschedule(
            &staff(tenant),
            hold.id,
            booking::MoveRequest {
                resource: None,
                range: moved_to,
                seen: None,
            },
        )
        .await
        .expect("moved");
    assert!(
        free(&store, &court, evening, now()).await,
        "a move frees the old slot"
    );
    assert!(
        !free(&store, &court, moved_to, now()).await,
        "and takes the new one"
    );

    let morning = slot(2, 60);
    assert!(free(&store, &court, morning, now()).await);
    let (blackout, _) = store
        .create_blackout(
            tenant,
            NewBlackout {
                outlet_id: court.outlet_id,
                resource_id: Some(court.id),
                range: morning,
                reason: "nets".into(),
            },
            now(),
        )
        .await
        .expect("blackout");
    assert!(
        !free(&store, &court, morning, now()).await,
        "a blackout closes it"
    );
    store
        .delete_blackout(tenant, blackout.id)
        .await
        .expect("reopened");
    assert!(
        free(&store, &court, morning, now()).await,
        "deleting it reopens"
    );

    let listed = store
        .resources_for_search(tenant)
        .await
        .expect("resources")
        .len();
    store
        .create_resource(
            tenant,
            NewResource {
                outlet_id: court.outlet_id,
                name: "Futsal Court 9".into(),
                kind: ResourceKind::Futsal,
                capacity: 10,
                slot_minutes: 60,
                min_minutes: 60,
                max_minutes: 180,
                hourly_rate: Money::idr(150_000),
                hours: WeeklyHours::every_day(vec![
                    LocalInterval::parse("08:00-23:00").expect("hours")
                ]),
            },
        )
        .await
        .expect("created");
    assert_eq!(
        store
            .resources_for_search(tenant)
            .await
            .expect("resources")
            .len(),
        listed + 1,
        "a new resource is searched at once"
    );
}

async fn another_process_s_bookings_show_within_the_cache_s_age(store: Store) {
    let (tenant, court) = futsal_court_1(&store).await;
    let evening = slot(12, 60);
    assert!(free(&store, &court, evening, now()).await);
    // A second replica, or the CLI: the same database, its own memory.
    let replica = store.as_another_process();
    service_at(&replica, now())
        .book(
            &customer(tenant),
            request(vec![court.id], evening, "0812 5555 0001"),
            None,
        )
        .await
        .expect("booked on the other replica");
    // Whatever this process's last search said, a booking is checked in the
    // database itself.
    let again = service_at(&store, now())
        .book(
            &customer(tenant),
            request(vec![court.id], evening, "0812 5555 0003"),
            None,
        )
        .await;
    assert!(
        matches!(again, Err(booking::BookingError::SlotTaken)),
        "{again:?}"
    );
    tokio::time::sleep(SEARCH_CACHE_MAX_AGE + std::time::Duration::from_millis(100)).await;
    assert!(
        !free(&store, &court, evening, now()).await,
        "another process's booking shows once the cache's age has passed"
    );
}

/// A booking whose caller goes away (a client disconnect drops the handler's
/// future) after COMMIT reached the database but before the commit returned
/// must still make this process's next search read again.
async fn a_booking_whose_caller_goes_away_still_shows_in_searches(store: Store) {
    let (tenant, court) = futsal_court_1(&store).await;
    let service = service_at(&store, now());
    let day = |k: u32| chrono::NaiveDate::from_ymd_opt(2026, 12, 1 + k % 28).expect("date");
    for k in 0..200u32 {
        let d = day(k / 15);
        let hour = 1 + k % 15;
        let start = d.and_hms_opt(hour, 0, 0).expect("t").and_utc();
        let range = domain::TimeRange::starting_at(start, 60).expect("range");
        // warm the search cache for that day
        let warmed = std::time::Instant::now();
        let before = store
            .free_slots(tenant, &court, d, d, 60, now())
            .await
            .expect("search");
        assert!(before.contains(&range));
        let svc = service.clone();
        let caller = customer(tenant);
        let fut = svc.book(
            &caller,
            request(vec![court.id], range, "0812 5555 0001"),
            None,
        );
        let wait = std::time::Duration::from_micros(u64::from(k % 40) * 50);
        let _ = tokio::time::timeout(wait, fut).await;
        // Whatever the dropped request left running settles (well within
        // SEARCH_CACHE_MAX_AGE, so only a missing bump can fail below).
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let in_db = !store
            .is_free(tenant, court.id, &range, now())
            .await
            .expect("is_free");
        if in_db {
            // The row can be visible a moment before the task that wrote it
            // tells the cache (the bump follows the commit's reply, and a
            // loaded machine delays that reply). Poll, but only within the
            // cache's age counted from the warming read above: a bump that
            // never comes keeps the slot free all that time and fails here.
            let deadline = warmed + SEARCH_CACHE_MAX_AGE / 2;
            loop {
                let searched = store
                    .free_slots(tenant, &court, d, d, 60, now())
                    .await
                    .expect("search");
                if !searched.contains(&range) {
                    break;
                }
                assert!(
                    std::time::Instant::now() < deadline,
                    "iteration {k}: the booking is committed, yet this process's search shows its slot free"
                );
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            }
        }
    }
}

conformance!(
    searches_see_every_change_this_process_makes,
    a_booking_whose_caller_goes_away_still_shows_in_searches,
    another_process_s_bookings_show_within_the_cache_s_age,
);
