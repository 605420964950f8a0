//! A half-open interval of UTC instants: what a booking occupies.
//!
//! Half-open (`[start, end)`) so that 19:00–20:00 and 20:00–21:00 touch but do
//! not overlap: back-to-back bookings are normal at a venue.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// `[start, end)` with `start < end`, in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawRange")]
pub struct TimeRange {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

#[derive(Deserialize)]
struct RawRange {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

impl TryFrom<RawRange> for TimeRange {
    type Error = TimeRangeError;
    fn try_from(raw: RawRange) -> Result<Self, Self::Error> {
        TimeRange::new(raw.start, raw.end)
    }
}

/// Why a time range was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeRangeError {
    #[error("the end must be after the start")]
    EndNotAfterStart,
    #[error("the time is out of range")]
    OutOfRange,
}

/// The years Pesan accepts at every boundary (JSON, query strings, forms,
/// message text). Within them every calendar computation (a day more, a
/// buffer, a horizon) stays far from chrono's limits, so none can overflow.
pub const SUPPORTED_YEARS: std::ops::RangeInclusive<i32> = 1970..=9999;

/// Whether `instant` lies in [`SUPPORTED_YEARS`].
pub fn is_supported(instant: DateTime<Utc>) -> bool {
    SUPPORTED_YEARS.contains(&chrono::Datelike::year(&instant))
}

impl TimeRange {
    /// Whether both ends lie in [`SUPPORTED_YEARS`].
    pub fn is_supported(&self) -> bool {
        is_supported(self.start) && is_supported(self.end)
    }

    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Self, TimeRangeError> {
        if end <= start {
            return Err(TimeRangeError::EndNotAfterStart);
        }
        Ok(TimeRange { start, end })
    }

    /// A range of `minutes` from `start`; a length past the calendar's end
    /// (typed in by someone) is an error, not an overflow.
    pub fn starting_at(start: DateTime<Utc>, minutes: i64) -> Result<Self, TimeRangeError> {
        let end = Duration::try_minutes(minutes)
            .and_then(|length| start.checked_add_signed(length))
            .ok_or(TimeRangeError::OutOfRange)?;
        TimeRange::new(start, end)
    }

    pub fn start(&self) -> DateTime<Utc> {
        self.start
    }

    pub fn end(&self) -> DateTime<Utc> {
        self.end
    }

    pub fn duration(&self) -> Duration {
        self.end - self.start
    }

    pub fn minutes(&self) -> i64 {
        self.duration().num_minutes()
    }

    /// Whether the two ranges share at least one instant.
    pub fn overlaps(&self, other: &TimeRange) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Whether `other` lies entirely within `self`.
    pub fn contains(&self, other: &TimeRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The same length, moved by `by`.
    pub fn shifted(&self, by: Duration) -> TimeRange {
        TimeRange {
            start: self.start + by,
            end: self.end + by,
        }
    }
}

/// Sorts `ranges` and joins those that overlap or touch, so that
/// 08:00–12:00 and 12:00–22:00 become one 08:00–22:00.
pub fn join(mut ranges: Vec<TimeRange>) -> Vec<TimeRange> {
    ranges.sort_by_key(TimeRange::start);
    let mut joined: Vec<TimeRange> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match joined.last_mut() {
            Some(last) if range.start() <= last.end() => {
                if range.end() > last.end() {
                    last.end = range.end();
                }
            }
            _ => joined.push(range),
        }
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, h, m, 0)
            .single()
            .expect("valid")
    }

    #[test]
    fn end_must_be_after_start() {
        assert_eq!(
            TimeRange::new(at(10, 0), at(10, 0)),
            Err(TimeRangeError::EndNotAfterStart)
        );
        assert_eq!(
            TimeRange::new(at(11, 0), at(10, 0)),
            Err(TimeRangeError::EndNotAfterStart)
        );
        assert!(TimeRange::new(at(10, 0), at(10, 1)).is_ok());
    }

    #[test]
    fn absurd_lengths_are_errors_not_panics() {
        assert_eq!(
            TimeRange::starting_at(at(10, 0), i64::MAX),
            Err(TimeRangeError::OutOfRange)
        );
        assert_eq!(
            TimeRange::starting_at(at(10, 0), 100_000_000_000_000),
            Err(TimeRangeError::OutOfRange)
        );
        assert_eq!(
            TimeRange::starting_at(at(10, 0), -5),
            Err(TimeRangeError::EndNotAfterStart)
        );
    }

    #[test]
    fn back_to_back_bookings_do_not_overlap() {
        let first = TimeRange::new(at(19, 0), at(20, 0)).expect("valid");
        let second = TimeRange::new(at(20, 0), at(21, 0)).expect("valid");
        assert!(!first.overlaps(&second));
        assert!(!second.overlaps(&first));
        let straddling = TimeRange::new(at(19, 30), at(20, 30)).expect("valid");
        assert!(first.overlaps(&straddling) && second.overlaps(&straddling));
    }

    #[test]
    fn touching_and_overlapping_ranges_join() {
        let r = |a: u32, b: u32| TimeRange::new(at(a, 0), at(b, 0)).expect("valid");
        assert_eq!(
            join(vec![r(12, 20), r(8, 12), r(21, 23)]),
            vec![r(8, 20), r(21, 23)]
        );
        assert_eq!(join(vec![r(8, 12), r(9, 10)]), vec![r(8, 12)]);
        assert!(join(Vec::new()).is_empty());
    }

    #[test]
    fn deserializing_refuses_inverted_ranges() {
        let bad = r#"{"start":"2026-11-26T10:00:00Z","end":"2026-11-26T09:00:00Z"}"#;
        assert!(serde_json::from_str::<TimeRange>(bad).is_err());
        let good = r#"{"start":"2026-11-26T10:00:00Z","end":"2026-11-26T11:00:00Z"}"#;
        assert_eq!(
            serde_json::from_str::<TimeRange>(good)
                .expect("valid")
                .minutes(),
            60
        );
    }

    proptest! {
        #[test]
        fn overlap_is_symmetric_and_matches_a_shared_minute(
            a in 0i64..1000, al in 1i64..300, b in 0i64..1000, bl in 1i64..300
        ) {
            let base = at(0, 0);
            let x = TimeRange::starting_at(base + Duration::minutes(a), al).expect("valid");
            let y = TimeRange::starting_at(base + Duration::minutes(b), bl).expect("valid");
            prop_assert_eq!(x.overlaps(&y), y.overlaps(&x));
            let shared = (a.max(b)..(a + al).min(b + bl)).next().is_some();
            prop_assert_eq!(x.overlaps(&y), shared);
        }
    }
}
