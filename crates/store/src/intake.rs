//! The webhook's messages written to the inbound queue in batches: one
//! statement for every delivery that arrived while the previous statement
//! ran, so under load the webhook pays one database write for many
//! deliveries instead of one each.
//!
//! A delivery puts its messages in the waiting list and a task of its own
//! takes the intake's turn (on SQLite this process's writer turn, which it
//! needs anyway; on PostgreSQL a turn of the intake's). Whoever holds the
//! turn writes everything waiting as one `INSERT … ON CONFLICT DO NOTHING
//! RETURNING`: each message once (unique on the tenant and Meta's id, also
//! when two copies of a delivery sit in the same batch), and each delivery
//! told how many of its messages were new. The statement runs on a
//! connection kept between batches, which spares the ping sqlx sends each
//! time a connection goes back to the pool.
//!
//! Nothing is acknowledged before its statement committed: a caller waits
//! for its own outcome. A caller that goes away (Meta hung up) while its
//! delivery waits leaves it to be written all the same; one that goes away
//! while writing its delivery inline (nobody else was writing) may stop
//! the write, which then commits or not. Either way Meta, never answered,
//! delivers again, and a repeat of what was stored is a duplicate.
//!
//! A statement the database refused (a constraint, a deadlock) is retried
//! for each delivery on its own, so one bad delivery fails alone; when the
//! connection failed, every delivery of the batch fails at once (Meta
//! retries) and the kept connections are dropped, so a restarted database
//! costs one failed batch, not one per kept connection. Rows go in the
//! order of their deliveries' first message id, so two batches that carry
//! the same redelivered messages take their keys in the same order and do
//! not deadlock on PostgreSQL.

use crate::db::{Backend, Store};
use crate::error::{Result, StoreError};
use crate::whatsapp::{clipped_name, InboundEffect, NewInbound, WhatsappNumber};
use chrono::{DateTime, Utc};
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// The most messages in one statement: 500 × 13 parameters stay below
/// both SQLite's and PostgreSQL's limits on a statement's parameters.
pub(crate) const MAX_ROWS: usize = 500;

/// The columns each message binds (see [`insert_sql`]).
const COLUMNS: usize = 13;

/// How many batches PostgreSQL writes at once.
const POSTGRES_TURNS: usize = 4;

/// A kept connection idle longer than this is closed rather than used: it
/// is never pinged, and a server may have dropped it meanwhile.
const KEPT_IDLE: Duration = Duration::from_secs(30);

/// Deliveries waiting for the next statement, and what writes them.
pub(crate) struct Intake {
    waiting: Mutex<Vec<Job>>,
    /// PostgreSQL: a few batches at a time (its server works on several
    /// at once), so deliveries arriving meanwhile gather into the next
    /// ones. SQLite uses the writer turn: one at a time.
    turns: Arc<tokio::sync::Semaphore>,
    /// Kept between batches, each used by one turn's holder at a time,
    /// with when it was last used. At most one per turn, so PostgreSQL has
    /// up to [`POSTGRES_TURNS`] connections beside the pool's.
    connections: Mutex<Vec<(sqlx::AnyConnection, Instant)>>,
}

/// One delivery's messages and where its outcome goes: how many were new.
struct Job {
    tenant_id: i64,
    number_id: i64,
    messages: Vec<NewInbound>,
    now: DateTime<Utc>,
    done: oneshot::Sender<Result<usize>>,
}

impl Default for Intake {
    fn default() -> Self {
        Intake {
            waiting: Mutex::default(),
            turns: Arc::new(tokio::sync::Semaphore::new(POSTGRES_TURNS)),
            connections: Mutex::default(),
        }
    }
}

/// The right to write a batch (see [`Store::intake_turn`]).
enum Turn {
    #[allow(dead_code)] // held, never read
    Writer(tokio::sync::OwnedMutexGuard<()>),
    #[allow(dead_code)]
    Intake(tokio::sync::OwnedSemaphorePermit),
}

impl std::fmt::Debug for Intake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Intake")
            .field("waiting", &self.lock_waiting().len())
            .finish()
    }
}

impl Intake {
    fn lock_waiting(&self) -> std::sync::MutexGuard<'_, Vec<Job>> {
        // Push and drain only: a panic cannot leave the list half changed.
        self.waiting.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The oldest deliveries up to [`MAX_ROWS`] messages (at least one).
    fn take_batch(&self) -> Vec<Job> {
        let mut waiting = self.lock_waiting();
        let mut rows = 0;
        let n = waiting
            .iter()
            .take_while(|job| {
                rows += job.messages.len();
                rows <= MAX_ROWS
            })
            .count()
            .max(1)
            .min(waiting.len());
        waiting.drain(..n).collect()
    }

    fn lock_connections(&self) -> std::sync::MutexGuard<'_, Vec<(sqlx::AnyConnection, Instant)>> {
        self.connections.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A kept connection used lately, if any (stale ones are dropped,
    /// which closes them).
    fn take_connection(&self) -> Option<sqlx::AnyConnection> {
        let mut kept = self.lock_connections();
        kept.retain(|(_, used)| used.elapsed() < KEPT_IDLE);
        kept.pop().map(|(conn, _)| conn)
    }

    fn keep_connection(&self, conn: sqlx::AnyConnection) {
        let mut kept = self.lock_connections();
        if kept.len() < POSTGRES_TURNS {
            kept.push((conn, Instant::now()));
        }
    }

    /// Drops every kept connection: one failed, and the others likely
    /// went the same way (a restarted server).
    fn drop_connections(&self) {
        self.lock_connections().clear();
    }
}

impl Store {
    /// Queues `messages` (at most [`MAX_ROWS`]) for the next batch and
    /// waits until it is written; how many were new.
    pub(crate) async fn queue_in_batch(
        &self,
        number: &WhatsappNumber,
        messages: &[NewInbound],
        now: DateTime<Utc>,
    ) -> Result<usize> {
        debug_assert!(messages.len() <= MAX_ROWS);
        let (done, outcome) = oneshot::channel();
        let job = Job {
            tenant_id: number.tenant_id.0,
            number_id: number.id,
            messages: messages.to_vec(),
            now,
            done,
        };
        // Nobody writing and nobody waiting (one delivery at a time): this
        // one is the batch, written here without a hand-off to a task.
        if let Some(_turn) = self.try_intake_turn() {
            if self.intake.lock_waiting().is_empty() {
                return self
                    .write_jobs(std::slice::from_ref(&job))
                    .await
                    .map(|stored| stored.into_iter().sum());
            }
        }
        self.intake.lock_waiting().push(job);
        let writer = self.clone();
        tokio::spawn(async move { writer.write_intake_batch().await });
        outcome
            .await
            .map_err(|_| StoreError::Database(sqlx::Error::WorkerCrashed))?
    }

    /// Takes the turn and writes one batch of what waits. Every delivery
    /// has a task of its own waiting for the turn, and each task that finds
    /// the list non-empty takes at least one, so none is left behind; a
    /// task that finds it empty has nothing to do.
    async fn write_intake_batch(&self) {
        if self.intake.lock_waiting().is_empty() {
            return;
        }
        let Some(_turn) = self.intake_turn().await else {
            return;
        };
        let jobs = self.intake.take_batch();
        if jobs.is_empty() {
            return;
        }
        // A caller that went away does not need its answer.
        match self.write_jobs(&jobs).await {
            Ok(stored) => {
                for (job, stored) in jobs.into_iter().zip(stored) {
                    let _ = job.done.send(Ok(stored));
                }
            }
            Err(error) if jobs.len() > 1 && refused_statement(&error) => {
                for job in jobs {
                    let alone = self.write_jobs(std::slice::from_ref(&job)).await;
                    let _ = job.done.send(alone.map(|stored| stored.into_iter().sum()));
                }
            }
            Err(error) => {
                let message = error.to_string();
                let mut jobs = jobs.into_iter();
                if let Some(first) = jobs.next() {
                    let _ = first.done.send(Err(error));
                }
                for job in jobs {
                    let same = std::io::Error::other(message.clone());
                    let _ = job
                        .done
                        .send(Err(StoreError::Database(sqlx::Error::Io(same))));
                }
            }
        }
    }

    /// The connection back in the stash after a statement that ran on it;
    /// after one that failed, no connection is kept (a failed statement
    /// leaves no transaction open, but the connection may be what failed).
    fn kept<T>(
        &self,
        outcome: std::result::Result<T, sqlx::Error>,
        conn: sqlx::AnyConnection,
    ) -> Result<T> {
        match outcome {
            Ok(value) => {
                self.intake.keep_connection(conn);
                Ok(value)
            }
            Err(error) => {
                self.intake.drop_connections();
                Err(error.into())
            }
        }
    }

    /// The turn a batch is written in: this process's writer turn on
    /// SQLite (it needs that anyway), one of the intake's on PostgreSQL.
    /// `None` only if the store's semaphore was closed, which it never is.
    async fn intake_turn(&self) -> Option<Turn> {
        match self.backend() {
            Backend::Sqlite => Some(Turn::Writer(
                Arc::clone(self.write_turn_lock()).lock_owned().await,
            )),
            Backend::Postgres => Arc::clone(&self.intake.turns)
                .acquire_owned()
                .await
                .ok()
                .map(Turn::Intake),
        }
    }

    /// The turn, if one is free now.
    fn try_intake_turn(&self) -> Option<Turn> {
        match self.backend() {
            Backend::Sqlite => Arc::clone(self.write_turn_lock())
                .try_lock_owned()
                .ok()
                .map(Turn::Writer),
            Backend::Postgres => Arc::clone(&self.intake.turns)
                .try_acquire_owned()
                .ok()
                .map(Turn::Intake),
        }
    }

    /// One statement with every job's messages; how many of each job's
    /// were new. A message in two jobs counts for the first.
    async fn write_jobs(&self, jobs: &[Job]) -> Result<Vec<usize>> {
        let rows: usize = jobs.iter().map(|job| job.messages.len()).sum();
        let mut conn = match self.intake.take_connection() {
            Some(conn) => conn,
            None => self.pool.acquire().await?.detach(),
        };
        if let [job] = jobs {
            // One delivery: the count of rows written says it all, without
            // the rows coming back one by one.
            let sql = insert_sql(rows, false);
            let mut query = sqlx::query(&sql);
            for message in &job.messages {
                query = bind_message(query, (job.tenant_id, job.number_id, job.now), message);
            }
            let written = self.kept(query.execute(&mut conn).await, conn)?;
            return Ok(vec![
                usize::try_from(written.rows_affected()).unwrap_or(usize::MAX)
            ]);
        }
        let sql = insert_sql(rows, true);
        let mut query = sqlx::query_as::<_, (i64, String)>(&sql);
        let mut ordered: Vec<&Job> = jobs.iter().collect();
        ordered.sort_by(|a, b| a.first_key().cmp(&b.first_key()));
        for job in ordered {
            for message in &job.messages {
                query = bind_message(query, (job.tenant_id, job.number_id, job.now), message);
            }
        }
        let written = self.kept(query.fetch_all(&mut conn).await, conn)?;
        let mut new: HashSet<(i64, String)> = written.into_iter().collect();
        Ok(jobs
            .iter()
            .map(|job| {
                job.messages
                    .iter()
                    .filter(|m| new.remove(&(job.tenant_id, m.external_id.clone())))
                    .count()
            })
            .collect())
    }
}

impl Job {
    /// What orders the jobs of a batch (see the module's comment).
    fn first_key(&self) -> (i64, &str) {
        (
            self.tenant_id,
            self.messages.first().map_or("", |m| m.external_id.as_str()),
        )
    }
}

/// Whether the database refused the statement itself (a constraint, a
/// deadlock), as opposed to the connection failing: only then is trying
/// each delivery alone worth it.
fn refused_statement(error: &StoreError) -> bool {
    match error {
        StoreError::Database(sqlx::Error::Database(e)) => !e.code().is_some_and(|code| {
            // PostgreSQL's connection exceptions and operator
            // intervention (the server shutting down).
            code.starts_with("08") || code.starts_with("57")
        }),
        _ => false,
    }
}

/// `INSERT INTO inbound_queue … VALUES (…), (…) ON CONFLICT DO NOTHING`
/// for `rows` messages, `RETURNING tenant_id, external_id` if `returning`.
pub(crate) fn insert_sql(rows: usize, returning: bool) -> String {
    let mut sql = String::from(
        "INSERT INTO inbound_queue (tenant_id, number_id, external_id, phone, profile_name, sent_at, kind, body, payload, answer, effect, received_at, not_before) VALUES ",
    );
    for i in 0..rows {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 1..=COLUMNS {
            if c > 1 {
                sql.push_str(", ");
            }
            sql.push('$');
            sql.push_str(&(i * COLUMNS + c).to_string());
        }
        sql.push(')');
    }
    sql.push_str(" ON CONFLICT DO NOTHING");
    if returning {
        sql.push_str(" RETURNING tenant_id, external_id");
    }
    sql
}

/// Binds one message, to the number `(tenant id, number id)` and received
/// at `now`, to [`insert_sql`]'s statement, in its column order.
pub(crate) fn bind_message<'q, Q: Bind<'q>>(
    query: Q,
    (tenant_id, number_id, now): (i64, i64, DateTime<Utc>),
    message: &'q NewInbound,
) -> Q {
    let effect = match &message.effect {
        InboundEffect::None => None,
        InboundEffect::Revoke { external_id } => Some(format!("revoke:{external_id}")),
        InboundEffect::NumberChanged { phone } => Some(format!("number:{}", phone.as_str())),
    };
    query
        .bind_value(tenant_id)
        .bind_value(number_id)
        .bind_value(message.external_id.as_str())
        .bind_value(message.phone.as_str())
        .bind_value(clipped_name(message.profile_name.as_deref()))
        .bind_value(message.sent_at.timestamp())
        .bind_value(message.kind.as_str())
        .bind_value(message.body.as_str())
        .bind_value(message.payload.as_str())
        .bind_value(i64::from(message.queue))
        .bind_value(effect)
        .bind_value(now.timestamp())
        .bind_value(0_i64)
}

/// A statement parameters are bound to, with or without rows to read.
pub(crate) trait Bind<'q>: Sized {
    fn bind_value<T>(self, value: T) -> Self
    where
        T: 'q + sqlx::Encode<'q, sqlx::Any> + sqlx::Type<sqlx::Any>;
}

impl<'q> Bind<'q> for sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    fn bind_value<T>(self, value: T) -> Self
    where
        T: 'q + sqlx::Encode<'q, sqlx::Any> + sqlx::Type<sqlx::Any>,
    {
        self.bind(value)
    }
}

impl<'q, O> Bind<'q> for sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
    fn bind_value<T>(self, value: T) -> Self
    where
        T: 'q + sqlx::Encode<'q, sqlx::Any> + sqlx::Type<sqlx::Any>,
    {
        self.bind(value)
    }
}

#[cfg(test)]
mod tests {
    use super::insert_sql;

    #[test]
    fn each_row_has_its_own_parameters() {
        assert!(!insert_sql(1, false).contains("RETURNING"));
        let sql = insert_sql(2, true);
        assert!(sql.contains("($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13), ($14,"));
        assert!(sql.ends_with("($14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26) ON CONFLICT DO NOTHING RETURNING tenant_id, external_id"));
    }
}
