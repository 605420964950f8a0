//! A resource's booking rules from the dashboard: booking window (buffer,
//! lead time, horizon), pricing rules and blackouts.

use super::{convert, require_manager, Services};
use crate::dto::{BlackoutCreated, BlackoutDto, PriceRuleDto, ResourceDto};
use crate::error::AppError;
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use chrono_tz::Tz;
use domain::opening_hours::local_to_utc;
use domain::pricing::{Adjustment, PriceRule, RuleWhen};
use domain::{Money, ResourceId, TimeRange};
use store::{Blackout, BookingWindow, NewBlackout, StaffUser};

pub async fn update_window(
    state: Services,
    staff: StaffUser,
    id: ResourceId,
    window: BookingWindow,
) -> Result<ResourceDto, AppError> {
    require_manager(&staff)?;
    Ok(convert::resource(
        &state
            .store
            .set_booking_window(staff.tenant_id, id, window)
            .await?,
    ))
}

pub async fn price_rules(
    state: Services,
    staff: StaffUser,
    id: ResourceId,
) -> Result<Vec<PriceRuleDto>, AppError> {
    let (resource, _) = super::resources::active_or_archived(&state, &staff, id).await?;
    Ok(state
        .store
        .price_rules(staff.tenant_id, resource.id)
        .await?
        .into_iter()
        .map(|stored| PriceRuleDto {
            id: stored.id.0,
            name: stored.rule.name.clone(),
            priority: stored.rule.priority,
            description: stored.rule.describe_in(crate::i18n::initial()),
        })
        .collect())
}

/// The price-rule form's fields, as the server function receives them.
pub struct PriceRuleForm {
    pub name: String,
    pub priority: i32,
    /// Monday first: whether each weekday's box was ticked.
    pub days: [bool; 7],
    /// Dates, comma-separated ("2026-12-25, 2027-01-01"); empty = any.
    pub dates: String,
    /// "17:00" and "23:00"; both empty = all day.
    pub from: String,
    pub to: String,
    /// "multiplier" or "fixed".
    pub kind: String,
    /// "1.5" for a multiplier, "200000" (rupiah an hour) for a fixed price.
    pub value: String,
}

/// `HH:MM` as minutes after midnight; "24:00" is the end of the day.
fn minute_of_day(text: &str, field: &str) -> Result<u16, AppError> {
    let text = text.trim();
    if text == "24:00" {
        return Ok(1440);
    }
    let time = NaiveTime::parse_from_str(text, "%H:%M")
        .map_err(|_| AppError::Invalid(format!("{field}: use a time like 17:00")))?;
    Ok(
        u16::try_from(chrono::Timelike::hour(&time) * 60 + chrono::Timelike::minute(&time))
            .unwrap_or(0),
    )
}

/// "1.5" or "1,5" as thousandths (1500); at most three decimals.
pub fn permille(text: &str) -> Result<i64, AppError> {
    let bad = || AppError::Invalid("The multiplier is a number like 1.5".into());
    let text = text.trim().replace(',', ".");
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    if fraction.len() > 3 || (whole.is_empty() && fraction.is_empty()) {
        return Err(bad());
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| bad())?
    };
    let fraction: i64 = format!("{fraction:0<3}").parse().map_err(|_| bad())?;
    let value = whole
        .checked_mul(1000)
        .and_then(|w| w.checked_add(fraction));
    value.filter(|v| *v > 0 && *v <= 100_000).ok_or_else(bad)
}

pub fn parse_price_rule(form: PriceRuleForm) -> Result<PriceRule, AppError> {
    const DAYS: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];
    let weekdays: Vec<Weekday> = DAYS
        .iter()
        .zip(form.days)
        .filter(|(_, ticked)| *ticked)
        .map(|(day, _)| *day)
        .collect();
    let dates = form
        .dates
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| {
            NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| AppError::Invalid(format!("{d:?} is not a date like 2026-12-25")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let (from_minute, to_minute) = match (form.from.trim(), form.to.trim()) {
        ("", "") => (0, 1440),
        (from, to) => (minute_of_day(from, "From")?, minute_of_day(to, "To")?),
    };
    let adjustment = match form.kind.as_str() {
        "multiplier" => Adjustment::Multiplier {
            permille: permille(&form.value)?,
        },
        "fixed" => {
            let rupiah: i64 = form.value.trim().replace('.', "").parse().map_err(|_| {
                AppError::Invalid("The fixed price is whole rupiah, like 200000".into())
            })?;
            if rupiah < 0 {
                return Err(AppError::Invalid("A price cannot be negative".into()));
            }
            Adjustment::FixedHourly {
                price: Money::idr(rupiah),
            }
        }
        _ => {
            return Err(AppError::Invalid(
                "Choose a multiplier or a fixed price".into(),
            ))
        }
    };
    Ok(PriceRule {
        name: form.name.trim().to_string(),
        priority: form.priority,
        when: RuleWhen {
            weekdays,
            dates,
            from_minute,
            to_minute,
        },
        adjustment,
    })
}

pub async fn add_price_rule(
    state: Services,
    staff: StaffUser,
    id: ResourceId,
    form: PriceRuleForm,
) -> Result<PriceRuleDto, AppError> {
    require_manager(&staff)?;
    let resource = state.store.resource(staff.tenant_id, id).await?;
    let rule = parse_price_rule(form)?;
    let stored = state
        .store
        .add_price_rule(staff.tenant_id, &resource, rule, state.clock.now())
        .await?;
    Ok(PriceRuleDto {
        id: stored.id.0,
        name: stored.rule.name.clone(),
        priority: stored.rule.priority,
        description: stored.rule.describe_in(crate::i18n::initial()),
    })
}

pub async fn delete_price_rule(state: Services, staff: StaffUser, id: i64) -> Result<(), AppError> {
    require_manager(&staff)?;
    Ok(state
        .store
        .delete_price_rule(staff.tenant_id, domain::PriceRuleId(id))
        .await?)
}

fn blackout_dto(b: &Blackout, tz: Tz, resource_name: Option<&str>) -> BlackoutDto {
    let t = crate::i18n::texts(crate::i18n::initial());
    let start = b.range.start().with_timezone(&tz);
    let end = b.range.end().with_timezone(&tz);
    let end_text = if end.date_naive() == start.date_naive() {
        end.format("%H:%M").to_string()
    } else {
        super::bookings::when_label(b.range.end(), tz)
    };
    BlackoutDto {
        id: b.id.0,
        scope: match (b.resource_id, resource_name) {
            (None, _) => t.rr_scope_outlet.to_string(),
            (Some(_), Some(name)) => name.to_string(),
            (Some(id), None) => format!("#{id}"),
        },
        when: format!(
            "{} – {end_text}",
            super::bookings::when_label(b.range.start(), tz)
        ),
        reason: b.reason.clone(),
    }
}

/// The resource's own and its outlet's blackouts from yesterday on.
pub async fn blackouts(
    state: Services,
    staff: StaffUser,
    id: ResourceId,
) -> Result<Vec<BlackoutDto>, AppError> {
    let (resource, _) = super::resources::active_or_archived(&state, &staff, id).await?;
    let now = state.clock.now();
    let window = TimeRange::new(now - Duration::days(1), now + Duration::days(730))
        .map_err(|_| AppError::Internal)?;
    Ok(state
        .store
        .blackouts(staff.tenant_id, Some(resource.outlet_id), &window)
        .await?
        .iter()
        .filter(|b| b.resource_id.is_none_or(|r| r == resource.id))
        .map(|b| blackout_dto(b, resource.timezone, Some(&resource.name)))
        .collect())
}

/// A `datetime-local` field's value ("2026-11-26T10:00") in the outlet's zone.
fn local_instant(
    text: &str,
    tz: Tz,
    field: &str,
) -> Result<chrono::DateTime<chrono::Utc>, AppError> {
    let local = NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M")
        .map_err(|_| AppError::Invalid(format!("{field}: choose a date and time")))?;
    Ok(local_to_utc(local, tz))
}

pub async fn add_blackout(
    state: Services,
    staff: StaffUser,
    id: ResourceId,
    whole_outlet: bool,
    start: String,
    end: String,
    reason: String,
) -> Result<BlackoutCreated, AppError> {
    require_manager(&staff)?;
    let resource = state.store.resource(staff.tenant_id, id).await?;
    let tz = resource.timezone;
    let range = TimeRange::new(
        local_instant(&start, tz, "From")?,
        local_instant(&end, tz, "Until")?,
    )
    .map_err(|_| AppError::Invalid("The blackout must end after it starts.".into()))?;
    let new = NewBlackout {
        outlet_id: resource.outlet_id,
        resource_id: (!whole_outlet).then_some(resource.id),
        range,
        reason,
    };
    let now = state.clock.now();
    let (blackout, conflicts) = state
        .store
        .create_blackout(staff.tenant_id, new, now)
        .await?;
    Ok(BlackoutCreated {
        blackout: blackout_dto(&blackout, tz, Some(&resource.name)),
        conflicts: conflicts.iter().map(|b| convert::booking(b, now)).collect(),
    })
}

pub async fn delete_blackout(state: Services, staff: StaffUser, id: i64) -> Result<(), AppError> {
    require_manager(&staff)?;
    Ok(state
        .store
        .delete_blackout(staff.tenant_id, domain::BlackoutId(id))
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipliers_are_read_as_thousandths() {
        assert_eq!(permille("1.5"), Ok(1500));
        assert_eq!(permille("1,25"), Ok(1250));
        assert_eq!(permille("2"), Ok(2000));
        assert_eq!(permille(".9"), Ok(900));
        assert!(permille("0").is_err());
        assert!(permille("1.2345").is_err());
        assert!(permille("abc").is_err());
        assert!(permille("").is_err());
    }

    #[test]
    fn the_form_becomes_a_rule() {
        let rule = parse_price_rule(PriceRuleForm {
            name: " Peak ".into(),
            priority: 5,
            days: [true, true, true, true, true, false, false],
            dates: String::new(),
            from: "17:00".into(),
            to: "23:00".into(),
            kind: "multiplier".into(),
            value: "1.5".into(),
        })
        .expect("rule");
        assert_eq!(rule.describe(), "Mon–Fri 17:00–23:00: ×1.5");
        assert_eq!(rule.name, "Peak");
        let holiday = parse_price_rule(PriceRuleForm {
            name: "Natal".into(),
            priority: 9,
            days: [false; 7],
            dates: "2026-12-25, 2026-12-26".into(),
            from: String::new(),
            to: String::new(),
            kind: "fixed".into(),
            value: "300.000".into(),
        })
        .expect("rule");
        assert_eq!(
            holiday.describe(),
            "25 Dec 2026, 26 Dec 2026: Rp 300.000/hour"
        );
        let bad = parse_price_rule(PriceRuleForm {
            name: "x".into(),
            priority: 1,
            days: [false; 7],
            dates: "25/12".into(),
            from: String::new(),
            to: String::new(),
            kind: "fixed".into(),
            value: "1".into(),
        });
        assert!(matches!(bad, Err(AppError::Invalid(_))));
    }
}
