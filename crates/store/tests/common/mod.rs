//! Fresh databases for the conformance suite: a SQLite file per test, and a
//! new PostgreSQL database per test on the server named by
//! `PESAN_TEST_POSTGRES_URL` (`scripts/test` starts one).

#![allow(dead_code)]

pub mod whatsapp;

use chrono::{DateTime, TimeZone, Utc};
use domain::{Actor, BookingStatus, Money, ResourceId, TenantId, TimeRange};
use store::{BookingSource, NewBooking, Store};

/// "Now" of every store test: Wed 2026-11-25 10:00 in Jakarta.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 3, 0, 0)
        .single()
        .expect("valid")
}

/// `minutes` from `hour`:00 UTC on the next day.
pub fn slot(hour: u32, minutes: i64) -> TimeRange {
    let start = Utc
        .with_ymd_and_hms(2026, 11, 26, hour, 0, 0)
        .single()
        .expect("valid");
    TimeRange::starting_at(start, minutes).expect("valid")
}

/// The demo venue, and its first resource.
pub async fn demo(store: &Store) -> (TenantId, ResourceId) {
    let seed = store::demo::seed_demo(store).await.expect("seed");
    let resources = store.resources(seed.tenant_id).await.expect("resources");
    (seed.tenant_id, resources[0].id)
}

/// The demo venue and its "Futsal Court 1" (Kemang, 08:00–23:00,
/// Rp 150.000 an hour), for tests that need the whole resource.
pub async fn futsal_court_1(store: &Store) -> (TenantId, store::Resource) {
    let tenant = store::demo::seed_demo(store).await.expect("seed").tenant_id;
    (
        tenant,
        resource_named(store, tenant, "Futsal Court 1").await,
    )
}

/// A second venue ("rival"), for tests that prove one tenant cannot reach
/// another's data.
pub async fn rival_tenant(store: &Store) -> TenantId {
    store
        .create_tenant_with_owner(&store::NewTenant {
            slug: "rival".into(),
            name: "Rival".into(),
            timezone: chrono_tz::Asia::Jakarta,
            country: "ID".into(),
            owner_email: "owner@rival.test".into(),
            owner_name: "Owner".into(),
            owner_password: "correct horse battery staple".into(),
        })
        .await
        .expect("tenant")
        .tenant
        .id
}

/// The tenant's active resource called `name` ("Futsal Court 2"…).
pub async fn resource_named(store: &Store, tenant: TenantId, name: &str) -> store::Resource {
    store
        .resources(tenant)
        .await
        .expect("resources")
        .into_iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no resource {name:?}"))
}

/// A date in November 2026 (the tests' "now" is the 25th).
pub fn day(d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, d).expect("date")
}

/// A confirmed booking made from the dashboard.
pub fn booking(resource: ResourceId, range: TimeRange) -> NewBooking {
    NewBooking {
        resource_id: resource,
        range,
        customer_id: None,
        status: BookingStatus::Confirmed,
        price: Money::idr(150_000),
        source: BookingSource::Dashboard,
        actor: Actor::System,
        hold_until: None,
        series_id: None,
        code: None,
    }
}

/// The store's write path without the booking service around it (rules,
/// prices, codes): one booking in its own [`store::BookingTx`], so these
/// tests prove the store's own guards (overlap, buffer, blackouts, holds)
/// on both databases.
#[allow(async_fn_in_trait)]
pub trait InsertBooking {
    async fn insert_booking(
        &self,
        tenant: TenantId,
        new: NewBooking,
        now: DateTime<Utc>,
    ) -> store::Result<store::Booking>;
}

impl InsertBooking for Store {
    async fn insert_booking(
        &self,
        tenant: TenantId,
        new: NewBooking,
        now: DateTime<Utc>,
    ) -> store::Result<store::Booking> {
        let mut tx = self.begin_booking().await?;
        let booking = tx.insert(tenant, &new, now).await?;
        tx.commit().await?;
        Ok(booking)
    }
}

/// A store on a fresh database; the SQLite file lives as long as this value.
pub struct Db {
    pub store: Store,
    _dir: Option<tempfile::TempDir>,
}

impl Db {
    pub async fn sqlite() -> Db {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite:{}", dir.path().join("pesan.db").display());
        let store = Store::connect(&url).await.expect("connect");
        store.migrate().await.expect("migrate");
        Db {
            store,
            _dir: Some(dir),
        }
    }

    /// `None` when no PostgreSQL server is configured — allowed on a
    /// developer's machine, a failure in CI, where both halves must run.
    pub async fn postgres() -> Option<Db> {
        let Ok(admin_url) = std::env::var("PESAN_TEST_POSTGRES_URL") else {
            assert!(
                std::env::var("CI").is_err(),
                "CI must run the PostgreSQL half of the conformance suite: set PESAN_TEST_POSTGRES_URL"
            );
            eprintln!("PESAN_TEST_POSTGRES_URL is not set: skipping the PostgreSQL half");
            return None;
        };
        let admin = Store::connect(&admin_url)
            .await
            .expect("connect to the PostgreSQL server");
        // Unique per process (pid), per run (time) and per test (counter):
        // parallel tests can read the same clock value.
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let name = format!(
            "pesan_test_{}_{}_{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .expect("clock")
                .as_millis(),
            NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(admin.pool())
            .await
            .expect("create database");
        admin.close().await;
        let base = admin_url
            .rsplit_once('/')
            .map(|(base, _)| base)
            .expect("a URL with a database name");
        let store = Store::connect(&format!("{base}/{name}"))
            .await
            .expect("connect to the new database");
        store.migrate().await.expect("migrate");
        Some(Db { store, _dir: None })
    }
}

/// Runs each named `async fn(Store)` once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod on_sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let db = $crate::common::Db::sqlite().await;
                    super::$name(db.store.clone()).await;
                }
            )*
        }
        mod on_postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let Some(db) = $crate::common::Db::postgres().await else { return };
                    super::$name(db.store.clone()).await;
                }
            )*
        }
    };
}
