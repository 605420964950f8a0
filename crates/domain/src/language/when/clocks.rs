//! Clock times and ranges: "7pm", "19.00", "jam 7 malam", "setengah 8",
//! "quarter to 7", "eight tonight", "1030", "13h30", "7 to 9pm", with the
//! period words that fix the half of the day.

use super::*;
use crate::language::text::Tokens;
use chrono::NaiveTime;

#[derive(Debug, Clone, Copy)]
pub(super) struct RawClock {
    pub(super) hour: u32,
    pub(super) minute: u32,
    /// Written with minutes or a leading zero ("19.00", "07:00"), or 13+:
    /// a 24-hour reading.
    pub(super) twenty_four: bool,
    pub(super) pm: Option<bool>,
}

/// Parses "7", "19", "7pm", "7.30pm", "19:00", "19.00", "07:00", "7an".
pub(super) fn parse_raw_clock(word: &str) -> Option<RawClock> {
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

pub(super) fn resolve(raw: RawClock, pm: Option<bool>, period: Option<Period>) -> Option<Clock> {
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

pub(super) fn ampm(word: &str) -> Option<bool> {
    match word {
        "pm" | "p" => Some(true),
        "am" => Some(false),
        _ => None,
    }
}

/// A clock starting at token `i`: its raw reading, its own am/pm or period
/// word, and the tokens it takes.
pub(super) struct ClockAt {
    pub(super) raw: RawClock,
    pub(super) pm: Option<bool>,
    pub(super) period: Option<Period>,
    pub(super) len: usize,
}

/// Reads a clock at `i`: "7", "7pm", "7 pm", "19.00", "setengah 8",
/// "half past 7", "quarter to 7", "noon", with a trailing am/pm or period
/// word ("jam 7 malam", "8 in the evening").
pub(super) fn clock_at(t: &Tokens, i: usize) -> Option<ClockAt> {
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
pub(super) fn period_before(t: &Tokens, i: usize) -> Option<Period> {
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
pub(super) fn message_period(t: &Tokens) -> Option<Period> {
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
pub(super) fn looks_like_time(t: &Tokens, i: usize, found: &ClockAt) -> bool {
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

pub(super) fn find_clocks(t: &Tokens, m: &mut Mentions) {
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

/// An hour said in words ("eight", "tujuh", "ten thirty", "dua belas").
pub(super) fn word_clock(t: &Tokens, i: usize) -> Option<(RawClock, usize)> {
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

pub(super) fn hour_word(word: &str) -> Option<u32> {
    number_name(word)
}

/// Minutes said in words after an hour: "thirty", "fifteen", "twenty three",
/// "oh three", "zero three".
pub(super) fn minute_words(t: &Tokens, k: usize) -> Option<(usize, u32)> {
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
pub(super) fn minutes_past(t: &Tokens, i: usize) -> Option<(RawClock, usize)> {
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
