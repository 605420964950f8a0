use super::*;

fn at(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|x| x.and_hms_opt(h, 0, 0))
        .expect("valid")
}

fn dates(rule: &str, first: NaiveDateTime) -> Vec<String> {
    Rule::parse(rule)
        .expect("rule")
        .occurrences(first)
        .expect("occurrences")
        .iter()
        .map(|t| t.format("%a %Y-%m-%d %H:%M").to_string())
        .collect()
}

#[test]
fn weekly_with_a_count() {
    let got = dates("FREQ=WEEKLY;COUNT=3", at(2026, 11, 26, 19));
    assert_eq!(
        got,
        vec![
            "Thu 2026-11-26 19:00",
            "Thu 2026-12-03 19:00",
            "Thu 2026-12-10 19:00"
        ]
    );
}

#[test]
fn weekly_on_two_days_until_a_date() {
    let got = dates(
        "RRULE:FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20261210",
        at(2026, 11, 26, 19),
    );
    assert_eq!(
        got,
        vec![
            "Thu 2026-11-26 19:00",
            "Tue 2026-12-01 19:00",
            "Thu 2026-12-03 19:00",
            "Tue 2026-12-08 19:00",
            "Thu 2026-12-10 19:00"
        ]
    );
}

#[test]
fn every_other_week() {
    let got = dates("FREQ=WEEKLY;INTERVAL=2;COUNT=3", at(2026, 11, 28, 10));
    assert_eq!(
        got,
        vec![
            "Sat 2026-11-28 10:00",
            "Sat 2026-12-12 10:00",
            "Sat 2026-12-26 10:00"
        ]
    );
}

#[test]
fn monthly_by_day_of_month_skips_months_without_it() {
    let got = dates("FREQ=MONTHLY;COUNT=3", at(2027, 1, 31, 8));
    assert_eq!(
        got,
        vec![
            "Sun 2027-01-31 08:00",
            "Wed 2027-03-31 08:00",
            "Mon 2027-05-31 08:00"
        ]
    );
    assert_eq!(
        dates("FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=2", at(2027, 1, 31, 8)),
        vec!["Sun 2027-01-31 08:00", "Sun 2027-02-28 08:00"]
    );
}

#[test]
fn monthly_on_the_second_saturday_and_the_last_friday() {
    assert_eq!(
        dates("FREQ=MONTHLY;BYDAY=2SA;COUNT=2", at(2026, 12, 1, 9)),
        vec!["Sat 2026-12-12 09:00", "Sat 2027-01-09 09:00"]
    );
    assert_eq!(
        dates("FREQ=MONTHLY;BYDAY=-1FR;COUNT=2", at(2026, 12, 1, 9)),
        vec!["Fri 2026-12-25 09:00", "Fri 2027-01-29 09:00"]
    );
}

#[test]
fn bad_rules_say_what_is_wrong() {
    assert_eq!(Rule::parse("FREQ=DAILY;COUNT=2"), Err(RuleError::Frequency));
    assert_eq!(Rule::parse("FREQ=WEEKLY"), Err(RuleError::End));
    assert_eq!(
        Rule::parse("FREQ=WEEKLY;COUNT=2;UNTIL=20270101"),
        Err(RuleError::End)
    );
    assert_eq!(
        Rule::parse("FREQ=WEEKLY;COUNT=9999"),
        Err(RuleError::TooMany)
    );
    assert!(matches!(
        Rule::parse("FREQ=WEEKLY;BYDAY=XX;COUNT=2"),
        Err(RuleError::Value("BYDAY", _))
    ));
    assert!(matches!(
        Rule::parse("FREQ=WEEKLY;BYHOUR=9;COUNT=2"),
        Err(RuleError::Unsupported(_))
    ));
    assert!(matches!(
        Rule::parse("FREQ=WEEKLY;BYDAY=2SA;COUNT=2"),
        Err(RuleError::Value("BYDAY", _))
    ));
    assert!(matches!(
        Rule::parse("nonsense"),
        Err(RuleError::Malformed(_))
    ));
}

#[test]
fn a_long_until_is_bounded() {
    let rule = Rule::parse("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;UNTIL=20400101").expect("rule");
    assert_eq!(
        rule.occurrences(at(2026, 11, 26, 19)),
        Err(RuleError::TooMany)
    );
}

#[test]
fn rules_print_back_as_rrule() {
    for text in [
        "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=8",
        "FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR;UNTIL=20271231",
        "FREQ=MONTHLY;BYMONTHDAY=15;COUNT=3",
    ] {
        assert_eq!(Rule::parse(text).expect("rule").to_string(), text);
    }
}

#[test]
fn repeated_parts_are_refused_and_repeated_days_count_once() {
    assert_eq!(
        Rule::parse("FREQ=WEEKLY;COUNT=2;COUNT=3"),
        Err(RuleError::Repeated("COUNT".into()))
    );
    let once = dates("FREQ=WEEKLY;BYDAY=MO,MO,MO;COUNT=3", at(2026, 11, 30, 19));
    assert_eq!(once.len(), 3);
    let mut unique = once.clone();
    unique.dedup();
    assert_eq!(unique, once, "three different Mondays");
}
