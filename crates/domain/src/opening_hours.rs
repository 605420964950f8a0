//! Weekly opening hours in an outlet's local time, and the question the
//! booking rules ask of them: is this UTC range inside the hours?
//!
//! Hours are kept as local wall-clock times because that is how a venue thinks
//! ("open 08:00–23:00") and it must stay true across a DST change; they are
//! turned into UTC windows only when a concrete date is asked about.

use crate::time_range::{join, TimeRange};
use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::fmt;

const MINUTES_PER_DAY: u16 = 24 * 60;

/// One opening interval of a day: opens at `open_minute` after local midnight
/// and stays open `minutes`. It may run past midnight (22:00–02:00).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LocalInterval {
    open_minute: u16,
    minutes: u16,
}

/// Why opening hours were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HoursError {
    #[error("{0:?} is not a time like 08:00")]
    BadTime(String),
    #[error("{0:?} is not an interval like 08:00-23:00")]
    BadInterval(String),
    #[error("an interval cannot open and close at the same time ({0})")]
    Empty(String),
    #[error("intervals on the same day overlap ({0} and {1})")]
    Overlapping(String, String),
}

fn parse_clock(text: &str, allow_24: bool) -> Result<u16, HoursError> {
    let bad = || HoursError::BadTime(text.to_string());
    let cleaned = text.trim().replace('.', ":");
    let (h, m) = match cleaned.split_once(':') {
        Some((h, m)) => (h, m),
        None => (cleaned.as_str(), "0"),
    };
    let h: u16 = h.trim().parse().map_err(|_| bad())?;
    let m: u16 = m.trim().parse().map_err(|_| bad())?;
    if m >= 60 || h > 24 || (h == 24 && (m != 0 || !allow_24)) {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

fn clock_text(minute_of_day: u16) -> String {
    let m = minute_of_day % MINUTES_PER_DAY;
    format!("{:02}:{:02}", m / 60, m % 60)
}

impl LocalInterval {
    /// From opening and closing wall-clock minutes; a close at or before the
    /// open means the interval runs past midnight.
    pub fn from_minutes(open_minute: u16, close_minute: u16) -> Result<Self, HoursError> {
        if open_minute >= MINUTES_PER_DAY || close_minute > MINUTES_PER_DAY {
            return Err(HoursError::BadTime(format!("{open_minute}-{close_minute}")));
        }
        let minutes = if close_minute > open_minute {
            close_minute - open_minute
        } else {
            close_minute + MINUTES_PER_DAY - open_minute
        };
        if minutes == 0 || minutes > MINUTES_PER_DAY || close_minute == open_minute {
            return Err(HoursError::Empty(format!(
                "{}-{}",
                clock_text(open_minute),
                clock_text(close_minute)
            )));
        }
        Ok(LocalInterval {
            open_minute,
            minutes,
        })
    }

    /// From the opening minute and a length, as storage keeps it.
    pub fn from_open_and_length(open_minute: u16, minutes: u16) -> Result<Self, HoursError> {
        if open_minute >= MINUTES_PER_DAY || minutes == 0 || minutes > MINUTES_PER_DAY {
            return Err(HoursError::BadTime(format!("{open_minute}+{minutes}")));
        }
        Ok(LocalInterval {
            open_minute,
            minutes,
        })
    }

    /// Parses "08:00-23:00" (also "8-23", "08.00–23.00", "22:00-02:00", "00:00-24:00").
    pub fn parse(text: &str) -> Result<Self, HoursError> {
        let normalised = text.replace(['–', '—'], "-");
        let (open, close) = normalised
            .split_once('-')
            .ok_or_else(|| HoursError::BadInterval(text.trim().to_string()))?;
        LocalInterval::from_minutes(parse_clock(open, false)?, parse_clock(close, true)?)
    }

    /// Parses a day's intervals separated by commas; empty or "closed"/"tutup"
    /// means closed all day.
    pub fn parse_day(text: &str) -> Result<Vec<Self>, HoursError> {
        let trimmed = text.trim();
        if trimmed.is_empty()
            || trimmed.eq_ignore_ascii_case("closed")
            || trimmed.eq_ignore_ascii_case("tutup")
        {
            return Ok(Vec::new());
        }
        let mut intervals = trimmed
            .split([',', ';'])
            .filter(|part| !part.trim().is_empty())
            .map(LocalInterval::parse)
            .collect::<Result<Vec<_>, _>>()?;
        intervals.sort_by_key(|i| i.open_minute);
        for pair in intervals.windows(2) {
            if pair[0].open_minute + pair[0].minutes > pair[1].open_minute {
                return Err(HoursError::Overlapping(
                    pair[0].to_string(),
                    pair[1].to_string(),
                ));
            }
        }
        Ok(intervals)
    }

    pub fn open_minute(&self) -> u16 {
        self.open_minute
    }

    pub fn minutes(&self) -> u16 {
        self.minutes
    }

    /// The wall-clock minute it closes at (may be on the next day).
    pub fn close_minute(&self) -> u16 {
        (self.open_minute + self.minutes) % MINUTES_PER_DAY
    }

    /// The UTC window this interval covers when it opens on `date`.
    pub fn window_on(&self, date: NaiveDate, tz: Tz) -> Option<TimeRange> {
        let midnight = date.and_time(NaiveTime::MIN);
        let open = midnight + Duration::minutes(i64::from(self.open_minute));
        let close = open + Duration::minutes(i64::from(self.minutes));
        TimeRange::new(local_to_utc(open, tz), local_to_utc(close, tz)).ok()
    }
}

impl fmt::Display for LocalInterval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let close = if self.open_minute + self.minutes == MINUTES_PER_DAY {
            "24:00".to_string()
        } else {
            clock_text(self.close_minute())
        };
        write!(f, "{}-{}", clock_text(self.open_minute), close)
    }
}

/// The instant a local wall-clock time means in `tz`. In an autumn overlap
/// the earlier instant is taken; a time skipped by a spring gap moves forward
/// to the first instant after the gap, as a wall clock would.
pub fn local_to_utc(local: NaiveDateTime, tz: Tz) -> DateTime<Utc> {
    if let Some(instant) = tz.from_local_datetime(&local).earliest() {
        return instant.with_timezone(&Utc);
    }
    // Inside a gap: walk forward to the first minute that exists.
    let mut probe = local;
    for _ in 0..(3 * 60) {
        probe += Duration::minutes(1);
        if let Some(instant) = tz.from_local_datetime(&probe).earliest() {
            return instant.with_timezone(&Utc);
        }
    }
    // No zone has a gap of three hours; fall back to reading it as UTC.
    Utc.from_utc_datetime(&local)
}

/// Seven days of opening intervals, Monday first.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct WeeklyHours {
    days: [Vec<LocalInterval>; 7],
}

impl WeeklyHours {
    /// The same intervals every day of the week.
    pub fn every_day(intervals: Vec<LocalInterval>) -> Self {
        WeeklyHours {
            days: std::array::from_fn(|_| intervals.clone()),
        }
    }

    pub fn set_day(&mut self, day: Weekday, intervals: Vec<LocalInterval>) {
        self.days[day.num_days_from_monday() as usize] = intervals;
    }

    pub fn day(&self, day: Weekday) -> &[LocalInterval] {
        &self.days[day.num_days_from_monday() as usize]
    }

    /// Every (weekday, interval) pair, Monday first.
    pub fn iter(&self) -> impl Iterator<Item = (Weekday, LocalInterval)> + '_ {
        self.days.iter().enumerate().flat_map(|(index, intervals)| {
            let day = weekday_from_monday(index);
            intervals.iter().map(move |interval| (day, *interval))
        })
    }

    pub fn is_closed_all_week(&self) -> bool {
        self.days.iter().all(Vec::is_empty)
    }

    /// The UTC windows of intervals that open on `date` (local).
    pub fn windows_on(&self, date: NaiveDate, tz: Tz) -> Vec<TimeRange> {
        self.day(date.weekday())
            .iter()
            .filter_map(|interval| interval.window_on(date, tz))
            .collect()
    }

    /// The UTC windows of intervals that open on local dates `first..=last`,
    /// sorted, with touching or overlapping windows joined.
    pub fn windows_between(&self, first: NaiveDate, last: NaiveDate, tz: Tz) -> Vec<TimeRange> {
        join(
            first
                .iter_days()
                .take_while(|date| *date <= last)
                .flat_map(|date| self.windows_on(date, tz))
                .collect(),
        )
    }

    /// Whether `range` lies entirely within opening hours, an interval that
    /// started the day before (past midnight) included. Adjacent intervals
    /// count as one, so 08:00–12:00 + 12:00–22:00 allows 11:00–13:00.
    pub fn covers(&self, range: &TimeRange, tz: Tz) -> bool {
        let first = range.start().with_timezone(&tz).date_naive() - Duration::days(1);
        let last = range.end().with_timezone(&tz).date_naive();
        self.windows_between(first, last, tz)
            .iter()
            .any(|window| window.contains(range))
    }
}

/// Monday = 0 … Sunday = 6, the order the dashboard and storage use.
pub fn weekday_from_monday(index: usize) -> Weekday {
    match index % 7 {
        0 => Weekday::Mon,
        1 => Weekday::Tue,
        2 => Weekday::Wed,
        3 => Weekday::Thu,
        4 => Weekday::Fri,
        5 => Weekday::Sat,
        _ => Weekday::Sun,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jakarta() -> Tz {
        "Asia/Jakarta".parse().expect("zone")
    }

    fn local_range(tz: Tz, y: i32, mo: u32, d: u32, h: u32, mi: u32, minutes: i64) -> TimeRange {
        let naive = NaiveDate::from_ymd_opt(y, mo, d)
            .and_then(|date| date.and_hms_opt(h, mi, 0))
            .expect("valid local time");
        TimeRange::starting_at(local_to_utc(naive, tz), minutes).expect("valid range")
    }

    #[test]
    fn intervals_parse_as_venues_write_them() {
        assert_eq!(
            LocalInterval::parse("08:00-23:00").expect("ok").to_string(),
            "08:00-23:00"
        );
        assert_eq!(
            LocalInterval::parse("8-23").expect("ok").to_string(),
            "08:00-23:00"
        );
        assert_eq!(
            LocalInterval::parse("08.00–22.30").expect("ok").to_string(),
            "08:00-22:30"
        );
        assert_eq!(
            LocalInterval::parse("00:00-24:00").expect("ok").minutes(),
            1440
        );
        assert_eq!(
            LocalInterval::parse("22:00-02:00").expect("ok").minutes(),
            240
        );
        assert!(matches!(
            LocalInterval::parse("10:00-10:00"),
            Err(HoursError::Empty(_))
        ));
        assert!(matches!(
            LocalInterval::parse("25:00-26:00"),
            Err(HoursError::BadTime(_))
        ));
        assert!(matches!(
            LocalInterval::parse("morning"),
            Err(HoursError::BadInterval(_))
        ));
    }

    #[test]
    fn a_day_can_have_several_intervals_but_not_overlapping_ones() {
        let day = LocalInterval::parse_day("13:00-22:00, 08:00-12:00").expect("ok");
        assert_eq!(day.len(), 2);
        assert_eq!(day[0].to_string(), "08:00-12:00");
        assert!(LocalInterval::parse_day("closed").expect("ok").is_empty());
        assert!(LocalInterval::parse_day("").expect("ok").is_empty());
        assert!(matches!(
            LocalInterval::parse_day("08:00-12:00, 11:00-13:00"),
            Err(HoursError::Overlapping(_, _))
        ));
    }

    #[test]
    fn evening_slot_in_jakarta_is_inside_08_to_23() {
        let hours = WeeklyHours::every_day(vec![LocalInterval::parse("08:00-23:00").expect("ok")]);
        let tz = jakarta();
        assert!(hours.covers(&local_range(tz, 2026, 11, 26, 19, 0, 60), tz));
        assert!(hours.covers(&local_range(tz, 2026, 11, 26, 22, 0, 60), tz));
        assert!(!hours.covers(&local_range(tz, 2026, 11, 26, 22, 30, 60), tz));
        assert!(!hours.covers(&local_range(tz, 2026, 11, 26, 7, 0, 60), tz));
    }

    #[test]
    fn closed_weekday_refuses_every_slot() {
        let mut hours =
            WeeklyHours::every_day(vec![LocalInterval::parse("08:00-23:00").expect("ok")]);
        hours.set_day(Weekday::Sun, Vec::new());
        let tz = jakarta();
        // 2026-11-29 is a Sunday.
        assert!(!hours.covers(&local_range(tz, 2026, 11, 29, 10, 0, 60), tz));
        assert!(hours.covers(&local_range(tz, 2026, 11, 28, 10, 0, 60), tz));
    }

    #[test]
    fn interval_past_midnight_belongs_to_the_day_it_opens() {
        let mut hours = WeeklyHours::default();
        hours.set_day(
            Weekday::Fri,
            vec![LocalInterval::parse("22:00-02:00").expect("ok")],
        );
        let tz = jakarta();
        // Fri 27 Nov 23:30 → Sat 00:30 is inside; Sat 22:30 is not (Saturday is closed).
        assert!(hours.covers(&local_range(tz, 2026, 11, 27, 23, 30, 60), tz));
        assert!(hours.covers(&local_range(tz, 2026, 11, 28, 1, 0, 60), tz));
        assert!(!hours.covers(&local_range(tz, 2026, 11, 28, 22, 30, 60), tz));
    }

    #[test]
    fn adjacent_intervals_join() {
        let mut hours = WeeklyHours::default();
        hours.set_day(
            Weekday::Thu,
            LocalInterval::parse_day("08:00-12:00,12:00-22:00").expect("ok"),
        );
        let tz = jakarta();
        assert!(hours.covers(&local_range(tz, 2026, 11, 26, 11, 0, 120), tz));
    }

    #[test]
    fn hours_follow_local_time_across_a_dst_change() {
        // Europe/Amsterdam leaves summer time on Sun 2026-10-25.
        let tz: Tz = "Europe/Amsterdam".parse().expect("zone");
        let hours = WeeklyHours::every_day(vec![LocalInterval::parse("09:00-17:00").expect("ok")]);
        for day in [24, 25, 26] {
            assert!(
                hours.covers(&local_range(tz, 2026, 10, day, 9, 0, 60), tz),
                "day {day}"
            );
            assert!(
                !hours.covers(&local_range(tz, 2026, 10, day, 8, 0, 60), tz),
                "day {day}"
            );
        }
        let windows = hours.windows_on(NaiveDate::from_ymd_opt(2026, 10, 25).expect("date"), tz);
        assert_eq!(windows[0].start().to_rfc3339(), "2026-10-25T08:00:00+00:00");
    }

    #[test]
    fn a_time_in_the_spring_gap_moves_forward() {
        let tz: Tz = "Europe/Amsterdam".parse().expect("zone");
        let gap = NaiveDate::from_ymd_opt(2026, 3, 29)
            .and_then(|d| d.and_hms_opt(2, 30, 0))
            .expect("valid");
        assert_eq!(
            local_to_utc(gap, tz).to_rfc3339(),
            "2026-03-29T01:00:00+00:00"
        );
    }
}
