//! Booking lists and the overview.

use super::{convert, AppState};
use crate::dto::{BookingDto, BookingEventDto, Overview};
use crate::error::AppError;
use chrono::{Duration, NaiveTime};
use domain::opening_hours::local_to_utc;
use domain::{Actor, BookingId, BookingStatus, Money, TimeRange};
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

/// Who made a change, for people.
fn actor_label(stored: &str) -> String {
    match stored.parse::<Actor>() {
        Ok(Actor::Staff(id)) => format!("Staff member #{id}"),
        Ok(Actor::Customer(phone)) => format!("Customer {phone}"),
        Ok(Actor::Api(key)) => format!("API key #{key}"),
        Ok(Actor::System) => "Pesan (automatic)".to_string(),
        Err(_) => stored.to_string(),
    }
}

/// A booking's history, oldest first, in its outlet's time.
pub async fn history(
    state: AppState,
    staff: StaffUser,
    id: BookingId,
) -> Result<Vec<BookingEventDto>, AppError> {
    let booking = state.store.booking(staff.tenant_id, id).await?;
    Ok(state
        .store
        .booking_history(staff.tenant_id, id)
        .await?
        .into_iter()
        .map(|event| BookingEventDto {
            change: match event.from {
                Some(from) if from == event.to => format!("{} (changed)", event.to.label()),
                Some(from) => format!("{} → {}", from.label(), event.to.label()),
                None => format!("Created as {}", event.to.label()),
            },
            actor: actor_label(&event.actor),
            reason: event.reason,
            at: event
                .at
                .with_timezone(&booking.timezone)
                .format("%a %-d %b %Y %H:%M")
                .to_string(),
        })
        .collect())
}

/// A lifecycle step taken from the dashboard (any staff role: the front
/// desk checks customers in); a cancellation needs a reason.
pub async fn change_status(
    state: AppState,
    staff: StaffUser,
    id: BookingId,
    status: String,
    reason: Option<String>,
) -> Result<BookingDto, AppError> {
    let next: BookingStatus = status
        .parse()
        .map_err(|_| AppError::Invalid(format!("Unknown status {status:?}.")))?;
    let changed = state
        .store
        .change_status(
            staff.tenant_id,
            id,
            next,
            &Actor::Staff(staff.id),
            reason.as_deref(),
            state.clock.now(),
        )
        .await?;
    Ok(convert::booking(&changed))
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
