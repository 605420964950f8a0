//! Free slots of a resource: the domain's rules applied to what the
//! database holds (active bookings, live holds).

use crate::bookings::ACTIVE_STATUSES;
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::resources::Resource;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use domain::availability::{free_slots, Busy, SlotRules};
use domain::opening_hours::local_to_utc;
use domain::{TenantId, TimeRange};

/// No booking lasts longer than a day (resources cap `max_minutes` at 24 h).
const MAX_BOOKING_SECONDS: i64 = 24 * 3600;

impl Resource {
    /// The resource's booking rules in the form the domain computes with.
    pub fn slot_rules(&self) -> SlotRules {
        SlotRules {
            hours: self.hours.clone(),
            timezone: self.timezone,
            slot_minutes: self.slot_minutes,
            buffer_minutes: self.buffer_minutes,
            lead_minutes: self.lead_minutes,
            horizon_days: self.horizon_days,
        }
    }
}

impl Store {
    /// Free slots of `minutes` on `resource` for local dates `first..=last`.
    pub async fn free_slots(
        &self,
        tenant: TenantId,
        resource: &Resource,
        first: NaiveDate,
        last: NaiveDate,
        minutes: i64,
        now: DateTime<Utc>,
    ) -> Result<Vec<TimeRange>> {
        let tz = resource.timezone;
        let from = local_to_utc((first - Duration::days(1)).and_time(NaiveTime::MIN), tz);
        let to = local_to_utc((last + Duration::days(2)).and_time(NaiveTime::MIN), tz);
        let span = TimeRange::new(from, to).map_err(|e| StoreError::Invalid(e.to_string()))?;
        // One index range scan on (resource_id, starts_at): no booking lasts
        // more than a day, so only those starting after `from - 1 day` can
        // reach into the span.
        let rows: Vec<(i64, i64, String, Option<i64>)> = sqlx::query_as(&format!(
            "SELECT starts_at, ends_at, status, hold_expires_at FROM bookings
             WHERE tenant_id = $1 AND resource_id = $2 AND starts_at >= $3 AND starts_at < $4 AND ends_at > $5
               AND status IN {ACTIVE_STATUSES}"
        ))
        .bind(tenant.0)
        .bind(resource.id.0)
        .bind(span.start().timestamp() - MAX_BOOKING_SECONDS)
        .bind(span.end().timestamp())
        .bind(span.start().timestamp())
        .fetch_all(&self.pool)
        .await?;
        let mut busy = Busy::default();
        for (starts, ends, status, hold_expires_at) in rows {
            let Some(range) = Utc
                .timestamp_opt(starts, 0)
                .single()
                .zip(Utc.timestamp_opt(ends, 0).single())
            else {
                continue;
            };
            let Ok(range) = TimeRange::new(range.0, range.1) else {
                continue;
            };
            match (status.as_str(), hold_expires_at) {
                ("pending", Some(expiry)) if expiry > now.timestamp() => busy.holds.push(range),
                ("pending", Some(_)) => {} // a lapsed hold frees its slot
                _ => busy.bookings.push(range),
            }
        }
        busy.blackouts = self
            .closed_time(resource.outlet_id, resource.id, &span)
            .await?;
        Ok(free_slots(
            &resource.slot_rules(),
            &busy,
            first,
            last,
            minutes,
            now,
        ))
    }
}
