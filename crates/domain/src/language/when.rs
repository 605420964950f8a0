//! Which day, what time and how long, read from a message's tokens.

use super::text::Tokens;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

/// The time-related facts found in one message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct When {
    pub date: Option<NaiveDate>,
    pub start: Option<NaiveTime>,
    pub ambiguous_start: Option<NaiveTime>,
    pub duration_minutes: Option<u32>,
}

/// Which half of the day a period word points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Period {
    Morning,
    Midday,
    Afternoon,
    Evening,
}

const HOUR_UNITS: &[&str] = &["jam", "hours", "hour", "hrs", "hr", "h", "jm"];
const MINUTE_UNITS: &[&str] = &["menit", "mnt", "min", "mins", "minute", "minutes"];
const TIME_LEADS: &[&str] = &["jam", "pukul", "pkl", "at", "@", "jm", "around", "sekitar"];
const RANGE_JOINS: &[&str] = &[
    "-", "to", "till", "until", "sampai", "sampe", "hingga", "sd", "until",
];

fn period_of(word: &str) -> Option<Period> {
    match word {
        "pagi" | "morning" => Some(Period::Morning),
        "siang" | "noon" => Some(Period::Midday),
        "sore" | "afternoon" => Some(Period::Afternoon),
        "malam" | "malem" | "mlm" | "evening" | "night" | "tonight" => Some(Period::Evening),
        _ => None,
    }
}

pub fn read(tokens: &Tokens, now: NaiveDateTime) -> When {
    let today = now.date();
    let period = find_period(tokens);
    let mut when = When {
        date: find_date(tokens, today),
        ..When::default()
    };
    if let Some((start, date)) = relative_start(tokens, now) {
        when.start = Some(start);
        when.date = Some(date);
        return when;
    }
    if let Some(found) = find_clock(tokens, period) {
        match found.start {
            Clock::Exact(time) => when.start = Some(time),
            Clock::Ambiguous(hour, minute) => {
                when.ambiguous_start = NaiveTime::from_hms_opt(hour, minute, 0);
            }
        }
        if let (Clock::Exact(start), Some(Clock::Exact(end))) = (found.start, found.end) {
            let mut minutes = (end - start).num_minutes();
            if minutes <= 0 {
                minutes += 24 * 60;
            }
            when.duration_minutes = u32::try_from(minutes).ok();
        }
    }
    if when.duration_minutes.is_none() {
        when.duration_minutes = find_duration(tokens);
    }
    when
}

/// The period word that qualifies a time, ignoring greetings ("selamat pagi").
fn find_period(tokens: &Tokens) -> Option<Period> {
    let words = tokens.words();
    words.iter().enumerate().find_map(|(i, word)| {
        let after_greeting = i > 0 && matches!(words[i - 1].as_str(), "selamat" | "good" | "met");
        if after_greeting {
            None
        } else {
            period_of(word)
        }
    })
}

fn weekday_of(word: &str) -> Option<Weekday> {
    Some(match word {
        "monday" | "mon" | "senin" => Weekday::Mon,
        "tuesday" | "tue" | "tues" | "selasa" => Weekday::Tue,
        "wednesday" | "wed" | "rabu" => Weekday::Wed,
        "thursday" | "thu" | "thur" | "thurs" | "kamis" => Weekday::Thu,
        "friday" | "fri" | "jumat" | "jumaat" => Weekday::Fri,
        "saturday" | "sat" | "sabtu" => Weekday::Sat,
        "sunday" | "sun" | "minggu" | "ahad" => Weekday::Sun,
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
        "august" | "aug" | "agustus" | "agu" | "agt" => 8,
        "september" | "sep" | "sept" => 9,
        "october" | "oct" | "oktober" | "okt" => 10,
        "november" | "nov" | "nopember" => 11,
        "december" | "dec" | "desember" | "des" => 12,
        _ => return None,
    })
}

/// The first `weekday` on or after `from`.
fn coming(from: NaiveDate, weekday: Weekday) -> NaiveDate {
    let ahead = (7 + weekday.num_days_from_monday() - from.weekday().num_days_from_monday()) % 7;
    from + Duration::days(i64::from(ahead))
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

fn find_date(tokens: &Tokens, today: NaiveDate) -> Option<NaiveDate> {
    let words = tokens.words();
    let word = |i: usize| words.get(i).map(String::as_str).unwrap_or("");
    if tokens.has_phrase(&["day", "after", "tomorrow"]) || tokens.has_any(&["lusa"]) {
        return Some(today + Duration::days(2));
    }
    if tokens.has_phrase(&["malam", "minggu"])
        || tokens.has_phrase(&["malem", "minggu"])
        || tokens.has_phrase(&["mlm", "minggu"])
    {
        return Some(coming(today, Weekday::Sat));
    }
    for (i, w) in words.iter().enumerate() {
        let w = w.as_str();
        match w {
            "tomorrow" | "tmrw" | "tmr" | "tomorow" | "tommorow" | "tommorrow" | "besok"
            | "bsk" | "besuk" | "bsok" | "esok" => {
                return Some(today + Duration::days(1));
            }
            "today" | "tonight" | "tdy" => return Some(today),
            "hari" | "malam" | "nanti"
                if word(i + 1) == "ini" || (w == "nanti" && word(i + 1) == "malam") =>
            {
                return Some(today)
            }
            "weekend" if word(i + 1) == "ini" || (i > 0 && word(i - 1) == "this") => {
                return Some(coming(today, Weekday::Sat));
            }
            _ => {}
        }
        if let Some(date) = slash_date(w, today) {
            return Some(date);
        }
        if let Ok(day) = w.parse::<u32>() {
            if let Some(month) = month_of(word(i + 1)) {
                if let Some(date) = upcoming(today, month, day) {
                    return Some(date);
                }
            }
            if i > 0 && matches!(word(i - 1), "tanggal" | "tgl" | "tg" | "date") {
                let this_month = NaiveDate::from_ymd_opt(today.year(), today.month(), day);
                match this_month {
                    Some(date) if date >= today => return Some(date),
                    _ => {
                        let next = today
                            .with_day(1)
                            .and_then(|d| d.checked_add_months(chrono::Months::new(1)));
                        if let Some(date) = next.and_then(|d| d.with_day(day)) {
                            return Some(date);
                        }
                    }
                }
            }
        }
        if let Some(month) = month_of(w) {
            if let Ok(day) = word(i + 1).parse::<u32>() {
                if let Some(date) = upcoming(today, month, day) {
                    return Some(date);
                }
            }
        }
        if let Some(weekday) = weekday_of(w) {
            // "minggu depan" / "minggu ini" alone mean next/this week, not Sunday.
            let is_week_word = w == "minggu"
                && (matches!(word(i + 1), "depan" | "ini" | "lalu")
                    || (i > 0 && weekday_of(word(i - 1)).is_some()));
            if is_week_word {
                continue;
            }
            let base = coming(today, weekday);
            let following_week = (word(i + 1) == "minggu" && word(i + 2) == "depan")
                || (word(i + 1) == "next" && word(i + 2) == "week");
            return Some(if following_week {
                base + Duration::days(7)
            } else {
                base
            });
        }
    }
    None
}

/// "1/12" (day/month, as Indonesians write it), "1/12/2026", "01/12/26".
fn slash_date(word: &str, today: NaiveDate) -> Option<NaiveDate> {
    let parts: Vec<&str> = word.split('/').collect();
    if parts.len() < 2 || parts.len() > 3 {
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

/// A clock reading before am/pm and period words are applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Clock {
    Exact(NaiveTime),
    /// Hour 1–11 and minutes, morning or evening unknown.
    Ambiguous(u32, u32),
}

#[derive(Debug, Clone, Copy)]
struct RawClock {
    hour: u32,
    minute: u32,
    /// Written with minutes or a leading zero ("19.00", "07:00"): a 24-hour reading.
    twenty_four: bool,
    pm: Option<bool>,
}

struct FoundClock {
    start: Clock,
    end: Option<Clock>,
}

/// Parses "7", "19", "7pm", "7.30pm", "19:00", "19.00", "07:00".
fn parse_raw_clock(word: &str) -> Option<RawClock> {
    let (body, pm) = if let Some(b) = word.strip_suffix("pm") {
        (b, Some(true))
    } else if let Some(b) = word.strip_suffix("am") {
        (b, Some(false))
    } else {
        (word, None)
    };
    let (hour_text, minute_text) = match body.split_once([':', '.']) {
        Some((h, m)) => (h, Some(m)),
        None => (body, None),
    };
    if hour_text.is_empty() || hour_text.len() > 2 || !hour_text.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let hour: u32 = hour_text.parse().ok()?;
    let minute: u32 = match minute_text {
        Some(m) if m.len() == 2 => m.parse().ok()?,
        Some(_) => return None,
        None => 0,
    };
    if hour > 24 || minute > 59 || (pm.is_some() && (hour == 0 || hour > 12)) {
        return None;
    }
    Some(RawClock {
        hour,
        minute,
        twenty_four: hour_text.starts_with('0') || hour >= 13,
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
    let hour24 = match (raw.pm.or(pm), period) {
        (Some(true), _) => hour % 12 + 12,
        (Some(false), _) => hour % 12,
        (None, _) if hour >= 13 || hour == 0 => hour % 24,
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
            1..=4 => hour,
            _ => hour % 12 + 12,
        },
        (None, None) if twenty_four || hour == 12 => hour,
        (None, None) => return Some(Clock::Ambiguous(hour, minute)),
    };
    NaiveTime::from_hms_opt(hour24 % 24, minute, 0).map(Clock::Exact)
}

fn find_clock(tokens: &Tokens, period: Option<Period>) -> Option<FoundClock> {
    let words = tokens.words();
    let word = |i: usize| words.get(i).map(String::as_str).unwrap_or("");
    let ampm = |i: usize| match word(i) {
        "pm" | "p" => Some(true),
        "am" | "a" => Some(false),
        _ => None,
    };
    for i in 0..words.len() {
        let w = word(i);
        let prev = if i > 0 { word(i - 1) } else { "" };
        // "setengah 8" = 7:30.
        if w == "setengah" {
            if let Ok(next_hour) = word(i + 1).parse::<u32>() {
                if (1..=24).contains(&next_hour) && !HOUR_UNITS.contains(&word(i + 2)) {
                    let raw = RawClock {
                        hour: next_hour - 1,
                        minute: 30,
                        twenty_four: next_hour > 13,
                        pm: None,
                    };
                    let start = resolve(raw, ampm(i + 2), period)?;
                    return Some(FoundClock { start, end: None });
                }
            }
            continue;
        }
        // Ranges written as one token: "19-21", "4pm-6pm", "7-9pm".
        if let Some((a, b)) = w.split_once('-') {
            if let (Some(ra), Some(rb)) = (parse_raw_clock(a), parse_raw_clock(b)) {
                let shared_pm = rb.pm.or(ampm(i + 1));
                let start = resolve(ra, shared_pm, period)?;
                let end = resolve(rb, shared_pm, period);
                return Some(FoundClock { start, end });
            }
            continue;
        }
        let Some(raw) = parse_raw_clock(w) else {
            continue;
        };
        let next = word(i + 1);
        let followed_by_unit = HOUR_UNITS.contains(&next) || MINUTE_UNITS.contains(&next);
        let is_time = raw.pm.is_some()
            || ampm(i + 1).is_some()
            || TIME_LEADS.contains(&prev)
            || period_of(next).is_some()
            || period_of(prev).is_some()
            || (w.contains([':', '.']) && !followed_by_unit);
        if !is_time || (followed_by_unit && !TIME_LEADS.contains(&prev)) {
            continue;
        }
        let mut end_raw = None;
        let mut pm = ampm(i + 1);
        let after = if pm.is_some() { i + 2 } else { i + 1 };
        if RANGE_JOINS.contains(&word(after)) {
            if let Some(rb) = parse_raw_clock(word(after + 1)) {
                end_raw = Some(rb);
                if pm.is_none() {
                    pm = rb.pm.or(ampm(after + 2));
                }
            }
        }
        let start = resolve(raw, pm, period)?;
        let end = end_raw.and_then(|rb| resolve(rb, rb.pm.or(pm), period));
        return Some(FoundClock { start, end });
    }
    None
}

/// "in 2 hours", "2 jam lagi": a start relative to now, not a duration.
fn relative_start(tokens: &Tokens, now: NaiveDateTime) -> Option<(NaiveTime, NaiveDate)> {
    let words = tokens.words();
    for i in 0..words.len() {
        let Some(hours) = number_word(&words[i]) else {
            continue;
        };
        let unit = words.get(i + 1).map(String::as_str).unwrap_or("");
        let is_hours = HOUR_UNITS.contains(&unit);
        let is_minutes = MINUTE_UNITS.contains(&unit);
        if !(is_hours || is_minutes) {
            continue;
        }
        let before_in = i > 0 && words[i - 1] == "in";
        let after_lagi = words.get(i + 2).is_some_and(|w| w == "lagi");
        if before_in || after_lagi {
            let minutes = if is_hours { hours * 60.0 } else { hours };
            let at = now + Duration::minutes(minutes.round() as i64);
            return Some((at.time(), at.date()));
        }
    }
    None
}

/// "2", "1,5", "1.5", "dua", "two", "an".
fn number_word(word: &str) -> Option<f64> {
    let named = match word {
        "a" | "an" | "one" | "satu" | "se" => Some(1.0),
        "two" | "dua" => Some(2.0),
        "three" | "tiga" => Some(3.0),
        "four" | "empat" => Some(4.0),
        "five" | "lima" => Some(5.0),
        _ => None,
    };
    named.or_else(|| {
        let value: f64 = word.replace(',', ".").parse().ok()?;
        (value > 0.0 && value <= 24.0 * 60.0).then_some(value)
    })
}

/// How long, in minutes: "2 jam", "1,5 jam", "sejam", "90 menit", "2h",
/// "an hour and a half", "1 jam setengah". Not "per jam" (a rate), not
/// "jam 7" (a time), not "mundur sejam" (a shift).
fn find_duration(tokens: &Tokens) -> Option<u32> {
    let words = tokens.words();
    let word = |i: usize| words.get(i).map(String::as_str).unwrap_or("");
    let is_shift = |i: usize| {
        matches!(word(i.wrapping_sub(1)), "mundur" | "maju" | "geser")
            || matches!(word(i + 1), "later" | "earlier" | "lebih" | "kemudian")
    };
    for i in 0..words.len() {
        let w = word(i);
        if w == "sejam" && !is_shift(i) {
            return Some(if word(i + 1) == "setengah" { 90 } else { 60 });
        }
        if w == "setengah" && HOUR_UNITS.contains(&word(i + 1)) {
            return Some(30);
        }
        // Single tokens with a unit: "2h", "1.5h", "2hrs", "90min".
        let split = w.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(w.len());
        let (number, unit) = w.split_at(split);
        if !number.is_empty() && !unit.is_empty() {
            if let Some(value) = number_word(number) {
                if HOUR_UNITS.contains(&unit) && unit != "jam" {
                    return Some((value * 60.0).round() as u32);
                }
                if MINUTE_UNITS.contains(&unit) {
                    return Some(value.round() as u32);
                }
            }
            continue;
        }
        let Some(value) = number_word(w) else {
            continue;
        };
        let unit = word(i + 1);
        let prev = word(i.wrapping_sub(1));
        if TIME_LEADS.contains(&prev) || is_shift(i) || is_shift(i + 1) {
            continue;
        }
        if HOUR_UNITS.contains(&unit) {
            let half = (word(i + 2) == "setengah")
                || (word(i + 2) == "and" && word(i + 3) == "a" && word(i + 4) == "half")
                || (word(i + 1) == "and" && word(i + 2) == "a" && word(i + 3) == "half");
            let minutes = value * 60.0 + if half { 30.0 } else { 0.0 };
            return Some(minutes.round() as u32);
        }
        if unit == "and"
            && word(i + 2) == "a"
            && word(i + 3) == "half"
            && HOUR_UNITS.contains(&word(i + 4))
        {
            return Some((value * 60.0 + 30.0).round() as u32);
        }
        if MINUTE_UNITS.contains(&unit) {
            return Some(value.round() as u32);
        }
    }
    None
}
