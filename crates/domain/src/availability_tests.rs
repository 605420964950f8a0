use super::*;
use crate::opening_hours::{local_to_utc, LocalInterval};
use chrono::{NaiveTime, TimeZone, Weekday};
use std::collections::HashSet;

fn zone(name: &str) -> Tz {
    name.parse().expect("zone")
}

fn rules(tz: Tz, hours: &str) -> SlotRules {
    SlotRules {
        hours: WeeklyHours::every_day(LocalInterval::parse_day(hours).expect("hours")),
        timezone: tz,
        slot_minutes: 60,
        buffer_minutes: 0,
        lead_minutes: 0,
        horizon_days: 365,
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn local(tz: Tz, y: i32, m: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    local_to_utc(
        date(y, m, d).and_time(NaiveTime::from_hms_opt(h, mi, 0).expect("time")),
        tz,
    )
}

fn long_ago() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .expect("valid")
}

fn local_starts(slots: &[TimeRange], tz: Tz) -> Vec<String> {
    slots
        .iter()
        .map(|s| s.start().with_timezone(&tz).format("%H:%M").to_string())
        .collect()
}

#[test]
fn a_free_day_is_every_hour_of_the_opening_hours() {
    for name in ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"] {
        let tz = zone(name);
        let slots = free_slots(
            &rules(tz, "08:00-23:00"),
            &Busy::default(),
            date(2026, 11, 26),
            date(2026, 11, 26),
            60,
            long_ago(),
        );
        assert_eq!(slots.len(), 15, "{name}");
        assert_eq!(
            local_starts(&slots, tz).first().map(String::as_str),
            Some("08:00")
        );
        assert_eq!(
            local_starts(&slots, tz).last().map(String::as_str),
            Some("22:00")
        );
    }
}

#[test]
fn bookings_with_buffers_and_holds_and_blackouts_take_time_away() {
    let tz = zone("Asia/Jakarta");
    let mut r = rules(tz, "08:00-23:00");
    r.slot_minutes = 30;
    r.buffer_minutes = 30;
    let busy = Busy {
        bookings: vec![TimeRange::new(
            local(tz, 2026, 11, 26, 10, 0),
            local(tz, 2026, 11, 26, 11, 0),
        )
        .expect("range")],
        holds: vec![TimeRange::new(
            local(tz, 2026, 11, 26, 14, 0),
            local(tz, 2026, 11, 26, 15, 0),
        )
        .expect("range")],
        blackouts: vec![TimeRange::new(
            local(tz, 2026, 11, 26, 18, 0),
            local(tz, 2026, 11, 26, 23, 0),
        )
        .expect("range")],
    };
    let starts = local_starts(
        &free_slots(
            &r,
            &busy,
            date(2026, 11, 26),
            date(2026, 11, 26),
            60,
            long_ago(),
        ),
        tz,
    );
    // 09:00 would end at 10:00, inside the 30-minute buffer before the booking.
    assert!(starts.contains(&"08:30".to_string()));
    assert!(!starts.contains(&"09:00".to_string()));
    assert!(!starts.contains(&"11:00".to_string()));
    assert!(starts.contains(&"11:30".to_string()));
    // A hold keeps the buffer like the booking it may become: 12:30 and
    // 15:30 are free, 13:00 and 15:00 are not.
    assert!(starts.contains(&"12:30".to_string()) && starts.contains(&"15:30".to_string()));
    assert!(!starts.contains(&"13:00".to_string()) && !starts.contains(&"15:00".to_string()));
    assert!(!starts.contains(&"14:30".to_string()));
    assert_eq!(starts.last().map(String::as_str), Some("17:00"));
}

#[test]
fn lead_time_and_horizon_bound_the_slots() {
    let tz = zone("Asia/Jakarta");
    let mut r = rules(tz, "08:00-23:00");
    r.lead_minutes = 120;
    r.horizon_days = 1;
    let now = local(tz, 2026, 11, 26, 9, 30);
    let today = free_slots(
        &r,
        &Busy::default(),
        date(2026, 11, 26),
        date(2026, 11, 26),
        60,
        now,
    );
    assert_eq!(
        local_starts(&today, tz).first().map(String::as_str),
        Some("12:00")
    );
    let later = free_slots(
        &r,
        &Busy::default(),
        date(2026, 11, 27),
        date(2026, 11, 28),
        60,
        now,
    );
    assert_eq!(
        local_starts(&later, tz).last().map(String::as_str),
        Some("09:00"),
        "nothing beyond 24 h ahead"
    );
}

#[test]
fn a_night_interval_gives_slots_past_midnight_to_the_day_it_opens() {
    let tz = zone("Asia/Jakarta");
    let mut r = rules(tz, "");
    r.hours.set_day(
        Weekday::Fri,
        LocalInterval::parse_day("22:00-02:00").expect("hours"),
    );
    let slots = free_slots(
        &r,
        &Busy::default(),
        date(2026, 11, 27),
        date(2026, 11, 27),
        60,
        long_ago(),
    );
    assert_eq!(
        local_starts(&slots, tz),
        vec!["22:00", "23:00", "00:00", "01:00"]
    );
    assert!(free_slots(
        &r,
        &Busy::default(),
        date(2026, 11, 28),
        date(2026, 11, 28),
        60,
        long_ago()
    )
    .is_empty());
}

#[test]
fn no_slot_vanishes_or_doubles_across_dst_changes() {
    let tz = zone("Europe/Amsterdam");
    let r = rules(tz, "00:00-24:00");
    // 2026-03-29 has 23 hours, 2026-10-25 has 25.
    for (day, hours) in [
        (date(2026, 3, 29), 23),
        (date(2026, 10, 25), 25),
        (date(2026, 6, 1), 24),
    ] {
        let slots = free_slots(&r, &Busy::default(), day, day, 60, long_ago());
        assert_eq!(slots.len(), hours, "{day}");
        let unique: HashSet<_> = slots.iter().map(TimeRange::start).collect();
        assert_eq!(unique.len(), slots.len(), "{day}: a slot doubled");
        for pair in slots.windows(2) {
            assert_eq!(
                pair[0].end(),
                pair[1].start(),
                "{day}: a gap or an overlap between slots"
            );
        }
    }
    // Office hours keep their wall-clock times on both sides of the change.
    let office = rules(tz, "09:00-17:00");
    for day in [date(2026, 10, 24), date(2026, 10, 25), date(2026, 10, 26)] {
        let starts = local_starts(
            &free_slots(&office, &Busy::default(), day, day, 60, long_ago()),
            tz,
        );
        assert_eq!(starts.first().map(String::as_str), Some("09:00"), "{day}");
        assert_eq!(starts.len(), 8, "{day}");
    }
}

#[test]
fn alignment_follows_the_opening_time() {
    let tz = zone("Asia/Jakarta");
    let mut r = rules(tz, "08:30-22:30");
    r.slot_minutes = 60;
    let on_grid = TimeRange::new(
        local(tz, 2026, 11, 26, 9, 30),
        local(tz, 2026, 11, 26, 10, 30),
    )
    .expect("range");
    let off_grid = TimeRange::new(
        local(tz, 2026, 11, 26, 9, 0),
        local(tz, 2026, 11, 26, 10, 0),
    )
    .expect("range");
    assert!(r.is_aligned(&on_grid));
    assert!(!r.is_aligned(&off_grid));
}

#[test]
fn requested_slots_are_checked_against_the_rules() {
    let tz = zone("Asia/Jakarta");
    let mut r = rules(tz, "08:00-23:00");
    r.horizon_days = 30;
    let now = local(tz, 2026, 11, 25, 10, 0);
    let at = |d: u32, h: u32, m: u32, minutes: i64| {
        TimeRange::starting_at(local(tz, 2026, 11, d, h, m), minutes).expect("range")
    };
    assert_eq!(check_slot(&r, &at(26, 19, 0, 60), 60, 240, now), Ok(()));
    assert_eq!(
        check_slot(&r, &at(25, 9, 0, 60), 60, 240, now),
        Err(SlotViolation::InThePast)
    );
    assert_eq!(
        check_slot(&r, &at(26, 19, 30, 60), 60, 240, now),
        Err(SlotViolation::Unaligned(60))
    );
    assert_eq!(
        check_slot(&r, &at(26, 21, 30, 60), 60, 240, now).map_err(|e| e.code()),
        Err("unaligned")
    );
    assert_eq!(
        check_slot(&r, &at(26, 22, 0, 120), 60, 240, now),
        Err(SlotViolation::OutsideOpeningHours)
    );
    assert_eq!(
        check_slot(&r, &at(26, 7, 0, 60), 60, 240, now),
        Err(SlotViolation::OutsideOpeningHours)
    );
    assert_eq!(
        check_slot(&r, &at(26, 10, 0, 300), 60, 240, now),
        Err(SlotViolation::BadLength(60, 240))
    );
    let far = TimeRange::starting_at(local(tz, 2027, 1, 10, 10, 0), 60).expect("range");
    assert_eq!(
        check_slot(&r, &far, 60, 240, now),
        Err(SlotViolation::BeyondHorizon)
    );
}

#[test]
fn seconds_or_fractions_in_a_start_or_end_are_unaligned() {
    // 13:00:59 would block the 13:00 and 14:00 slots and be priced as one.
    let tz = zone("Asia/Jakarta");
    let r = rules(tz, "08:00-23:00");
    let now = local(tz, 2026, 11, 25, 10, 0);
    let start = local(tz, 2026, 11, 26, 13, 0);
    let end = start + Duration::hours(1);
    for (s, e) in [
        (start + Duration::seconds(59), end + Duration::seconds(59)),
        (start, end + Duration::seconds(1)),
        (start + Duration::milliseconds(1), end),
    ] {
        let range = TimeRange::new(s, e).expect("range");
        assert_eq!(
            check_slot(&r, &range, 60, 240, now),
            Err(SlotViolation::Unaligned(60))
        );
    }
    assert_eq!(
        check_slot(
            &r,
            &TimeRange::new(start, end).expect("range"),
            60,
            240,
            now
        ),
        Ok(())
    );
}

#[test]
fn staff_take_the_slot_under_way_and_ignore_the_lead_time() {
    let tz = zone("Asia/Jakarta");
    let mut r = rules(tz, "08:00-23:00");
    r.lead_minutes = 120;
    let now = local(tz, 2026, 11, 26, 19, 10);
    let at = |h: u32| TimeRange::starting_at(local(tz, 2026, 11, 26, h, 0), 60).expect("range");
    // 19:00 is under way, 20:00 is inside the lead time, 18:00 is over.
    assert_eq!(
        check_slot_for(Policy::Customer, &r, &at(19), 60, 240, now),
        Err(SlotViolation::InThePast)
    );
    assert_eq!(
        check_slot_for(Policy::Customer, &r, &at(20), 60, 240, now),
        Err(SlotViolation::InThePast)
    );
    assert_eq!(
        check_slot_for(Policy::Staff, &r, &at(19), 60, 240, now),
        Ok(())
    );
    assert_eq!(
        check_slot_for(Policy::Staff, &r, &at(20), 60, 240, now),
        Ok(())
    );
    assert_eq!(
        check_slot_for(Policy::Staff, &r, &at(18), 60, 240, now),
        Err(SlotViolation::InThePast)
    );
    assert_eq!(
        check_slot_for(Policy::Customer, &r, &at(22), 60, 240, now),
        Ok(())
    );
}
