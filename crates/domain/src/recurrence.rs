//! Recurring series: the part of RFC 5545 RRULE a venue needs — weekly or
//! monthly, every N weeks/months, on given weekdays or days of the month,
//! until a date or for a count.
//!
//! Occurrences are expanded in the outlet's local wall-clock time (a weekly
//! 19:00 game stays at 19:00 across a DST change) and only then turned into
//! instants. Expansion is bounded, so a rule without an end cannot run away.

use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime, Weekday};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The most occurrences one series may have.
pub const MAX_OCCURRENCES: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Frequency {
    Weekly,
    Monthly,
}

/// A weekday, optionally the n-th of the month (`2SA`, `-1FR`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ByDay {
    pub nth: Option<i8>,
    pub weekday: Weekday,
}

/// How a series ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum End {
    Count(u32),
    /// The last local date an occurrence may fall on.
    Until(NaiveDate),
}

/// A parsed RRULE.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub frequency: Frequency,
    pub interval: u32,
    pub by_day: Vec<ByDay>,
    pub by_month_day: Vec<i8>,
    pub end: End,
}

/// Why an RRULE was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("{0:?} is not a NAME=VALUE part of an RRULE")]
    Malformed(String),
    #[error("FREQ must be WEEKLY or MONTHLY")]
    Frequency,
    #[error("{0} has an invalid value {1:?}")]
    Value(&'static str, String),
    #[error("a series needs COUNT or UNTIL, not both and not neither")]
    End,
    #[error("{0} is not supported in a booking series")]
    Unsupported(String),
    #[error("a series has at most {MAX_OCCURRENCES} occurrences")]
    TooMany,
    #[error("{0} is given twice")]
    Repeated(String),
}

fn weekday_code(code: &str) -> Option<Weekday> {
    Some(match code {
        "MO" => Weekday::Mon,
        "TU" => Weekday::Tue,
        "WE" => Weekday::Wed,
        "TH" => Weekday::Thu,
        "FR" => Weekday::Fri,
        "SA" => Weekday::Sat,
        "SU" => Weekday::Sun,
        _ => return None,
    })
}

fn code_of(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

impl Rule {
    /// Parses `FREQ=WEEKLY;BYDAY=TU,TH;COUNT=8` (an optional `RRULE:` prefix is allowed).
    pub fn parse(text: &str) -> Result<Rule, RuleError> {
        let body = text.trim().strip_prefix("RRULE:").unwrap_or(text.trim());
        let (mut frequency, mut interval, mut count, mut until) = (None, 1u32, None, None);
        let (mut by_day, mut by_month_day) = (Vec::new(), Vec::new());
        let mut seen: Vec<String> = Vec::new();
        for part in body.split(';').filter(|p| !p.is_empty()) {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| RuleError::Malformed(part.to_string()))?;
            // "COUNT=2;COUNT=3" is ambiguous: refuse it rather than guess.
            let upper = name.to_ascii_uppercase();
            if seen.contains(&upper) {
                return Err(RuleError::Repeated(upper));
            }
            seen.push(upper);
            let bad = |field: &'static str| RuleError::Value(field, value.to_string());
            match name.to_ascii_uppercase().as_str() {
                "FREQ" => {
                    frequency = Some(match value.to_ascii_uppercase().as_str() {
                        "WEEKLY" => Frequency::Weekly,
                        "MONTHLY" => Frequency::Monthly,
                        _ => return Err(RuleError::Frequency),
                    })
                }
                "INTERVAL" => {
                    interval = value
                        .parse()
                        .ok()
                        .filter(|n| (1..=52).contains(n))
                        .ok_or_else(|| bad("INTERVAL"))?
                }
                "COUNT" => {
                    count = Some(
                        value
                            .parse::<u32>()
                            .ok()
                            .filter(|n| *n >= 1)
                            .ok_or_else(|| bad("COUNT"))?,
                    )
                }
                "UNTIL" => {
                    let date = value.get(..8).ok_or_else(|| bad("UNTIL"))?;
                    until =
                        Some(NaiveDate::parse_from_str(date, "%Y%m%d").map_err(|_| bad("UNTIL"))?);
                }
                "BYDAY" => {
                    for item in value.split(',') {
                        let item = item.trim().to_ascii_uppercase();
                        let split = item.len().checked_sub(2).ok_or_else(|| bad("BYDAY"))?;
                        let (nth, code) = item.split_at(split);
                        let weekday = weekday_code(code).ok_or_else(|| bad("BYDAY"))?;
                        let nth = match nth.trim_start_matches('+') {
                            "" => None,
                            n => Some(
                                n.parse::<i8>()
                                    .ok()
                                    .filter(|n| (-5..=5).contains(n) && *n != 0)
                                    .ok_or_else(|| bad("BYDAY"))?,
                            ),
                        };
                        // "MO,MO" is Monday once, not two bookings at once.
                        let day = ByDay { nth, weekday };
                        if !by_day.contains(&day) {
                            by_day.push(day);
                        }
                    }
                }
                "BYMONTHDAY" => {
                    for item in value.split(',') {
                        let day = item
                            .trim()
                            .parse::<i8>()
                            .ok()
                            .filter(|d| (1..=31).contains(d) || (-31..=-1).contains(d));
                        let day = day.ok_or_else(|| bad("BYMONTHDAY"))?;
                        if !by_month_day.contains(&day) {
                            by_month_day.push(day);
                        }
                    }
                }
                "WKST" => {}
                other => return Err(RuleError::Unsupported(other.to_string())),
            }
        }
        let frequency = frequency.ok_or(RuleError::Frequency)?;
        let end = match (count, until) {
            (Some(n), None) if n as usize > MAX_OCCURRENCES => return Err(RuleError::TooMany),
            (Some(n), None) => End::Count(n),
            (None, Some(date)) => End::Until(date),
            _ => return Err(RuleError::End),
        };
        if frequency == Frequency::Weekly && by_day.iter().any(|d| d.nth.is_some()) {
            return Err(RuleError::Value(
                "BYDAY",
                "an ordinal needs FREQ=MONTHLY".into(),
            ));
        }
        Ok(Rule {
            frequency,
            interval,
            by_day,
            by_month_day,
            end,
        })
    }

    /// Local start times of every occurrence, the first being `first` itself
    /// when it matches the rule (RFC 5545's DTSTART).
    pub fn occurrences(&self, first: NaiveDateTime) -> Result<Vec<NaiveDateTime>, RuleError> {
        let mut out = Vec::new();
        let start_date = first.date();
        let mut period = 0u32;
        // Enough periods to cover MAX_OCCURRENCES even with sparse rules.
        while period < 5 * MAX_OCCURRENCES as u32 {
            let mut dates = self.dates_in_period(start_date, period);
            dates.sort();
            for date in dates {
                if date < start_date {
                    continue;
                }
                match self.end {
                    End::Until(last) if date > last => return Ok(out),
                    End::Count(n) if out.len() as u32 >= n => return Ok(out),
                    _ => {}
                }
                if out.len() >= MAX_OCCURRENCES {
                    return Err(RuleError::TooMany);
                }
                out.push(date.and_time(first.time()));
            }
            period += 1;
        }
        Ok(out)
    }

    fn dates_in_period(&self, start: NaiveDate, period: u32) -> Vec<NaiveDate> {
        match self.frequency {
            Frequency::Weekly => {
                let monday =
                    start - Duration::days(i64::from(start.weekday().num_days_from_monday()));
                let week = monday + Duration::weeks(i64::from(period * self.interval));
                if self.by_day.is_empty() {
                    vec![week + Duration::days(i64::from(start.weekday().num_days_from_monday()))]
                } else {
                    self.by_day
                        .iter()
                        .map(|d| week + Duration::days(i64::from(d.weekday.num_days_from_monday())))
                        .collect()
                }
            }
            Frequency::Monthly => {
                let Some(month) = start
                    .with_day(1)
                    .and_then(|d| d.checked_add_months(Months::new(period * self.interval)))
                else {
                    return Vec::new();
                };
                let days_in_month = month
                    .checked_add_months(Months::new(1))
                    .map(|next| (next - month).num_days())
                    .unwrap_or(31);
                let by_month_day = self.by_month_day.iter().filter_map(|&d| {
                    let day = if d > 0 {
                        i64::from(d)
                    } else {
                        days_in_month + 1 + i64::from(d)
                    };
                    (1..=days_in_month)
                        .contains(&day)
                        .then(|| month + Duration::days(day - 1))
                });
                let by_day = self.by_day.iter().flat_map(|d| {
                    let all: Vec<NaiveDate> = (0..days_in_month)
                        .map(|i| month + Duration::days(i))
                        .filter(|date| date.weekday() == d.weekday)
                        .collect();
                    match d.nth {
                        None => all,
                        Some(n) if n > 0 => all.get(n as usize - 1).copied().into_iter().collect(),
                        Some(n) => all
                            .len()
                            .checked_sub(n.unsigned_abs() as usize)
                            .and_then(|i| all.get(i).copied())
                            .into_iter()
                            .collect(),
                    }
                });
                let mut dates: Vec<NaiveDate> = by_month_day.chain(by_day).collect();
                if self.by_day.is_empty() && self.by_month_day.is_empty() {
                    // Same day of the month as the first; months without it are skipped (RFC 5545).
                    if let Some(date) = month.with_day(start.day()) {
                        dates.push(date);
                    }
                }
                dates.dedup();
                dates
            }
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let freq = match self.frequency {
            Frequency::Weekly => "WEEKLY",
            Frequency::Monthly => "MONTHLY",
        };
        write!(f, "FREQ={freq}")?;
        if self.interval != 1 {
            write!(f, ";INTERVAL={}", self.interval)?;
        }
        if !self.by_day.is_empty() {
            let days: Vec<String> = self
                .by_day
                .iter()
                .map(|d| {
                    format!(
                        "{}{}",
                        d.nth.map(|n| n.to_string()).unwrap_or_default(),
                        code_of(d.weekday)
                    )
                })
                .collect();
            write!(f, ";BYDAY={}", days.join(","))?;
        }
        if !self.by_month_day.is_empty() {
            let days: Vec<String> = self.by_month_day.iter().map(ToString::to_string).collect();
            write!(f, ";BYMONTHDAY={}", days.join(","))?;
        }
        match self.end {
            End::Count(n) => write!(f, ";COUNT={n}"),
            End::Until(date) => write!(f, ";UNTIL={}", date.format("%Y%m%d")),
        }
    }
}

#[cfg(test)]
#[path = "recurrence_tests.rs"]
mod tests;
