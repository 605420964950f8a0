use super::*;
use crate::opening_hours::local_to_utc;
use chrono::{DateTime, Utc};

fn jakarta() -> Tz {
    "Asia/Jakarta".parse().expect("zone")
}

fn at(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    let local = NaiveDate::from_ymd_opt(2026, 11, d)
        .and_then(|x| x.and_hms_opt(h, m, 0))
        .expect("valid");
    local_to_utc(local, jakarta())
}

fn range(d: u32, h1: u32, h2: u32) -> TimeRange {
    TimeRange::new(at(d, h1, 0), at(d, h2, 0)).expect("range")
}

fn peak() -> PriceRule {
    PriceRule {
        name: "Peak".into(),
        priority: 10,
        when: RuleWhen::weekdays(&[
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ])
        .between(17 * 60, 22 * 60),
        adjustment: Adjustment::Multiplier { permille: 1500 },
    }
}

fn weekend() -> PriceRule {
    PriceRule {
        name: "Weekend".into(),
        priority: 5,
        when: RuleWhen::weekdays(&[Weekday::Sat, Weekday::Sun]),
        adjustment: Adjustment::FixedHourly {
            price: Money::idr(200_000),
        },
    }
}

#[test]
fn base_rate_applies_when_no_rule_does() {
    let q = quote(
        Money::idr(150_000),
        &[peak(), weekend()],
        &range(26, 10, 12),
        jakarta(),
    )
    .expect("quote");
    assert_eq!(q.total, Money::idr(300_000));
    assert_eq!(q.pieces.len(), 1);
    assert_eq!(q.pieces[0].rule, None);
}

#[test]
fn a_booking_across_the_peak_boundary_is_priced_piece_by_piece() {
    // Thu 26 Nov 16:00–18:00: one hour at the base rate, one at peak (×1.5).
    let q = quote(
        Money::idr(150_000),
        &[peak()],
        &range(26, 16, 18),
        jakarta(),
    )
    .expect("quote");
    assert_eq!(q.pieces.len(), 2);
    assert_eq!(q.pieces[0].amount, Money::idr(150_000));
    assert_eq!(q.pieces[1].rule.as_deref(), Some("Peak"));
    assert_eq!(q.pieces[1].hourly, Money::idr(225_000));
    assert_eq!(q.total, Money::idr(375_000));
    assert_eq!(q.total.to_string(), "Rp 375.000");
}

#[test]
fn weekend_fixed_price_and_the_highest_priority_wins() {
    let sat = quote(
        Money::idr(150_000),
        &[peak(), weekend()],
        &range(28, 18, 20),
        jakarta(),
    )
    .expect("quote");
    assert_eq!(sat.total, Money::idr(400_000));
    let holiday = PriceRule {
        name: "Holiday".into(),
        priority: 20,
        when: RuleWhen::dates(&[NaiveDate::from_ymd_opt(2026, 11, 28).expect("date")]),
        adjustment: Adjustment::Multiplier { permille: 2000 },
    };
    let q = quote(
        Money::idr(150_000),
        &[peak(), weekend(), holiday],
        &range(28, 18, 20),
        jakarta(),
    )
    .expect("quote");
    assert_eq!(q.pieces[0].rule.as_deref(), Some("Holiday"));
    assert_eq!(q.total, Money::idr(600_000));
}

#[test]
fn a_night_booking_crosses_into_the_next_days_rules() {
    // Fri 27 Nov 23:00 → Sat 28 Nov 01:00: an hour at base, an hour at the weekend price.
    let r = TimeRange::new(at(27, 23, 0), at(28, 1, 0)).expect("range");
    let q = quote(Money::idr(150_000), &[weekend()], &r, jakarta()).expect("quote");
    assert_eq!(q.pieces.len(), 2);
    assert_eq!(q.total, Money::idr(350_000));
}

#[test]
fn bad_rules_are_refused() {
    let mut bad = peak();
    bad.when.from_minute = 22 * 60;
    bad.when.to_minute = 17 * 60;
    assert!(matches!(
        quote(Money::idr(1), &[bad], &range(26, 10, 11), jakarta()),
        Err(PricingError::BadHours(_))
    ));
    let mut usd = weekend();
    usd.adjustment = Adjustment::FixedHourly {
        price: Money::new(1000, crate::money::Currency::USD),
    };
    assert!(matches!(
        quote(Money::idr(1), &[usd], &range(26, 10, 11), jakarta()),
        Err(PricingError::Money(_))
    ));
}

#[test]
fn rules_describe_themselves_for_staff() {
    let peak = PriceRule {
        name: "Peak".into(),
        priority: 1,
        when: RuleWhen::weekdays(&[
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ])
        .between(17 * 60, 23 * 60),
        adjustment: Adjustment::Multiplier { permille: 1500 },
    };
    assert_eq!(peak.describe(), "Mon–Fri 17:00–23:00: ×1.5");
    let weekend = PriceRule {
        name: "Weekend".into(),
        priority: 1,
        when: RuleWhen::weekdays(&[Weekday::Sun, Weekday::Sat, Weekday::Wed]),
        adjustment: Adjustment::Multiplier { permille: 1250 },
    };
    assert_eq!(weekend.describe(), "Wed, Sat, Sun: ×1.25");
    let christmas = PriceRule {
        name: "Natal".into(),
        priority: 9,
        when: RuleWhen::dates(&[NaiveDate::from_ymd_opt(2026, 12, 25).expect("date")]),
        adjustment: Adjustment::FixedHourly {
            price: Money::idr(300_000),
        },
    };
    assert_eq!(christmas.describe(), "25 Dec 2026: Rp 300.000/hour");
    let always = PriceRule {
        name: "Promo".into(),
        priority: 0,
        when: RuleWhen::weekdays(&[]),
        adjustment: Adjustment::Multiplier { permille: 900 },
    };
    assert_eq!(always.describe(), "Always: ×0.9");
}

#[test]
fn a_negative_fixed_price_is_refused() {
    let rule = PriceRule {
        name: "Oops".into(),
        priority: 1,
        when: RuleWhen::weekdays(&[]),
        adjustment: Adjustment::FixedHourly {
            price: Money::idr(-1000),
        },
    };
    assert_eq!(
        rule.validate(Money::idr(100_000)),
        Err(PricingError::NegativePrice("Oops".into()))
    );
}

#[test]
fn absurd_adjustments_are_refused_so_quotes_cannot_overflow() {
    let base = Money::idr(150_000);
    let mut rule = peak();
    rule.adjustment = Adjustment::Multiplier { permille: i64::MAX };
    assert!(matches!(
        rule.validate(base),
        Err(PricingError::BadMultiplier(_))
    ));
    rule.adjustment = Adjustment::Multiplier {
        permille: MAX_PERMILLE,
    };
    assert!(rule.validate(base).is_ok());
    rule.adjustment = Adjustment::FixedHourly {
        price: Money::idr(i64::MAX),
    };
    assert!(matches!(
        rule.validate(base),
        Err(PricingError::PriceTooHigh(_))
    ));
    rule.adjustment = Adjustment::FixedHourly {
        price: Money::idr(MAX_HOURLY_MINOR),
    };
    assert!(rule.validate(base).is_ok());
}

#[test]
fn a_rule_lists_a_bounded_number_of_plausible_dates() {
    let base = Money::idr(150_000);
    let start = NaiveDate::from_ymd_opt(2027, 1, 1).expect("date");
    let days = |n: usize| -> Vec<NaiveDate> {
        (0..n)
            .map(|i| start + chrono::Duration::days(i as i64))
            .collect()
    };
    let mut rule = PriceRule {
        name: "Holidays".into(),
        priority: 1,
        when: RuleWhen::dates(&days(MAX_RULE_DATES)),
        adjustment: Adjustment::Multiplier { permille: 2000 },
    };
    assert!(rule.validate(base).is_ok());
    rule.when = RuleWhen::dates(&days(MAX_RULE_DATES + 1));
    assert!(matches!(
        rule.validate(base),
        Err(PricingError::TooManyDates(_))
    ));
    for year in [1999, 2201, 20260] {
        rule.when = RuleWhen::dates(&[NaiveDate::from_ymd_opt(year, 5, 1).expect("date")]);
        assert!(
            matches!(rule.validate(base), Err(PricingError::DateOutOfRange(_))),
            "{year}"
        );
    }
}

#[test]
fn rules_are_described_in_either_language() {
    let weekdays = PriceRule {
        name: "Peak".into(),
        priority: 1,
        when: RuleWhen::weekdays(&[
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ])
        .between(17 * 60, 23 * 60),
        adjustment: Adjustment::Multiplier { permille: 1500 },
    };
    assert_eq!(weekdays.describe(), "Mon–Fri 17:00–23:00: ×1.5");
    assert_eq!(
        weekdays.describe_in(Lang::Id),
        "Senin–Jumat 17:00–23:00: ×1,5"
    );
    let holiday = PriceRule {
        name: "Natal".into(),
        priority: 2,
        when: RuleWhen::dates(&[NaiveDate::from_ymd_opt(2026, 12, 25).expect("date")]),
        adjustment: Adjustment::FixedHourly {
            price: Money::idr(300_000),
        },
    };
    assert_eq!(holiday.describe(), "25 Dec 2026: Rp 300.000/hour");
    assert_eq!(holiday.describe_in(Lang::Id), "25 Des 2026: Rp 300.000/jam");
}

#[test]
fn repeated_weekdays_and_dates_count_once() {
    let christmas = NaiveDate::from_ymd_opt(2026, 12, 25).expect("date");
    let when = RuleWhen {
        weekdays: vec![Weekday::Sat, Weekday::Mon, Weekday::Sat, Weekday::Mon],
        dates: vec![christmas, christmas],
        from_minute: 0,
        to_minute: 1440,
    }
    .normalized();
    assert_eq!(when.weekdays, vec![Weekday::Mon, Weekday::Sat]);
    assert_eq!(when.dates, vec![christmas]);
}
