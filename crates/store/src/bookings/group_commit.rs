//! SQLite: bookings proven by their own insert (see `Proof`) written in
//! batches, one transaction and one hand-off to the driver's worker thread
//! for all the bookings that arrived while the previous batch ran.
//!
//! Every statement sent to SQLite is a hand-off to sqlx's worker thread and
//! back, which on these machines costs more than the statement's own work,
//! and SQLite has one writer at a time anyway. A request puts its booking
//! in the queue and a task takes this process's writer turn; whoever holds
//! the turn sends everything queued as `BEGIN IMMEDIATE; insert; insert; …;
//! COMMIT`. With one client that is one booking per batch, a third of a
//! raw transactional insert's hand-offs; with many, a batch each turn.
//!
//! Each insert checks and writes by itself (nothing is written when its
//! proof fails or the slot is not free, and a later insert of the batch
//! sees an earlier one), so the bookings of one batch cannot conflict; a
//! statement that fails outright (a database error) rolls the batch back,
//! and each of its bookings is then tried in a batch of its own.

use super::insert::{bind_insert, insert_statement, written, Check};
use super::{Booking, NewBooking, Proof};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::guard::{ensure_length, Guarded};
use chrono::{DateTime, Utc};
use domain::TenantId;
use futures_util::TryStreamExt;
use sqlx::Either;
use std::sync::Mutex;
use tokio::sync::oneshot;

/// The most bookings in one batch: 64 × 22 parameters stay far below
/// SQLite's limit on a statement's parameters.
const MAX_BATCH: usize = 64;

/// The parameters of one insert (see `insert_statement`).
const PARAMETERS: usize = 22;

/// Bookings waiting for the next batch, and the connection batches go
/// through.
#[derive(Default)]
pub(crate) struct ProvenQueue {
    waiting: Mutex<Vec<Job>>,
    /// Kept between batches (used only by the writer turn's holder):
    /// sqlx pings a connection each time it goes back to the pool, one more
    /// hand-off to SQLite's worker per batch. Detached from the pool, so
    /// closing the pool does not wait for it; it closes when the store's
    /// last handle goes.
    connection: Mutex<Option<sqlx::AnyConnection>>,
}

/// One queued booking, and where its outcome goes: the new id, or `None`
/// when its insert wrote nothing.
struct Job {
    guarded: Guarded,
    tenant: TenantId,
    new: NewBooking,
    proof: Proof,
    now: DateTime<Utc>,
    done: oneshot::Sender<Result<Option<i64>>>,
}

/// Writes a booking on a resource and customer taken from earlier reads
/// (with their `proof`) in the next batch. `Stale` when the proof does not
/// hold or something is in the way (nothing written: read everything and
/// check in full). The batch runs on a task of its own, so a caller that
/// goes away cannot leave a connection inside a transaction, nor take a
/// queued booking with it.
pub(crate) async fn insert_proven_in_batch(
    store: &Store,
    guarded: &Guarded,
    tenant: TenantId,
    new: &NewBooking,
    known_phone: Option<String>,
    proof: Proof,
    now: DateTime<Utc>,
) -> Result<Booking> {
    ensure_length(&new.range)?;
    if !new.status.is_active() || new.customer_id.is_some() && known_phone.is_none() {
        return Err(StoreError::Invalid(
            "only an active booking for a known customer is written in a batch".into(),
        ));
    }
    let (done, outcome) = oneshot::channel();
    store.proven.lock_waiting().push(Job {
        guarded: guarded.clone(),
        tenant,
        new: new.clone(),
        proof,
        now,
        done,
    });
    let writer = store.clone();
    tokio::spawn(async move { writer.write_proven_batch().await });
    let id = outcome
        .await
        .map_err(|_| StoreError::Database(sqlx::Error::WorkerCrashed))??;
    match id {
        Some(id) => written(guarded, tenant, new, id, known_phone, now),
        None => Err(StoreError::Stale),
    }
}

impl std::fmt::Debug for ProvenQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProvenQueue")
            .field("waiting", &self.lock_waiting().len())
            .finish()
    }
}

impl ProvenQueue {
    fn lock_waiting(&self) -> std::sync::MutexGuard<'_, Vec<Job>> {
        // A panic while the lock was held cannot leave the list half
        // changed (push and drain only).
        self.waiting.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn take_batch(&self) -> Vec<Job> {
        let mut waiting = self.lock_waiting();
        let n = waiting.len().min(MAX_BATCH);
        waiting.drain(..n).collect()
    }
}

impl Store {
    /// Takes the writer turn and writes one batch of what is queued, then
    /// lets the turn go, so other writers (a cancellation, a settings
    /// change) wait behind at most one batch however busy bookings are.
    /// Every queued booking has a task of its own waiting for the turn, and
    /// each task that finds the queue non-empty takes at least one, so no
    /// booking is left behind; a task that finds it empty has nothing to
    /// do: whoever emptied it holds the turn and writes its bookings.
    async fn write_proven_batch(&self) {
        if self.proven.lock_waiting().is_empty() {
            return;
        }
        let Some(_turn) = self.writer_turn().await else {
            return;
        };
        let jobs = self.proven.take_batch();
        if jobs.is_empty() {
            return;
        }
        let outcomes: Vec<Result<Option<i64>>> = match self.write_batch(&jobs).await {
            Ok(ids) => ids.into_iter().map(Ok).collect(),
            Err(error) if jobs.len() == 1 => vec![Err(error)],
            // Rolled back: each on its own, so one failing booking
            // fails alone.
            Err(_) => {
                let mut outcomes = Vec::with_capacity(jobs.len());
                for job in &jobs {
                    let alone = self.write_batch(std::slice::from_ref(job)).await;
                    outcomes.push(alone.map(|ids| ids.into_iter().next().flatten()));
                }
                outcomes
            }
        };
        for (job, outcome) in jobs.into_iter().zip(outcomes) {
            // A caller that went away does not need its answer.
            let _ = job.done.send(outcome);
        }
    }

    /// One transaction with every job's insert; the ids written, in order
    /// (`None` where an insert wrote nothing). Rolled back on an error.
    async fn write_batch(&self, jobs: &[Job]) -> Result<Vec<Option<i64>>> {
        let mut sql = String::from("BEGIN IMMEDIATE;");
        for (k, job) in jobs.iter().enumerate() {
            let statement = insert_statement(Check::IfFree(Some(&job.proof)));
            sql.push(' ');
            sql.push_str(&shift_parameters(&statement, k * PARAMETERS));
            sql.push(';');
        }
        sql.push_str(" COMMIT");
        let mut query = sqlx::query_scalar(&sql);
        for job in jobs {
            query = bind_insert(
                query,
                &job.guarded,
                job.tenant,
                &job.new,
                job.now,
                Check::IfFree(Some(&job.proof)),
                true,
            );
        }
        let kept = self
            .proven
            .connection
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        let mut conn = match kept {
            Some(conn) => conn,
            None => self.pool.acquire().await?.detach(),
        };
        let mut ids = vec![None; jobs.len()];
        let written = async {
            // Statement 0 is BEGIN; each statement ends with a result.
            let mut statement: usize = 0;
            // The only way sqlx 0.8 tells where each statement of a batch
            // ends (deprecated: sqlx means to drop several statements in
            // one query; see docs/TOOLCHAIN.md).
            #[allow(deprecated)]
            let mut results = query.fetch_many(&mut conn);
            while let Some(item) = results.try_next().await? {
                match item {
                    Either::Left(_) => statement += 1,
                    Either::Right(id) => {
                        if let Some(slot) = statement.checked_sub(1).and_then(|k| ids.get_mut(k)) {
                            *slot = Some(id);
                        }
                    }
                }
            }
            Ok::<_, sqlx::Error>(statement)
        }
        .await;
        // After the commit, or the rollback below (see `crate::search_cache`).
        for job in jobs {
            self.bookings_changed(job.tenant);
        }
        match written {
            // BEGIN, every insert and COMMIT finished.
            Ok(finished) if finished == jobs.len() + 2 => {
                self.keep_batch_connection(conn);
                Ok(ids)
            }
            other => {
                // The batch stopped at a failing statement: end the
                // transaction it may have begun before the connection is
                // used again (one that cannot is dropped, which closes it).
                if sqlx::Executor::execute(&mut conn, "ROLLBACK").await.is_ok()
                    || !in_transaction(&mut conn).await
                {
                    self.keep_batch_connection(conn);
                }
                Err(match other {
                    Err(e) => StoreError::from_write(e, "duplicate booking"),
                    Ok(finished) => StoreError::Corrupt(format!(
                        "a batch of {} bookings ended after {finished} statements",
                        jobs.len()
                    )),
                })
            }
        }
    }
}

/// Whether `conn` is inside a transaction: a `BEGIN` fails there.
async fn in_transaction(conn: &mut sqlx::AnyConnection) -> bool {
    match sqlx::Executor::execute(&mut *conn, "BEGIN").await {
        Ok(_) => sqlx::Executor::execute(&mut *conn, "ROLLBACK")
            .await
            .is_err(),
        Err(_) => true,
    }
}

impl Store {
    fn keep_batch_connection(&self, conn: sqlx::AnyConnection) {
        *self
            .proven
            .connection
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = Some(conn);
    }
}

/// `sql` with every parameter `$n` renumbered `$(n + by)`, for the next
/// statement of a batch.
fn shift_parameters(sql: &str, by: usize) -> String {
    if by == 0 {
        return sql.to_string();
    }
    let mut shifted = String::with_capacity(sql.len() + 16);
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        shifted.push(c);
        if c != '$' {
            continue;
        }
        let mut digits = String::new();
        while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
            digits.push(d);
            chars.next();
        }
        match digits.parse::<usize>() {
            Ok(n) => shifted.push_str(&(n + by).to_string()),
            Err(_) => shifted.push_str(&digits),
        }
    }
    shifted
}

#[cfg(test)]
mod tests {
    use super::shift_parameters;

    #[test]
    fn parameters_are_renumbered_for_later_statements() {
        assert_eq!(
            shift_parameters("a = $1 AND b = $22 OR $3 IS NULL", 22),
            "a = $23 AND b = $44 OR $25 IS NULL"
        );
        assert_eq!(shift_parameters("x = $1", 0), "x = $1");
        assert_eq!(shift_parameters("'$' || $2", 22), "'$' || $24");
    }
}
