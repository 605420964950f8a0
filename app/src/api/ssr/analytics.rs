//! The overview's figures and the analytics page: bookings read page by
//! page into a [`Tally`] (constant memory for any range), with the open
//! hours of every active resource, in each outlet's own wall-clock time.

use super::{convert, venue_zone, Services};
use crate::dto::{AnalyticsDto, Overview, TakingsDto};
use crate::error::AppError;
use chrono::{Datelike, Duration, NaiveDate, NaiveTime};
use domain::analytics::{week_start, Channel, Takings, Tally, Visit, MAX_RANGE_DAYS};
use domain::opening_hours::local_to_utc;
use domain::{BookingStatus, Currency, Money, TimeRange};
use store::{Booking, BookingCursor, BookingFilter, BookingSource, StaffUser};

/// Bookings read per page while summing.
const PAGE: i64 = 2_000;

/// The UTC span that holds every local date of `first..=last` in any zone
/// (a day's margin each side; the tally keeps only the range's dates).
fn utc_span(first: NaiveDate, last: NaiveDate, zone: chrono_tz::Tz) -> Result<TimeRange, AppError> {
    let start = local_to_utc((first - Duration::days(1)).and_time(NaiveTime::MIN), zone);
    let end = local_to_utc((last + Duration::days(2)).and_time(NaiveTime::MIN), zone);
    TimeRange::new(start, end).map_err(|e| AppError::Invalid(e.to_string()))
}

/// A booking that fills its court and counts as booked value: confirmed,
/// checked in or completed (not a hold still waiting for its "yes", not
/// cancelled, not a no-show).
fn takes_place(b: &Booking) -> bool {
    matches!(
        b.status,
        BookingStatus::Confirmed | BookingStatus::CheckedIn | BookingStatus::Completed
    )
}

fn visit(b: &Booking) -> Visit {
    let zone = b.timezone;
    Visit {
        resource: b.resource_name.clone(),
        start: b.range.start().with_timezone(&zone).naive_local(),
        end: b.range.end().with_timezone(&zone).naive_local(),
        takes_place: takes_place(b),
        price_minor: b.price.minor,
        paid_minor: b.payment.collected.minor,
        channel: match b.source {
            BookingSource::Whatsapp | BookingSource::Simulator => Channel::Bot,
            BookingSource::Dashboard => Channel::Staff,
            BookingSource::Api => Channel::Api,
        },
    }
}

/// Sums `first..=last` for the staff member's tenant; the currency is the
/// one its bookings are priced in.
async fn tally(
    state: &Services,
    staff: &StaffUser,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<(Tally, Currency), AppError> {
    let mut tally = Tally::new(first, last).ok_or_else(|| {
        AppError::Invalid(format!(
            "Choose a range of 1 to {MAX_RANGE_DAYS} days, the first day first."
        ))
    })?;
    let zone = venue_zone(state, staff).await?;
    for resource in state.store.resources(staff.tenant_id).await? {
        tally.add_open_hours(&resource.hours);
    }
    let mut currency = Currency::IDR;
    let mut filter = BookingFilter {
        overlapping: Some(utc_span(first, last, zone)?),
        limit: Some(PAGE),
        ..BookingFilter::default()
    };
    loop {
        let page = state.store.bookings(staff.tenant_id, &filter).await?;
        for booking in &page {
            currency = booking.price.currency;
            tally.add(&visit(booking));
        }
        match page.last() {
            Some(last) if page.len() as i64 == PAGE => {
                filter.after = Some(BookingCursor::after(last));
            }
            _ => break,
        }
    }
    Ok((tally, currency))
}

fn takings(key: String, t: Takings, currency: Currency) -> TakingsDto {
    TakingsDto {
        key,
        booked: Money::new(t.booked_minor, currency),
        collected: Money::new(t.collected_minor, currency),
        bookings: t.bookings,
    }
}

/// A date from a form (`YYYY-MM-DD`).
/// A date from a form (`YYYY-MM-DD`) in the years bookings can have
/// (1970–9999, as the booking service), so no date arithmetic overflows.
fn date(text: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| (1970..=9999).contains(&d.year()))
        .ok_or_else(|| {
            AppError::Invalid(format!(
                "{:?} is not a date like 2026-11-26 (years 1970 to 9999).",
                clip(text)
            ))
        })
}

fn clip(text: &str) -> String {
    text.chars().take(20).collect()
}

/// The analytics of `from..=to` (local dates); the last 28 days, today
/// included, when not given.
pub async fn analytics(
    state: Services,
    staff: StaffUser,
    from: Option<String>,
    to: Option<String>,
) -> Result<AnalyticsDto, AppError> {
    let zone = venue_zone(&state, &staff).await?;
    let today = state.clock.now().with_timezone(&zone).date_naive();
    let last = match to.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(t) => date(t)?,
        None => today,
    };
    let first = match from.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(f) => date(f)?,
        None => last - Duration::days(27),
    };
    let (tally, currency) = tally(&state, &staff, first, last).await?;
    let span = TimeRange::new(
        local_to_utc(first.and_time(NaiveTime::MIN), zone),
        local_to_utc((last + Duration::days(1)).and_time(NaiveTime::MIN), zone),
    )
    .map_err(|e| AppError::Invalid(e.to_string()))?;
    let outcomes = state
        .store
        .conversation_outcomes(staff.tenant_id, span.start(), span.end())
        .await?;
    Ok(AnalyticsDto {
        from: first.to_string(),
        to: last.to_string(),
        today: today.to_string(),
        occupancy: tally.occupancy(),
        heat: tally.heat_map().iter().map(|row| row.to_vec()).collect(),
        days: tally
            .by_day()
            .map(|(day, t)| takings(day.to_string(), t, currency))
            .collect(),
        resources: tally
            .by_resource()
            .into_iter()
            .map(|(name, t)| takings(name, t, currency))
            .collect(),
        channels: tally
            .by_channel()
            .into_iter()
            .map(|(c, n)| {
                let key = match c {
                    Channel::Bot => "bot",
                    Channel::Staff => "staff",
                    Channel::Api => "api",
                };
                (key.to_string(), n)
            })
            .collect(),
        total: takings(String::new(), tally.total(), currency),
        conversations: outcomes.total,
        bot_only: outcomes.bot_only(),
    })
}

/// Today at a glance, "today" in the zone of the tenant's first outlet:
/// its bookings and arrivals, occupancy today and this week, and this
/// week's booked value against the money collected.
pub async fn overview(state: Services, staff: StaffUser) -> Result<Overview, AppError> {
    let zone = venue_zone(&state, &staff).await?;
    let now = state.clock.now();
    let today = now.with_timezone(&zone).date_naive();
    let day = TimeRange::new(
        local_to_utc(today.and_time(NaiveTime::MIN), zone),
        local_to_utc((today + Duration::days(1)).and_time(NaiveTime::MIN), zone),
    )
    .map_err(|e| AppError::Invalid(e.to_string()))?;
    let filter = BookingFilter {
        overlapping: Some(day),
        ..BookingFilter::default()
    };
    let bookings = state.store.bookings(staff.tenant_id, &filter).await?;
    let (today_tally, currency) = tally(&state, &staff, today, today).await?;
    let monday = week_start(today);
    let (week, _) = tally(&state, &staff, monday, monday + Duration::days(6)).await?;
    let week_total = week.total();
    Ok(Overview {
        date_label: domain::calendar_words::day_label_with_year(crate::i18n::initial(), today),
        bookings_today: bookings.iter().map(|b| convert::booking(b, now)).collect(),
        resources: state.store.resources(staff.tenant_id).await?.len(),
        revenue_today: Money::new(today_tally.total().booked_minor, currency),
        arrived_today: bookings
            .iter()
            .filter(|b| {
                matches!(
                    b.status,
                    BookingStatus::CheckedIn | BookingStatus::Completed
                )
            })
            .count() as i64,
        expected_today: bookings.iter().filter(|b| takes_place(b)).count() as i64,
        occupancy_today: today_tally.occupancy(),
        occupancy_week: week.occupancy(),
        week_booked: Money::new(week_total.booked_minor, currency),
        week_collected: Money::new(week_total.collected_minor, currency),
    })
}
