//! Prices: a base hourly rate plus rules (peak hours on given weekdays,
//! weekends, specific dates), each a multiplier or a fixed hourly price,
//! with a priority. A booking that spans rule boundaries is priced piece by
//! piece, and the quote shows the pieces, so a customer can see why
//! 17:00–19:00 costs more than twice 16:00–17:00.

use crate::calendar_words::{month, weekday};
use crate::language::Lang;
use crate::money::{Money, MoneyError};
use crate::opening_hours::local_to_utc;
use crate::time_range::TimeRange;
use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Timelike, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// When a rule applies, in the outlet's local time. Every given part must
/// match: weekdays (empty = any), dates (empty = any), and the time of day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RuleWhen {
    /// `Mon` … `Sun`; empty: any day.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<WeekdayName>))]
    pub weekdays: Vec<Weekday>,
    pub dates: Vec<NaiveDate>,
    /// Minutes after local midnight, `from_minute < to_minute <= 1440`.
    pub from_minute: u16,
    pub to_minute: u16,
}

impl RuleWhen {
    /// All day on the given weekdays.
    pub fn weekdays(days: &[Weekday]) -> Self {
        RuleWhen {
            weekdays: days.to_vec(),
            dates: Vec::new(),
            from_minute: 0,
            to_minute: 1440,
        }
    }

    /// All day on the given dates (public holidays, events).
    pub fn dates(dates: &[NaiveDate]) -> Self {
        RuleWhen {
            weekdays: Vec::new(),
            dates: dates.to_vec(),
            from_minute: 0,
            to_minute: 1440,
        }
    }

    /// Each weekday and date once, in order: what the rule means, kept
    /// small however the request repeated them.
    pub fn normalized(mut self) -> Self {
        self.weekdays.sort_by_key(|d| d.num_days_from_monday());
        self.weekdays.dedup();
        self.dates.sort_unstable();
        self.dates.dedup();
        self
    }

    /// Narrows to a time of day, e.g. peak hours 17:00–22:00.
    pub fn between(mut self, from_minute: u16, to_minute: u16) -> Self {
        self.from_minute = from_minute;
        self.to_minute = to_minute;
        self
    }

    fn matches(&self, date: NaiveDate, minute: u16) -> bool {
        (self.weekdays.is_empty() || self.weekdays.contains(&date.weekday()))
            && (self.dates.is_empty() || self.dates.contains(&date))
            && self.from_minute <= minute
            && minute < self.to_minute
    }
}

/// A weekday as rules are written in JSON (chrono's own names), for the
/// OpenAPI document only.
#[cfg(feature = "openapi")]
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub enum WeekdayName {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

/// How a rule changes the hourly price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Adjustment {
    /// The base rate times `permille / 1000` (1500 = ×1.5).
    Multiplier { permille: i64 },
    /// This hourly price instead of the base rate.
    FixedHourly { price: Money },
}

/// A pricing rule; among rules that apply, the highest priority wins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PriceRule {
    pub name: String,
    pub priority: i32,
    pub when: RuleWhen,
    pub adjustment: Adjustment,
}

/// The largest multiplier a rule may apply (×100): with
/// [`MAX_HOURLY_MINOR`] it keeps every quote far inside `i64`, so pricing
/// arithmetic can never overflow into a failed booking.
pub const MAX_PERMILLE: i64 = 100_000;

/// The largest fixed hourly price a rule may set, in minor units.
pub const MAX_HOURLY_MINOR: i64 = 1_000_000_000_000;

/// Why a rule or quote was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PricingError {
    #[error("rule {0:?}: the time of day must run forward within one day")]
    BadHours(String),
    #[error("rule {0:?}: a multiplier is from 1 to 100000 permille (×0.001 to ×100)")]
    BadMultiplier(String),
    #[error("rule {0:?}: a price cannot be negative")]
    NegativePrice(String),
    #[error("rule {0:?}: an hourly price is at most 1000000000000 minor units")]
    PriceTooHigh(String),
    #[error("rule {0:?}: a rule lists at most 366 dates")]
    TooManyDates(String),
    #[error("rule {0:?}: dates are between the years 2000 and 2200")]
    DateOutOfRange(String),
    #[error(transparent)]
    Money(#[from] MoneyError),
}

/// The most dates one rule may list: a year of holidays, not a list that
/// makes every quote and every page showing the rule slow.
pub const MAX_RULE_DATES: usize = 366;

/// The years a rule's dates may fall in: a typo like 20260 or 0202 is
/// refused rather than stored for a day that never comes.
const RULE_YEARS: std::ops::RangeInclusive<i32> = 2000..=2200;

impl PriceRule {
    pub fn validate(&self, base: Money) -> Result<(), PricingError> {
        if self.when.from_minute >= self.when.to_minute || self.when.to_minute > 1440 {
            return Err(PricingError::BadHours(self.name.clone()));
        }
        if self.when.dates.len() > MAX_RULE_DATES {
            return Err(PricingError::TooManyDates(self.name.clone()));
        }
        if self
            .when
            .dates
            .iter()
            .any(|date| !RULE_YEARS.contains(&date.year()))
        {
            return Err(PricingError::DateOutOfRange(self.name.clone()));
        }
        match self.adjustment {
            Adjustment::Multiplier { permille } if !(1..=MAX_PERMILLE).contains(&permille) => {
                Err(PricingError::BadMultiplier(self.name.clone()))
            }
            Adjustment::FixedHourly { price } if price.minor < 0 => {
                Err(PricingError::NegativePrice(self.name.clone()))
            }
            Adjustment::FixedHourly { price } if price.minor > MAX_HOURLY_MINOR => {
                Err(PricingError::PriceTooHigh(self.name.clone()))
            }
            Adjustment::FixedHourly { price } if price.currency != base.currency => Err(
                MoneyError::CurrencyMismatch(price.currency.code(), base.currency.code()).into(),
            ),
            _ => Ok(()),
        }
    }

    /// The rule in words for staff, e.g. "Mon–Fri 17:00–23:00: ×1.5" or
    /// "25 Dec 2026: Rp 300.000/hour".
    pub fn describe(&self) -> String {
        self.describe_in(Lang::En)
    }

    /// [`PriceRule::describe`] in `lang`: "Senin–Jumat 17:00–23:00: ×1,5"
    /// (Indonesian writes a decimal comma, as it writes Rp 300.000),
    /// "25 Des 2026: Rp 300.000/jam".
    pub fn describe_in(&self, lang: Lang) -> String {
        let days = describe_weekdays(lang, &self.when.weekdays);
        let dates: Vec<String> = self
            .when
            .dates
            .iter()
            .map(|d| format!("{} {} {}", d.day(), month(lang, d.month0()), d.year()))
            .collect();
        let hours = if self.when.from_minute == 0 && self.when.to_minute >= 1440 {
            String::new()
        } else {
            let hm = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
            format!("{}–{}", hm(self.when.from_minute), hm(self.when.to_minute))
        };
        let when: Vec<String> = [days, dates.join(", "), hours]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect();
        let when = if when.is_empty() {
            match lang {
                Lang::En => "Always".to_string(),
                Lang::Id => "Selalu".to_string(),
            }
        } else {
            when.join(" ")
        };
        let change = match self.adjustment {
            Adjustment::Multiplier { permille } => {
                let point = match lang {
                    Lang::En => '.',
                    Lang::Id => ',',
                };
                let text = format!("{}{point}{:03}", permille / 1000, permille % 1000);
                format!("×{}", text.trim_end_matches('0').trim_end_matches(point))
            }
            Adjustment::FixedHourly { price } => match lang {
                Lang::En => format!("{price}/hour"),
                Lang::Id => format!("{price}/jam"),
            },
        };
        format!("{when}: {change}")
    }

    fn hourly(&self, base: Money) -> Money {
        match self.adjustment {
            Adjustment::Multiplier { permille } => {
                let scaled = i128::from(base.minor) * i128::from(permille);
                Money::new(
                    i64::try_from((scaled + 500) / 1000).unwrap_or(i64::MAX),
                    base.currency,
                )
            }
            Adjustment::FixedHourly { price } => price,
        }
    }
}

/// "Mon–Fri", "Sat, Sun", "Mon, Wed, Fri": runs of three or more days are
/// shortened.
fn describe_weekdays(lang: Lang, days: &[Weekday]) -> String {
    let mut indexes: Vec<u32> = days.iter().map(|d| d.num_days_from_monday()).collect();
    indexes.sort_unstable();
    indexes.dedup();
    let name = |i: u32| {
        weekday(
            lang,
            Weekday::try_from((i % 7) as u8).unwrap_or(Weekday::Mon),
        )
    };
    let mut parts = Vec::new();
    let mut run_start = 0;
    for k in 0..indexes.len() {
        let run_ends = k + 1 == indexes.len() || indexes[k + 1] != indexes[k] + 1;
        if run_ends {
            let (first, last) = (indexes[run_start], indexes[k]);
            match last - first {
                0 => parts.push(name(first).to_string()),
                1 => parts.push(format!("{}, {}", name(first), name(last))),
                _ => parts.push(format!("{}–{}", name(first), name(last))),
            }
            run_start = k + 1;
        }
    }
    parts.join(", ")
}

/// One stretch of a booking at one hourly price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotePiece {
    pub range: TimeRange,
    /// The rule that set the price, `None` for the base rate.
    pub rule: Option<String>,
    pub hourly: Money,
    pub amount: Money,
}

/// A price with its pieces; `total` is the sum of the pieces' amounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    pub pieces: Vec<QuotePiece>,
    pub total: Money,
}

/// Which rule applies at a local date and minute.
fn winning(rules: &[PriceRule], date: NaiveDate, minute: u16) -> Option<&PriceRule> {
    rules
        .iter()
        .filter(|rule| rule.when.matches(date, minute))
        .max_by_key(|rule| rule.priority)
}

/// Prices `range` at `base` per hour under `rules`, piece by piece.
pub fn quote(
    base: Money,
    rules: &[PriceRule],
    range: &TimeRange,
    tz: Tz,
) -> Result<Quote, PricingError> {
    for rule in rules {
        rule.validate(base)?;
    }
    // Every instant where the winning rule could change: local midnights and
    // each rule's start and end of day, on every local date the range touches.
    let first = range.start().with_timezone(&tz).date_naive();
    let last = range.end().with_timezone(&tz).date_naive();
    let mut cuts = vec![range.start(), range.end()];
    for date in first.iter_days().take_while(|d| *d <= last) {
        let mut minutes = vec![0u16];
        for rule in rules {
            minutes.push(rule.when.from_minute);
            minutes.push(rule.when.to_minute);
        }
        for minute in minutes {
            let local = date.and_time(NaiveTime::MIN) + Duration::minutes(i64::from(minute));
            let instant = local_to_utc(local, tz);
            if range.start() < instant && instant < range.end() {
                cuts.push(instant);
            }
        }
    }
    cuts.sort();
    cuts.dedup();
    let mut pieces: Vec<QuotePiece> = Vec::new();
    for pair in cuts.windows(2) {
        let Ok(piece_range) = TimeRange::new(pair[0], pair[1]) else {
            continue;
        };
        let local = pair[0].with_timezone(&tz);
        let minute = u16::try_from(local.hour() * 60 + local.minute()).unwrap_or(0);
        let rule = winning(rules, local.date_naive(), minute);
        let hourly = rule.map_or(base, |r| r.hourly(base));
        let name = rule.map(|r| r.name.clone());
        match pieces.last_mut() {
            Some(previous) if previous.rule == name && previous.hourly == hourly => {
                previous.range = TimeRange::new(previous.range.start(), piece_range.end())
                    .unwrap_or(previous.range);
            }
            _ => pieces.push(QuotePiece {
                range: piece_range,
                rule: name,
                hourly,
                amount: Money::zero(base.currency),
            }),
        }
    }
    let mut total = Money::zero(base.currency);
    for piece in &mut pieces {
        piece.amount = piece.hourly.for_minutes(piece.range.minutes())?;
        total = total.checked_add(piece.amount)?;
    }
    Ok(Quote { pieces, total })
}

#[cfg(test)]
#[path = "pricing_tests.rs"]
mod tests;
