//! Amounts of time: lengths ("2 jam", "an hour and a half"), starts
//! relative to now ("2 jam lagi", "in 2 hours") and shifts of an existing
//! booking ("mundur sejam", "bring it forward by an hour").

use super::*;
use crate::language::text::Tokens;
use chrono::{Duration, NaiveDateTime};

/// An amount of time at token `i`, in minutes, and how many tokens it takes:
/// "2 jam", "sejam", "30 menit", "an hour", "setengah jam", "1,5 jam",
/// "half an hour", "an hour and a half", "2h".
pub(super) fn amount_at(t: &Tokens, i: usize) -> Option<(usize, f64)> {
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
pub(super) fn number_value(word: &str) -> Option<f64> {
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
pub(super) fn find_relative_start(t: &Tokens, now: NaiveDateTime, m: &mut Mentions) {
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

pub(super) const LATER: &[&str] = &["later", "back", "lebih", "kemudian", "after"];
pub(super) const EARLIER: &[&str] = &["earlier", "forward", "sooner", "before", "cepat", "awal"];

/// "mundur sejam", "majuin 30 menit", "an hour later", "push it back an
/// hour": moving an existing booking, never a length.
pub(super) fn find_shift(t: &Tokens, m: &mut Mentions) {
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
        let root_before = |roots: &[&str]| {
            before
                .iter()
                .any(|w| crate::language::text::has_root(w, roots))
        };
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

/// How long, in minutes: "2 jam", "1,5 jam", "sejam", "90 menit", "2h",
/// "an hour and a half", "1 jam setengah". Not "per jam" (a rate).
pub(super) fn find_durations(t: &Tokens, m: &mut Mentions) {
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
