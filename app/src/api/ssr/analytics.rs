//! The overview's figures and the analytics page: bookings read page by
//! page into a [`Tally`] (constant memory for any range), with the open
//! hours of every active resource, in each outlet's own wall-clock time.

use super::{venue_zone, Services};
use crate::dto::{AnalyticsDto, Overview, TakingsDto};
use crate::error::AppError;
use chrono::{Datelike, Duration, NaiveDate, NaiveTime};
use chrono_tz::Tz;
use domain::analytics::{week_start, Channel, Takings, Tally, Visit, MAX_RANGE_DAYS};
use domain::opening_hours::local_to_utc;
use domain::{BookingStatus, Currency, Money, TimeRange};
use store::{Booking, BookingCursor, BookingFilter, BookingSource, StaffUser};

/// Bookings read per page while summing.
const PAGE: i64 = 2_000;

/// From the start of local day `first` to the end of local day `last`,
/// in `zone`.
fn local_days(first: NaiveDate, last: NaiveDate, zone: Tz) -> Result<TimeRange, AppError> {
    TimeRange::new(
        local_to_utc(first.and_time(NaiveTime::MIN), zone),
        local_to_utc((last + Duration::days(1)).and_time(NaiveTime::MIN), zone),
    )
    .map_err(|e| AppError::Invalid(e.to_string()))
}

/// What every tally of one request reads once: the venue's zone and its
/// resources (whose hours are the open time).
struct Venue {
    zone: Tz,
    resources: Vec<store::Resource>,
}

async fn venue(state: &Services, staff: &StaffUser) -> Result<Venue, AppError> {
    Ok(Venue {
        zone: venue_zone(state, staff).await?,
        resources: state.store.resources(staff.tenant_id).await?,
    })
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
    venue: &Venue,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<(Tally, Currency), AppError> {
    let mut tally = Tally::new(first, last).ok_or_else(|| {
        AppError::Invalid(format!(
            "Choose a range of 1 to {MAX_RANGE_DAYS} days, the first day first."
        ))
    })?;
    for resource in &venue.resources {
        tally.add_open_hours(&resource.hours);
    }
    let mut currency = Currency::IDR;
    // A day's margin each side holds every local date of the range in any
    // outlet's zone; the tally keeps only the range's dates.
    let span = local_days(
        first - Duration::days(1),
        last + Duration::days(1),
        venue.zone,
    )?;
    let mut filter = BookingFilter {
        overlapping: Some(span),
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
    let venue = venue(&state, &staff).await?;
    let today = state.clock.now().with_timezone(&venue.zone).date_naive();
    let last = match to.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(t) => date(t)?,
        None => today,
    };
    let first = match from.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(f) => date(f)?,
        None => last - Duration::days(27),
    };
    let (tally, currency) = tally(&state, &staff, &venue, first, last).await?;
    let span = local_days(first, last, venue.zone)?;
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
    let venue = venue(&state, &staff).await?;
    let now = state.clock.now();
    let today = now.with_timezone(&venue.zone).date_naive();
    let filter = BookingFilter {
        overlapping: Some(local_days(today, today, venue.zone)?),
        ..BookingFilter::default()
    };
    let bookings = state.store.bookings(staff.tenant_id, &filter).await?;
    let (today_tally, currency) = tally(&state, &staff, &venue, today, today).await?;
    let monday = week_start(today);
    let (week, _) = tally(&state, &staff, &venue, monday, monday + Duration::days(6)).await?;
    let week_total = week.total();
    Ok(Overview {
        date_label: domain::calendar_words::day_label_with_year(crate::i18n::initial(), today),
        bookings_today: super::bookings::named(&state, &staff, &bookings).await?,
        revenue_today: Money::new(today_tally.total().booked_minor, currency),
        collected_today: Money::new(today_tally.total().collected_minor, currency),
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
        no_shows_today: bookings
            .iter()
            .filter(|b| b.status == BookingStatus::NoShow)
            .count() as i64,
        occupancy_today: today_tally.occupancy(),
        occupancy_week: week.occupancy(),
        week_booked: Money::new(week_total.booked_minor, currency),
        week_collected: Money::new(week_total.collected_minor, currency),
    })
}
