//! Bookings written together: SQLite's group commit (every caller gets its
//! own row, a failing insert fails alone and the batch's connection stays
//! usable) and, on both backends, the fast paths' slot check against the
//! full one (buffers, back-to-back bookings, lapsed holds). From a review.

#[path = "../../store/tests/common/mod.rs"]
mod common;
mod support;

use booking::BookRequest;
use store::{Backend, BookingWindow, Store};

use common::{futsal_court_1, now, slot};
use support::{book_for, customer, request, service_at};

/// Buffers, back-to-back bookings and lapsed holds, on the fast path (cache
/// warm) as the full check decides them.
async fn fast_path_edges_match_the_full_check(store: Store) {
    let (tenant, court) = futsal_court_1(&store).await;
    let window = |m| BookingWindow {
        buffer_minutes: Some(m),
        ..BookingWindow::default()
    };
    store
        .set_booking_window(tenant, court.id, window(60))
        .await
        .expect("buffer");
    let service = service_at(&store, now());
    book_for(
        &service,
        tenant,
        vec![court.id],
        slot(2, 60),
        "0812 5555 0001",
    )
    .await
    .expect("warm");
    // Back to back, inside the 60-minute buffer: refused.
    let b2b = book_for(
        &service,
        tenant,
        vec![court.id],
        slot(3, 60),
        "0812 5555 0002",
    )
    .await;
    assert!(
        b2b.is_err(),
        "booked inside the buffer: {:?}",
        b2b.ok().map(|b| b.bookings[0].range)
    );
    // An hour after: admitted.
    let after = slot(4, 60);
    book_for(&service, tenant, vec![court.id], after, "0812 5555 0002")
        .await
        .expect("just outside the buffer");
    // No buffer: back-to-back admitted.
    store
        .set_booking_window(tenant, court.id, window(0))
        .await
        .expect("buffer");
    book_for(
        &service,
        tenant,
        vec![court.id],
        slot(8, 60),
        "0812 5555 0001",
    )
    .await
    .expect("warm");
    book_for(
        &service,
        tenant,
        vec![court.id],
        slot(9, 60),
        "0812 5555 0003",
    )
    .await
    .expect("back to back");
    book_for(
        &service,
        tenant,
        vec![court.id],
        slot(7, 60),
        "0812 5555 0003",
    )
    .await
    .expect("back to back before");
    // A hold that lapses is no obstacle.
    let mut hold: BookRequest = request(vec![court.id], slot(11, 60), "0812 5555 0004");
    hold.hold_minutes = Some(10);
    service
        .book(&customer(tenant), hold, None)
        .await
        .expect("hold");
    let later = service_at(&store, now() + chrono::Duration::minutes(30));
    book_for(
        &later,
        tenant,
        vec![court.id],
        slot(10, 60),
        "0812 5555 0001",
    )
    .await
    .expect("warm later");
    book_for(
        &later,
        tenant,
        vec![court.id],
        slot(11, 60),
        "0812 5555 0005",
    )
    .await
    .expect("over a lapsed hold");
}

/// Many requests at once, two per slot: one wins each slot, and every
/// answer is the caller's own row.
async fn a_burst_answers_each_caller_with_its_own_row(store: Store) {
    let (tenant, court) = futsal_court_1(&store).await;
    let service = service_at(&store, now());
    book_for(
        &service,
        tenant,
        vec![court.id],
        slot(14, 60),
        "0812 5555 0001",
    )
    .await
    .expect("warm");
    warm_customers(&service, tenant, court.id).await;
    let mut tasks = Vec::new();
    for round in 0..3 {
        for hour in 1..=13u32 {
            for who in ["0812 5555 0101", "0812 5555 0102"] {
                let service = service.clone();
                let range = domain::TimeRange::starting_at(
                    slot(hour, 60).start() + chrono::Duration::days(round),
                    60,
                )
                .expect("a range");
                tasks.push(tokio::spawn(async move {
                    (
                        range,
                        who,
                        book_for(&service, tenant, vec![court.id], range, who).await,
                    )
                }));
            }
        }
    }
    let mut won = std::collections::HashMap::new();
    for task in tasks {
        let (range, who, booked) = task.await.expect("join");
        let Ok(booked) = booked else { continue };
        let b = &booked.bookings[0];
        assert_eq!(b.range, range, "answered with another caller's booking");
        let row: (i64, String, String) = sqlx::query_as(
            "SELECT b.starts_at, c.phone, b.code FROM bookings b JOIN customers c ON c.id = b.customer_id WHERE b.id = $1")
            .bind(b.id.0).fetch_one(store.pool()).await.expect("row");
        assert_eq!(
            row.0,
            range.start().timestamp(),
            "id {} is another caller's row",
            b.id.0
        );
        assert_eq!(
            row.1,
            support::phone(who).as_str(),
            "id {} is another customer's row",
            b.id.0
        );
        assert_eq!(Some(row.2.as_str()), b.code.as_ref().map(|c| c.as_str()));
        *won.entry(range.start()).or_insert(0) += 1;
    }
    assert_eq!(won.len(), 39, "some slot was won by nobody");
    assert!(won.values().all(|&n| n == 1), "double booking: {won:?}");
}

/// SQLite: one statement of a batch fails outright; the others are written
/// alone, the failing caller alone fails, and the kept connection is usable.
async fn a_failing_insert_fails_alone(store: Store) {
    if store.backend() != Backend::Sqlite {
        return;
    }
    let (tenant, court) = futsal_court_1(&store).await;
    let service = service_at(&store, now());
    book_for(
        &service,
        tenant,
        vec![court.id],
        slot(14, 60),
        "0812 5555 0001",
    )
    .await
    .expect("warm");
    sqlx::query(&format!("CREATE TRIGGER boom BEFORE INSERT ON bookings WHEN NEW.starts_at = {} BEGIN SELECT RAISE(ABORT, 'boom'); END",
        slot(5, 60).start().timestamp())).execute(store.pool()).await.expect("trigger");
    warm_customers(&service, tenant, court.id).await;

    for _ in 0..5 {
        let mut tasks = Vec::new();
        for hour in 1..=13u32 {
            let service = service.clone();
            tasks.push(tokio::spawn(async move {
                (
                    hour,
                    book_for(
                        &service,
                        tenant,
                        vec![court.id],
                        slot(hour, 60),
                        "0812 5555 0102",
                    )
                    .await,
                )
            }));
        }
        for task in tasks {
            let (hour, booked) = task.await.expect("join");
            match (hour, booked) {
                (5, Ok(_)) => panic!("the failing insert was written"),
                (5, Err(_)) => {}
                (h, Ok(b)) => assert_eq!(b.bookings[0].range, slot(h, 60)),
                (_, Err(_)) => {} // taken in an earlier round
            }
        }
    }
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM bookings WHERE status = 'confirmed'")
        .fetch_one(store.pool())
        .await
        .expect("count");
    assert_eq!(n, 15, "3 warm + 12 slots");
    book_for(
        &service,
        tenant,
        vec![court.id],
        slot(14, 60),
        "0812 5555 0001",
    )
    .await
    .expect_err("taken");
}

/// Books once for each of the two customers the bursts use, days away, so
/// the booking cache knows them.
async fn warm_customers(
    service: &booking::BookingService,
    tenant: domain::TenantId,
    court: domain::ResourceId,
) {
    for (k, who) in ["0812 5555 0101", "0812 5555 0102"].into_iter().enumerate() {
        book_for(
            service,
            tenant,
            vec![court],
            domain::TimeRange::starting_at(
                slot(14, 60).start() + chrono::Duration::days(5 + k as i64),
                60,
            )
            .expect("a range"),
            who,
        )
        .await
        .expect("warm customer");
    }
}

conformance!(
    fast_path_edges_match_the_full_check,
    a_burst_answers_each_caller_with_its_own_row,
    a_failing_insert_fails_alone,
);
