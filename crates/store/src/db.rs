//! Opening the database (SQLite or PostgreSQL, chosen by the URL) and
//! applying that backend's migrations.
//!
//! Both backends go through sqlx's `Any` driver with one set of queries:
//! they use `$N` placeholders (both SQLite and PostgreSQL accept them),
//! integer instants (unix seconds) and integer ids, so one repository serves
//! both. What differs — migrations, the write transaction, the name of the
//! constraint error — is chosen here by [`Backend`].

use crate::error::{Result, StoreError};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, Executor, Transaction};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// Which database engine a [`Store`] talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// The embedded default: one file, one writer at a time.
    Sqlite,
    /// Production: several replicas, an exclusion constraint on bookings.
    Postgres,
}

impl Backend {
    /// What ends a `SELECT` that locks the rows it reads until the
    /// transaction ends: `FOR UPDATE` (with `of`, e.g. `" OF r"`, to lock only
    /// one table of a join) on PostgreSQL; nothing on SQLite, whose write
    /// transaction already excludes every other writer.
    pub(crate) fn for_update(self, of: &str) -> String {
        match self {
            Backend::Postgres => format!(" FOR UPDATE{of}"),
            Backend::Sqlite => String::new(),
        }
    }

    /// The backend a database URL names.
    pub fn of(url: &str) -> Result<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            // Only the scheme: the rest of a URL may hold a password.
            let scheme = url.split_once(':').map_or("", |(scheme, _)| scheme);
            Err(StoreError::Unsupported(format!(
                "unsupported database URL scheme {scheme:?}: expected sqlite:PATH or postgres://…"
            )))
        }
    }
}

/// The handle every repository works through. Cloning is cheap (a pool).
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) pool: AnyPool,
    backend: Backend,
    /// SQLite has one writer at a time. Writers of this process queue here
    /// for their turn instead of inside SQLite, whose busy handler waits by
    /// sleeping (up to 100 ms a try): under 32 concurrent writers that
    /// sleeping, not the disk, was the limit.
    write_turn: Arc<tokio::sync::Mutex<()>>,
    /// Live API keys looked up lately (see [`crate::api_keys`]).
    pub(crate) key_cache: Arc<crate::api_keys::KeyCache>,
    /// WhatsApp numbers the webhook looked up lately (see
    /// [`crate::whatsapp`]).
    pub(crate) numbers: Arc<crate::whatsapp::NumberCache>,
    /// Wrong current passwords of password changes (see [`crate::staff`]).
    pub(crate) guesses: Arc<crate::staff::Guesses>,
    /// What availability searches read lately (see [`crate::search_cache`]).
    pub(crate) search: Arc<crate::search_cache::SearchCache>,
    /// What bookings read lately (see [`crate::booking_cache`]).
    pub(crate) booked: Arc<crate::booking_cache::BookingCache>,
    /// SQLite: bookings waiting for the next batch (see
    /// `crate::bookings::group_commit`).
    pub(crate) proven: Arc<crate::bookings::ProvenQueue>,
    /// Webhook deliveries waiting for the next batch (see
    /// [`crate::intake`]).
    pub(crate) intake: Arc<crate::intake::Intake>,
    /// News of commits for live screens (see [`crate::feed`]).
    pub(crate) feed: crate::feed::Feed,
}

/// A write transaction (see [`Store::begin_write`]); on SQLite it also
/// holds this process's writer turn until it ends.
pub(crate) struct WriteTx {
    /// `None` only once committed or rolled back (both consume the value).
    tx: Option<Transaction<'static, Any>>,
    turn: Option<tokio::sync::OwnedMutexGuard<()>>,
    search: Arc<crate::search_cache::SearchCache>,
    feed: crate::feed::Feed,
    scope: Scope,
}

/// Whose rows a write transaction may change, for the search cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Not told: any tenant's, to be safe.
    Untold,
    Tenant(domain::TenantId),
    /// More than one tenant's.
    All,
    /// Nothing an availability search reads (messages, conversations):
    /// the commit leaves the search cache alone.
    Outside,
}

/// Tells the search cache that a commit happened, when dropped, and live
/// screens that the calendar's world changed (see [`crate::feed`]).
pub(crate) struct BumpOnDrop {
    search: Arc<crate::search_cache::SearchCache>,
    feed: crate::feed::Feed,
    tenant: Option<domain::TenantId>,
}

impl Drop for BumpOnDrop {
    fn drop(&mut self) {
        self.search.changed(self.tenant);
        self.feed
            .announce(self.tenant, crate::feed::Topic::Bookings);
    }
}

impl WriteTx {
    /// Says the transaction writes `tenant`'s rows, so its commit makes
    /// only what the search cache keeps of that tenant stale (untold, every
    /// tenant's).
    pub(crate) fn touches(&mut self, tenant: domain::TenantId) {
        self.scope = match self.scope {
            Scope::Untold | Scope::Outside => Scope::Tenant(tenant),
            Scope::Tenant(t) if t == tenant => Scope::Tenant(t),
            Scope::Tenant(_) | Scope::All => Scope::All,
        };
    }

    /// Says the transaction writes nothing an availability search reads
    /// (a chat message, a conversation), so its commit keeps every cached
    /// search. A later [`WriteTx::touches`] overrides it.
    pub(crate) fn leaves_searches(&mut self) {
        if self.scope == Scope::Untold {
            self.scope = Scope::Outside;
        }
    }

    pub(crate) async fn commit(mut self) -> Result<()> {
        // After the commit, never before (see `crate::search_cache`), and
        // also when the caller goes away while it runs (a client that
        // disconnects drops the request's future): the commit may have
        // reached the database, so the bump must not be lost.
        let _bump = (self.scope != Scope::Outside).then(|| BumpOnDrop {
            search: Arc::clone(&self.search),
            feed: self.feed.clone(),
            tenant: match self.scope {
                Scope::Tenant(tenant) => Some(tenant),
                Scope::Untold | Scope::All | Scope::Outside => None,
            },
        });
        if let Some(tx) = self.tx.take() {
            tx.commit().await?;
        }
        Ok(())
    }

    pub(crate) async fn rollback(mut self) -> Result<()> {
        if let Some(tx) = self.tx.take() {
            tx.rollback().await?;
        }
        Ok(())
    }
}

impl Drop for WriteTx {
    /// Dropped unfinished (an error, or a client that went away mid-request):
    /// the rollback runs before the writer's turn passes on. Otherwise the
    /// next SQLite writer found the database still locked by this connection
    /// (sqlx rolls back a dropped transaction later, on its worker) and slept
    /// in SQLite's busy handler.
    fn drop(&mut self) {
        if let (Some(tx), Some(turn)) = (self.tx.take(), self.turn.take()) {
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(async move {
                    let _ = tx.rollback().await;
                    drop(turn);
                });
            }
        }
    }
}

impl std::ops::Deref for WriteTx {
    type Target = Transaction<'static, Any>;
    fn deref(&self) -> &Self::Target {
        self.tx
            .as_ref()
            .expect("a write transaction is open until commit or rollback consume it")
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        self.tx
            .as_mut()
            .expect("a write transaction is open until commit or rollback consume it")
    }
}

/// Opens a transaction on a task of its own, so a caller that goes away
/// while `BEGIN` runs (a client disconnecting) does not cancel sqlx's
/// `begin` halfway; the task finishes either way, and a transaction nobody
/// takes is dropped there, which rolls it back. Measured, not explained to
/// the last step: a test dropping 400 booking requests at random points
/// took 110–226 s with a plain `begin` (SQLite writers sleeping in the busy
/// handler) and 14 s with this.
async fn begin_detached(
    pool: &AnyPool,
    statement: &'static str,
) -> Result<Transaction<'static, Any>> {
    let pool = pool.clone();
    tokio::spawn(async move { pool.begin_with(statement).await })
        .await
        .map_err(|_| StoreError::Database(sqlx::Error::WorkerCrashed))?
        .map_err(StoreError::from)
}

/// SQLite settings applied to every new connection: WAL so readers never
/// block the writer, a busy timeout so writers queue instead of failing,
/// and foreign keys (off by default in SQLite).
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;";

impl Store {
    /// Opens the database at `url` (`sqlite:PATH`, created if missing, or
    /// `postgres://…`).
    pub async fn connect(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of(url)?;
        let url = match backend {
            Backend::Sqlite => sqlite_url(url)?,
            Backend::Postgres => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url)
            .map_err(|e| StoreError::Unsupported(format!("bad database URL: {e}")))?;
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            })
            .acquire_timeout(Duration::from_secs(10))
            // No ping before each use: it was a round trip (on SQLite a
            // hop to the driver's worker thread) in front of every query
            // and transaction. sqlx still pings every connection when it
            // goes back to the pool and drops it if broken, so a dead one
            // (PostgreSQL restarted while it sat idle) fails at most one
            // request before it is replaced.
            .test_before_acquire(false)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(SQLITE_PRAGMAS).await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Store {
            pool,
            backend,
            write_turn: Arc::default(),
            key_cache: Arc::default(),
            numbers: Arc::default(),
            guesses: Arc::default(),
            search: Arc::default(),
            booked: Arc::default(),
            proven: Arc::default(),
            intake: Arc::default(),
            feed: Default::default(),
        })
    }

    /// A handle on the same database with memory of its own (search cache,
    /// API key cache, SQLite writer turn), as a second replica or the CLI
    /// has: for tests of what one process sees of another's writes.
    #[doc(hidden)]
    pub fn as_another_process(&self) -> Store {
        Store {
            pool: self.pool.clone(),
            backend: self.backend,
            write_turn: Arc::default(),
            key_cache: Arc::default(),
            numbers: Arc::default(),
            guesses: Arc::default(),
            search: Arc::default(),
            booked: Arc::default(),
            proven: Arc::default(),
            intake: Arc::default(),
            feed: Default::default(),
        }
    }

    /// Forgets everything availability searches kept, as a write of every
    /// tenant would: for benchmarks of a search that reads it all.
    #[doc(hidden)]
    pub fn forget_searches(&self) {
        self.search.changed(None);
    }

    /// Tells the search cache, when dropped, that `tenant`'s rows changed:
    /// for a statement that commits by itself, held across it so the news
    /// is not lost if the caller goes away meanwhile.
    pub(crate) fn bump_searches_when_dropped(&self, tenant: domain::TenantId) -> BumpOnDrop {
        BumpOnDrop {
            search: Arc::clone(&self.search),
            feed: self.feed.clone(),
            tenant: Some(tenant),
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Applies every migration of this backend not yet applied, then gives
    /// older bookings their codes; safe at each start.
    pub async fn migrate(&self) -> Result<()> {
        match self.backend {
            Backend::Sqlite => {
                sqlx::migrate!("../../migrations/sqlite")
                    .run(&self.pool)
                    .await?
            }
            Backend::Postgres => {
                sqlx::migrate!("../../migrations/postgres")
                    .run(&self.pool)
                    .await?
            }
        }
        self.give_codes_to_old_bookings(chrono::Utc::now()).await?;
        Ok(())
    }

    /// A transaction that may read then write safely: on SQLite it takes the
    /// single write lock up front (`BEGIN IMMEDIATE`), so a check and the
    /// write after it see the same state; on PostgreSQL the exclusion
    /// constraint settles races, and a plain transaction suffices.
    pub(crate) async fn begin_write(&self) -> Result<WriteTx> {
        Ok(match self.writer_turn().await {
            Some(turn) => self.write_tx(
                begin_detached(&self.pool, "BEGIN IMMEDIATE").await?,
                Some(turn),
            ),
            None => self.write_tx(begin_detached(&self.pool, "BEGIN").await?, None),
        })
    }

    /// The lock whose guard is the writer turn (see [`Store::writer_turn`]),
    /// for a writer that takes it only when it is free.
    pub(crate) fn write_turn_lock(&self) -> &Arc<tokio::sync::Mutex<()>> {
        &self.write_turn
    }

    /// On SQLite, this process's turn to write (see `write_turn`), taken
    /// before `BEGIN IMMEDIATE`; `None` on PostgreSQL, whose writers need
    /// none.
    pub(crate) async fn writer_turn(&self) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        match self.backend {
            Backend::Sqlite => Some(Arc::clone(&self.write_turn).lock_owned().await),
            Backend::Postgres => None,
        }
    }

    fn write_tx(
        &self,
        tx: Transaction<'static, Any>,
        turn: Option<tokio::sync::OwnedMutexGuard<()>>,
    ) -> WriteTx {
        WriteTx {
            tx: Some(tx),
            turn,
            search: Arc::clone(&self.search),
            feed: self.feed.clone(),
            scope: Scope::Untold,
        }
    }

    /// A write transaction for a booking use case ([`crate::BookingTx`]),
    /// begun at its first statement (on SQLite the writer turn is taken
    /// then, not while the use case works from what earlier bookings
    /// read). On PostgreSQL its statements run with generic plans: they are
    /// all keyed lookups and inserts whose plan does not depend on the
    /// values, yet the planner re-planned the write check for every booking
    /// (a custom plan looks cheaper for a narrow time range), which cost
    /// more than running it. `SET LOCAL` ends with the transaction.
    pub(crate) async fn begin_booking_write(&self) -> Result<WriteTx> {
        Ok(match self.backend {
            Backend::Sqlite => self.begin_write().await?,
            Backend::Postgres => self.write_tx(
                begin_detached(
                    &self.pool,
                    "BEGIN; SET LOCAL plan_cache_mode = force_generic_plan",
                )
                .await?,
                None,
            ),
        })
    }

    /// Deletes row `id` of `table` if it is the tenant's; `NotFound` if not.
    pub(crate) async fn delete_owned(
        &self,
        table: &'static str,
        tenant: domain::TenantId,
        id: i64,
    ) -> Result<()> {
        let deleted = sqlx::query(&format!(
            "DELETE FROM {table} WHERE tenant_id = $1 AND id = $2"
        ))
        .bind(tenant.0)
        .bind(id)
        .execute(&self.pool)
        .await?
        .rows_affected();
        // A blackout may be what went.
        self.bookings_changed(tenant);
        if deleted == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// One round trip to the database, for health checks.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// The underlying pool, for maintenance and for tests that must write
    /// around the repositories (to prove the database's own guards).
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Closes every connection; later calls fail (used to test health checks).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// `sqlite:PATH` with the parent folder created and `mode=rwc` (create if
/// missing) unless the URL already says otherwise.
fn sqlite_url(url: &str) -> Result<String> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Err(StoreError::Unsupported(
            "an in-memory SQLite database would be lost: give a file path".into(),
        ));
    }
    if let Some(parent) = std::path::Path::new(path).parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent).map_err(|e| {
                StoreError::Unsupported(format!("cannot create {}: {e}", parent.display()))
            })?;
        }
    }
    Ok(if rest.contains("mode=") {
        format!("sqlite:{rest}")
    } else if rest.contains('?') {
        format!("sqlite:{rest}&mode=rwc")
    } else {
        format!("sqlite:{rest}?mode=rwc")
    })
}
