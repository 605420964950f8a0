//! Recurring series: an RRULE from a first local start, whose occurrences
//! are ordinary bookings pointing back at the series. The booking service
//! creates them (every occurrence checked in one write transaction, see
//! [`crate::BookingTx`]); here they are read and cancelled.

use crate::bookings::record_event;
use crate::bookings::{Booking, BookingFilter, ACTIVE_STATUSES};
use crate::db::Store;
use crate::error::{Result, StoreError};
use chrono::{DateTime, Utc};
use domain::{Actor, BookingId, BookingStatus, SeriesId, TenantId};

/// Which occurrences a cancellation covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelScope {
    /// Every occurrence not yet under way.
    All,
    /// This occurrence and every later one.
    FromBooking(BookingId),
}

impl Store {
    /// A series' occurrences (every status), by start.
    pub async fn series_bookings(
        &self,
        tenant: TenantId,
        series: SeriesId,
    ) -> Result<Vec<Booking>> {
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT id FROM booking_series WHERE tenant_id = $1 AND id = $2")
                .bind(tenant.0)
                .bind(series.0)
                .fetch_optional(&self.pool)
                .await?;
        if exists.is_none() {
            return Err(StoreError::NotFound);
        }
        let filter = BookingFilter {
            series_id: Some(series),
            limit: Some(5000),
            ..BookingFilter::default()
        };
        self.bookings(tenant, &filter).await
    }

    /// Cancels the occurrences of a series that `scope` covers and that
    /// start at or after `not_before` (at least `now`: one under way or over
    /// is left alone, whatever its status), in one transaction with a
    /// history entry each. Returns the cancelled ids.
    // Tenant, series, scope, reason, actor and two instants are each needed;
    // a struct for one call site would only move the list.
    #[allow(clippy::too_many_arguments)]
    pub async fn cancel_series(
        &self,
        tenant: TenantId,
        series: SeriesId,
        scope: CancelScope,
        reason: &str,
        actor: &Actor,
        now: DateTime<Utc>,
        not_before: DateTime<Utc>,
    ) -> Result<Vec<BookingId>> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(StoreError::ReasonRequired);
        }
        let occurrences = self.series_bookings(tenant, series).await?;
        let from = match scope {
            CancelScope::All => None,
            CancelScope::FromBooking(id) => Some(
                occurrences
                    .iter()
                    .find(|b| b.id == id)
                    .ok_or(StoreError::NotInSeries(id))?
                    .range
                    .start(),
            ),
        };
        let mut tx = self.begin_write().await?;
        tx.touches(tenant);
        let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
            "SELECT id, status FROM bookings WHERE tenant_id = $1 AND series_id = $2
               AND status IN {ACTIVE_STATUSES} AND status <> 'checked_in' AND starts_at >= $3
             ORDER BY starts_at"
        ))
        .bind(tenant.0)
        .bind(series.0)
        .bind(from.map_or(now, |f| f.max(now)).max(not_before).timestamp())
        .fetch_all(&mut **tx)
        .await?;
        let mut cancelled = Vec::with_capacity(rows.len());
        for (id, status) in rows {
            let status: BookingStatus = status
                .parse()
                .map_err(|e| StoreError::Corrupt(format!("{e}")))?;
            // Only if it is still as read: an occurrence checked in or
            // cancelled meanwhile (PostgreSQL) is left as it now is.
            let changed = sqlx::query(
                "UPDATE bookings SET status = $1 WHERE tenant_id = $2 AND id = $3 AND status = $4",
            )
            .bind(BookingStatus::Cancelled.as_str())
            .bind(tenant.0)
            .bind(id)
            .bind(status.as_str())
            .execute(&mut **tx)
            .await?
            .rows_affected();
            if changed == 0 {
                continue;
            }
            record_event(
                &mut tx,
                tenant,
                BookingId(id),
                Some(status),
                BookingStatus::Cancelled,
                actor,
                Some(reason),
                now,
            )
            .await?;
            cancelled.push(BookingId(id));
        }
        tx.commit().await?;
        Ok(cancelled)
    }
}
