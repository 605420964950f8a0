//! Property tests of the booking rules: random opening hours (including
//! ones past midnight), zones with and without DST, bookings, holds,
//! blackouts, buffers and pricing rules, checked against plain oracles.

use crate::availability::{free_slots, Busy, SlotRules};
use crate::money::Money;
use crate::opening_hours::{local_to_utc, LocalInterval, WeeklyHours};
use crate::pricing::{quote, Adjustment, PriceRule, RuleWhen};
use crate::recurrence::Rule;
use crate::time_range::TimeRange;
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use proptest::prelude::*;
use std::collections::HashSet;

const ZONES: [&str; 5] = [
    "Asia/Jakarta",
    "Asia/Makassar",
    "Asia/Jayapura",
    "Europe/Amsterdam",
    "America/New_York",
];

const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

fn zone() -> impl Strategy<Value = Tz> {
    (0..ZONES.len()).prop_map(|i| ZONES[i].parse().expect("zone"))
}

/// A day of 2026, often one of the DST change weekends.
fn first_day() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![
        (0u32..365).prop_map(
            |d| NaiveDate::from_ymd_opt(2026, 1, 1).expect("d") + Duration::days(d.into())
        ),
        prop::sample::select(vec![
            NaiveDate::from_ymd_opt(2026, 3, 7).expect("d"),
            NaiveDate::from_ymd_opt(2026, 3, 28).expect("d"),
            NaiveDate::from_ymd_opt(2026, 10, 24).expect("d"),
            NaiveDate::from_ymd_opt(2026, 10, 31).expect("d"),
        ]),
    ]
}

/// One interval a day (or closed), on a 15-minute grid, some past midnight.
fn week_hours() -> impl Strategy<Value = WeeklyHours> {
    prop::collection::vec(prop::option::weighted(0.85, (0u16..96, 1u16..=96)), 7).prop_map(|days| {
        let mut week = WeeklyHours::default();
        for (day, interval) in WEEK.iter().zip(days) {
            let intervals = interval
                .and_then(|(open, length)| {
                    LocalInterval::from_open_and_length(open * 15, length * 15).ok()
                })
                .into_iter()
                .collect();
            week.set_day(*day, intervals);
        }
        week
    })
}

/// Ranges starting within four days of `base`, on a 5-minute grid.
fn ranges(max: usize) -> impl Strategy<Value = Vec<(i64, i64)>> {
    prop::collection::vec((0i64..(4 * 24 * 12), 1i64..=48), 0..=max)
}

fn to_ranges(base: DateTime<Utc>, raw: &[(i64, i64)]) -> Vec<TimeRange> {
    raw.iter()
        .filter_map(|(start, length)| {
            TimeRange::starting_at(base + Duration::minutes(start * 5), length * 5).ok()
        })
        .collect()
}

prop_compose! {
    fn scenario()(
        tz in zone(),
        first in first_day(),
        days in 0i64..3,
        hours in week_hours(),
        slot in prop::sample::select(vec![15i64, 30, 60]),
        slots_long in 1i64..=4,
        buffer in prop::sample::select(vec![0i64, 10, 15, 30]),
        bookings in ranges(6),
        holds in ranges(2),
        blackouts in ranges(2),
    ) -> (SlotRules, Busy, NaiveDate, NaiveDate, i64) {
        let rules = SlotRules {
            hours,
            timezone: tz,
            slot_minutes: slot,
            buffer_minutes: buffer,
            lead_minutes: 0,
            horizon_days: 3650,
        };
        let base = local_to_utc((first - Duration::days(1)).and_hms_opt(0, 0, 0).expect("t"), tz);
        let busy = Busy {
            bookings: to_ranges(base, &bookings),
            holds: to_ranges(base, &holds),
            blackouts: to_ranges(base, &blackouts),
        };
        (rules, busy, first, first + Duration::days(days), slot * slots_long)
    }
}

fn long_ago() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0)
        .single()
        .expect("t")
}

/// Time the slot may not touch: bookings and holds with their buffer, and
/// blackouts as they are.
fn blocked(rules: &SlotRules, busy: &Busy) -> Vec<TimeRange> {
    let buffer = Duration::minutes(rules.buffer_minutes);
    busy.bookings
        .iter()
        .chain(&busy.holds)
        .filter_map(|b| TimeRange::new(b.start() - buffer, b.end() + buffer).ok())
        .chain(busy.blackouts.iter().copied())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Every free slot is as long as asked, on the grid of an opening
    /// window and inside it, clear of everything blocked; none repeats; and
    /// every grid start that fits and is clear is offered (nothing vanishes,
    /// across DST changes too).
    #[test]
    fn free_slots_are_exactly_the_clear_grid_starts((rules, busy, first, last, minutes) in scenario()) {
        let free = free_slots(&rules, &busy, first, last, minutes, long_ago());
        let windows = rules.hours.windows_between(first, last, rules.timezone);
        let blocked = blocked(&rules, &busy);
        let mut seen = HashSet::new();
        for slot in &free {
            prop_assert_eq!(slot.minutes(), minutes);
            prop_assert!(seen.insert(slot.start()), "slot {:?} offered twice", slot);
            let window = windows.iter().find(|w| w.contains(slot));
            prop_assert!(window.is_some(), "slot {:?} outside opening hours", slot);
            let offset = (slot.start() - window.map(TimeRange::start).unwrap_or(slot.start())).num_minutes();
            prop_assert_eq!(offset % rules.slot_minutes, 0, "slot {:?} off the grid", slot);
            prop_assert!(blocked.iter().all(|b| !b.overlaps(slot)), "slot {:?} overlaps blocked time", slot);
        }
        let mut expected = 0;
        for window in &windows {
            let mut start = window.start();
            while start + Duration::minutes(minutes) <= window.end() {
                let slot = TimeRange::starting_at(start, minutes).expect("slot");
                if blocked.iter().all(|b| !b.overlaps(&slot)) {
                    expected += 1;
                    prop_assert!(seen.contains(&start), "clear slot {:?} missing", slot);
                }
                start += Duration::minutes(rules.slot_minutes);
            }
        }
        prop_assert_eq!(free.len(), expected);
    }

    /// A quote's pieces tile the booking exactly, add up to the total, and
    /// each is priced at the base rate or by a rule.
    #[test]
    fn quotes_tile_the_booking_and_add_up(
        tz in zone(),
        first in first_day(),
        start_minute in 0i64..(24 * 60),
        length in 1i64..=(24 * 4),
        raw_rules in prop::collection::vec(
            (prop::collection::vec(0usize..7, 0..4), 0u16..96, 1u16..=96, 1i64..4000, -5i32..5),
            0..4,
        ),
    ) {
        let base = Money::idr(150_000);
        let rules: Vec<PriceRule> = raw_rules
            .iter()
            .enumerate()
            .map(|(i, (days, from, len, permille, priority))| {
                let days: Vec<Weekday> = days.iter().map(|d| WEEK[*d]).collect();
                let from = from * 15;
                let to = (from + len * 15).min(1440);
                PriceRule {
                    name: format!("rule {i}"),
                    priority: *priority,
                    when: RuleWhen::weekdays(&days).between(from, to.max(from + 15).min(1440)),
                    adjustment: Adjustment::Multiplier { permille: *permille },
                }
            })
            .filter(|rule| rule.validate(base).is_ok())
            .collect();
        let start = local_to_utc(first.and_hms_opt(0, 0, 0).expect("t"), tz) + Duration::minutes(start_minute);
        let range = TimeRange::starting_at(start, length * 15).expect("range");
        let priced = quote(base, &rules, &range, tz).expect("quote");
        prop_assert!(!priced.pieces.is_empty());
        prop_assert_eq!(priced.pieces[0].range.start(), range.start());
        prop_assert_eq!(priced.pieces.last().map(|p| p.range.end()), Some(range.end()));
        for pair in priced.pieces.windows(2) {
            prop_assert_eq!(pair[0].range.end(), pair[1].range.start());
        }
        let sum: i64 = priced.pieces.iter().map(|p| p.amount.minor).sum();
        prop_assert_eq!(sum, priced.total.minor);
        for piece in &priced.pieces {
            match &piece.rule {
                None => prop_assert_eq!(piece.hourly, base),
                Some(name) => prop_assert!(rules.iter().any(|r| &r.name == name)),
            }
        }
    }

    /// Weekly series: as many occurrences as COUNT, in order, on the chosen
    /// weekdays, at the first one's wall-clock time, none before it.
    #[test]
    fn weekly_series_keep_their_days_and_time(
        first in first_day(),
        hour in 6u32..23,
        days in prop::collection::btree_set(0usize..7, 1..4),
        interval in 1u32..4,
        count in 1u32..30,
    ) {
        let codes = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
        let by_day: Vec<&str> = days.iter().map(|d| codes[*d]).collect();
        let text = format!("FREQ=WEEKLY;INTERVAL={interval};BYDAY={};COUNT={count}", by_day.join(","));
        let start = first.and_hms_opt(hour, 0, 0).expect("t");
        let occurrences = Rule::parse(&text).expect("rule").occurrences(start).expect("occurrences");
        prop_assert_eq!(occurrences.len(), count as usize);
        for pair in occurrences.windows(2) {
            prop_assert!(pair[0] < pair[1]);
        }
        for at in &occurrences {
            prop_assert!(*at >= start);
            prop_assert_eq!(chrono::Timelike::hour(at), hour);
            let weekday = at.date().weekday().num_days_from_monday() as usize;
            prop_assert!(days.contains(&weekday), "{} not in {:?}", at, by_day);
        }
    }
}
