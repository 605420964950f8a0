//! Free slots: opening hours − blackouts − busy time (bookings with their
//! buffers, live holds), for one resource over a range of dates.
//!
//! Candidate starts are stepped in *elapsed* minutes from each opening
//! window's first instant, not in wall-clock minutes. On a DST change that
//! keeps every slot a distinct instant of the same length: the spring gap
//! produces no phantom slot and the autumn repeat no lost or doubled one.

use crate::opening_hours::WeeklyHours;
use crate::time_range::{join, TimeRange};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

/// The booking rules of one resource that shape its free slots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotRules {
    pub hours: WeeklyHours,
    pub timezone: Tz,
    /// Slots start every `slot_minutes` from the opening time (15, 30 or 60).
    pub slot_minutes: i64,
    /// Free time kept before and after every booking (cleaning, changeover).
    pub buffer_minutes: i64,
    /// How late one may book: a slot must start at least this long after now.
    pub lead_minutes: i64,
    /// How far ahead one may book, in days from now.
    pub horizon_days: i64,
}

impl SlotRules {
    /// Whether `start` is on the slot grid of the opening window it lies in.
    pub fn is_aligned(&self, range: &TimeRange) -> bool {
        self.window_containing(range).is_some_and(|window| {
            (range.start() - window.start()).num_minutes() % self.slot_minutes == 0
        })
    }

    /// The opening window (adjacent intervals joined) that holds `range`.
    pub fn window_containing(&self, range: &TimeRange) -> Option<TimeRange> {
        let first = range.start().with_timezone(&self.timezone).date_naive() - Duration::days(1);
        let last = range.end().with_timezone(&self.timezone).date_naive();
        self.hours
            .windows_between(first, last, self.timezone)
            .into_iter()
            .find(|window| window.contains(range))
    }
}

/// Why a requested slot breaks the resource's rules; each has a stable code
/// for API clients.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlotViolation {
    #[error("the booking starts in the past, or sooner than the venue allows")]
    InThePast,
    #[error("the booking starts beyond how far ahead the venue takes bookings")]
    BeyondHorizon,
    #[error("the booking is outside opening hours")]
    OutsideOpeningHours,
    #[error("the booking does not start and end on the {0}-minute slot grid, in whole minutes")]
    Unaligned(i64),
    #[error("the booking must last between {0} and {1} minutes")]
    BadLength(i64, i64),
}

impl SlotViolation {
    /// The machine-readable reason code.
    pub fn code(&self) -> &'static str {
        match self {
            SlotViolation::InThePast => "in_the_past",
            SlotViolation::BeyondHorizon => "beyond_horizon",
            SlotViolation::OutsideOpeningHours => "outside_opening_hours",
            SlotViolation::Unaligned(_) => "unaligned",
            SlotViolation::BadLength(..) => "bad_length",
        }
    }
}

/// Checks a requested slot against the rules (not against other bookings:
/// the store settles that inside its write transaction).
pub fn check_slot(
    rules: &SlotRules,
    range: &TimeRange,
    min_minutes: i64,
    max_minutes: i64,
    now: DateTime<Utc>,
) -> Result<(), SlotViolation> {
    // 13:00:59 would block two grid slots and be priced as one.
    if !whole_minute(range.start()) || !whole_minute(range.end()) {
        return Err(SlotViolation::Unaligned(rules.slot_minutes));
    }
    if range.start() < now + Duration::minutes(rules.lead_minutes) {
        return Err(SlotViolation::InThePast);
    }
    if range.start() > now + Duration::days(rules.horizon_days) {
        return Err(SlotViolation::BeyondHorizon);
    }
    if range.minutes() < min_minutes || range.minutes() > max_minutes {
        return Err(SlotViolation::BadLength(min_minutes, max_minutes));
    }
    let Some(window) = rules.window_containing(range) else {
        return Err(SlotViolation::OutsideOpeningHours);
    };
    if (range.start() - window.start()).num_minutes() % rules.slot_minutes != 0
        || range.minutes() % rules.slot_minutes != 0
    {
        return Err(SlotViolation::Unaligned(rules.slot_minutes));
    }
    Ok(())
}

fn whole_minute(instant: DateTime<Utc>) -> bool {
    instant.timestamp().rem_euclid(60) == 0 && instant.timestamp_subsec_nanos() == 0
}

/// [`check_slot`] under a booking policy. Customers book under every rule.
/// Staff at the desk or on the phone book walk-ins: the lead time (meant for
/// customers booking themselves) does not apply, and the slot already under
/// way may be taken (19:00 at 19:10), though not one that has ended.
pub fn check_slot_for(
    policy: Policy,
    rules: &SlotRules,
    range: &TimeRange,
    min_minutes: i64,
    max_minutes: i64,
    now: DateTime<Utc>,
) -> Result<(), SlotViolation> {
    match policy {
        Policy::Customer => check_slot(rules, range, min_minutes, max_minutes, now),
        Policy::Staff => {
            let walk_in = SlotRules {
                lead_minutes: 0,
                ..rules.clone()
            };
            // "Now" for the rules is the start of the slot under way.
            let under_way = now - Duration::minutes(rules.slot_minutes.max(1));
            check_slot(&walk_in, range, min_minutes, max_minutes, under_way)?;
            if range.end() <= now {
                return Err(SlotViolation::InThePast);
            }
            Ok(())
        }
    }
}

/// Who a booking is made for, which decides the rules that apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    /// A customer booking themselves (WhatsApp, an integrator's site): all
    /// rules, and changes only until the resource's cutoff.
    Customer,
    /// Venue staff: walk-ins and phone bookings, changes at any time.
    Staff,
}

impl Policy {
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::Customer => "customer",
            Policy::Staff => "staff",
        }
    }
}

impl std::str::FromStr for Policy {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "customer" => Ok(Policy::Customer),
            "staff" => Ok(Policy::Staff),
            other => Err(format!("unknown policy {other:?}: customer or staff")),
        }
    }
}

/// Everything that takes time away from the opening hours.
#[derive(Debug, Clone, Default)]
pub struct Busy {
    /// Active bookings; the buffer is kept around each.
    pub bookings: Vec<TimeRange>,
    /// Live holds (a customer is confirming). They keep the buffer too: a
    /// hold turns into a booking, and the store's write check (which cannot
    /// tell what will be confirmed) buffers every active claim alike.
    pub holds: Vec<TimeRange>,
    /// Maintenance, holidays: closed outright.
    pub blackouts: Vec<TimeRange>,
}

/// Sorted, merged intervals for fast overlap checks.
struct Blocked(Vec<TimeRange>);

impl Blocked {
    fn new(rules: &SlotRules, busy: &Busy) -> Self {
        let buffer = Duration::minutes(rules.buffer_minutes);
        let all: Vec<TimeRange> = busy
            .bookings
            .iter()
            .chain(&busy.holds)
            .filter_map(|b| TimeRange::new(b.start() - buffer, b.end() + buffer).ok())
            .chain(busy.blackouts.iter().copied())
            .collect();
        Blocked(join(all))
    }

    fn overlaps(&self, range: &TimeRange) -> bool {
        // The first blocked interval that ends after the range starts.
        let index = self.0.partition_point(|b| b.end() <= range.start());
        self.0.get(index).is_some_and(|b| b.start() < range.end())
    }
}

/// Free slots of `minutes` on opening dates `first..=last` (local), as seen at `now`.
pub fn free_slots(
    rules: &SlotRules,
    busy: &Busy,
    first: NaiveDate,
    last: NaiveDate,
    minutes: i64,
    now: DateTime<Utc>,
) -> Vec<TimeRange> {
    if minutes <= 0 || rules.slot_minutes <= 0 {
        return Vec::new();
    }
    let earliest = now + Duration::minutes(rules.lead_minutes);
    let latest = now + Duration::days(rules.horizon_days);
    let blocked = Blocked::new(rules, busy);
    let step = Duration::minutes(rules.slot_minutes);
    let mut free = Vec::new();
    for window in rules.hours.windows_between(first, last, rules.timezone) {
        let mut start = window.start();
        while let Ok(slot) = TimeRange::starting_at(start, minutes) {
            if slot.end() > window.end() || slot.start() > latest {
                break;
            }
            if slot.start() >= earliest && !blocked.overlaps(&slot) {
                free.push(slot);
            }
            start += step;
        }
    }
    free
}

#[cfg(test)]
#[path = "availability_tests.rs"]
mod tests;
