//! Booking lists and the overview.

use super::{convert, Services};
use crate::dto::{BookingDto, BookingEventDto, BookingPage};
use crate::error::AppError;
use booking::{BookRequest, Caller, CustomerRef};
use chrono::{Duration, NaiveDate, NaiveTime};
use domain::availability::Policy;
use domain::opening_hours::local_to_utc;
use domain::{Actor, BookingId, BookingStatus, OutletId, ResourceId, TimeRange};
use store::{BookingCursor, BookingFilter, BookingSource, StaffUser};

/// What the bookings list is asked for: every field narrows it.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct BookingQuery {
    pub status: Option<String>,
    /// Local dates, `2026-11-26`; without `from` the list starts today.
    pub from: Option<String>,
    pub to: Option<String>,
    pub outlet: Option<i64>,
    pub resource: Option<i64>,
    /// `whatsapp`, `simulator`, `dashboard` or `api`.
    pub channel: Option<String>,
    /// A customer's name, number or a booking code.
    pub q: Option<String>,
    /// The cursor of the page before.
    pub after: Option<String>,
}

/// How many bookings a page of the list holds.
pub const PAGE: i64 = 50;
/// How many rows one export holds at most.
pub const EXPORT_ROWS: usize = 100_000;

fn blank(text: &Option<String>) -> Option<&str> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// The store's filter for a query, in the zone of the tenant's first
/// outlet (dates are local).
pub async fn filter_of(
    state: &Services,
    staff: &StaffUser,
    query: &BookingQuery,
) -> Result<BookingFilter, AppError> {
    let status = match blank(&query.status) {
        None | Some("all") => None,
        Some(name) => Some(
            name.parse::<BookingStatus>()
                .map_err(|_| AppError::Invalid(format!("Unknown status {name:?}.")))?,
        ),
    };
    let source = match blank(&query.channel) {
        None | Some("all") => None,
        Some(name) => Some(
            name.parse::<BookingSource>()
                .map_err(|_| AppError::Invalid(format!("Unknown channel {name:?}.")))?,
        ),
    };
    // Another tenant's outlet or resource is "not found", as everywhere.
    if let Some(outlet) = query.outlet {
        state
            .store
            .outlet(staff.tenant_id, OutletId(outlet))
            .await?;
    }
    // An archived resource's bookings stay listable: they are its history.
    if let Some(resource) = query.resource {
        super::resources::active_or_archived(state, staff, ResourceId(resource)).await?;
    }
    let zone = super::venue_zone(state, staff).await?;
    let today = state.clock.now().with_timezone(&zone).date_naive();
    let from = match blank(&query.from) {
        Some(text) => super::calendar::parse_date(text)?,
        None => today,
    };
    let to = match blank(&query.to) {
        Some(text) => super::calendar::parse_date(text)? + Duration::days(1),
        None => from + Duration::days(3650),
    };
    if to <= from {
        return Err(AppError::Invalid(
            "The end date is before the start date.".into(),
        ));
    }
    let range = TimeRange::new(
        local_to_utc(from.and_time(NaiveTime::MIN), zone),
        local_to_utc(to.and_time(NaiveTime::MIN), zone),
    )
    .map_err(|e| AppError::Invalid(e.to_string()))?;
    let after = match blank(&query.after) {
        Some(token) => Some(
            BookingCursor::parse(token)
                .ok_or_else(|| AppError::Invalid("That page link is broken.".into()))?,
        ),
        None => None,
    };
    Ok(BookingFilter {
        status,
        source,
        overlapping: Some(range),
        outlet_id: query.outlet.map(OutletId),
        resource_id: query.resource.map(ResourceId),
        search: blank(&query.q).map(str::to_string),
        after,
        limit: Some(PAGE),
        ..BookingFilter::default()
    })
}

pub async fn bookings(
    state: Services,
    staff: StaffUser,
    query: BookingQuery,
) -> Result<BookingPage, AppError> {
    let mut filter = filter_of(&state, &staff, &query).await?;
    filter.limit = Some(PAGE + 1);
    let mut rows = state.store.bookings(staff.tenant_id, &filter).await?;
    let more = rows.len() as i64 > PAGE;
    rows.truncate(PAGE as usize);
    Ok(BookingPage {
        next: more
            .then(|| rows.last().map(|b| BookingCursor::after(b).token()))
            .flatten(),
        rows: named(&state, &staff, &rows).await?,
    })
}

/// Bookings as the dashboard lists them, each with its customer's name.
pub(super) async fn named(
    state: &Services,
    staff: &StaffUser,
    rows: &[store::Booking],
) -> Result<Vec<BookingDto>, AppError> {
    let now = state.clock.now();
    let customers: Vec<_> = rows.iter().filter_map(|b| b.customer_id).collect();
    let names = state
        .store
        .customer_names(staff.tenant_id, &customers)
        .await?;
    Ok(rows
        .iter()
        .map(|b| BookingDto {
            customer_name: b.customer_id.and_then(|c| names.get(&c).cloned()),
            ..convert::booking(b, now)
        })
        .collect())
}

pub async fn booking(
    state: Services,
    staff: StaffUser,
    id: BookingId,
) -> Result<BookingDto, AppError> {
    let booking = state.store.booking(staff.tenant_id, id).await?;
    named(&state, &staff, std::slice::from_ref(&booking))
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// The team's names by user id, to say who made a change.
pub(super) async fn staff_names(
    state: &Services,
    staff: &StaffUser,
) -> Result<std::collections::HashMap<i64, String>, AppError> {
    Ok(state
        .store
        .team(staff.tenant_id)
        .await?
        .into_iter()
        .map(|m| (m.id.0, m.name))
        .collect())
}

/// Who made a change, for people, in the reader's language: a member by
/// name (a removed one by number), a customer by number.
pub(super) fn actor_label(stored: &str, names: &std::collections::HashMap<i64, String>) -> String {
    let t = crate::i18n::texts(crate::i18n::initial());
    match stored.parse::<Actor>() {
        Ok(Actor::Staff(id)) => names
            .get(&id.0)
            .filter(|n| !n.trim().is_empty())
            .cloned()
            .unwrap_or_else(|| (t.actor_staff)(id.0)),
        Ok(Actor::Customer(phone)) => (t.actor_customer)(phone.as_str()),
        Ok(Actor::Api(key)) => (t.actor_api)(key),
        Ok(Actor::System) => t.actor_system.to_string(),
        Err(_) => stored.to_string(),
    }
}

/// When a change was made, in the outlet's time and the reader's language:
/// "Wed 25 Nov 2026 10:00" / "Rabu, 25 Nov 2026 10:00".
pub(super) fn when_label(at: chrono::DateTime<chrono::Utc>, zone: chrono_tz::Tz) -> String {
    let local = at.with_timezone(&zone);
    format!(
        "{} {}",
        domain::calendar_words::day_label_with_year(crate::i18n::initial(), local.date_naive()),
        local.format("%H:%M")
    )
}

/// "Sat 5 Dec 2026 10:00–12:00" in the outlet's time (the end's day too
/// when it is another).
fn range_label(range: domain::TimeRange, zone: chrono_tz::Tz) -> String {
    let (start, end) = (
        range.start().with_timezone(&zone),
        range.end().with_timezone(&zone),
    );
    if start.date_naive() == end.date_naive() {
        format!(
            "{}–{}",
            when_label(range.start(), zone),
            end.format("%H:%M")
        )
    } else {
        format!(
            "{}–{}",
            when_label(range.start(), zone),
            when_label(range.end(), zone)
        )
    }
}

/// A booking's history, oldest first, in its outlet's time.
pub async fn history(
    state: Services,
    staff: StaffUser,
    id: BookingId,
) -> Result<Vec<BookingEventDto>, AppError> {
    let booking = state.store.booking(staff.tenant_id, id).await?;
    let names = staff_names(&state, &staff).await?;
    let t = crate::i18n::texts(crate::i18n::initial());
    Ok(state
        .store
        .booking_history(staff.tenant_id, id)
        .await?
        .into_iter()
        .map(|event| {
            let label = |s| (t.status_label)(s);
            let moved = event.reason.as_deref().and_then(store::MoveNote::parse);
            let (change, reason) = match (moved, event.from) {
                // Where it was, in the outlet's time and the staff's words.
                (Some(moved), _) => (
                    (t.hist_moved)(&moved.resource, &range_label(moved.range, booking.timezone)),
                    moved.reason,
                ),
                (None, Some(from)) if from == event.to => {
                    ((t.hist_edited)(label(event.to)), event.reason)
                }
                (None, Some(from)) => (
                    format!("{} → {}", label(from), label(event.to)),
                    event.reason,
                ),
                (None, None) => ((t.hist_created)(label(event.to)), event.reason),
            };
            BookingEventDto {
                change,
                actor: actor_label(&event.actor, &names),
                reason,
                at: when_label(event.at, booking.timezone),
            }
        })
        .collect())
}

/// Staff act under the staff policy: walk-ins, changes at any time.
pub(super) fn desk(staff: &StaffUser) -> Caller {
    Caller {
        tenant: staff.tenant_id,
        policy: Policy::Staff,
        actor: Actor::Staff(staff.id),
        source: BookingSource::Dashboard,
    }
}

/// A lifecycle step taken from the dashboard (any staff role: the front
/// desk checks customers in); a cancellation needs a reason.
pub async fn change_status(
    state: Services,
    staff: StaffUser,
    id: BookingId,
    status: String,
    reason: Option<String>,
) -> Result<BookingDto, AppError> {
    let next: BookingStatus = status
        .parse()
        .map_err(|_| AppError::Invalid(format!("Unknown status {status:?}.")))?;
    let changed = state
        .bookings
        .change_status(&desk(&staff), id, next, reason.as_deref())
        .await?;
    Ok(convert::booking(&changed, state.clock.now()))
}

/// The new-booking form on the calendar, as the server function receives it.
pub struct StaffBookingForm {
    pub resource_id: ResourceId,
    /// Local date and start time: "2026-11-26", "19:00".
    pub date: String,
    pub start: String,
    pub minutes: i64,
    /// Empty for a walk-in who gave no number.
    pub customer_phone: String,
    pub customer_name: String,
}

/// `minutes` from `start` ("19:00") on `date` ("2026-11-26"), in the
/// resource's zone: what the desk's forms and the calendar's drags name.
pub(super) fn slot_range(
    resource: &store::Resource,
    date: &str,
    start: &str,
    minutes: i64,
) -> Result<TimeRange, AppError> {
    let date = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| (1970..=9999).contains(&chrono::Datelike::year(d)))
        .ok_or_else(|| AppError::Invalid("Choose a date.".into()))?;
    let start = NaiveTime::parse_from_str(start.trim(), "%H:%M")
        .map_err(|_| AppError::Invalid("Choose a start time like 19:00.".into()))?;
    if !(1..=store::MAX_BOOKING_MINUTES).contains(&minutes) {
        return Err(AppError::Invalid(
            "Choose how long the booking lasts (at most a day).".into(),
        ));
    }
    TimeRange::starting_at(
        local_to_utc(date.and_time(start), resource.timezone),
        minutes,
    )
    .map_err(|_| AppError::Invalid("Choose how long the booking lasts.".into()))
}

/// A booking staff enter at the desk or on the phone, through the booking
/// service under the staff policy: the resource's rules apply (hours,
/// grid, length, horizon, blackouts, buffers) except the lead time, and a
/// walk-in may take the slot already under way (19:00 at 19:10).
pub async fn create(
    state: Services,
    staff: StaffUser,
    form: StaffBookingForm,
) -> Result<BookingDto, AppError> {
    let resource = state
        .store
        .resource(staff.tenant_id, form.resource_id)
        .await?;
    let range = slot_range(&resource, &form.date, &form.start, form.minutes)?;
    let customer = match form.customer_phone.trim() {
        "" => None,
        phone => Some(CustomerRef::Phone {
            phone: state.bookings.parse_phone(staff.tenant_id, phone).await?,
            name: Some(form.customer_name.trim().to_string()).filter(|n| !n.is_empty()),
        }),
    };
    let request = BookRequest {
        resources: vec![resource.id],
        range,
        customer,
        hold_minutes: None,
    };
    let booked = state.bookings.book(&desk(&staff), request, None).await?;
    let booking = booked.bookings.first().ok_or(AppError::Internal)?;
    named(&state, &staff, std::slice::from_ref(booking))
        .await?
        .pop()
        .ok_or(AppError::Internal)
}
