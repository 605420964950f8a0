//! A week of hourly prices as a grid (hours down, days across), so staff
//! see what their price rules do before a customer does: which evenings are
//! peak, which hours are closed, which rule set each price.

use crate::money::Money;
use crate::opening_hours::{local_to_utc, WeeklyHours};
use crate::pricing::{quote, PriceRule, PricingError};
use crate::time_range::TimeRange;
use chrono::{Duration, NaiveDate, NaiveTime};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// One hour of one day: closed, or its price and the rule that set it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum GridCell {
    Closed,
    Open {
        /// What that hour costs (the sum of its pieces when a rule starts
        /// or ends inside it).
        price: Money,
        /// The rule behind the price, `None` for the base rate.
        rule: Option<String>,
    },
}

/// Seven days from `days[0]`; `rows[i][d]` is the hour starting at
/// `hours[i]`:00 on `days[d]`, local time. Only hours open on some day of the
/// week are rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceGrid {
    pub days: Vec<NaiveDate>,
    pub hours: Vec<u8>,
    pub rows: Vec<Vec<GridCell>>,
}

/// Prices every hour of the week starting on `first`, as a one-hour booking
/// would be quoted (see [`quote`]); an hour counts as open when the whole
/// hour lies within the opening hours.
pub fn price_grid(
    base: Money,
    rules: &[PriceRule],
    hours: &WeeklyHours,
    first: NaiveDate,
    tz: Tz,
) -> Result<PriceGrid, PricingError> {
    let days: Vec<NaiveDate> = first.iter_days().take(7).collect();
    let mut rows: Vec<(u8, Vec<GridCell>)> = Vec::with_capacity(24);
    for hour in 0u8..24 {
        let mut row = Vec::with_capacity(7);
        for day in &days {
            row.push(cell(base, rules, hours, *day, hour, tz)?);
        }
        rows.push((hour, row));
    }
    let open = |row: &(u8, Vec<GridCell>)| row.1.iter().any(|c| *c != GridCell::Closed);
    let first_open = rows.iter().position(open);
    let last_open = rows.iter().rposition(open);
    let rows = match (first_open, last_open) {
        (Some(a), Some(b)) => rows.drain(a..=b).collect(),
        _ => Vec::new(),
    };
    Ok(PriceGrid {
        days,
        hours: rows.iter().map(|(h, _)| *h).collect(),
        rows: rows.into_iter().map(|(_, r)| r).collect(),
    })
}

fn cell(
    base: Money,
    rules: &[PriceRule],
    hours: &WeeklyHours,
    day: NaiveDate,
    hour: u8,
    tz: Tz,
) -> Result<GridCell, PricingError> {
    let local = day.and_time(NaiveTime::MIN) + Duration::hours(i64::from(hour));
    let start = local_to_utc(local, tz);
    let Ok(range) = TimeRange::new(start, start + Duration::hours(1)) else {
        return Ok(GridCell::Closed);
    };
    if !hours.covers(&range, tz) {
        return Ok(GridCell::Closed);
    }
    let priced = quote(base, rules, &range, tz)?;
    let rule = priced.pieces.iter().find_map(|p| p.rule.clone());
    Ok(GridCell::Open {
        price: priced.total,
        rule,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opening_hours::LocalInterval;
    use crate::pricing::{Adjustment, RuleWhen};
    use chrono::Weekday;

    fn evening_peak() -> PriceRule {
        PriceRule {
            name: "Weekday evening".into(),
            priority: 10,
            when: RuleWhen::weekdays(&[
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ])
            .between(17 * 60 + 30, 22 * 60),
            adjustment: Adjustment::FixedHourly {
                price: Money::idr(200_000),
            },
        }
    }

    fn week() -> WeeklyHours {
        let mut hours =
            WeeklyHours::every_day(vec![LocalInterval::parse("08:00-22:00").expect("hours")]);
        hours.set_day(Weekday::Sun, Vec::new());
        hours
    }

    #[test]
    fn rows_cover_open_hours_and_rules_show() {
        let monday = NaiveDate::from_ymd_opt(2026, 11, 30).expect("date");
        let grid = price_grid(
            Money::idr(150_000),
            &[evening_peak()],
            &week(),
            monday,
            chrono_tz::Asia::Jakarta,
        )
        .expect("grid");
        assert_eq!(grid.days.len(), 7);
        assert_eq!(grid.hours.first(), Some(&8));
        assert_eq!(grid.hours.last(), Some(&21));
        let at = |hour: u8, day: usize| {
            &grid.rows[grid.hours.iter().position(|h| *h == hour).expect("row")][day]
        };
        assert_eq!(
            at(9, 0),
            &GridCell::Open {
                price: Money::idr(150_000),
                rule: None
            }
        );
        // 17:00–18:00 is half base, half peak.
        assert_eq!(
            at(17, 0),
            &GridCell::Open {
                price: Money::idr(175_000),
                rule: Some("Weekday evening".into())
            }
        );
        assert_eq!(
            at(18, 4),
            &GridCell::Open {
                price: Money::idr(200_000),
                rule: Some("Weekday evening".into())
            }
        );
        // Saturday evening is base; Sunday is closed all day.
        assert_eq!(
            at(18, 5),
            &GridCell::Open {
                price: Money::idr(150_000),
                rule: None
            }
        );
        assert!(grid.rows.iter().all(|row| row[6] == GridCell::Closed));
    }

    #[test]
    fn a_week_closed_has_no_rows() {
        let grid = price_grid(
            Money::idr(100_000),
            &[],
            &WeeklyHours::default(),
            NaiveDate::from_ymd_opt(2026, 11, 30).expect("date"),
            chrono_tz::Asia::Jakarta,
        )
        .expect("grid");
        assert!(grid.hours.is_empty() && grid.rows.is_empty());
    }
}
