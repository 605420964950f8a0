//! The booking service on both backends, once a booking exists: policies
//! and the change cutoff, the slot under way, holds, lifecycle time rules,
//! checks made under the write transaction's locks, and a move from a
//! stale view.

#[path = "../../store/tests/common/mod.rs"]
mod common;
mod support;

use booking::{BookRequest, BookingError, MoveRequest, Seen};
use chrono::Duration;
use domain::{BookingStatus, TimeRange};
use store::{BookingWindow, Store};

use common::{futsal_court_1, now, resource_named, slot};
use support::{book_for, customer, request, service_at, staff};

async fn customers_cannot_change_after_the_cutoff_but_staff_can(store: Store) {
    let (tenant, court) = futsal_court_1(&store).await;
    store
        .set_booking_window(
            tenant,
            court.id,
            BookingWindow {
                change_cutoff_minutes: Some(180),
                ..BookingWindow::default()
            },
        )
        .await
        .expect("cutoff");
    let service = service_at(&store, now());
    // Tomorrow 19:00 and 20:00 Jakarta.
    let evening = service
        .book(
            &customer(tenant),
            request(vec![court.id], slot(12, 60), "0812 5555 0001"),
            None,
        )
        .await
        .expect("booked")
        .bookings[0]
        .clone();
    let later = service
        .book(
            &customer(tenant),
            request(vec![court.id], slot(13, 60), "0812 5555 0001"),
            None,
        )
        .await
        .expect("booked")
        .bookings[0]
        .clone();
    // Four hours before: the customer may still move it.
    let early = service_at(&store, evening.range.start() - Duration::hours(4));
    let moved = early
        .reschedule(
            &customer(tenant),
            evening.id,
            MoveRequest {
                resource: None,
                range: slot(10, 60),
                seen: None,
            },
        )
        .await
        .expect("moved before the cutoff");
    assert_eq!(moved.range, slot(10, 60));
    // Two hours before the 20:00 booking: too late for the customer.
    let late = service_at(&store, later.range.start() - Duration::hours(2));
    assert_eq!(
        late.cancel(&customer(tenant), later.id, "can't come")
            .await
            .map_err(|e| e.code()),
        Err("too_late_to_change")
    );
    let move_late = late
        .reschedule(
            &customer(tenant),
            later.id,
            MoveRequest {
                resource: None,
                range: slot(14, 60),
                seen: None,
            },
        )
        .await;
    assert_eq!(move_late.map_err(|e| e.code()), Err("too_late_to_change"));
    // Staff can.
    let cancelled = late
        .cancel(&staff(tenant), later.id, "called the desk")
        .await
        .expect("staff cancel");
    assert_eq!(cancelled.status, BookingStatus::Cancelled);
    assert_eq!(
        late.cancel(&staff(tenant), later.id, " ").await,
        Err(BookingError::ReasonRequired)
    );
}

async fn staff_take_the_slot_under_way_customers_do_not(store: Store) {
    let (tenant, court) = futsal_court_1(&store).await;
    // 19:10 Jakarta tomorrow: the 19:00 slot is under way.
    let during = slot(12, 60).start() + Duration::minutes(10);
    let service = service_at(&store, during);
    let walk_in = |who| request(vec![court.id], slot(12, 60), who);
    assert_eq!(
        service
            .book(&customer(tenant), walk_in("0812 5555 0001"), None)
            .await
            .map_err(|e| e.code()),
        Err("in_the_past")
    );
    let booked = service
        .book(&staff(tenant), walk_in("0812 5555 0001"), None)
        .await
        .expect("a walk-in");
    assert_eq!(booked.bookings[0].range, slot(12, 60));
}

async fn seconds_in_a_request_are_unaligned(store: Store) {
    // 19:00:59 would block two slots and be priced as one.
    let (tenant, court) = futsal_court_1(&store).await;
    let service = service_at(&store, now());
    let start = slot(12, 60).start() + Duration::seconds(59);
    let range = TimeRange::new(start, start + Duration::hours(1)).expect("range");
    let refused = service
        .book(
            &customer(tenant),
            request(vec![court.id], range, "0812 5555 0001"),
            None,
        )
        .await;
    assert_eq!(
        refused.map_err(|e| (e.code(), e.status())),
        Err(("unaligned", 422))
    );
}

async fn a_hold_is_confirmed_or_released_through_the_service(store: Store) {
    let (tenant, court) = futsal_court_1(&store).await;
    let service = service_at(&store, now());
    let hold = BookRequest {
        hold_minutes: Some(10),
        ..request(vec![court.id], slot(12, 60), "0812 5555 0001")
    };
    let held = service
        .book(&customer(tenant), hold.clone(), None)
        .await
        .expect("hold");
    let id = held.bookings[0].id;
    assert_eq!(held.bookings[0].status, BookingStatus::Pending);
    let confirmed = service
        .confirm_hold(&customer(tenant), id)
        .await
        .expect("confirm");
    assert_eq!(confirmed.status, BookingStatus::Confirmed);
    assert_eq!(confirmed.code, held.bookings[0].code);
    assert_eq!(
        service
            .release_hold(&customer(tenant), id)
            .await
            .map_err(|e| e.code()),
        Err("not_a_hold")
    );
    let bad = BookRequest {
        hold_minutes: Some(31),
        ..request(vec![court.id], slot(13, 60), "0812 5555 0001")
    };
    assert_eq!(
        service
            .book(&customer(tenant), bad, None)
            .await
            .map_err(|e| e.code()),
        Err("invalid_hold_length")
    );
    let late = service_at(&store, now() + Duration::minutes(11));
    let second = service
        .book(
            &customer(tenant),
            BookRequest {
                range: slot(14, 60),
                ..hold
            },
            None,
        )
        .await
        .expect("hold");
    assert_eq!(
        late.confirm_hold(&customer(tenant), second.bookings[0].id)
            .await
            .map_err(|e| e.code()),
        Err("hold_expired")
    );
}

/// Checking in opens an hour before the start; a no-show or a completion
/// only once the booking started. Refused steps write nothing.
async fn lifecycle_steps_wait_for_their_time(store: Store) {
    let (tenant, court) = futsal_court_1(&store).await;
    let service = service_at(&store, now());
    let who = customer(tenant);
    let book = |hour| {
        service.book(
            &who,
            request(vec![court.id], slot(hour, 60), "0812 5555 0001"),
            None,
        )
    };
    let first = book(12).await.expect("booked").bookings[0].clone();
    let second = book(13).await.expect("booked").bookings[0].clone();
    let start = first.range.start();
    let step = |at: chrono::DateTime<chrono::Utc>, id, next| {
        let at = service_at(&store, at);
        async move {
            at.change_status(&staff(tenant), id, next, None)
                .await
                .map(|b| b.status)
                .map_err(|e| (e.code(), e.status()))
        }
    };
    let too_early = Err(("too_early", 409));
    // The day before: nothing of the kind (completing needs a check-in).
    for next in [BookingStatus::CheckedIn, BookingStatus::NoShow] {
        assert_eq!(step(now(), first.id, next).await, too_early, "{next:?}");
    }
    assert_eq!(
        step(
            start - Duration::minutes(booking::CHECK_IN_OPENS_MINUTES + 1),
            first.id,
            BookingStatus::CheckedIn
        )
        .await,
        too_early
    );
    assert_eq!(
        store.booking(tenant, first.id).await.expect("read").status,
        BookingStatus::Confirmed,
        "a refused step writes nothing"
    );
    // An hour before: checked in; completing still waits for the start.
    let open = start - Duration::minutes(booking::CHECK_IN_OPENS_MINUTES);
    assert_eq!(
        step(open, first.id, BookingStatus::CheckedIn).await,
        Ok(BookingStatus::CheckedIn)
    );
    assert_eq!(
        step(
            start - Duration::minutes(1),
            first.id,
            BookingStatus::Completed
        )
        .await,
        too_early
    );
    assert_eq!(
        step(start, first.id, BookingStatus::Completed).await,
        Ok(BookingStatus::Completed)
    );
    // A no-show before the slot began is nonsense; after its start it is not.
    let second_start = second.range.start();
    assert_eq!(
        step(
            second_start - Duration::minutes(5),
            second.id,
            BookingStatus::NoShow
        )
        .await,
        too_early
    );
    assert_eq!(
        step(
            second_start + Duration::minutes(15),
            second.id,
            BookingStatus::NoShow
        )
        .await,
        Ok(BookingStatus::NoShow)
    );
    // A step the lifecycle refuses anyway keeps its own refusal.
    assert_eq!(
        step(now(), second.id, BookingStatus::CheckedIn).await,
        Err(("illegal_transition", 409))
    );
}

/// The cutoff is checked inside the write transaction, under the lock of
/// the write: a staff change of the cutoff that holds the resource while a
/// customer's cancellation and move wait is the one they are checked
/// against (checked before the transaction, both would pass on the old
/// cutoff and then be written).
async fn a_cutoff_changed_meanwhile_is_the_one_checked(store: Store) {
    let (tenant, court) = futsal_court_1(&store).await;
    let service = service_at(&store, now());
    let who = customer(tenant);
    let booked = |hour| {
        service.book(
            &who,
            request(vec![court.id], slot(hour, 60), "0812 5555 0001"),
            None,
        )
    };
    let first = booked(12).await.expect("booked").bookings[0].clone();
    let second = booked(14).await.expect("booked").bookings[0].clone();
    // Two hours before the first: no cutoff yet, so both changes would pass.
    let late = service_at(&store, first.range.start() - Duration::hours(2));
    // A writer that holds the resource (its row lock on PostgreSQL, the
    // write lock on SQLite) and sets a three-hour cutoff.
    let mut writer = match store.backend() {
        store::Backend::Sqlite => store.pool().begin_with("BEGIN IMMEDIATE").await,
        store::Backend::Postgres => store.pool().begin().await,
    }
    .expect("begin");
    // SQLite has no FOR UPDATE: its write lock is the lock.
    if store.backend() == store::Backend::Postgres {
        sqlx::query("SELECT id FROM resources WHERE id = $1 FOR UPDATE")
            .bind(court.id.0)
            .fetch_optional(&mut *writer)
            .await
            .expect("lock");
    }
    sqlx::query("UPDATE resources SET change_cutoff_minutes = 180 WHERE id = $1")
        .bind(court.id.0)
        .execute(&mut *writer)
        .await
        .expect("cutoff");
    let cancel = {
        let late = late.clone();
        tokio::spawn(async move { late.cancel(&customer(tenant), first.id, "rain").await })
    };
    let moving = {
        let late = late.clone();
        tokio::spawn(async move {
            late.reschedule(
                &customer(tenant),
                first.id,
                MoveRequest {
                    resource: None,
                    range: slot(16, 60),
                    seen: None,
                },
            )
            .await
        })
    };
    let cancel_second = {
        let late = late.clone();
        tokio::spawn(async move { late.cancel(&customer(tenant), second.id, "rain").await })
    };
    // Let them reach the lock, then commit the new cutoff.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    writer.commit().await.expect("commit");
    let refused = Err("too_late_to_change");
    assert_eq!(cancel.await.expect("task").map_err(|e| e.code()), refused);
    assert_eq!(moving.await.expect("task").map_err(|e| e.code()), refused);
    // Four hours ahead is before the new cutoff: allowed.
    assert_eq!(
        cancel_second.await.expect("task").map(|b| b.status),
        Ok(BookingStatus::Cancelled)
    );
    let unchanged = store.booking(tenant, first.id).await.expect("read");
    assert_eq!(
        (unchanged.status, unchanged.range),
        (BookingStatus::Confirmed, first.range)
    );
}

/// Two desks look at the same calendar; one moves a booking, then the
/// other drags it from the view it still shows: refused, the first move
/// stands. A move made from the current view goes through.
async fn a_move_from_a_stale_view_is_refused(store: Store) {
    let (tenant, court) = futsal_court_1(&store).await;
    let service = service_at(&store, now());
    let booked = book_for(
        &service,
        tenant,
        vec![court.id],
        slot(12, 60),
        "0812 5555 0031",
    )
    .await
    .expect("booked")
    .bookings[0]
        .clone();
    let desk = staff(tenant);
    // A desk's move of the booking to `range`, from a view that drew it at `seen`.
    let move_from = |seen: TimeRange, range: TimeRange| {
        service.reschedule(
            &desk,
            booked.id,
            MoveRequest {
                resource: None,
                range,
                seen: Some(Seen {
                    resource: court.id,
                    range: seen,
                }),
            },
        )
    };
    let first = move_from(booked.range, slot(14, 60))
        .await
        .expect("the first desk's move");
    let stale = move_from(booked.range, slot(13, 60)).await;
    assert_eq!(stale.map(|b| b.range), Err(BookingError::ChangedMeanwhile));
    assert_eq!(
        store.booking(tenant, booked.id).await.expect("read").range,
        first.range
    );
    let fresh = move_from(first.range, slot(13, 60))
        .await
        .expect("a move from the current view");
    assert_eq!(fresh.range, slot(13, 60));
}

async fn a_booking_moves_only_within_its_outlet(store: Store) {
    let (tenant, court) = futsal_court_1(&store).await;
    let service = service_at(&store, now());
    let booked = book_for(
        &service,
        tenant,
        vec![court.id],
        slot(12, 60),
        "0812 5555 0032",
    )
    .await
    .expect("booked")
    .bookings[0]
        .clone();
    let desk = staff(tenant);
    let move_to = |resource: domain::ResourceId| {
        service.reschedule(
            &desk,
            booked.id,
            MoveRequest {
                resource: Some(resource),
                range: slot(15, 60),
                seen: None,
            },
        )
    };
    // Futsal Court 3 is at Kelapa Gading; the booking is at Kemang.
    let elsewhere = resource_named(&store, tenant, "Futsal Court 3").await;
    assert_ne!(elsewhere.outlet_id, court.outlet_id);
    assert_eq!(
        move_to(elsewhere.id).await.map(|b| b.id),
        Err(BookingError::OtherOutlet)
    );
    let unchanged = store.booking(tenant, booked.id).await.expect("read");
    assert_eq!(
        (unchanged.resource_id, unchanged.range),
        (court.id, slot(12, 60))
    );
    // A court of the same outlet takes it.
    let next_door = resource_named(&store, tenant, "Futsal Court 2").await;
    let moved = move_to(next_door.id).await.expect("moved next door");
    assert_eq!(
        (moved.resource_id, moved.range),
        (next_door.id, slot(15, 60))
    );
}

conformance!(
    a_booking_moves_only_within_its_outlet,
    a_move_from_a_stale_view_is_refused,
    customers_cannot_change_after_the_cutoff_but_staff_can,
    staff_take_the_slot_under_way_customers_do_not,
    seconds_in_a_request_are_unaligned,
    a_hold_is_confirmed_or_released_through_the_service,
    lifecycle_steps_wait_for_their_time,
    a_cutoff_changed_meanwhile_is_the_one_checked,
);
