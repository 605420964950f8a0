//! Idempotency keys: a client that retries a create (a timeout, a lost
//! answer) sends the same `Idempotency-Key` and gets the first result
//! instead of a second booking.
//!
//! A key is scoped to a tenant and an endpoint, remembers a hash of the
//! request it came with (the same key with another request is refused, not
//! replayed), and expires after [`KEY_TTL_HOURS`]. It is written in the
//! creating transaction, so a key is never remembered for a booking that
//! was not made, nor a booking made without its key.

use crate::db::Store;
use crate::error::{Result, StoreError};
use chrono::{DateTime, Duration, Utc};
use domain::{BookingCode, SeriesId, TenantId};

/// The longest idempotency key accepted (clients send UUIDs or similar).
pub const MAX_IDEMPOTENCY_KEY: usize = 200;
/// How long a key is remembered.
pub const KEY_TTL_HOURS: i64 = 24;

/// What a keyed request created, as remembered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remembered {
    /// The endpoint the key is scoped to (`bookings`, `holds`, `series`).
    pub endpoint: String,
    pub key: String,
    /// A hash of the request, to tell a retry from a reused key.
    pub request_hash: String,
    /// The bookings' code (a booking or hold request).
    pub code: Option<BookingCode>,
    /// The series (a series request).
    pub series_id: Option<SeriesId>,
}

fn oldest_live(now: DateTime<Utc>) -> i64 {
    (now - Duration::hours(KEY_TTL_HOURS)).timestamp()
}

pub(crate) async fn remember(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    tenant: TenantId,
    r: &Remembered,
    now: DateTime<Utc>,
) -> Result<()> {
    // An expired use of the same key no longer counts.
    sqlx::query(
        "DELETE FROM idempotency_keys WHERE tenant_id = $1 AND endpoint = $2 AND key = $3 AND created_at <= $4",
    )
    .bind(tenant.0)
    .bind(&r.endpoint)
    .bind(&r.key)
    .bind(oldest_live(now))
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO idempotency_keys (tenant_id, endpoint, key, request_hash, code, series_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(tenant.0)
    .bind(&r.endpoint)
    .bind(&r.key)
    .bind(&r.request_hash)
    .bind(r.code.as_ref().map(BookingCode::as_str))
    .bind(r.series_id.map(|s| s.0))
    .bind(now.timestamp())
    .execute(&mut **tx)
    .await
    .map_err(|e| StoreError::from_write(e, "idempotency key in use"))?;
    Ok(())
}

impl Store {
    /// What an unexpired key of this tenant and endpoint created, if any.
    pub async fn remembered_request(
        &self,
        tenant: TenantId,
        endpoint: &str,
        key: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Remembered>> {
        let row: Option<(String, Option<String>, Option<i64>)> = sqlx::query_as(
            "SELECT request_hash, code, series_id FROM idempotency_keys
             WHERE tenant_id = $1 AND endpoint = $2 AND key = $3 AND created_at > $4",
        )
        .bind(tenant.0)
        .bind(endpoint)
        .bind(key)
        .bind(oldest_live(now))
        .fetch_optional(&self.pool)
        .await?;
        row.map(|(request_hash, code, series_id)| {
            Ok(Remembered {
                endpoint: endpoint.to_string(),
                key: key.to_string(),
                request_hash,
                code: code
                    .as_deref()
                    .map(BookingCode::parse)
                    .transpose()
                    .map_err(|_| StoreError::Corrupt("unreadable remembered code".into()))?,
                series_id: series_id.map(SeriesId),
            })
        })
        .transpose()
    }

    /// Forgets keys older than [`KEY_TTL_HOURS`]; returns how many.
    pub async fn purge_expired_keys(&self, now: DateTime<Utc>) -> Result<u64> {
        Ok(
            sqlx::query("DELETE FROM idempotency_keys WHERE created_at <= $1")
                .bind(oldest_live(now))
                .execute(&self.pool)
                .await?
                .rows_affected(),
        )
    }
}
