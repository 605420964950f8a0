//! Reading the model's tool arguments like API input: a bad one is
//! [`Refusal::Invalid`] with a sentence the model can act on.

use super::{invalid, Refusal};
use chrono::{Duration, NaiveDate, NaiveTime};
use domain::BookingCode;
use serde_json::{Map, Value};

/// Longest free-text argument (a question, a reason).
pub(super) const MAX_TEXT_ARG: usize = 500;
/// How far ahead a date may be asked about (beyond any venue's horizon).
const MAX_DAYS_AHEAD: i64 = 731;

pub(super) fn text_arg(args: &Map<String, Value>, name: &str) -> Result<String, Refusal> {
    optional_text(args, name)?.ok_or_else(|| invalid(format!("{name} is required")))
}

pub(super) fn optional_text(
    args: &Map<String, Value>,
    name: &str,
) -> Result<Option<String>, Refusal> {
    match args.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) if s.chars().count() > MAX_TEXT_ARG => {
            Err(invalid(format!("{name} is too long")))
        }
        Some(Value::String(s)) => Ok(Some(s.trim().to_owned())),
        Some(_) => Err(invalid(format!("{name} must be a string"))),
    }
}

/// A date argument, from the day before `today` to two years ahead:
/// chrono reads years of any length ("+262142-12-31"), which date
/// arithmetic further down cannot take.
pub(super) fn date_arg(
    args: &Map<String, Value>,
    name: &str,
    today: NaiveDate,
) -> Result<NaiveDate, Refusal> {
    let text = text_arg(args, name)?;
    let date = NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .ok()
        .filter(|_| text.len() == 10)
        .ok_or_else(|| invalid(format!("{name} must be a date as YYYY-MM-DD")))?;
    let first = today - Duration::days(1);
    let last = today + Duration::days(MAX_DAYS_AHEAD);
    if date < first || date > last {
        return Err(invalid(format!("{name} must be from {first} to {last}")));
    }
    Ok(date)
}

pub(super) fn time_arg(args: &Map<String, Value>, name: &str) -> Result<NaiveTime, Refusal> {
    let text = text_arg(args, name)?;
    NaiveTime::parse_from_str(&text, "%H:%M")
        .map_err(|_| invalid(format!("{name} must be a 24-hour time as HH:MM")))
}

pub(super) fn code_arg(args: &Map<String, Value>) -> Result<BookingCode, Refusal> {
    let text = text_arg(args, "code")?;
    BookingCode::parse(&text).map_err(|_| invalid("code is not a booking code"))
}

pub(super) fn optional_minutes(args: &Map<String, Value>) -> Result<Option<i64>, Refusal> {
    match args.get("minutes") {
        None | Some(Value::Null) => Ok(None),
        Some(value) => match value.as_i64() {
            Some(m) if (15..=24 * 60).contains(&m) => Ok(Some(m)),
            _ => Err(invalid("minutes must be a whole number from 15 to 1440")),
        },
    }
}

pub(super) fn cut(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}
