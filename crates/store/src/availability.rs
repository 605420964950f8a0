//! Free slots of a resource: the domain's rules applied to what the
//! database holds (active bookings, live holds).

use crate::bookings::BookingFilter;
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::resources::Resource;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use domain::availability::{free_slots, Busy, SlotRules};
use domain::opening_hours::local_to_utc;
use domain::{BookingStatus, TenantId, TimeRange};

/// How far ahead bookings are taken until resources carry their own setting.
pub const DEFAULT_HORIZON_DAYS: i64 = 90;

impl Resource {
    /// The resource's booking rules in the form the domain computes with.
    pub fn slot_rules(&self) -> SlotRules {
        SlotRules {
            hours: self.hours.clone(),
            timezone: self.timezone,
            slot_minutes: self.slot_minutes,
            buffer_minutes: self.buffer_minutes,
            lead_minutes: 0,
            horizon_days: DEFAULT_HORIZON_DAYS,
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
        let filter = BookingFilter {
            overlapping: Some(span),
            resource_id: Some(resource.id),
            limit: Some(5000),
            ..BookingFilter::default()
        };
        let mut busy = Busy::default();
        for booking in self.bookings(tenant, &filter).await? {
            match (booking.status, booking.hold_expires_at) {
                (BookingStatus::Pending, Some(expiry)) if expiry > now => {
                    busy.holds.push(booking.range)
                }
                (BookingStatus::Pending, Some(_)) => {} // a lapsed hold frees its slot
                (status, _) if status.is_active() => busy.bookings.push(booking.range),
                _ => {}
            }
        }
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
