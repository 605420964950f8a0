//! Which day, what time and how long, read from a message's tokens.
//!
//! The reader first finds every *mention* (a day, a clock time or range, a
//! length, a shift like "mundur sejam", a start relative to now like "2 jam
//! lagi"), each claiming the tokens it used so one number is never read
//! twice ("tgl 30 jam 8" is a date and an hour, not 1,800 minutes). Which
//! mention counts depends on what the customer wants: a reschedule names the
//! old slot and then the new one, so it takes the last; everything else the
//! first.

use super::text::Tokens;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

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

// ---------------------------------------------------------------- dates

pub fn weekday_of(word: &str) -> Option<Weekday> {
    Some(match word {
        "monday" | "mon" | "senin" | "snin" => Weekday::Mon,
        "tuesday" | "tue" | "tues" | "selasa" | "slasa" => Weekday::Tue,
        "wednesday" | "wed" | "rabu" | "wednes" => Weekday::Wed,
        "thursday" | "thu" | "thur" | "thurs" | "kamis" => Weekday::Thu,
        "friday" | "fri" | "jumat" | "jumaat" | "jum" | "jmat" | "jumad" => Weekday::Fri,
        "saturday" | "sat" | "sabtu" | "sabtu2" | "satur" => Weekday::Sat,
        "sunday" | "sun" | "minggu" | "ahad" | "mingu" => Weekday::Sun,
        _ => return None,
    })
}

fn month_of(word: &str) -> Option<u32> {
    Some(match word {
        "january" | "jan" | "januari" => 1,
        "february" | "feb" | "februari" | "pebruari" => 2,
        "march" | "mar" | "maret" => 3,
        "april" | "apr" => 4,
        "may" | "mei" => 5,
        "june" | "jun" | "juni" => 6,
        "july" | "jul" | "juli" => 7,
        "august" | "aug" | "agustus" | "agu" | "agt" | "ags" => 8,
        "september" | "sep" | "sept" => 9,
        "october" | "oct" | "oktober" | "okt" => 10,
        "november" | "nov" | "nopember" => 11,
        "december" | "dec" | "desember" | "des" | "desembr" => 12,
        _ => return None,
    })
}

/// "30", "30th", "1st", "2nd": a day of the month.
fn day_number(word: &str) -> Option<u32> {
    let digits = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|s| word.strip_suffix(s))
        .unwrap_or(word);
    if digits.is_empty() || digits.len() > 2 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let day: u32 = digits.parse().ok()?;
    (1..=31).contains(&day).then_some(day)
}

fn is_ordinal(word: &str) -> bool {
    ["st", "nd", "rd", "th"].iter().any(|s| {
        word.strip_suffix(s)
            .is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()))
    })
}

/// The first `weekday` on or after `from`.
fn coming(from: NaiveDate, weekday: Weekday) -> NaiveDate {
    let ahead = (7 + weekday.num_days_from_monday() - from.weekday().num_days_from_monday()) % 7;
    from.checked_add_signed(Duration::days(i64::from(ahead)))
        .unwrap_or(from)
}

/// `weekday` in the week after this one (weeks start on Monday).
fn in_next_week(today: NaiveDate, weekday: Weekday) -> NaiveDate {
    let ahead = 7 + i64::from(weekday.num_days_from_monday())
        - i64::from(today.weekday().num_days_from_monday());
    today
        .checked_add_signed(Duration::days(ahead))
        .unwrap_or(today)
}

/// A day and month without a year: this year, or next year once it has passed.
fn upcoming(today: NaiveDate, month: u32, day: u32) -> Option<NaiveDate> {
    let this_year = NaiveDate::from_ymd_opt(today.year(), month, day)?;
    if this_year >= today {
        Some(this_year)
    } else {
        NaiveDate::from_ymd_opt(today.year() + 1, month, day)
    }
}

/// A day of the month alone ("tgl 30", "the 2nd"): this month, or next
/// month once it has passed.
fn day_of_month(today: NaiveDate, day: u32) -> Option<NaiveDate> {
    match today.with_day(day) {
        Some(date) if date >= today => Some(date),
        _ => {
            let mut first = today.with_day(1)?;
            for _ in 0..3 {
                first = first.checked_add_months(chrono::Months::new(1))?;
                if let Some(date) = first.with_day(day) {
                    return Some(date);
                }
            }
            None
        }
    }
}

fn small_number(word: &str) -> Option<u32> {
    Some(match word {
        "a" | "an" | "one" | "satu" | "se" => 1,
        "two" | "dua" => 2,
        "three" | "tiga" => 3,
        "four" | "empat" => 4,
        "five" | "lima" => 5,
        "six" | "enam" => 6,
        "seven" | "tujuh" => 7,
        "eight" | "delapan" => 8,
        "nine" | "sembilan" => 9,
        "ten" | "sepuluh" => 10,
        other => {
            if other.len() > 3 || !other.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            other.parse().ok()?
        }
    })
}

fn find_dates(t: &Tokens, today: NaiveDate, m: &mut Mentions) {
    let n = t.len();
    let mut i = 0;
    while i < n {
        if m.used[i] {
            i += 1;
            continue;
        }
        if let Some((len, date, calendar)) = date_at(t, i, today) {
            m.dates.push(DateMention {
                at: i,
                date,
                calendar,
                old: false,
            });
            for k in i..(i + len).min(n) {
                m.used[k] = true;
            }
            i += len.max(1);
        } else {
            i += 1;
        }
    }
}

/// A day named at token `i`: how many tokens it takes, the date, and
/// whether it was written as a calendar date.
fn date_at(t: &Tokens, i: usize, today: NaiveDate) -> Option<(usize, NaiveDate, bool)> {
    let w = t.at(i);
    let next = t.at(i + 1);
    // At the end of the calendar there is no "tomorrow": nothing is read.
    let days = |d: i64| today.checked_add_signed(Duration::days(d));
    // Relative days.
    if t.at(i) == "day" && next == "after" && matches!(t.at(i + 2), "tomorrow" | "tmrw") {
        return Some((3, days(2)?, false));
    }
    match w {
        "lusa" => return Some((1, days(2)?, false)),
        "tomorrow" | "besok" | "besoknya" => return Some((1, days(1)?, false)),
        "today" | "tonight" | "tdy" | "todayy" => return Some((1, today, false)),
        "hari" | "malam" | "sore" | "siang" | "pagi" if next == "ini" => {
            return Some((2, today, false))
        }
        "nanti" if matches!(next, "malam" | "sore" | "siang" | "pagi") => {
            return Some((2, today, false))
        }
        "this" if matches!(next, "afternoon" | "evening" | "morning") => {
            return Some((2, today, false))
        }
        "weekend" if next == "ini" || t.before(i) == "this" => {
            return Some((1, coming(today, Weekday::Sat), false))
        }
        "malming" => return Some((1, coming(today, Weekday::Sat), false)),
        "christmas" | "natal" | "xmas" => return upcoming(today, 12, 25).map(|d| (1, d, true)),
        "malam" if next == "minggu" && !matches!(t.at(i + 2), "depan" | "ini") => {
            return Some((2, coming(today, Weekday::Sat), false))
        }
        "seminggu" if next == "lagi" => return Some((2, days(7)?, false)),
        "sehari" if next == "lagi" => return Some((2, days(1)?, false)),
        "week"
            if t.before(i) == "a" && next == "from" && matches!(t.at(i + 2), "today" | "now") =>
        {
            return Some((3, days(7)?, false))
        }
        "in" if next == "a" && t.at(i + 2) == "week" => return Some((3, days(7)?, false)),
        _ => {}
    }
    // "in 3 days", "3 hari lagi", "3 days from now", "dalam 3 hari".
    if let Some(count) = small_number(w).filter(|c| (1..=60).contains(c)) {
        let unit = next;
        let is_days = matches!(unit, "hari" | "days" | "day" | "hr2");
        let is_weeks = matches!(unit, "minggu" | "weeks" | "week" | "mgg");
        if is_days || is_weeks {
            let span = i64::from(count) * if is_weeks { 7 } else { 1 };
            let before = t.before(i);
            let after = t.at(i + 2);
            if matches!(before, "in" | "dalam") || after == "lagi" {
                let len = 2 + usize::from(after == "lagi");
                return Some((len, days(span)?, false));
            }
            if after == "from" && matches!(t.at(i + 3), "now" | "today") {
                return Some((4, days(span)?, false));
            }
        }
    }
    // Calendar dates.
    if let Some(date) = slash_date(w, today) {
        return Some((1, date, true));
    }
    // "2026-12-05": ISO, split by the tokenizer at its dashes.
    if let (Some(year), "-", "-") = (year_of(w), next, t.at(i + 3)) {
        if let (Ok(month), Some(day)) = (next_number(t.at(i + 2)), day_number(t.at(i + 4))) {
            if let Some(date) = NaiveDate::from_ymd_opt(year, month, day) {
                return Some((5, date, true));
            }
        }
    }
    // "13 to 15 July", "23rd to 26th oct", "1-8 september": the first day.
    let lead = usize::from(matches!(w, "the" | "from" | "tgl" | "between"));
    let lead = lead + usize::from(lead == 1 && w == "from" && next == "the");
    if let Some(first) = day_number(t.at(i + lead)).or_else(|| ordinal_word(t.at(i + lead))) {
        let mut k = i + lead + 1;
        if RANGE_JOINS.contains(&t.at(k)) || t.at(k) == "and" {
            k += 1;
            if t.at(k) == "the" {
                k += 1;
            }
            if day_number(t.at(k))
                .or_else(|| ordinal_word(t.at(k)))
                .is_some()
            {
                k += 1;
                if t.at(k) == "of" {
                    k += 1;
                }
                if let Some(month) = month_of(t.at(k)) {
                    if let Some(date) = upcoming(today, month, first) {
                        return Some((k + 1 - i, date, true));
                    }
                }
            }
        }
    }
    if let Some(day) = day_number(w).or_else(|| ordinal_word(w)) {
        // "5 desember", "1st of december", "first of march", "14 april 2027".
        let (month_word, len) = if next == "of" {
            (t.at(i + 2), 3)
        } else {
            (next, 2)
        };
        if let Some(month) = month_of(month_word) {
            if let Some(date) =
                with_year(t, i + len, month, day).or_else(|| upcoming(today, month, day))
            {
                let len = len + usize::from(year_of(t.at(i + len)).is_some());
                return Some((len, date, true));
            }
        }
        let lead = t.before(i);
        let ordinal = is_ordinal(w);
        if matches!(lead, "tgl" | "date") || (ordinal && !t.at(i + 1).starts_with("floor")) {
            if let Some(date) = day_of_month(today, day) {
                return Some((1, date, true));
            }
        }
    }
    if matches!(w, "tgl" | "the" | "date" | "on") {
        // "tgl" is claimed along with its number, so the number is never an hour.
        if let Some(day) = day_number(next).or_else(|| ordinal_word(next)) {
            let month = month_of(t.at(i + 2));
            let date = match month {
                Some(month) => upcoming(today, month, day),
                None if w == "tgl"
                    || w == "date"
                    || is_ordinal(next)
                    || ordinal_word(next).is_some()
                    || (w == "the" && !t.at(i + 2).chars().any(char::is_alphabetic)) =>
                {
                    day_of_month(today, day)
                }
                None => None,
            };
            if let Some(date) = date {
                return Some((2 + usize::from(month.is_some()), date, true));
            }
        }
    }
    if let Some(month) = month_of(w) {
        // "december 1st", "march first", "april 14 2027", "march the 3rd".
        let k = if next == "the" { i + 2 } else { i + 1 };
        if let Some(day) = day_number(t.at(k)).or_else(|| ordinal_word(t.at(k))) {
            if let Some(date) =
                with_year(t, k + 1, month, day).or_else(|| upcoming(today, month, day))
            {
                let len = k + 1 - i + usize::from(year_of(t.at(k + 1)).is_some());
                return Some((len, date, true));
            }
        }
    }
    // Weekdays.
    if let Some(weekday) = weekday_of(w) {
        let prev = t.before(i);
        // "minggu depan" / "minggu ini" alone mean next/this week; "2 minggu".
        let week_word = w == "minggu"
            && (matches!(next, "depan" | "ini" | "lalu" | "kemarin" | "lagi")
                || weekday_of(prev).is_some()
                || small_number(prev).is_some()
                || matches!(prev, "malam" | "hari" | "per" | "tiap" | "setiap") && prev != "hari");
        let hari_minggu = w == "minggu" && prev == "hari";
        if week_word && !hari_minggu {
            return None;
        }
        let following = (next == "minggu" && t.at(i + 2) == "depan")
            || (next == "next" && t.at(i + 2) == "week")
            || (prev == "depan" && t.at(i.wrapping_sub(2)) == "minggu")
            || (prev == "hari"
                && t.at(i.wrapping_sub(2)) == "depan"
                && t.at(i.wrapping_sub(3)) == "minggu")
            || (prev == "week" && t.at(i.wrapping_sub(2)) == "next");
        let len = if next == "minggu" && t.at(i + 2) == "depan"
            || next == "next" && t.at(i + 2) == "week"
        {
            3
        } else {
            1
        };
        let this = matches!(prev, "this" | "today") || matches!(next, "ini" | "today");
        let date = if following {
            in_next_week(today, weekday)
        } else if !this && weekday == today.weekday() {
            // "tuesday" said on a Tuesday is next week's: today is "today".
            days(7)?
        } else {
            coming(today, weekday)
        };
        return Some((len, date, false));
    }
    None
}

/// "1/12" (day/month, as Indonesians write it), "1/12/2026", "01/12/26".
fn slash_date(word: &str, today: NaiveDate) -> Option<NaiveDate> {
    let parts: Vec<&str> = word.split('/').collect();
    if parts.len() < 2 || parts.len() > 3 || parts.iter().any(|p| p.is_empty() || p.len() > 4) {
        return None;
    }
    let day: u32 = parts[0].parse().ok()?;
    let month: u32 = parts[1].parse().ok()?;
    match parts.get(2) {
        None => upcoming(today, month, day),
        Some(year) => {
            let year: i32 = year.parse().ok()?;
            let year = if year < 100 { 2000 + year } else { year };
            NaiveDate::from_ymd_opt(year, month, day)
        }
    }
}

// ---------------------------------------------------------------- relative starts and shifts

/// An amount of time at token `i`, in minutes, and how many tokens it takes:
/// "2 jam", "sejam", "30 menit", "an hour", "setengah jam", "1,5 jam",
/// "half an hour", "an hour and a half", "2h".
fn amount_at(t: &Tokens, i: usize) -> Option<(usize, f64)> {
    let w = t.at(i);
    let next = t.at(i + 1);
    match w {
        "sejam" => {
            return Some(if next == "setengah" {
                (2, 90.0)
            } else {
                (1, 60.0)
            })
        }
        "setengah" if HOUR_UNITS.contains(&next) => return Some((2, 30.0)),
        "half" if next == "an" && t.at(i + 2) == "hour" => return Some((3, 30.0)),
        "half" if next == "hour" => return Some((2, 30.0)),
        "hour" if next == "and" && t.at(i + 2) == "a" && t.at(i + 3) == "half" => {
            return Some((4, 90.0))
        }
        _ => {}
    }
    if w == "sehari" {
        return Some((1, 24.0 * 60.0));
    }
    let value = number_value(w)?;
    let unit = next;
    // Days: only a shift ("mundur 2 hari", "a day later") takes them; as a
    // length they are past belief, and "3 hari lagi" is read as a date first.
    if matches!(unit, "hari" | "day" | "days") {
        return Some((2, value * 24.0 * 60.0));
    }
    if HOUR_UNITS.contains(&unit) {
        let mut minutes = value * 60.0;
        let mut len = 2;
        if t.at(i + 2) == "setengah" {
            minutes += 30.0;
            len = 3;
        } else if t.at(i + 2) == "and" && t.at(i + 3) == "a" && t.at(i + 4) == "half" {
            minutes += 30.0;
            len = 5;
        } else if let Some(extra) = number_value(t.at(i + 2)) {
            if MINUTE_UNITS.contains(&t.at(i + 3)) && extra < 60.0 {
                minutes += extra;
                len = 4;
            }
        }
        return Some((len, minutes));
    }
    if unit == "and"
        && t.at(i + 2) == "a"
        && t.at(i + 3) == "half"
        && HOUR_UNITS.contains(&t.at(i + 4))
    {
        return Some((5, value * 60.0 + 30.0));
    }
    if MINUTE_UNITS.contains(&unit) {
        return Some((2, value));
    }
    None
}

/// "2", "1,5", "1.5", "dua", "two", "an".
fn number_value(word: &str) -> Option<f64> {
    if let Some(n) = small_number(word) {
        return Some(f64::from(n));
    }
    if word.len() > 5 {
        return None;
    }
    let value: f64 = word.replace(',', ".").parse().ok()?;
    (value > 0.0 && value <= 24.0 * 60.0).then_some(value)
}

/// "in 2 hours", "2 jam lagi", "sejam lagi": a start relative to now.
fn find_relative_start(t: &Tokens, now: NaiveDateTime, m: &mut Mentions) {
    for i in 0..t.len() {
        if m.used[i] {
            continue;
        }
        let Some((len, minutes)) = amount_at(t, i) else {
            continue;
        };
        // "sehari lagi" is a day, read as a date, never a start at this minute.
        if t.at(i) == "sehari" || matches!(t.at(i + 1), "hari" | "day" | "days") {
            continue;
        }
        let after_lagi = t.at(i + len) == "lagi";
        let before_in = matches!(t.before(i), "in" | "dalam");
        if (after_lagi || before_in) && minutes <= MAX_RELATIVE_MINUTES {
            m.relative = now.checked_add_signed(Duration::minutes(minutes.round() as i64));
            let end = i + len + usize::from(after_lagi);
            for k in i.saturating_sub(usize::from(before_in))..end.min(t.len()) {
                m.used[k] = true;
            }
            return;
        }
    }
}

const LATER: &[&str] = &["later", "back", "lebih", "kemudian", "after"];
const EARLIER: &[&str] = &["earlier", "forward", "sooner", "before", "cepat", "awal"];

/// "mundur sejam", "majuin 30 menit", "an hour later", "push it back an
/// hour": moving an existing booking, never a length.
fn find_shift(t: &Tokens, m: &mut Mentions) {
    for i in 0..t.len() {
        if m.used[i] {
            continue;
        }
        let Some((len, minutes)) = amount_at(t, i) else {
            continue;
        };
        // "push it back by an hour": up to five words before the amount.
        let before: Vec<&str> = (1..=5)
            .filter_map(|k| i.checked_sub(k).map(|p| t.at(p)))
            .collect();
        let after = t.at(i + len);
        let root_before = |roots: &[&str]| before.iter().any(|w| super::text::has_root(w, roots));
        // "push it back by an hour": "back" with a verb that moves it.
        let back = before.contains(&"back")
            && before
                .iter()
                .any(|w| matches!(*w, "push" | "move" | "bring" | "put" | "set" | "shift"));
        // "bring it forward by an hour".
        let forward = before.contains(&"forward")
            && before
                .iter()
                .any(|w| matches!(*w, "bring" | "move" | "put"));
        let sign =
            if LATER.contains(&after) || back || root_before(&["mundur", "undur", "push", "delay"])
            {
                Some(1)
            } else if forward || EARLIER.contains(&after) || root_before(&["maju", "majuk"]) {
                Some(-1)
            } else if root_before(&["geser", "move", "shift"]) {
                Some(1)
            } else {
                None
            };
        if let Some(sign) = sign.filter(|_| minutes <= 30.0 * 24.0 * 60.0) {
            m.shift = Some(sign * minutes.round() as i32);
            let end = i + len + usize::from(LATER.contains(&after) || EARLIER.contains(&after));
            for k in i..end.min(t.len()) {
                m.used[k] = true;
            }
            return;
        }
    }
}

// ---------------------------------------------------------------- clocks

#[derive(Debug, Clone, Copy)]
struct RawClock {
    hour: u32,
    minute: u32,
    /// Written with minutes or a leading zero ("19.00", "07:00"), or 13+:
    /// a 24-hour reading.
    twenty_four: bool,
    pm: Option<bool>,
}

/// Parses "7", "19", "7pm", "7.30pm", "19:00", "19.00", "07:00", "7an".
fn parse_raw_clock(word: &str) -> Option<RawClock> {
    match word {
        "noon" | "midday" => {
            return Some(RawClock {
                hour: 12,
                minute: 0,
                twenty_four: true,
                pm: None,
            })
        }
        "midnight" => {
            return Some(RawClock {
                hour: 0,
                minute: 0,
                twenty_four: true,
                pm: None,
            })
        }
        _ => {}
    }
    let (body, pm) = if let Some(b) = word.strip_suffix("pm").or(word.strip_suffix('p')) {
        (b, Some(true))
    } else if let Some(b) = word.strip_suffix("am").or(word.strip_suffix('a')) {
        (b, Some(false))
    } else if let Some(b) = word.strip_suffix("an") {
        (b, None)
    } else {
        (word, None)
    };
    let body = body.strip_suffix("ish").unwrap_or(body);
    let (hour_text, minute_text) = match body.split_once([':', '.', 'h']) {
        Some((h, "")) if body.ends_with('h') => (h, None),
        Some((h, m)) => (h, Some(m)),
        // "1030", "730": hours and minutes run together.
        None if (3..=4).contains(&body.len()) && body.chars().all(|c| c.is_ascii_digit()) => {
            let (h, m) = body.split_at(body.len() - 2);
            (h, Some(m))
        }
        None => (body, None),
    };
    if hour_text.is_empty() || hour_text.len() > 2 || !hour_text.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let hour: u32 = hour_text.parse().ok()?;
    let minute: u32 = match minute_text {
        Some(m) if m.len() == 2 && m.chars().all(|c| c.is_ascii_digit()) => m.parse().ok()?,
        Some(_) => return None,
        None => 0,
    };
    if hour > 24 || minute > 59 || (pm.is_some() && (hour == 0 || hour > 12)) {
        return None;
    }
    Some(RawClock {
        hour,
        minute,
        // "10.00" is how Indonesians write ten in the morning (22.00 for the
        // evening); "10:00" stays open, as English speakers write both.
        twenty_four: hour_text.starts_with('0')
            || hour >= 13
            || minute_text.is_some() && (hour == 0 || body.contains('.')),
        pm,
    })
}

fn resolve(raw: RawClock, pm: Option<bool>, period: Option<Period>) -> Option<Clock> {
    let RawClock {
        hour,
        minute,
        twenty_four,
        ..
    } = raw;
    let fixed = twenty_four && (hour == 0 || hour == 12) && minute == 0 && raw.pm.is_none();
    let pm = if fixed { None } else { pm };
    let period = if fixed { None } else { period };
    let hour24 = match (raw.pm.or(pm), period) {
        (Some(true), _) => hour % 12 + 12,
        (Some(false), _) => hour % 12,
        (None, _) if hour >= 13 || hour == 0 || hour == 24 => hour % 24,
        (None, Some(Period::Morning)) if hour == 12 => 12,
        (None, Some(Period::Morning)) => hour % 12,
        (None, Some(Period::Midday)) => {
            if hour >= 11 {
                hour
            } else {
                hour + 12
            }
        }
        (None, Some(Period::Afternoon)) => hour % 12 + 12,
        (None, Some(Period::Evening)) => match hour {
            12 => 0,
            1..=3 => hour,
            _ => hour % 12 + 12,
        },
        (None, None) if twenty_four || hour == 12 => hour,
        (None, None) => return Some(Clock::Ambiguous(hour, minute)),
    };
    NaiveTime::from_hms_opt(hour24 % 24, minute, 0).map(Clock::Exact)
}

fn ampm(word: &str) -> Option<bool> {
    match word {
        "pm" | "p" => Some(true),
        "am" => Some(false),
        _ => None,
    }
}

/// A clock starting at token `i`: its raw reading, its own am/pm or period
/// word, and the tokens it takes.
struct ClockAt {
    raw: RawClock,
    pm: Option<bool>,
    period: Option<Period>,
    len: usize,
}

/// Reads a clock at `i`: "7", "7pm", "7 pm", "19.00", "setengah 8",
/// "half past 7", "quarter to 7", "noon", with a trailing am/pm or period
/// word ("jam 7 malam", "8 in the evening").
fn clock_at(t: &Tokens, i: usize) -> Option<ClockAt> {
    let w = t.at(i);
    let next = t.at(i + 1);
    let (mut raw, mut len) = match w {
        "setengah" => {
            let hour: u32 = next.parse().ok().filter(|h| (1..=24).contains(h))?;
            if HOUR_UNITS.contains(&t.at(i + 2)) {
                return None;
            }
            let raw = RawClock {
                hour: hour - 1,
                minute: 30,
                twenty_four: hour > 13,
                pm: None,
            };
            (raw, 2)
        }
        "tengah" if matches!(next, "malam" | "malem") => (
            RawClock {
                hour: 0,
                minute: 0,
                twenty_four: true,
                pm: None,
            },
            2,
        ),
        "half" | "quarter" if matches!(next, "past" | "to" | "after") => {
            let mut target = parse_raw_clock(t.at(i + 2))?;
            if target.minute != 0 {
                return None;
            }
            match (w, next) {
                ("half", _) => target.minute = 30,
                ("quarter", "to") => {
                    target.hour = if target.hour == 0 {
                        23
                    } else {
                        target.hour - 1
                    };
                    if target.pm.is_some() && target.hour == 0 {
                        target.hour = 12;
                    }
                    target.minute = 45;
                }
                _ => target.minute = 15,
            }
            (target, 3)
        }
        _ => match minutes_past(t, i) {
            Some(found) => found,
            None => match parse_raw_clock(w) {
                Some(raw) => (raw, 1),
                None => word_clock(t, i)?,
            },
        },
    };
    // "3 15", "jam 7 30": minutes written apart.
    if len == 1 && raw.minute == 0 && raw.pm.is_none() && !w.contains([':', '.']) {
        let m = t.at(i + 1);
        let after = t.at(i + 2);
        let unit_after = HOUR_UNITS.contains(&after)
            || MINUTE_UNITS.contains(&after)
            || after.chars().next().is_some_and(char::is_alphabetic)
                && !matches!(
                    after,
                    "pm" | "am"
                        | "malam"
                        | "pagi"
                        | "sore"
                        | "siang"
                        | "in"
                        | "on"
                        | "tomorrow"
                        | "besok"
                        | "today"
                );
        if m.len() == 2 && m.chars().all(|c| c.is_ascii_digit()) && !unit_after {
            if let Ok(minute) = m.parse::<u32>() {
                if minute < 60 {
                    raw.minute = minute;
                    len += 1;
                }
            }
        }
    }
    // "3ish", "3 oclock".
    while matches!(t.at(i + len), "ish" | "oclock" | "o'clock" | "tepat" | "an") {
        len += 1;
    }
    let mut pm = None;
    if let Some(p) = ampm(t.at(i + len)) {
        pm = Some(p);
        len += 1;
    } else if matches!(t.at(i + len), "p" | "a") && t.at(i + len + 1) == "m" {
        // "p.m." once tokenized.
        pm = Some(t.at(i + len) == "p");
        len += 2;
    }
    let mut period = None;
    let mut k = i + len;
    // "8 in the evening", "jam 7 malam", "jam 12 siang".
    if pm.is_none() && t.at(k) == "in" && t.at(k + 1) == "the" && matches!(t.at(k + 2), "am" | "pm")
    {
        pm = Some(t.at(k + 2) == "pm");
        len += 3;
        k += 3;
    }
    if t.at(k) == "in" && t.at(k + 1) == "the" {
        if let Some(p) = period_of(t.at(k + 2)) {
            period = Some(p);
            k += 3;
        }
    } else if matches!(t.at(k), "this" | "tomorrow" | "besok") && period_of(t.at(k + 1)).is_some() {
        // "8 this evening", "9 tomorrow morning": the day word stays for the date.
        period = period_of(t.at(k + 1));
    } else if t.at(k) == "at" && t.at(k + 1) == "night" {
        period = Some(Period::Evening);
        k += 2;
    } else if let Some(p) = period_of(t.at(k)) {
        period = Some(p);
        k += 1;
    }
    if period.is_some() {
        len = k - i;
    }
    Some(ClockAt {
        raw,
        pm,
        period,
        len,
    })
}

/// The period word just before token `i` ("malam ini jam 8", "sore jam 4",
/// "this afternoon at 3", "tonight 8"), skipping a day word and a lead.
fn period_before(t: &Tokens, i: usize) -> Option<Period> {
    let mut k = i;
    for _ in 0..4 {
        k = k.checked_sub(1)?;
        let w = t.at(k);
        if let Some(p) = period_of(w) {
            if is_greeting_lead(t.before(k)) {
                return None;
            }
            return Some(p);
        }
        if !(TIME_LEADS.contains(&w)
            || matches!(w, "ini" | "this" | "nanti" | "besok" | "tomorrow" | "today"))
        {
            return None;
        }
    }
    None
}

/// The first period word in the message that is not part of a greeting.
fn message_period(t: &Tokens) -> Option<Period> {
    t.words().iter().enumerate().find_map(|(i, w)| {
        if is_greeting_lead(t.before(i)) {
            return None;
        }
        // "selamat pagi" at the start is a greeting, "pagi min" too.
        if i == 0
            && matches!(w.as_str(), "pagi" | "siang" | "sore" | "malam" | "morning")
            && matches!(
                t.at(1),
                "min" | "kak" | "gan" | "admin" | "" | "bro" | "sis" | "all"
            )
        {
            return None;
        }
        period_of(w)
    })
}

/// Whether the number at `i` reads as a clock time from its neighbours.
fn looks_like_time(t: &Tokens, i: usize, found: &ClockAt) -> bool {
    let w = t.at(i);
    let prev = t.before(i);
    let next = t.at(i + found.len);
    if matches!(
        w,
        "setengah" | "half" | "quarter" | "noon" | "midday" | "midnight" | "tengah"
    ) {
        return true;
    }
    // "20 past 3", "eight thirty": more than one token read as the clock.
    if found.len > 1
        && (parse_raw_clock(w).is_none()
            || matches!(t.at(i + 1), "past" | "after" | "to" | "minutes"))
        && !matches!(t.at(i + 1), "jam" | "hours")
    {
        return TIME_LEADS.contains(&prev)
            || found.pm.is_some()
            || found.period.is_some()
            || matches!(t.at(i + 1), "past" | "after" | "to" | "minutes")
            || hour_word(w).is_some() && minute_words(t, i + 1).is_some();
    }
    let unit_follows = HOUR_UNITS.contains(&next) || MINUTE_UNITS.contains(&next);
    if found.raw.pm.is_some() || found.pm.is_some() || found.period.is_some() {
        return true;
    }
    if unit_follows {
        return false;
    }
    let h_clock = w.contains('h') && w.starts_with(|c: char| c.is_ascii_digit());
    if w.contains([':', '.']) || h_clock {
        return true;
    }
    if TIME_LEADS.contains(&prev) {
        // "from 8" only with a range after it.
        return !matches!(prev, "from" | "dari" | "mulai")
            || RANGE_JOINS.contains(&next)
            || prev == "mulai";
    }
    if period_before(t, i).is_some() && (1..=12).contains(&found.raw.hour) {
        return true;
    }
    // "tomorrow 8", "sabtu 7": a day word right before a bare hour.
    let day_before = matches!(prev, "tomorrow" | "besok" | "today" | "lusa" | "tonight")
        || weekday_of(prev).is_some() && prev != "minggu";
    if day_before
        && !matches!(
            next,
            "orang" | "people" | "pax" | "courts" | "court" | "lapangan"
        )
    {
        return true;
    }
    // "9 tomorrow", "8 tonight".
    if matches!(next, "tomorrow" | "besok" | "today" | "tonight") && found.raw.hour <= 24 {
        return true;
    }
    // "7 to 9pm", "8 sampai 10 malam": a range whose end says the half of day.
    if RANGE_JOINS.contains(&next) {
        if let Some(end) = clock_at(t, i + found.len + 1) {
            if end.raw.pm.is_some() || end.pm.is_some() || end.period.is_some() {
                return true;
            }
        }
    }
    // A range "7-9" with a time word around it.
    RANGE_JOINS.contains(&next) && next == "-" && parse_raw_clock(t.at(i + found.len + 1)).is_some()
}

fn find_clocks(t: &Tokens, m: &mut Mentions) {
    let global = message_period(t);
    let mut i = 0;
    while i < t.len() {
        if m.used[i] {
            i += 1;
            continue;
        }
        let Some(found) = clock_at(t, i) else {
            i += 1;
            continue;
        };
        if !looks_like_time(t, i, &found) {
            i += 1;
            continue;
        }
        // "jam 2 jam 30 menit": a lead then an amount is not a clock.
        let mut end_idx = i + found.len;
        // A range: "7-9pm", "jam 9 pagi sampai jam 12", "from 8 to 10".
        let join = t.at(end_idx);
        let mut end: Option<ClockAt> = None;
        let mut joined_by_to = false;
        if RANGE_JOINS.contains(&join) || matches!(join, "ke") {
            let mut k = end_idx + 1;
            if matches!(t.at(k), "jam" | "pukul" | "at") {
                k += 1;
            }
            if !m.used.get(k).copied().unwrap_or(true) {
                if let Some(e) = clock_at(t, k) {
                    joined_by_to = matches!(join, "to" | "ke");
                    end_idx = k + e.len;
                    end = Some(e);
                }
            }
        }
        let own_period = found.period.or_else(|| period_before(t, i));
        let start_pm = found.raw.pm.or(found.pm);
        let end_pm = end.as_ref().and_then(|e| e.raw.pm.or(e.pm));
        let end_period = end.as_ref().and_then(|e| e.period);
        // The start borrows the end's am/pm or period ("7-9pm", "jam 9-11
        // malam"); the end borrows the start's.
        let start_period = own_period.or(end_period).or(global);
        let start = resolve(found.raw, start_pm.or(end_pm), start_period);
        let end_clock = end.as_ref().and_then(|e| {
            let pm = end_pm.or(start_pm);
            let period = end_period.or(own_period).or(global);
            let borrowed = resolve(e.raw, pm, period);
            // "jam 9 pagi sampai jam 3": an end before a morning start is
            // in the afternoon.
            match (start, borrowed) {
                (Some(Clock::Exact(s)), Some(Clock::Exact(b)))
                    if b <= s
                        && e.raw.pm.is_none()
                        && end_pm.is_none()
                        && end_period.is_none()
                        && e.raw.hour < 12
                        && !e.raw.twenty_four =>
                {
                    NaiveTime::from_hms_opt(e.raw.hour + 12, e.raw.minute, 0).map(Clock::Exact)
                }
                _ => borrowed,
            }
        });
        if let Some(start) = start {
            m.clocks.push(ClockMention {
                at: i,
                start,
                end: end_clock,
                joined_by_to,
                old: false,
            });
            let lead = usize::from(TIME_LEADS.contains(&t.before(i)));
            for k in i - lead..end_idx.min(t.len()) {
                m.used[k] = true;
            }
        }
        i = end_idx.max(i + 1);
    }
    if m.clocks.is_empty() {
        m.period = global;
    }
}

// ---------------------------------------------------------------- durations

/// How long, in minutes: "2 jam", "1,5 jam", "sejam", "90 menit", "2h",
/// "an hour and a half", "1 jam setengah". Not "per jam" (a rate).
fn find_durations(t: &Tokens, m: &mut Mentions) {
    for i in 0..t.len() {
        if m.used[i] {
            continue;
        }
        let Some((len, minutes)) = amount_at(t, i) else {
            continue;
        };
        if (i..i + len).any(|k| m.used.get(k).copied().unwrap_or(false)) {
            continue;
        }
        let prev = t.before(i);
        let rate = matches!(prev, "per" | "tiap" | "setiap" | "/" | "perjam");
        // "jam 2 jam": a lead before the number makes it a clock.
        let lead = matches!(prev, "jam" | "pukul");
        // "harga 2 jam": still a length; "buka 24 jam": not believable.
        if rate || lead || minutes <= 0.0 || minutes > MAX_DURATION_MINUTES {
            continue;
        }
        m.durations.push(minutes.round() as u32);
        for k in i..(i + len).min(t.len()) {
            m.used[k] = true;
        }
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
    month_of(word).is_some()
}

/// A four-digit year a customer would write (1900–2100).
fn year_of(word: &str) -> Option<i32> {
    if word.len() != 4 || !word.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    word.parse().ok().filter(|y| (1900..=2100).contains(y))
}

fn next_number(word: &str) -> Result<u32, ()> {
    if word.is_empty() || word.len() > 2 {
        return Err(());
    }
    word.parse().map_err(|_| ())
}

/// The date with the year written at token `at`, if one is.
fn with_year(t: &Tokens, at: usize, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year_of(t.at(at))?, month, day)
}

/// "first" … "thirty-first" ("thirty first" once tokenized) as a day.
fn ordinal_word(word: &str) -> Option<u32> {
    const ORDINALS: [&str; 20] = [
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
        "twentieth",
    ];
    ORDINALS
        .iter()
        .position(|o| *o == word)
        .and_then(|p| u32::try_from(p + 1).ok())
        .or(match word {
            "thirtieth" => Some(30),
            _ => None,
        })
}

/// An hour said in words ("eight", "tujuh", "ten thirty", "dua belas").
fn word_clock(t: &Tokens, i: usize) -> Option<(RawClock, usize)> {
    let (hour, mut len) = match (t.at(i), t.at(i + 1)) {
        ("dua", "belas") => (12, 2),
        (w, _) => (hour_word(w)?, 1),
    };
    let mut minute = 0;
    if let Some((used, value)) = minute_words(t, i + len) {
        minute = value;
        len += used;
    }
    Some((
        RawClock {
            hour,
            minute,
            twenty_four: false,
            pm: None,
        },
        len,
    ))
}

fn hour_word(word: &str) -> Option<u32> {
    Some(match word {
        "one" | "satu" => 1,
        "two" | "dua" => 2,
        "three" | "tiga" => 3,
        "four" | "empat" => 4,
        "five" | "lima" => 5,
        "six" | "enam" => 6,
        "seven" | "tujuh" => 7,
        "eight" | "delapan" => 8,
        "nine" | "sembilan" => 9,
        "ten" | "sepuluh" => 10,
        "eleven" | "sebelas" => 11,
        "twelve" => 12,
        _ => return None,
    })
}

/// Minutes said in words after an hour: "thirty", "fifteen", "twenty three",
/// "oh three", "zero three".
fn minute_words(t: &Tokens, k: usize) -> Option<(usize, u32)> {
    let unit = |w: &str| match w {
        "one" => Some(1),
        "two" => Some(2),
        "three" => Some(3),
        "four" => Some(4),
        "five" => Some(5),
        "six" => Some(6),
        "seven" => Some(7),
        "eight" => Some(8),
        "nine" => Some(9),
        _ => None,
    };
    let w = t.at(k);
    let tens = match w {
        "twenty" => Some(20),
        "thirty" => Some(30),
        "forty" => Some(40),
        "fifty" => Some(50),
        _ => None,
    };
    if let Some(tens) = tens {
        return Some(match unit(t.at(k + 1)) {
            Some(u) => (2, tens + u),
            None => (1, tens),
        });
    }
    let teen = match w {
        "ten" => Some(10),
        "eleven" => Some(11),
        "twelve" => Some(12),
        "thirteen" => Some(13),
        "fourteen" => Some(14),
        "fifteen" => Some(15),
        "sixteen" => Some(16),
        "seventeen" => Some(17),
        "eighteen" => Some(18),
        "nineteen" => Some(19),
        _ => None,
    };
    if let Some(teen) = teen {
        return Some((1, teen));
    }
    if matches!(w, "oh" | "o" | "zero" | "ou") {
        return unit(t.at(k + 1)).map(|u| (2, u));
    }
    None
}

/// "20 past 3pm", "15 minutes past noon", "twenty after 3pm", "20 minutes
/// to 2pm", "15 to noon": minutes relative to an hour.
fn minutes_past(t: &Tokens, i: usize) -> Option<(RawClock, usize)> {
    let w = t.at(i);
    let minutes = w
        .parse::<u32>()
        .ok()
        .filter(|m| (1..60).contains(m))
        .or_else(|| {
            minute_words(t, i)
                .filter(|(used, _)| *used == 1)
                .map(|(_, m)| m)
        })?;
    let mut k = i + 1;
    let said_minutes = matches!(t.at(k), "minutes" | "menit" | "mins" | "min");
    if said_minutes {
        k += 1;
    }
    let direction = t.at(k);
    let target = parse_raw_clock(t.at(k + 1))?;
    let noon = matches!(t.at(k + 1), "noon" | "midnight");
    let mut raw = target;
    match direction {
        "past" | "after" => raw.minute = minutes,
        "to" | "before" if said_minutes || noon => {
            raw.hour = if raw.hour == 0 { 23 } else { raw.hour - 1 };
            raw.minute = 60 - minutes;
        }
        _ => return None,
    }
    Some((raw, k + 2 - i))
}
