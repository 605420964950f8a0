//! Booking lists and the overview.

use super::{convert, AppState};
use crate::dto::{BookingDto, Overview};
use crate::error::AppError;
use chrono::{Duration, NaiveTime};
use domain::opening_hours::local_to_utc;
use domain::{BookingId, BookingStatus, Money, TimeRange};
use store::{BookingFilter, StaffUser};

pub async fn bookings(
    state: AppState,
    staff: StaffUser,
    status: Option<String>,
) -> Result<Vec<BookingDto>, AppError> {
    let status = match status.as_deref().map(str::trim) {
        None | Some("") | Some("all") => None,
        Some(name) => Some(
            name.parse::<BookingStatus>()
                .map_err(|_| AppError::Invalid(format!("Unknown status {name:?}.")))?,
        ),
    };
    let filter = BookingFilter {
        status,
        ..BookingFilter::default()
    };
    Ok(state
        .store
        .bookings(staff.tenant_id, &filter)
        .await?
        .iter()
        .map(convert::booking)
        .collect())
}

pub async fn booking(
    state: AppState,
    staff: StaffUser,
    id: BookingId,
) -> Result<BookingDto, AppError> {
    Ok(convert::booking(
        &state.store.booking(staff.tenant_id, id).await?,
    ))
}

/// Today at a glance, "today" in the zone of the tenant's first outlet.
pub async fn overview(state: AppState, staff: StaffUser) -> Result<Overview, AppError> {
    let outlets = state.store.outlets(staff.tenant_id).await?;
    let zone = outlets
        .first()
        .map(|o| o.timezone)
        .unwrap_or(chrono_tz::Asia::Jakarta);
    let today = state.clock.now().with_timezone(&zone).date_naive();
    let start = local_to_utc(today.and_time(NaiveTime::MIN), zone);
    let end = local_to_utc((today + Duration::days(1)).and_time(NaiveTime::MIN), zone);
    let day = TimeRange::new(start, end).map_err(|e| AppError::Invalid(e.to_string()))?;
    let filter = BookingFilter {
        overlapping: Some(day),
        ..BookingFilter::default()
    };
    let bookings = state.store.bookings(staff.tenant_id, &filter).await?;
    let mut revenue = Money::idr(0);
    for booking in bookings
        .iter()
        .filter(|b| !matches!(b.status, BookingStatus::Cancelled | BookingStatus::NoShow))
    {
        revenue = revenue.checked_add(booking.price).unwrap_or(revenue);
    }
    Ok(Overview {
        date_label: today.format("%A %-d %B %Y").to_string(),
        bookings_today: bookings.iter().map(convert::booking).collect(),
        resources: state.store.resources(staff.tenant_id).await?.len(),
        revenue_today: revenue,
    })
}
