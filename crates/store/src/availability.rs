//! Free slots of a resource: the domain's rules applied to what the
//! database holds (active bookings, live holds).

use crate::bookings::ACTIVE_STATUSES;
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::guard::MAX_BOOKING_MINUTES;
use crate::resources::Resource;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use domain::availability::{free_slots, Busy, SlotRules};
use domain::opening_hours::local_to_utc;
use domain::{TenantId, TimeRange};
use std::collections::HashMap;

/// No booking lasts longer than this (the store refuses longer ones).
const MAX_BOOKING_SECONDS: i64 = MAX_BOOKING_MINUTES * 60;

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
        let mut all = self
            .free_slots_of(
                tenant,
                std::slice::from_ref(resource),
                first,
                last,
                minutes,
                now,
            )
            .await?;
        Ok(all.pop().unwrap_or_default())
    }

    /// Free slots of `minutes` on each of `resources` (in that order) for
    /// local dates `first..=last`: two queries in all, whatever the number
    /// of resources — one for their bookings and holds, one for blackouts.
    pub async fn free_slots_of(
        &self,
        tenant: TenantId,
        resources: &[Resource],
        first: NaiveDate,
        last: NaiveDate,
        minutes: i64,
        now: DateTime<Utc>,
    ) -> Result<Vec<Vec<TimeRange>>> {
        if resources.is_empty() {
            return Ok(Vec::new());
        }
        // The local dates' span in UTC, with a day's margin for any zone
        // (and for opening windows that run past midnight).
        let from = resources
            .iter()
            .map(|r| {
                local_to_utc(
                    (first - Duration::days(1)).and_time(NaiveTime::MIN),
                    r.timezone,
                )
            })
            .min()
            .unwrap_or_default();
        let to = resources
            .iter()
            .map(|r| {
                local_to_utc(
                    (last + Duration::days(2)).and_time(NaiveTime::MIN),
                    r.timezone,
                )
            })
            .max()
            .unwrap_or_default();
        let span = TimeRange::new(from, to).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let mut busy: HashMap<i64, Busy> = resources
            .iter()
            .map(|r| (r.id.0, Busy::default()))
            .collect();
        // One index range scan on (resource_id, starts_at) per resource: no
        // booking lasts more than a day, so only those starting after
        // `from - 1 day` can reach into the span. The rows come back folded
        // into one string per resource ("b<start>,<end>;h<start>,<end>…",
        // `h` for a live hold): the driver's cost per row, not the database,
        // dominated this query (3.2 ms for 1,540 rows vs 1.2 ms folded).
        let ids = placeholders(6, resources.len());
        let sql = format!(
            "SELECT resource_id, string_agg(
                    CASE WHEN status = 'pending' AND hold_expires_at IS NOT NULL THEN 'h' ELSE 'b' END
                    || starts_at || ',' || ends_at, ';')
             FROM bookings
             WHERE tenant_id = $1 AND resource_id IN ({ids}) AND starts_at >= $2 AND starts_at < $3
               AND ends_at > $4 AND status IN {ACTIVE_STATUSES}
               AND NOT (status = 'pending' AND hold_expires_at IS NOT NULL AND hold_expires_at <= $5)
             GROUP BY resource_id"
        );
        let mut query = sqlx::query_as::<_, (i64, String)>(&sql)
            .bind(tenant.0)
            .bind(span.start().timestamp() - MAX_BOOKING_SECONDS)
            .bind(span.end().timestamp())
            .bind(span.start().timestamp())
            .bind(now.timestamp());
        for resource in resources {
            query = query.bind(resource.id.0);
        }
        for (resource, folded) in query.fetch_all(&self.pool).await? {
            let Some(entry) = busy.get_mut(&resource) else {
                continue;
            };
            for item in folded.split(';') {
                let (kind, range) = item.split_at_checked(1).unwrap_or_default();
                let Some(range) = range
                    .split_once(',')
                    .and_then(|(s, e)| range_of(s.parse().ok()?, e.parse().ok()?))
                else {
                    return Err(StoreError::Invalid(format!(
                        "unreadable busy time {item:?} of resource {resource}"
                    )));
                };
                match kind {
                    "h" => entry.holds.push(range),
                    _ => entry.bookings.push(range),
                }
            }
        }
        let outlets: Vec<i64> = {
            let mut outlets: Vec<i64> = resources.iter().map(|r| r.outlet_id.0).collect();
            outlets.sort_unstable();
            outlets.dedup();
            outlets
        };
        let ids = placeholders(4, outlets.len());
        let sql = format!(
            "SELECT outlet_id, resource_id, starts_at, ends_at FROM blackouts
             WHERE tenant_id = $1 AND outlet_id IN ({ids}) AND ends_at > $2 AND starts_at < $3"
        );
        let mut query = sqlx::query_as::<_, (i64, Option<i64>, i64, i64)>(&sql)
            .bind(tenant.0)
            .bind(span.start().timestamp())
            .bind(span.end().timestamp());
        for outlet in &outlets {
            query = query.bind(outlet);
        }
        for (outlet, only, starts, ends) in query.fetch_all(&self.pool).await? {
            let Some(range) = range_of(starts, ends) else {
                continue;
            };
            for resource in resources {
                let closes = match only {
                    Some(id) => id == resource.id.0,
                    None => resource.outlet_id.0 == outlet,
                };
                if let (true, Some(entry)) = (closes, busy.get_mut(&resource.id.0)) {
                    entry.blackouts.push(range);
                }
            }
        }
        Ok(resources
            .iter()
            .map(|resource| {
                let busy = busy.get(&resource.id.0).cloned().unwrap_or_default();
                free_slots(&resource.slot_rules(), &busy, first, last, minutes, now)
            })
            .collect())
    }
}

/// `$first, $first+1, …` for `count` values bound after the fixed ones.
fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn range_of(starts: i64, ends: i64) -> Option<TimeRange> {
    let start = Utc.timestamp_opt(starts, 0).single()?;
    let end = Utc.timestamp_opt(ends, 0).single()?;
    TimeRange::new(start, end).ok()
}
