//! A booking request whose caller goes away at any point (a client that
//! disconnects drops the request's future) must leave no transaction open
//! on a pooled connection: on SQLite such a connection holds the write lock,
//! and every later writer waits out the busy timeout and fails.

#[path = "../../store/tests/common/mod.rs"]
mod common;
mod support;

use store::{Backend, Store};

use common::{futsal_court_1, now};
use support::{customer, request, service_at};

/// Connections of the pool that are inside a transaction nobody owns.
async fn stranded(store: &Store) -> usize {
    match store.backend() {
        Backend::Postgres => {
            let n: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM pg_stat_activity
                 WHERE datname = current_database() AND state LIKE 'idle in transaction%'",
            )
            .fetch_one(store.pool())
            .await
            .expect("activity");
            usize::try_from(n).unwrap_or(usize::MAX)
        }
        Backend::Sqlite => {
            // Hold every connection of the pool at once; one that is inside
            // a transaction refuses to begin another.
            let mut held = Vec::new();
            let mut stranded = 0;
            while let Some(mut conn) = store.pool().try_acquire() {
                if sqlx::query("BEGIN").execute(&mut *conn).await.is_err() {
                    stranded += 1;
                } else {
                    sqlx::query("ROLLBACK")
                        .execute(&mut *conn)
                        .await
                        .expect("rollback");
                }
                held.push(conn);
            }
            stranded
        }
    }
}

async fn a_request_dropped_at_any_point_leaves_no_transaction_open(store: Store) {
    let (tenant, court) = futsal_court_1(&store).await;
    let service = service_at(&store, now());
    let caller = customer(tenant);
    for k in 0..120u32 {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 1 + k % 28).expect("date");
        let start = day.and_hms_opt(1 + k % 15, 0, 0).expect("time").and_utc();
        let range = domain::TimeRange::starting_at(start, 60).expect("range");
        let booking = service.book(
            &caller,
            request(vec![court.id], range, "0812 5555 0001"),
            None,
        );
        // Dropped after 0 to 2 ms: before, during and after BEGIN, the
        // insert and COMMIT.
        let wait = std::time::Duration::from_micros(u64::from(k % 40) * 50);
        let _ = tokio::time::timeout(wait, booking).await;
    }
    // What the dropped requests left running settles.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(stranded(&store).await, 0);
    // And the next booking goes through at once.
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 20).expect("date");
    let start = day.and_hms_opt(15, 0, 0).expect("time").and_utc();
    let range = domain::TimeRange::starting_at(start, 60).expect("range");
    service
        .book(
            &customer(tenant),
            request(vec![court.id], range, "0812 5555 0002"),
            None,
        )
        .await
        .expect("booked");
}

conformance!(a_request_dropped_at_any_point_leaves_no_transaction_open);
