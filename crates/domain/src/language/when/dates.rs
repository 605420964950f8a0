//! Days: relative ("besok", "3 hari lagi"), weekdays ("sabtu minggu depan"),
//! calendar dates in every order ("5 Desember", "December 1st", "1/12",
//! "2026-12-05", "13 to 15 July"), with or without a year.

use super::*;
use crate::language::text::Tokens;
use chrono::{Datelike, Duration, NaiveDate, Weekday};

pub(super) fn weekday_of(word: &str) -> Option<Weekday> {
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

pub(super) fn month_of(word: &str) -> Option<u32> {
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
pub(super) fn day_number(word: &str) -> Option<u32> {
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

pub(super) fn is_ordinal(word: &str) -> bool {
    ["st", "nd", "rd", "th"].iter().any(|s| {
        word.strip_suffix(s)
            .is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()))
    })
}

/// The first `weekday` on or after `from`.
pub(super) fn coming(from: NaiveDate, weekday: Weekday) -> NaiveDate {
    let ahead = (7 + weekday.num_days_from_monday() - from.weekday().num_days_from_monday()) % 7;
    from.checked_add_signed(Duration::days(i64::from(ahead)))
        .unwrap_or(from)
}

/// `weekday` in the week after this one (weeks start on Monday).
pub(super) fn in_next_week(today: NaiveDate, weekday: Weekday) -> NaiveDate {
    let ahead = 7 + i64::from(weekday.num_days_from_monday())
        - i64::from(today.weekday().num_days_from_monday());
    today
        .checked_add_signed(Duration::days(ahead))
        .unwrap_or(today)
}

/// A day and month without a year: this year, or next year once it has passed.
pub(super) fn upcoming(today: NaiveDate, month: u32, day: u32) -> Option<NaiveDate> {
    let this_year = NaiveDate::from_ymd_opt(today.year(), month, day)?;
    if this_year >= today {
        Some(this_year)
    } else {
        NaiveDate::from_ymd_opt(today.year() + 1, month, day)
    }
}

/// A day of the month alone ("tgl 30", "the 2nd"): this month, or next
/// month once it has passed.
pub(super) fn day_of_month(today: NaiveDate, day: u32) -> Option<NaiveDate> {
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

/// One to twelve said in words, in English or Indonesian.
pub(super) fn number_name(word: &str) -> Option<u32> {
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

/// A count: "a", "se", one to ten in words, or up to three digits.
pub(super) fn small_number(word: &str) -> Option<u32> {
    if let Some(n) = number_name(word).filter(|n| *n <= 10) {
        return Some(n);
    }
    Some(match word {
        "a" | "an" | "se" => 1,
        other => {
            if other.len() > 3 || !other.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            other.parse().ok()?
        }
    })
}

pub(super) fn find_dates(t: &Tokens, today: NaiveDate, m: &mut Mentions) {
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
pub(super) fn date_at(t: &Tokens, i: usize, today: NaiveDate) -> Option<(usize, NaiveDate, bool)> {
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
pub(super) fn slash_date(word: &str, today: NaiveDate) -> Option<NaiveDate> {
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

/// Whether `word` names a month ("dec", "desember").
pub(super) fn is_month(word: &str) -> bool {
    month_of(word).is_some()
}

/// A four-digit year a customer would write (1900–2100).
pub(super) fn year_of(word: &str) -> Option<i32> {
    if word.len() != 4 || !word.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    word.parse().ok().filter(|y| (1900..=2100).contains(y))
}

pub(super) fn next_number(word: &str) -> Result<u32, ()> {
    if word.is_empty() || word.len() > 2 {
        return Err(());
    }
    word.parse().map_err(|_| ())
}

/// The date with the year written at token `at`, if one is.
pub(super) fn with_year(t: &Tokens, at: usize, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year_of(t.at(at))?, month, day)
}

/// "first" … "thirty-first" ("thirty first" once tokenized) as a day.
pub(super) fn ordinal_word(word: &str) -> Option<u32> {
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
