//! Writing a new booking row: the conditional insert that checks and
//! writes in one statement, and the full check when it writes nothing.

use super::{instant, Booking, NewBooking, ACTIVE_STATUSES};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::guard::{ensure_free, ensure_length, Guarded, MAX_BOOKING_MINUTES};
use chrono::{DateTime, Utc};
use domain::{BookingCode, BookingId, OutletId, TenantId, TimeRange};

/// What a booking on settings and a customer read by an earlier booking
/// (see `crate::booking_cache`) must find unchanged for its insert to write:
/// the resource's `settings_version`, and the customer's number and the
/// name the request gave (if any).
#[derive(Debug)]
pub(crate) struct Proof {
    pub settings_version: i64,
    pub customer: Option<(String, Option<String>)>,
}

/// Inserts a booking inside the caller's write transaction, on a resource
/// the caller locked ([`crate::guard::lock_resource`]): the customer must be
/// the tenant's, lapsed holds are released, and an active booking within
/// the buffer is `SlotTaken` (the database guard backs the plain-overlap
/// part of this check up), a blackout `Closed`. Nothing is written when the
/// slot is refused, so the transaction stays usable (a series goes on).
/// With a `proof` (SQLite only), the resource was not read in this
/// transaction: the insert writes only if the proof holds and nothing is
/// in the way, and is `Stale` otherwise, with no full check.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_booking(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    guarded: &Guarded,
    tenant: TenantId,
    new: &NewBooking,
    known_phone: Option<String>,
    claim_code: bool,
    proof: Option<&Proof>,
    now: DateTime<Utc>,
) -> Result<Booking> {
    ensure_length(&new.range)?;
    let customer_phone = match new.customer_id {
        // Upserted in this transaction: the number is known.
        Some(_) if known_phone.is_some() => known_phone,
        Some(customer) => {
            let phone: Option<String> =
                sqlx::query_scalar("SELECT phone FROM customers WHERE tenant_id = $1 AND id = $2")
                    .bind(tenant.0)
                    .bind(customer.0)
                    .fetch_optional(&mut **tx)
                    .await?;
            Some(phone.ok_or(StoreError::NotFound)?)
        }
        None => None,
    };
    // The common case in one round trip: insert only if nothing is in the
    // way (the write check's conditions, as NOT EXISTS). When something
    // is — a booking, a lapsed hold to release, a blackout — the full
    // check below says what, and the plain insert follows if it passes.
    let fast = if new.status.is_active() {
        insert_row(
            tx,
            guarded,
            tenant,
            new,
            now,
            Check::IfFree(proof),
            claim_code,
        )
        .await?
    } else {
        None
    };
    let id = match (fast, proof) {
        (Some(id), _) => id,
        (None, Some(_)) => return Err(StoreError::Stale),
        (None, None) => {
            if new.status.is_active() {
                ensure_free(tx, guarded, new.resource_id, &new.range, None, now).await?;
            }
            if claim_code {
                ensure_code_free(tx, tenant, new.code.as_ref()).await?;
            }
            insert_row(tx, guarded, tenant, new, now, Check::Checked, claim_code)
                .await?
                .ok_or_else(|| StoreError::Corrupt("an insert returned no id".into()))?
        }
    };
    // The first history entry ("made, by whom") is written by the
    // database's trigger on insert (migration 0010), from `created_by`.
    written(guarded, tenant, new, id, customer_phone, now)
}

/// What the new row holds, without reading it back.
pub(super) fn written(
    guarded: &Guarded,
    tenant: TenantId,
    new: &NewBooking,
    id: i64,
    customer_phone: Option<String>,
    now: DateTime<Utc>,
) -> Result<Booking> {
    Ok(Booking {
        id: BookingId(id),
        tenant_id: tenant,
        resource_id: new.resource_id,
        resource_name: guarded.name.clone(),
        outlet_id: OutletId(guarded.outlet_id),
        timezone: guarded.timezone.parse().map_err(|_| {
            StoreError::Corrupt(format!(
                "outlet {} has an invalid time zone",
                guarded.outlet_id
            ))
        })?,
        customer_id: new.customer_id,
        customer_phone,
        range: new.range,
        status: new.status,
        price: new.price,
        payment: domain::Payment::unpaid(new.price),
        source: new.source,
        code: new.code.clone(),
        created_at: instant(now.timestamp())?,
        hold_expires_at: new.hold_until.map(|t| instant(t.timestamp())).transpose()?,
        series_id: new.series_id,
    })
}

/// `CodeTaken` if an earlier request holds `code`.
async fn ensure_code_free(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    tenant: TenantId,
    code: Option<&BookingCode>,
) -> Result<()> {
    let Some(code) = code else { return Ok(()) };
    let taken: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM booking_codes WHERE tenant_id = $1 AND code = $2")
            .bind(tenant.0)
            .bind(code.as_str())
            .fetch_optional(&mut **tx)
            .await?;
    match taken {
        Some(_) => Err(StoreError::CodeTaken),
        None => Ok(()),
    }
}

/// What [`insert_row`] checks in its statement.
#[derive(Clone, Copy)]
pub(super) enum Check<'a> {
    /// Written only when nothing is in the way (and the proof holds).
    IfFree(Option<&'a Proof>),
    /// Already checked in this transaction: written as it is.
    Checked,
}

/// Inserts the booking row; if free, only when no active booking within
/// the resource's buffer and no blackout is in the way, (with `claim_code`)
/// no earlier request holds the booking's code, and a proof holds (`None`
/// otherwise: nothing was written). Returns the new id. The database's
/// trigger writes the first history entry and, on SQLite, claims the code
/// (on PostgreSQL the transaction claimed it before).
async fn insert_row(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    guarded: &Guarded,
    tenant: TenantId,
    new: &NewBooking,
    now: DateTime<Utc>,
    check: Check<'_>,
    claim_code: bool,
) -> Result<Option<i64>> {
    let sql = insert_statement(check);
    bind_insert(
        sqlx::query_scalar(&sql),
        guarded,
        tenant,
        new,
        now,
        check,
        claim_code,
    )
    .fetch_optional(&mut **tx)
    .await
    .map_err(|e| StoreError::from_write(e, "duplicate booking"))
}

/// [`insert_row`]'s statement.
pub(super) fn insert_statement(check: Check<'_>) -> String {
    if let Check::IfFree(proof) = check {
        let proven = match proof {
            None => "",
            // The resource as read (settings_version moves with every change
            // of what the booking was checked and priced against) and the
            // customer as read.
            Some(_) => {
                "AND EXISTS (
                 SELECT 1 FROM resources WHERE tenant_id = $1 AND id = $2 AND active
                   AND settings_version = $20)
               AND ($21 IS NULL OR EXISTS (
                 SELECT 1 FROM customers WHERE tenant_id = $1 AND id = $3 AND phone = $21
                   AND ($22 IS NULL OR name = $22)))"
            }
        };
        format!(
            "INSERT INTO bookings (tenant_id, resource_id, customer_id, starts_at, ends_at, status, price_minor, currency, source, created_at, hold_expires_at, series_id, code, created_by)
             SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14
             WHERE NOT EXISTS (
                 SELECT 1 FROM bookings WHERE resource_id = $2 AND starts_at > $15
                   AND starts_at < $16 AND ends_at > $17 AND status IN {ACTIVE_STATUSES})
               AND NOT EXISTS (
                 SELECT 1 FROM blackouts WHERE outlet_id = $18
                   AND (resource_id IS NULL OR resource_id = $2) AND starts_at < $5 AND $4 < ends_at)
               AND ($19 = 0 OR NOT EXISTS (
                 SELECT 1 FROM booking_codes WHERE tenant_id = $1 AND code = $13))
               {proven}
             RETURNING id"
        )
    } else {
        "INSERT INTO bookings (tenant_id, resource_id, customer_id, starts_at, ends_at, status, price_minor, currency, source, created_at, hold_expires_at, series_id, code, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id"
            .to_string()
    }
}

/// Binds [`insert_statement`]'s parameters.
pub(super) fn bind_insert<'q>(
    query: sqlx::query::QueryScalar<'q, sqlx::Any, i64, sqlx::any::AnyArguments<'q>>,
    guarded: &Guarded,
    tenant: TenantId,
    new: &NewBooking,
    now: DateTime<Utc>,
    check: Check<'_>,
    claim_code: bool,
) -> sqlx::query::QueryScalar<'q, sqlx::Any, i64, sqlx::any::AnyArguments<'q>> {
    let (scan_from, widened_end, widened_start) = write_window(guarded, new);
    let mut query = bind_row(query, tenant, new, now);
    if let Check::IfFree(proof) = check {
        query = query
            .bind(scan_from)
            .bind(widened_end)
            .bind(widened_start)
            .bind(guarded.outlet_id)
            .bind(i64::from(claim_code));
        if let Some(proof) = proof {
            let (phone, name) = proof.customer.clone().unzip();
            query = query
                .bind(proof.settings_version)
                .bind(phone)
                .bind(name.flatten());
        }
    }
    query
}

/// Binds the booking row's 14 columns, in the order of the bookings
/// table's insert (`$1`–`$14`), with owned values: the statement may go to
/// a task of its own.
fn bind_row<'q>(
    query: sqlx::query::QueryScalar<'q, sqlx::Any, i64, sqlx::any::AnyArguments<'q>>,
    tenant: TenantId,
    new: &NewBooking,
    now: DateTime<Utc>,
) -> sqlx::query::QueryScalar<'q, sqlx::Any, i64, sqlx::any::AnyArguments<'q>> {
    query
        .bind(tenant.0)
        .bind(new.resource_id.0)
        .bind(new.customer_id.map(|c| c.0))
        .bind(new.range.start().timestamp())
        .bind(new.range.end().timestamp())
        .bind(new.status.as_str())
        .bind(new.price.minor)
        .bind(new.price.currency.code())
        .bind(new.source.as_str())
        .bind(now.timestamp())
        .bind(new.hold_until.map(|t| t.timestamp()))
        .bind(new.series_id.map(|s| s.0))
        .bind(new.code.as_ref().map(|c| c.as_str().to_string()))
        .bind(new.actor.to_string())
}

/// The write check's window for `new`: where the scan of the resource's
/// bookings starts, and the end and start of its range widened by the
/// resource's buffer. Bounded below too, as in the write check: no booking
/// lasts more than a day, so the `(resource_id, starts_at)` index is
/// scanned over a day or two.
fn write_window(guarded: &Guarded, new: &NewBooking) -> (i64, i64, i64) {
    let buffer = chrono::Duration::minutes(guarded.buffer_minutes);
    let widened =
        TimeRange::new(new.range.start() - buffer, new.range.end() + buffer).unwrap_or(new.range);
    (
        widened.start().timestamp() - MAX_BOOKING_MINUTES * 60,
        widened.end().timestamp(),
        widened.start().timestamp(),
    )
}

/// PostgreSQL: a booking on a resource and customer taken from earlier
/// reads (with their `proof`), in a transaction that has run no statement
/// yet, written by migration 0012's `book_proven` in one statement and
/// transaction of its own: the resource's lock, the proof, the write check,
/// the code's claim and the insert in one round trip. `Stale` when the
/// proof does not hold or something is in the way, `CodeTaken` when the
/// code is; nothing is written then.
pub(crate) async fn book_proven(
    store: &Store,
    guarded: &Guarded,
    tenant: TenantId,
    new: &NewBooking,
    known_phone: Option<String>,
    proof: Proof,
    now: DateTime<Utc>,
) -> Result<Booking> {
    ensure_length(&new.range)?;
    let (_, widened_end, widened_start) = write_window(guarded, new);
    let (phone, name) = proof.customer.clone().unzip();
    let query = bind_row(
        sqlx::query_scalar(
            "SELECT book_proven($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
                                $15, $16, $17, $18, $19, $20)",
        ),
        tenant,
        new,
        now,
    )
    .bind(widened_end)
    .bind(widened_start)
    .bind(guarded.outlet_id)
    .bind(proof.settings_version)
    .bind(phone)
    .bind(name.flatten());
    let (pool, bump) = (store.pool.clone(), store.bump_searches_when_dropped(tenant));
    // The statement commits by itself, so it runs on a task of its own: a
    // caller that goes away meanwhile (a client disconnecting while the
    // statement waits for the resource's lock) neither cuts it short nor
    // tells the search cache before the commit did happen.
    let id: i64 = tokio::spawn(async move {
        let id = query.fetch_one(&pool).await;
        drop(bump);
        id
    })
    .await
    .map_err(|_| StoreError::Database(sqlx::Error::WorkerCrashed))?
    .map_err(|e| StoreError::from_write(e, "duplicate booking"))?;
    match id {
        0 => Err(StoreError::Stale),
        -1 => Err(StoreError::CodeTaken),
        id => written(guarded, tenant, new, id, known_phone, now),
    }
}
