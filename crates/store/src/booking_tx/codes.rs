//! Booking codes: one per request, unique within the tenant, claimed in
//! `booking_codes`. On SQLite the booking's insert claims it (migration
//! 0010's trigger); on PostgreSQL a statement of its own does.

use super::BookingTx;
use crate::db::{Backend, Store};
use crate::error::{Result, StoreError};
use chrono::{DateTime, Utc};
use domain::{BookingCode, TenantId};
use rand::Rng;

/// How many random codes are tried before giving up: with 32⁶ codes a
/// tenant would need hundreds of millions of bookings for one retry to be
/// likely, so running out means something else is wrong.
const CODE_ATTEMPTS: usize = 8;

impl Store {
    /// Gives a code to every booking written before codes existed (run
    /// after migrating; one short transaction per booking, nothing to do
    /// once all have one). Returns how many were given.
    pub async fn give_codes_to_old_bookings(&self, now: DateTime<Utc>) -> Result<usize> {
        let mut given = 0;
        loop {
            let old: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT id, tenant_id FROM bookings WHERE code IS NULL ORDER BY id LIMIT 500",
            )
            .fetch_all(&self.pool)
            .await?;
            if old.is_empty() {
                return Ok(given);
            }
            for (id, tenant) in old {
                let mut tx = self.begin_booking().await?;
                let code = tx.allocate_code(TenantId(tenant), now).await?;
                sqlx::query("UPDATE bookings SET code = $1 WHERE id = $2 AND code IS NULL")
                    .bind(code.as_str())
                    .bind(id)
                    .execute(tx.conn().await?)
                    .await?;
                tx.commit().await?;
                given += 1;
            }
        }
    }
}

impl BookingTx {
    /// The code for one request's bookings. On SQLite it is drawn without
    /// a statement and claimed by the first booking written with it (the
    /// insert refuses a taken one with `CodeTaken`; roll back and start
    /// again), which is safe because writers take turns. On PostgreSQL,
    /// where another transaction may claim the same code between the
    /// insert's check and its trigger, it is claimed before any insert: by
    /// the request's first locked read when snapshots are trusted (same
    /// statement, `CodeTaken` if taken), by a statement of its own now
    /// otherwise.
    pub async fn code_for_request(
        &mut self,
        tenant: TenantId,
        now: DateTime<Utc>,
    ) -> Result<BookingCode> {
        match self.store.backend() {
            Backend::Sqlite => Ok(BookingCode::from_random(rand::thread_rng().gen())),
            Backend::Postgres if self.trust => {
                let code = BookingCode::from_random(rand::thread_rng().gen());
                self.unclaimed = Some((code.clone(), now.timestamp()));
                Ok(code)
            }
            Backend::Postgres => self.allocate_code(tenant, now).await,
        }
    }

    /// Claims `code` for this transaction's request; `CodeTaken` if an
    /// earlier request holds it.
    pub(super) async fn claim_code(
        &mut self,
        tenant: TenantId,
        code: &BookingCode,
        now: DateTime<Utc>,
    ) -> Result<()> {
        // ON CONFLICT DO NOTHING: a taken code must not abort the
        // transaction (PostgreSQL would), only be refused.
        let claimed = sqlx::query(
            "INSERT INTO booking_codes (tenant_id, code, created_at) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
        )
        .bind(tenant.0)
        .bind(code.as_str())
        .bind(now.timestamp())
        .execute(self.conn().await?)
        .await?
        .rows_affected()
            == 1;
        if !claimed {
            return Err(StoreError::CodeTaken);
        }
        self.codes.push(code.clone());
        Ok(())
    }

    /// A new random code, unique within the tenant, for one request's
    /// bookings, claimed now.
    pub async fn allocate_code(
        &mut self,
        tenant: TenantId,
        now: DateTime<Utc>,
    ) -> Result<BookingCode> {
        for _ in 0..CODE_ATTEMPTS {
            let code = BookingCode::from_random(rand::thread_rng().gen());
            match self.claim_code(tenant, &code, now).await {
                Ok(()) => return Ok(code),
                Err(StoreError::CodeTaken) => {}
                Err(other) => return Err(other),
            }
        }
        Err(StoreError::Corrupt(format!(
            "no free booking code after {CODE_ATTEMPTS} tries"
        )))
    }
}
