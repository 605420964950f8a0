//! Blackouts: time a whole outlet or one resource is closed (maintenance,
//! public holidays). Free slots leave them out and the write check refuses
//! bookings in them (`Closed`).

use crate::bookings::{Booking, BookingFilter};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::guard::lock_resource;
use chrono::{DateTime, Datelike, TimeZone, Utc};
use domain::{BlackoutId, OutletId, ResourceId, TenantId, TimeRange};

/// The longest blackout accepted: a season's closure, not a typo'd year.
const MAX_BLACKOUT_DAYS: i64 = 366;

/// The years a blackout may fall in: a typo'd year (0202, 20260) is refused
/// rather than kept as closed time nobody will ever see.
const BLACKOUT_YEARS: std::ops::RangeInclusive<i32> = 2000..=2200;

/// A stretch of closed time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blackout {
    pub id: BlackoutId,
    pub outlet_id: OutletId,
    /// `None`: the whole outlet is closed.
    pub resource_id: Option<ResourceId>,
    pub range: TimeRange,
    pub reason: String,
}

/// What staff or an integrator give to close some time.
#[derive(Debug, Clone)]
pub struct NewBlackout {
    pub outlet_id: OutletId,
    pub resource_id: Option<ResourceId>,
    pub range: TimeRange,
    pub reason: String,
}

type BlackoutRow = (i64, i64, Option<i64>, i64, i64, String);

fn blackout_from(row: BlackoutRow) -> Result<Blackout> {
    let (id, outlet, resource, starts, ends, reason) = row;
    let instant = |s: i64| {
        Utc.timestamp_opt(s, 0)
            .single()
            .ok_or_else(|| StoreError::Invalid(format!("blackout {id} has an invalid instant")))
    };
    Ok(Blackout {
        id: BlackoutId(id),
        outlet_id: OutletId(outlet),
        resource_id: resource.map(ResourceId),
        range: TimeRange::new(instant(starts)?, instant(ends)?)
            .map_err(|_| StoreError::Invalid(format!("blackout {id} has an invalid range")))?,
        reason,
    })
}

impl Store {
    /// Closes some time. Bookings already in it are kept (the venue decides
    /// whom to call) and returned, so the caller can show them.
    pub async fn create_blackout(
        &self,
        tenant: TenantId,
        new: NewBlackout,
        now: DateTime<Utc>,
    ) -> Result<(Blackout, Vec<Booking>)> {
        // Shown to staff and quoted to customers: no NUL, controls or
        // marks that reorder the text around them.
        let reason = crate::payments::clean_text(&new.reason);
        let reason = reason.as_str();
        if reason.is_empty() || reason.chars().count() > 200 {
            return Err(StoreError::Invalid(
                "a blackout needs a reason of at most 200 characters".into(),
            ));
        }
        if !BLACKOUT_YEARS.contains(&new.range.start().year())
            || !BLACKOUT_YEARS.contains(&new.range.end().year())
        {
            return Err(StoreError::Invalid(
                "a blackout falls between the years 2000 and 2200".into(),
            ));
        }
        if new.range.duration() > chrono::Duration::days(MAX_BLACKOUT_DAYS) {
            return Err(StoreError::Invalid(format!(
                "a blackout lasts at most {MAX_BLACKOUT_DAYS} days"
            )));
        }
        self.outlet(tenant, new.outlet_id).await?;
        let mut tx = self.begin_write().await?;
        tx.touches(tenant);
        // Lock the resources it closes, so a booking being written on one of
        // them either commits first (and is reported) or sees the blackout.
        let resources: Vec<i64> = match new.resource_id {
            Some(resource) => {
                let guarded = lock_resource(&mut tx, self.backend(), tenant, resource).await?;
                if guarded.outlet_id != new.outlet_id.0 {
                    return Err(StoreError::Invalid(
                        "that resource is in another outlet".into(),
                    ));
                }
                vec![resource.0]
            }
            None => {
                let lock = self.backend().for_update("");
                sqlx::query_scalar(&format!(
                    "SELECT id FROM resources WHERE tenant_id = $1 AND outlet_id = $2 ORDER BY id{lock}"
                ))
                .bind(tenant.0)
                .bind(new.outlet_id.0)
                .fetch_all(&mut **tx)
                .await?
            }
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO blackouts (tenant_id, outlet_id, resource_id, starts_at, ends_at, reason, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(tenant.0)
        .bind(new.outlet_id.0)
        .bind(new.resource_id.map(|r| r.0))
        .bind(new.range.start().timestamp())
        .bind(new.range.end().timestamp())
        .bind(reason)
        .bind(now.timestamp())
        .fetch_one(&mut **tx)
        .await?;
        tx.commit().await?;
        let filter = BookingFilter {
            overlapping: Some(new.range),
            outlet_id: Some(new.outlet_id),
            resource_id: new.resource_id,
            ..BookingFilter::default()
        };
        let conflicts = self
            .bookings(tenant, &filter)
            .await?
            .into_iter()
            .filter(|b| b.status.is_active() && resources.contains(&b.resource_id.0))
            .filter(|b| b.hold_expires_at.is_none_or(|expiry| expiry > now))
            .collect();
        let blackout = Blackout {
            id: BlackoutId(id),
            outlet_id: new.outlet_id,
            resource_id: new.resource_id,
            range: new.range,
            reason: reason.to_string(),
        };
        Ok((blackout, conflicts))
    }

    /// Blackouts overlapping `range`, of one outlet or all, by start.
    pub async fn blackouts(
        &self,
        tenant: TenantId,
        outlet: Option<OutletId>,
        range: &TimeRange,
    ) -> Result<Vec<Blackout>> {
        let rows: Vec<BlackoutRow> = sqlx::query_as(
            "SELECT id, outlet_id, resource_id, starts_at, ends_at, reason FROM blackouts
             WHERE tenant_id = $1 AND ($2 IS NULL OR outlet_id = $2) AND starts_at < $3 AND $4 < ends_at
             ORDER BY starts_at, id",
        )
        .bind(tenant.0)
        .bind(outlet.map(|o| o.0))
        .bind(range.end().timestamp())
        .bind(range.start().timestamp())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(blackout_from).collect()
    }

    /// Reopens the time of a blackout.
    pub async fn delete_blackout(&self, tenant: TenantId, id: BlackoutId) -> Result<()> {
        self.delete_owned("blackouts", tenant, id.0).await
    }
}
