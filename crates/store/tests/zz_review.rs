//! Review of 8a1a8b1 / dcd4604 (booking write path). PostgreSQL only: on
//! SQLite every write transaction is serialised, so none of these races
//! exist there.

mod common;

use common::{booking, now, slot, Db};
use domain::{PhoneE164, ResourceId, TenantId};
use std::time::Duration;
use store::{Store, StoreError};

async fn pg() -> Option<Store> {
    Db::postgres().await.map(|db| {
        // keep the database (dropped with the process)
        let store = db.store.clone();
        std::mem::forget(db);
        store
    })
}

async fn two_resources(store: &Store) -> (TenantId, ResourceId, ResourceId) {
    let seed = store::demo::seed_demo(store).await.expect("seed");
    let mut ids: Vec<ResourceId> = store
        .resources(seed.tenant_id)
        .await
        .expect("resources")
        .into_iter()
        .map(|r| r.id)
        .collect();
    ids.sort();
    (seed.tenant_id, ids[0], ids[1])
}

fn phone() -> PhoneE164 {
    PhoneE164::parse("+6281299990001").expect("phone")
}

/// book() of [R1, R2] for a new number, and book() of [R2] for the same
/// number at the same moment: A locks R1 then inserts the customer; B locks
/// R2 then waits on A's customer insert; A then waits on R2 -> deadlock.
/// Before 8a1a8b1 the customer was upserted before any resource lock.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pg_two_bookings_of_one_new_customer_deadlock() {
    let Some(store) = pg().await else { return };
    let (tenant, r1, r2) = two_resources(&store).await;
    let mut a = store.begin_booking().await.expect("tx a");
    a.resource_and_customer(tenant, r1, &phone(), Some("Ann"))
        .await
        .expect("a: r1 + customer");
    let s2 = store.clone();
    let b = tokio::spawn(async move {
        let mut b = s2.begin_booking().await?;
        let (_, customer) = b
            .resource_and_customer(tenant, r2, &phone(), Some("Ann"))
            .await?;
        let mut new = booking(r2, slot(15, 60));
        new.customer_id = Some(customer);
        b.insert(tenant, &new, now()).await?;
        b.commit().await
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    let a_r2 = tokio::time::timeout(Duration::from_secs(20), a.resource(tenant, r2))
        .await
        .expect("no hang");
    let a_done = match a_r2 {
        Ok(_) => a.commit().await,
        Err(e) => Err(e),
    };
    let b_done = b.await.expect("join");
    assert!(
        a_done.is_ok() && b_done.is_ok(),
        "a: {a_done:?}\nb: {b_done:?}"
    );
}

/// book_series() upserts the customer before the resource (series.rs),
/// book() now after it: a new customer's series and booking on the same
/// court at the same moment deadlock.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pg_series_and_booking_of_one_new_customer_deadlock() {
    let Some(store) = pg().await else { return };
    let (tenant, r1, _) = two_resources(&store).await;
    // The series' order: customer, then resource.
    let mut series = store.begin_booking().await.expect("tx series");
    series
        .upsert_customer(tenant, &phone(), Some("Ann"))
        .await
        .expect("series: customer");
    let s2 = store.clone();
    // book(): resource (+ customer read), then the customer write.
    let b = tokio::spawn(async move {
        let mut b = s2.begin_booking().await?;
        b.resource_and_customer(tenant, r1, &phone(), Some("Ann"))
            .await?;
        b.commit().await
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    let s_r1 = tokio::time::timeout(Duration::from_secs(20), series.resource(tenant, r1))
        .await
        .expect("no hang");
    let s_done = match s_r1 {
        Ok(_) => series.commit().await,
        Err(e) => Err(e),
    };
    let b_done = b.await.expect("join");
    assert!(
        s_done.is_ok() && b_done.is_ok(),
        "series: {s_done:?}\nbook: {b_done:?}"
    );
}

/// The trigger's `IF NOT EXISTS` runs with a newer snapshot than the
/// conditional insert's: a claim committed in between is silently skipped
/// instead of meeting booking_codes_pkey, so two requests share one code.
/// The window is widened here with a lock on the customer row that the
/// FK check (an AFTER trigger firing before "bookings_created") waits on.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pg_a_code_claimed_meanwhile_is_shared_not_refused() {
    let Some(store) = pg().await else { return };
    let (tenant, r1, r2) = two_resources(&store).await;
    let mut setup = store.begin_booking().await.expect("tx");
    let customer = setup
        .upsert_customer(tenant, &phone(), Some("Ann"))
        .await
        .expect("customer");
    setup.commit().await.expect("commit");

    let mut lock = store.pool().begin().await.expect("lock tx");
    sqlx::query("SELECT id FROM customers WHERE id = $1 FOR UPDATE")
        .bind(customer.0)
        .execute(&mut *lock)
        .await
        .expect("lock customer");

    let probe = store.begin_booking().await.expect("tx");
    let code = probe.draw_code();
    probe.rollback().await.expect("rollback");

    // Request B: its insert passes the NOT EXISTS, then waits in the FK check.
    let s2 = store.clone();
    let code_b = code.clone();
    let b = tokio::spawn(async move {
        let mut b = s2.begin_booking().await?;
        let mut new = booking(r2, slot(9, 60));
        new.customer_id = Some(customer);
        new.code = Some(code_b);
        b.insert(tenant, &new, now()).await?;
        b.commit().await
    });
    tokio::time::sleep(Duration::from_millis(500)).await;

    // Request A (same fresh code) claims it and commits meanwhile.
    let mut a = store.begin_booking().await.expect("tx a");
    let mut new = booking(r1, slot(9, 60));
    new.code = Some(code.clone());
    a.insert(tenant, &new, now()).await.expect("a insert");
    a.commit().await.expect("a commit");

    lock.commit().await.expect("unlock");
    let b_done = b.await.expect("join");
    let sharing: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM bookings WHERE tenant_id = $1 AND code = $2")
            .bind(tenant.0)
            .bind(code.as_str())
            .fetch_one(store.pool())
            .await
            .expect("count");
    assert!(
        matches!(b_done, Err(StoreError::CodeTaken)) && sharing == 1,
        "b: {b_done:?}; {sharing} bookings of two requests carry code {}",
        code.as_str()
    );
}
