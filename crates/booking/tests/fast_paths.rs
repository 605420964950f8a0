//! The common booking's fast paths (resource and customer taken from what
//! earlier bookings read; on SQLite a batched insert, on PostgreSQL the
//! one-statement `book_proven`) under hostile conditions: settings made
//! looser, clients going away at any point, multi-resource requests mixing
//! trusted and fresh resources (lock order), and the search cache told of
//! every commit. Written from a hostile review; each failed before its fix.

#[path = "../../store/tests/common/mod.rs"]
mod common;
mod support;

use domain::{LocalInterval, WeeklyHours};
use std::time::Duration;
use store::{Backend, BookingWindow, Store};

use common::{futsal_court_1, now, slot};
use support::{book_for, service_at, warm};

const BUDI: &str = "0812 5555 0001";

/// The court's hours are made *longer* (06:00–23:00 instead of 08:00–23:00)
/// by staff, in this very process. A booking at 07:00 is now allowed, but
/// the booking cache still holds the old hours: the request is refused by
/// the Rust-side check against the unproven snapshot, before any proof.
async fn longer_hours_admit_the_next_booking(store: Store) {
    let (tenant, court, service) = warm(&store).await;
    store
        .set_opening_hours(
            tenant,
            court.id,
            &WeeklyHours::every_day(vec![LocalInterval::parse("06:00-23:00").expect("hours")]),
        )
        .await
        .expect("hours");
    // Thu 26 Nov 07:00 Jakarta (00:00 UTC): open under the new hours only.
    let early = book_for(&service, tenant, vec![court.id], slot(0, 60), BUDI).await;
    assert!(
        early.is_ok(),
        "07:00 is open now, refused with {:?}",
        early.err().map(|e| e.code())
    );
}

/// Same with a shorter lead time: the court asked for 3 days' notice, staff
/// drop it to none; tomorrow's slot is refused from the cached window.
async fn a_shorter_lead_admits_the_next_booking(store: Store) {
    let (tenant, court) = futsal_court_1(&store).await;
    let service = service_at(&store, now());
    store
        .set_booking_window(
            tenant,
            court.id,
            BookingWindow {
                lead_minutes: Some(3 * 24 * 60),
                ..BookingWindow::default()
            },
        )
        .await
        .expect("window");
    // Warm the cache with bookings a week ahead.
    for hour in [2, 3] {
        let start = slot(hour, 60).start() + chrono::Duration::days(7);
        book_for(
            &service,
            tenant,
            vec![court.id],
            domain::TimeRange::starting_at(start, 60).expect("range"),
            BUDI,
        )
        .await
        .expect("warm");
    }
    store
        .set_booking_window(
            tenant,
            court.id,
            BookingWindow {
                lead_minutes: Some(0),
                ..BookingWindow::default()
            },
        )
        .await
        .expect("window");
    let tomorrow = book_for(&service, tenant, vec![court.id], slot(12, 60), BUDI).await;
    assert!(
        tomorrow.is_ok(),
        "no lead time any more, refused with {:?}",
        tomorrow.err().map(|e| e.code())
    );
}

fn lcg(seed: &mut u64) -> u64 {
    *seed = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    *seed >> 33
}

/// 300 requests, each dropped after a random few hundred microseconds (a
/// client going away at any await), on a court with a 30-minute buffer and
/// a warm booking cache. Afterwards: no two active bookings within the
/// buffer, no code claimed without a booking, no pooled connection left in
/// a transaction, and the next booking goes through at once.
async fn dropped_requests_leave_no_trace(store: Store) {
    let (tenant, court) = futsal_court_1(&store).await;
    store
        .set_booking_window(
            tenant,
            court.id,
            BookingWindow {
                buffer_minutes: Some(30),
                ..BookingWindow::default()
            },
        )
        .await
        .expect("window");
    let service = service_at(&store, now());
    book_for(&service, tenant, vec![court.id], slot(2, 60), BUDI)
        .await
        .expect("warm");
    let mut seed = 42u64;
    let mut tasks = Vec::new();
    let (mut done, mut dropped) = (0, 0);
    for round in 0..300 {
        let micros = lcg(&mut seed)
            % match store.backend() {
                Backend::Sqlite => 4000,
                Backend::Postgres => 30000,
            };
        let hour = 4 + (lcg(&mut seed) % 10) as u32;
        let service = service.clone();
        let court = court.id;
        tasks.push(tokio::spawn(async move {
            tokio::time::timeout(
                Duration::from_micros(micros),
                book_for(&service, tenant, vec![court], slot(hour, 60), BUDI),
            )
            .await
        }));
        if round % 20 == 19 {
            for t in tasks.drain(..) {
                match t.await.expect("join") {
                    Ok(_) => done += 1,
                    Err(_) => dropped += 1,
                }
            }
        }
    }
    eprintln!("done {done}, dropped {dropped}");
    tokio::time::sleep(Duration::from_secs(1)).await;

    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT id, starts_at, ends_at FROM bookings WHERE resource_id = $1
           AND status IN ('pending', 'confirmed', 'checked_in') ORDER BY starts_at",
    )
    .bind(court.id.0)
    .fetch_all(store.pool())
    .await
    .expect("bookings");
    for pair in rows.windows(2) {
        assert!(
            pair[1].1 >= pair[0].2 + 30 * 60,
            "bookings {} and {} are within the 30-minute buffer: {rows:?}",
            pair[0].0,
            pair[1].0
        );
    }
    let stray: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM booking_codes c WHERE c.tenant_id = $1 AND NOT EXISTS (
           SELECT 1 FROM bookings b WHERE b.tenant_id = c.tenant_id AND b.code = c.code)",
    )
    .bind(tenant.0)
    .fetch_one(store.pool())
    .await
    .expect("codes");
    assert_eq!(stray, 0, "codes claimed for nothing");

    match store.backend() {
        Backend::Postgres => {
            let open: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()
                   AND state LIKE 'idle in transaction%'",
            )
            .fetch_one(store.pool())
            .await
            .expect("activity");
            assert_eq!(open, 0, "pooled connections left inside a transaction");
        }
        Backend::Sqlite => {
            // Every pooled connection: a BEGIN fails inside a transaction.
            let mut held = Vec::new();
            for _ in 0..8 {
                held.push(store.pool().acquire().await.expect("acquire"));
            }
            for conn in &mut held {
                sqlx::Executor::execute(&mut **conn, "BEGIN")
                    .await
                    .expect("a pooled connection was left inside a transaction");
                sqlx::Executor::execute(&mut **conn, "ROLLBACK")
                    .await
                    .expect("rollback");
            }
        }
    }
    let next = tokio::time::timeout(
        Duration::from_secs(5),
        book_for(&service, tenant, vec![court.id], slot(15, 60), BUDI),
    )
    .await
    .expect("the writer turn was not given back");
    next.expect("22:00 is free");
}

/// PostgreSQL's book_proven commits by itself and tells the search cache
/// when `_bump` drops, which is meant to be after the commit. A client that
/// goes away while the statement waits for the court's row lock drops the
/// bump at once, *before* the commit: a search then reads the court without
/// the booking and keeps it as current, and the booking that commits later
/// is not told to the cache at all.
async fn a_booking_whose_client_left_shows_in_the_next_search(store: Store) {
    if store.backend() != Backend::Postgres {
        return;
    }
    let (tenant, court, service) = warm(&store).await;
    let evening = slot(12, 60);
    let free = |store: Store, court: store::Resource| async move {
        store
            .free_slots(tenant, &court, common::day(26), common::day(26), 60, now())
            .await
            .expect("search")
            .contains(&evening)
    };
    assert!(
        free(store.clone(), court.clone()).await,
        "free to start with"
    );
    // Another writer of the court (a booking, a settings change) holds its
    // row lock for a moment.
    let mut blocker = store.pool().begin().await.expect("begin");
    sqlx::query("SELECT 1 FROM resources WHERE id = $1 FOR UPDATE")
        .bind(court.id.0)
        .execute(&mut *blocker)
        .await
        .expect("lock");
    // The customer's booking waits for it; the client gives up.
    let gone = tokio::time::timeout(
        Duration::from_millis(300),
        book_for(&service, tenant, vec![court.id], evening, BUDI),
    )
    .await;
    assert!(gone.is_err(), "the booking waits for the lock");
    // A search meanwhile (correctly) finds the slot free.
    assert!(free(store.clone(), court.clone()).await);
    blocker.commit().await.expect("commit");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let booked: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM bookings WHERE resource_id = $1 AND starts_at = $2
           AND status = 'confirmed'",
    )
    .bind(court.id.0)
    .bind(evening.start().timestamp())
    .fetch_one(store.pool())
    .await
    .expect("count");
    assert_eq!(booked, 1, "the statement ran on and committed");
    assert!(
        !free(store.clone(), court.clone()).await,
        "booked in this process, yet its search still shows the slot free"
    );
}

/// Multi-resource requests over three courts, some trusted from the cache
/// and some not, in every combination at once: no deadlock, no internal
/// error, at most one booking per court and slot.
async fn mixed_multi_resource_requests(store: Store) {
    let (tenant, c1) = futsal_court_1(&store).await;
    let c2 = common::resource_named(&store, tenant, "Futsal Court 2").await;
    let resources = store.resources(tenant).await.expect("resources");
    let c3 = resources
        .iter()
        .find(|r| r.id != c1.id && r.id != c2.id && r.outlet_id == c1.outlet_id)
        .unwrap_or_else(|| {
            resources
                .iter()
                .find(|r| r.id != c1.id && r.id != c2.id)
                .expect("third")
        })
        .clone();
    let service = service_at(&store, now());
    // c1 and c2 warm in this process' cache, c3 not.
    for (court, hour) in [(c1.id, 2), (c2.id, 2)] {
        book_for(&service, tenant, vec![court], slot(hour, 60), BUDI)
            .await
            .expect("warm");
    }
    let combos = [
        vec![c1.id, c2.id],
        vec![c2.id, c3.id],
        vec![c1.id, c3.id],
        vec![c1.id, c2.id, c3.id],
        vec![c1.id],
        vec![c2.id],
        vec![c3.id],
    ];
    for round in 0..6u32 {
        let mut tasks = Vec::new();
        for (i, ids) in combos.iter().cycle().take(28).enumerate() {
            let service = service.clone();
            let ids = ids.clone();
            let who = if i % 2 == 0 {
                BUDI.to_string()
            } else {
                format!("0812 5555 2{i:03}")
            };
            tasks.push(tokio::spawn(async move {
                book_for(&service, tenant, ids, slot(4 + round, 60), &who).await
            }));
        }
        for t in tasks {
            if let Err(e) = t.await.expect("join") {
                assert_eq!(e.code(), "slot_taken", "{e:?}");
            }
        }
    }
    let dup: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT resource_id, starts_at FROM bookings
           WHERE tenant_id = $1 AND status IN ('pending', 'confirmed', 'checked_in')
           GROUP BY resource_id, starts_at HAVING COUNT(*) > 1) d",
    )
    .bind(tenant.0)
    .fetch_one(store.pool())
    .await
    .expect("count");
    assert_eq!(dup, 0);
}

/// PostgreSQL: every writer locks resources in ascending id order. A
/// request for courts a < b < c, with a and b taken on trust (warm cache)
/// and c not, locks a (the deferred proof run before c's locked read), then
/// c, and only then b (proved before the next statement, one resource per
/// statement). Another writer keeping the order (b, then c) deadlocks with it.
async fn deferred_proofs_keep_the_lock_order(store: Store) {
    if store.backend() != Backend::Postgres {
        return;
    }
    let (tenant, c1) = futsal_court_1(&store).await;
    let mut ids: Vec<domain::ResourceId> = store
        .resources(tenant)
        .await
        .expect("resources")
        .into_iter()
        .filter(|r| r.outlet_id == c1.outlet_id)
        .map(|r| r.id)
        .collect();
    ids.sort();
    let (a, b, c) = (ids[0], ids[1], ids[2]);
    let service = service_at(&store, now());
    for (court, hour) in [(a, 2), (a, 3), (b, 2)] {
        book_for(&service, tenant, vec![court], slot(hour, 60), BUDI)
            .await
            .expect("warm");
    }
    // Another writer (keeping the order) has b.
    let mut other = store.pool().begin().await.expect("begin");
    sqlx::query("SELECT 1 FROM resources WHERE id = $1 FOR UPDATE")
        .bind(b.0)
        .execute(&mut *other)
        .await
        .expect("lock b");
    let request = {
        let service = service.clone();
        tokio::spawn(
            async move { book_for(&service, tenant, vec![a, b, c], slot(12, 60), BUDI).await },
        )
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    // ... and now wants c, the next in order.
    let next = tokio::time::timeout(
        Duration::from_secs(5),
        sqlx::query("SELECT 1 FROM resources WHERE id = $1 FOR UPDATE")
            .bind(c.0)
            .execute(&mut *other),
    )
    .await
    .expect("no answer");
    next.expect("the other writer, locking b then c, was chosen as a deadlock victim");
    other.commit().await.expect("commit");
    let booked = request.await.expect("join");
    assert!(
        booked.is_ok(),
        "the request was chosen as a deadlock victim: {:?}",
        booked.err()
    );
}

conformance!(
    deferred_proofs_keep_the_lock_order,
    a_booking_whose_client_left_shows_in_the_next_search,
    mixed_multi_resource_requests,
    longer_hours_admit_the_next_booking,
    a_shorter_lead_admits_the_next_booking,
    dropped_requests_leave_no_trace,
);
