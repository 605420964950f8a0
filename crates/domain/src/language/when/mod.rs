//! Which day, what time and how long, read from a message's tokens.
//!
//! The reader first finds every *mention* (a day, a clock time or range, a
//! length, a shift like "mundur sejam", a start relative to now like "2 jam
//! lagi"), each claiming the tokens it used so one number is never read
//! twice ("tgl 30 jam 8" is a date and an hour, not 1,800 minutes). Which
//! mention counts depends on what the customer wants: a reschedule names the
//! old slot and then the new one, so it takes the last; everything else the
//! first.

mod amounts;
mod clocks;
mod dates;

use super::text::Tokens;
use amounts::*;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use clocks::*;
use dates::*;

/// The time-related facts found in one message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct When {
    pub date: Option<NaiveDate>,
    pub start: Option<NaiveTime>,
    pub ambiguous_start: Option<NaiveTime>,
    pub duration_minutes: Option<u32>,
    /// "mundur sejam" = +60, "2 hours earlier" = −120.
    pub shift_minutes: Option<i32>,
}

/// Which part of the day a period word points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Morning,
    Midday,
    Afternoon,
    Evening,
}

/// Every time-related mention in a message, and which tokens they used.
#[derive(Debug, Default)]
pub struct Mentions {
    dates: Vec<DateMention>,
    clocks: Vec<ClockMention>,
    durations: Vec<u32>,
    shift: Option<i32>,
    relative: Option<NaiveDateTime>,
    /// A period word with no clock of its own ("besok sore").
    pub period: Option<Period>,
    /// Tokens a mention (or a count, or a named resource) has used.
    pub used: Vec<bool>,
}

#[derive(Debug, Clone, Copy)]
struct DateMention {
    at: usize,
    date: NaiveDate,
    /// Written as a calendar date (day and month), which beats a weekday
    /// said next to it ("wed dec 2").
    calendar: bool,
    /// Said as the booking being replaced ("instead of sunday").
    old: bool,
}

#[derive(Debug, Clone, Copy)]
struct ClockMention {
    at: usize,
    start: Clock,
    end: Option<Clock>,
    /// The range was joined by "to"/"ke": in a reschedule it reads as
    /// "from this time to that one", not a range.
    joined_by_to: bool,
    old: bool,
}

/// A clock reading once am/pm and period words are applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Clock {
    Exact(NaiveTime),
    /// Hour 1–11 and minutes, morning or evening unknown.
    Ambiguous(u32, u32),
}

impl Clock {
    fn morning_reading(self) -> Option<NaiveTime> {
        match self {
            Clock::Exact(t) => Some(t),
            Clock::Ambiguous(h, m) => NaiveTime::from_hms_opt(h, m, 0),
        }
    }
}

pub const HOUR_UNITS: &[&str] = &["jam", "hours", "hour", "hrs", "h", "j"];
pub const MINUTE_UNITS: &[&str] = &["menit", "min", "m"];
const TIME_LEADS: &[&str] = &[
    "jam",
    "pukul",
    "at",
    "around",
    "sekitar",
    "by",
    "abt",
    "about",
    "kira",
    "from",
    "dari",
    "mulai",
    "start",
    "starting",
    "arnd",
    "approximately",
    "approx",
    "kira2",
    "sktr",
];
const RANGE_JOINS: &[&str] = &[
    "-", "to", "till", "til", "until", "sampai", "sampe", "smp", "hingga", "sd", "s/d", "ampe",
    "sampek", "through",
];
/// A duration or a clock this far past is not believable.
const MAX_DURATION_MINUTES: f64 = 12.0 * 60.0;
/// How far ahead "in N hours" may reach.
const MAX_RELATIVE_MINUTES: f64 = 7.0 * 24.0 * 60.0;

pub fn period_of(word: &str) -> Option<Period> {
    let word = word.strip_suffix("ish").unwrap_or(word);
    match word {
        "pagi" | "morning" | "subuh" | "mornin" => Some(Period::Morning),
        "siang" | "lunch" => Some(Period::Midday),
        "sore" | "afternoon" | "arvo" => Some(Period::Afternoon),
        "malam" | "evening" | "night" | "tonight" | "petang" | "malming" => Some(Period::Evening),
        _ => None,
    }
}

fn is_greeting_lead(word: &str) -> bool {
    matches!(word, "selamat" | "good" | "met" | "slmt" | "slamat")
}

/// The mentions in `tokens`, read against `now`. `used` arrives with the
/// tokens counts and named resources took.
pub fn mentions(tokens: &Tokens, now: NaiveDateTime, used: Vec<bool>) -> Mentions {
    let mut m = Mentions {
        used,
        ..Mentions::default()
    };
    m.used.resize(tokens.len(), false);
    find_dates(tokens, now.date(), &mut m);
    find_relative_start(tokens, now, &mut m);
    find_shift(tokens, &mut m);
    find_clocks(tokens, &mut m);
    find_durations(tokens, &mut m);
    mark_old(tokens, &mut m);
    m
}

impl Mentions {
    /// Whether the message names any day, time or length.
    pub fn any(&self) -> bool {
        !self.dates.is_empty()
            || !self.clocks.is_empty()
            || !self.durations.is_empty()
            || self.relative.is_some()
    }

    /// Whether two different clock times are offered as alternatives or
    /// named as old and new.
    pub fn clock_count(&self) -> usize {
        self.clocks.len()
    }

    /// The slot the message asks about. `newest` picks the last of several
    /// days and times (a reschedule names the old slot first).
    pub fn select(&self, newest: bool) -> When {
        let mut when = When {
            shift_minutes: self.shift,
            ..When::default()
        };
        if let Some(at) = self.relative {
            when.date = Some(at.date());
            when.start = Some(at.time());
            when.duration_minutes = self.durations.first().copied();
            return when;
        }
        when.date = self.pick_date(newest);
        let clocks: Vec<ClockMention> = self.split_moves(newest);
        let clock = if newest {
            clocks.iter().rev().find(|c| !c.old).or(clocks.last())
        } else {
            clocks.first()
        };
        if let Some(clock) = clock {
            match clock.start {
                Clock::Exact(t) => when.start = Some(t),
                Clock::Ambiguous(..) => when.ambiguous_start = clock.start.morning_reading(),
            }
            if let Some(end) = clock.end {
                when.duration_minutes = range_minutes(clock.start, end);
            }
        }
        if when.duration_minutes.is_none() {
            when.duration_minutes = self.durations.first().copied();
        }
        when
    }

    fn pick_date(&self, newest: bool) -> Option<NaiveDate> {
        // A weekday said next to a calendar date ("selasa 1/12", "wed dec 2")
        // is the same day: the calendar date wins.
        let near_calendar = |d: &DateMention| {
            !d.calendar
                && self
                    .dates
                    .iter()
                    .any(|c| c.calendar && c.at.abs_diff(d.at) <= 2)
        };
        let dates: Vec<&DateMention> = self.dates.iter().filter(|d| !near_calendar(d)).collect();
        if newest {
            dates
                .iter()
                .rev()
                .find(|d| !d.old)
                .or(dates.last())
                .map(|d| d.date)
        } else {
            dates.first().map(|d| d.date)
        }
    }

    /// In a reschedule, "from 5pm to 6:30pm" is a move, not a range.
    fn split_moves(&self, newest: bool) -> Vec<ClockMention> {
        let mut clocks = Vec::new();
        for clock in &self.clocks {
            match (newest && clock.joined_by_to, clock.end) {
                (true, Some(end)) => {
                    clocks.push(ClockMention {
                        end: None,
                        ..*clock
                    });
                    clocks.push(ClockMention {
                        at: clock.at + 1,
                        start: end,
                        end: None,
                        joined_by_to: false,
                        old: false,
                    });
                }
                _ => clocks.push(*clock),
            }
        }
        clocks
    }
}

fn range_minutes(start: Clock, end: Clock) -> Option<u32> {
    let minutes = |c: Clock| match c {
        Clock::Exact(t) => i64::from(t.hour_minute().0 * 60 + t.hour_minute().1),
        Clock::Ambiguous(h, m) => i64::from(h * 60 + m),
    };
    let mut span = minutes(end) - minutes(start);
    if let (Clock::Exact(_), Clock::Ambiguous(..)) = (start, end) {
        // "19.00 sampai 9": the end is the first reading after the start.
        while span <= 0 {
            span += 12 * 60;
        }
    }
    while span <= 0 {
        span += 24 * 60;
    }
    (span as f64 <= MAX_DURATION_MINUTES)
        .then_some(span)
        .and_then(|s| u32::try_from(s).ok())
}

trait HourMinute {
    fn hour_minute(&self) -> (u32, u32);
}

impl HourMinute for NaiveTime {
    fn hour_minute(&self) -> (u32, u32) {
        use chrono::Timelike;
        (self.hour(), self.minute())
    }
}

/// Marks days and times said as the booking being replaced: "instead of
/// sunday", "bukan yang sabtu", "daripada jam 7".
fn mark_old(t: &Tokens, m: &mut Mentions) {
    let old_at = |at: usize| {
        (1..=3).any(|k| {
            at.checked_sub(k).is_some_and(|p| {
                let w = t.at(p);
                (w == "of" && t.before(p) == "instead") || matches!(w, "daripada" | "drpd")
            })
        })
    };
    for d in &mut m.dates {
        d.old = old_at(d.at);
    }
    for c in &mut m.clocks {
        c.old = old_at(c.at);
    }
}

/// Whether `word` names a month ("dec", "desember").
pub fn is_month(word: &str) -> bool {
    dates::is_month(word)
}
