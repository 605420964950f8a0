//! The calendar: one outlet by day or week (resources as lanes, bookings
//! as blocks) or by month (days with what they hold); what a new booking
//! would cost; and moving a booking by dragging it, through the booking
//! service like every other change.

use super::bookings::{desk, slot_range};
use super::{convert, Services};
use crate::dto::{
    BookingDto, Calendar, CalendarBlock, CalendarDayColumn, CalendarLane, MonthCell, NowLine,
    SlotQuote,
};
use crate::error::AppError;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use domain::calendar_words::{day_label_with_year, month, month_long, weekday_narrow};
use domain::opening_hours::local_to_utc;
use domain::{BookingId, BookingStatus, Money, OutletId, ResourceId, TimeRange};
use store::{Blackout, Booking, BookingFilter, Resource, StaffUser};

/// The views there are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    Day,
    Week,
    Month,
}

impl View {
    fn parse(text: Option<&str>) -> Result<View, AppError> {
        match text.map(str::trim).unwrap_or("day") {
            "" | "day" => Ok(View::Day),
            "week" => Ok(View::Week),
            "month" => Ok(View::Month),
            other => Err(AppError::Invalid(format!(
                "{other:?} is not a view: use day, week or month."
            ))),
        }
    }

    fn name(self) -> &'static str {
        match self {
            View::Day => "day",
            View::Week => "week",
            View::Month => "month",
        }
    }
}

/// A date from a form or a link: `2026-11-26`, within years chrono and the
/// database both handle.
pub(super) fn parse_date(text: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| (1970..=9999).contains(&d.year()))
        .ok_or_else(|| AppError::Invalid(format!("{text:?} is not a date like 2026-11-26.")))
}

fn monday_of(date: NaiveDate) -> NaiveDate {
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

fn first_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

fn add_months(date: NaiveDate, months: i32) -> NaiveDate {
    let total = date.year() * 12 + date.month0() as i32 + months;
    NaiveDate::from_ymd_opt(total.div_euclid(12), total.rem_euclid(12) as u32 + 1, 1)
        .unwrap_or(date)
}

pub async fn calendar(
    state: Services,
    staff: StaffUser,
    outlet_id: Option<OutletId>,
    view: Option<String>,
    date: Option<String>,
) -> Result<Calendar, AppError> {
    let lang = crate::i18n::initial();
    let view = View::parse(view.as_deref())?;
    let outlets = state.store.outlets(staff.tenant_id).await?;
    let outlet = match outlet_id {
        Some(id) => state.store.outlet(staff.tenant_id, id).await?,
        None => outlets.first().cloned().ok_or(AppError::NotFound)?,
    };
    let zone = outlet.timezone;
    let now = state.clock.now();
    let today = now.with_timezone(&zone).date_naive();
    let date = match date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(text) => parse_date(text)?,
        None => today,
    };
    // The days drawn, and where the arrows go.
    let (first, days, prev, next) = match view {
        View::Day => (date, 1, date - Duration::days(1), date + Duration::days(1)),
        View::Week => (
            monday_of(date),
            7,
            date - Duration::days(7),
            date + Duration::days(7),
        ),
        View::Month => {
            let start = monday_of(first_of_month(date));
            let end = monday_of(add_months(first_of_month(date), 1) + Duration::days(6));
            (
                start,
                (end - start).num_days(),
                add_months(first_of_month(date), -1),
                add_months(first_of_month(date), 1),
            )
        }
    };
    let last = first + Duration::days(days);
    let span = TimeRange::new(
        local_to_utc(first.and_time(NaiveTime::MIN), zone),
        local_to_utc(last.and_time(NaiveTime::MIN), zone),
    )
    .map_err(|e| AppError::Invalid(e.to_string()))?;
    let resources: Vec<Resource> = state
        .store
        .resources(staff.tenant_id)
        .await?
        .into_iter()
        .filter(|r| r.outlet_id == outlet.id)
        .collect();
    let filter = BookingFilter {
        overlapping: Some(span),
        outlet_id: Some(outlet.id),
        limit: Some(5000),
        ..BookingFilter::default()
    };
    let bookings: Vec<Booking> = state
        .store
        .bookings(staff.tenant_id, &filter)
        .await?
        .into_iter()
        .filter(|b| shown(b, now))
        .collect();
    let blackouts = state
        .store
        .blackouts(staff.tenant_id, Some(outlet.id), &span)
        .await?;
    let customers: Vec<_> = bookings.iter().filter_map(|b| b.customer_id).collect();
    let names = state
        .store
        .customer_names(staff.tenant_id, &customers)
        .await?;
    let label_of = |b: &Booking| {
        let who = b
            .customer_id
            .and_then(|c| names.get(&c).cloned())
            .or_else(|| b.customer_phone.clone())
            .unwrap_or_else(|| crate::i18n::texts(lang).walk_in.to_string());
        let who = if b.hold_expires_at.is_some() {
            format!("{} · {who}", crate::i18n::texts(lang).hold)
        } else {
            who
        };
        match &b.code {
            Some(code) => format!("{code} · {who}"),
            None => who,
        }
    };

    let mut calendar = Calendar {
        view: view.name().to_string(),
        date,
        label: String::new(),
        prev,
        next,
        outlet: convert::outlet(&outlet),
        outlets: outlets.iter().map(convert::outlet).collect(),
        first_hour: 8,
        last_hour: 22,
        now: None,
        days: Vec::new(),
        weeks: Vec::new(),
        weekdays: Vec::new(),
    };
    if view == View::Month {
        calendar.label = format!("{} {}", month_long(lang, date.month0()), date.year());
        calendar.weekdays = (0..7)
            .map(|d| weekday_narrow(lang, (first + Duration::days(d)).weekday()).to_string())
            .collect();
        let mut week = Vec::with_capacity(7);
        for offset in 0..days {
            let day = first + Duration::days(offset);
            let (from, to) = (
                local_to_utc(day.and_time(NaiveTime::MIN), zone),
                local_to_utc((day + Duration::days(1)).and_time(NaiveTime::MIN), zone),
            );
            let mut on_day: Vec<&Booking> = bookings
                .iter()
                .filter(|b| b.range.start() >= from && b.range.start() < to)
                .collect();
            on_day.sort_by_key(|b| b.range.start());
            let value = on_day
                .iter()
                .try_fold(None::<Money>, |sum, b| match sum {
                    None => Some(Some(b.price)),
                    Some(sum) => sum.checked_add(b.price).ok().map(Some),
                })
                .flatten();
            week.push(MonthCell {
                date: day,
                in_month: day.month() == date.month(),
                is_today: day == today,
                bookings: on_day.len() as i64,
                value: value.map(|v| v.to_string()).unwrap_or_default(),
                first: on_day
                    .iter()
                    .take(3)
                    .map(|b| {
                        format!(
                            "{} {}",
                            b.range.start().with_timezone(&zone).format("%H:%M"),
                            b.resource_name
                        )
                    })
                    .collect(),
            });
            if week.len() == 7 {
                calendar.weeks.push(std::mem::take(&mut week));
            }
        }
        return Ok(calendar);
    }

    let (mut first_hour, mut last_hour) = (24, 0);
    for offset in 0..days {
        let day = first + Duration::days(offset);
        let column = day_column(day, zone, &resources, &bookings, &blackouts, now, &label_of);
        for lane in &column.lanes {
            for (from, to) in &lane.open {
                first_hour = first_hour.min(from / 60);
                last_hour = last_hour.max((to + 59) / 60);
            }
        }
        calendar.days.push(CalendarDayColumn {
            label: format!("{} {}", weekday_narrow(lang, day.weekday()), day.day()),
            is_today: day == today,
            ..column
        });
    }
    if first_hour < last_hour {
        (calendar.first_hour, calendar.last_hour) = (first_hour, last_hour);
    }
    calendar.label = match view {
        View::Day => day_label_with_year(lang, date),
        _ => {
            let end = first + Duration::days(6);
            format!(
                "{} {} – {} {} {}",
                first.day(),
                month(lang, first.month0()),
                end.day(),
                month(lang, end.month0()),
                end.year()
            )
        }
    };
    if (first..last).contains(&today) {
        let local = now.with_timezone(&zone);
        calendar.now = Some(NowLine {
            date: today,
            minute: (local.time() - NaiveTime::MIN).num_minutes(),
        });
    }
    Ok(calendar)
}

/// Whether a booking takes room on the calendar: not cancelled or a
/// no-show, and not a hold that lapsed.
fn shown(b: &Booking, now: DateTime<Utc>) -> bool {
    !matches!(b.status, BookingStatus::Cancelled | BookingStatus::NoShow)
        && b.hold_expires_at.is_none_or(|expiry| expiry > now)
}

/// One day's lanes: each resource's open hours, blackouts and bookings,
/// in minutes from that day's local midnight.
fn day_column(
    day: NaiveDate,
    zone: chrono_tz::Tz,
    resources: &[Resource],
    bookings: &[Booking],
    blackouts: &[Blackout],
    now: DateTime<Utc>,
    label_of: &dyn Fn(&Booking) -> String,
) -> CalendarDayColumn {
    let day_start = local_to_utc(day.and_time(NaiveTime::MIN), zone);
    let day_end = local_to_utc((day + Duration::days(1)).and_time(NaiveTime::MIN), zone);
    let minute_of_day =
        |at: DateTime<Utc>| (at.clamp(day_start, day_end) - day_start).num_minutes();
    let overlaps = |from: DateTime<Utc>, to: DateTime<Utc>| from < day_end && day_start < to;
    // Short labels for the week's narrow lanes, made here so the browser's
    // WASM carries none of the code that makes them.
    let names: Vec<&str> = resources.iter().map(|r| r.name.as_str()).collect();
    let shorts = domain::calendar_words::lane_labels(&names);
    let lanes = resources
        .iter()
        .zip(shorts)
        .map(|(resource, short)| {
            let open = resource
                .hours
                .windows_on(day, zone)
                .iter()
                .map(|w| (minute_of_day(w.start()), minute_of_day(w.end())))
                .collect();
            let blocks = bookings
                .iter()
                .filter(|b| b.resource_id == resource.id)
                .filter(|b| overlaps(b.range.start(), b.range.end()))
                .map(|b| {
                    let top = minute_of_day(b.range.start());
                    let dto = convert::booking(b, now);
                    CalendarBlock {
                        booking_id: b.id,
                        top_minute: top,
                        length_minutes: (minute_of_day(b.range.end()) - top).max(15),
                        label: label_of(b),
                        time: format!("{}–{}", dto.start, dto.end),
                        price: b.price.to_string(),
                        status: b.status,
                        hold: b.hold_expires_at.is_some(),
                        movable: b.status.is_active() && b.range.end() > now,
                        payment: b.payment.state,
                        seen: seen_token(b),
                    }
                })
                .collect();
            let closed = blackouts
                .iter()
                .filter(|b| b.resource_id.is_none_or(|r| r == resource.id))
                .filter(|b| overlaps(b.range.start(), b.range.end()))
                .map(|b| {
                    (
                        minute_of_day(b.range.start()),
                        minute_of_day(b.range.end()),
                        b.reason.clone(),
                    )
                })
                .collect();
            CalendarLane {
                resource_id: resource.id,
                name: resource.name.clone(),
                short,
                slot_minutes: resource.slot_minutes,
                min_minutes: resource.min_minutes,
                max_minutes: resource.max_minutes,
                open,
                closed,
                blocks,
            }
        })
        .collect();
    CalendarDayColumn {
        date: day,
        label: String::new(),
        is_today: false,
        lanes,
    }
}

/// What a booking of `minutes` from `start` on `date` would cost, and
/// whether the slot is free now (the service decides when staff save).
pub async fn quote(
    state: Services,
    staff: StaffUser,
    resource_id: ResourceId,
    date: String,
    start: String,
    minutes: i64,
) -> Result<SlotQuote, AppError> {
    let lang = crate::i18n::initial();
    let resource = state.store.resource(staff.tenant_id, resource_id).await?;
    if !(resource.min_minutes..=resource.max_minutes).contains(&minutes) {
        return Err(AppError::Invalid(format!(
            "{} is booked for {} to {} minutes.",
            resource.name, resource.min_minutes, resource.max_minutes
        )));
    }
    let range = slot_range(&resource, &date, &start, minutes)?;
    if !range.is_supported() {
        return Err(AppError::Invalid("Choose a date from 1970 to 9999.".into()));
    }
    let price = state
        .store
        .quote(staff.tenant_id, &resource, &range)
        .await?
        .total;
    let free = state
        .store
        .is_free(staff.tenant_id, resource.id, &range, state.clock.now())
        .await?;
    let local = |at: DateTime<Utc>| at.with_timezone(&resource.timezone);
    Ok(SlotQuote {
        resource_name: resource.name.clone(),
        when: format!(
            "{} {}–{}",
            day_label_with_year(lang, local(range.start()).date_naive()),
            local(range.start()).format("%H:%M"),
            local(range.end()).format("%H:%M")
        ),
        price: price.to_string(),
        free,
    })
}

/// Where a block was when the calendar was drawn, as the client sends it
/// back with a move: "resource.start.end" (Unix seconds).
fn seen_token(b: &Booking) -> String {
    format!(
        "{}.{}.{}",
        b.resource_id,
        b.range.start().timestamp(),
        b.range.end().timestamp()
    )
}

/// The place a [`seen_token`] names; a token that does not parse is an
/// invalid request, not a move without a check.
fn parse_seen(token: &str) -> Result<booking::Seen, AppError> {
    let bad = || {
        AppError::Invalid(
            "the calendar sent a booking's place it cannot read; reload the page".into(),
        )
    };
    let mut parts = token.split('.');
    let mut next =
        || -> Result<i64, AppError> { parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad) };
    let (resource, start, end) = (next()?, next()?, next()?);
    if parts.next().is_some() {
        return Err(bad());
    }
    let instant = |secs| DateTime::<Utc>::from_timestamp(secs, 0).ok_or_else(bad);
    let range = TimeRange::new(instant(start)?, instant(end)?).map_err(|_| bad())?;
    Ok(booking::Seen {
        resource: ResourceId(resource),
        range,
    })
}

/// Moves (or resizes) a booking: to `resource_id`, `minutes` from `start`
/// on `date`, re-priced, under the staff policy. `seen` is where the block
/// was when the calendar was drawn: if another desk moved it since, the
/// move is refused (`changed_meanwhile`) instead of undoing theirs.
pub async fn move_booking(
    state: Services,
    staff: StaffUser,
    id: BookingId,
    resource_id: ResourceId,
    date: String,
    start: String,
    minutes: i64,
    seen: Option<String>,
) -> Result<BookingDto, AppError> {
    let seen = seen
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(parse_seen)
        .transpose()?;
    let resource = state.store.resource(staff.tenant_id, resource_id).await?;
    let range = slot_range(&resource, &date, &start, minutes)?;
    let moved = state
        .bookings
        .reschedule(
            &desk(&staff),
            id,
            booking::MoveRequest {
                resource: Some(resource.id),
                range,
                seen,
            },
        )
        .await?;
    Ok(convert::booking(&moved, state.clock.now()))
}
