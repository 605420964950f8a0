//! `GET /api/v1/availability`: free slots of one resource, or of every
//! resource of a type in an outlet, over a date range and for a duration.

use super::error::ApiError;
use super::schema::{ErrorBody, Slots, SlotsJson};
use super::ApiCaller;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Extension;
use booking::Services;
use chrono::{Datelike, NaiveDate};
use domain::{OutletId, ResourceId};
use serde::Deserialize;
use utoipa::IntoParams;

/// The longest date range one search may cover.
const MAX_DAYS: i64 = 31;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AvailabilityQuery {
    /// One resource (or give `resource_type`).
    #[param(value_type = Option<i64>)]
    resource_id: Option<ResourceId>,
    /// Every resource of a type (in an outlet, with `outlet_id`): a
    /// built-in type (`futsal`, `badminton`, `tennis`, `basketball`,
    /// `meeting_room`, `studio`, `karaoke`) or the key of one of the venue's
    /// own (`padel_court`).
    #[param(value_type = Option<String>)]
    resource_type: Option<String>,
    #[param(value_type = Option<i64>)]
    outlet_id: Option<OutletId>,
    /// The first local date.
    #[param(value_type = String, format = Date)]
    from: String,
    /// The last local date, inclusive; at most 31 days after `from`.
    #[param(value_type = Option<String>, format = Date)]
    to: Option<String>,
    /// Duration in minutes; by default the longest minimum among the
    /// resources searched.
    minutes: Option<i64>,
}

fn date(text: &str, field: &str) -> Result<NaiveDate, ApiError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        // chrono reads years of any size; keep to ones calendars have.
        .filter(|d| (1970..=9999).contains(&d.year()))
        .ok_or_else(|| {
            ApiError::bad_request(
                "invalid_date",
                format!("{field} must be a date like 2026-11-26"),
            )
        })
}

/// Free slots of a resource, or of every resource of a type (in an
/// outlet), over local dates.
#[utoipa::path(get, path = "/availability", operation_id = "availability_search", tag = "bookings",
    params(AvailabilityQuery),
    responses(
        (status = 200, description = "Free slots", body = Slots),
        (status = 400, description = "`invalid_date`, `end_before_start`, `range_too_long`, `missing_resource`, `unknown_resource_type`, `invalid_query`", body = ErrorBody),
        (status = 404, description = "`unknown_resource`", body = ErrorBody),
        (status = 422, description = "`bad_length`, `unaligned` (a length off the slot grid)", body = ErrorBody),
    ))]
pub async fn search(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
    query: Result<Query<AvailabilityQuery>, QueryRejection>,
) -> Result<SlotsJson, ApiError> {
    let Query(q) = query?;
    let first = date(&q.from, "from")?;
    let last = match &q.to {
        Some(to) => date(to, "to")?,
        None => first,
    };
    if last < first {
        return Err(ApiError::bad_request(
            "end_before_start",
            "`to` is before `from`",
        ));
    }
    if (last - first).num_days() >= MAX_DAYS {
        return Err(ApiError::bad_request(
            "range_too_long",
            format!("search at most {MAX_DAYS} days at once"),
        ));
    }
    let all = state.store.resources_for_search(caller.tenant).await?;
    let chosen: Vec<_> = match (q.resource_id, &q.resource_type, q.outlet_id) {
        (Some(id), None, _) => {
            let resource = all
                .iter()
                .find(|r| r.id == id)
                .ok_or_else(|| ApiError::unknown_resource(id))?;
            vec![resource.clone()]
        }
        (None, Some(kind), outlet) => {
            // A built-in kind, or one of the venue's own by its key.
            let kind = state
                .store
                .resolve_kind(caller.tenant, kind)
                .await
                .map_err(|e| match e {
                    store::StoreError::Invalid(_) => ApiError::bad_request(
                        "unknown_resource_type",
                        format!("unknown resource type {kind:?}"),
                    ),
                    other => other.into(),
                })?;
            all.iter()
                .filter(|r| r.kind == kind && outlet.is_none_or(|o| r.outlet_id == o))
                .cloned()
                .collect()
        }
        _ => {
            return Err(ApiError::bad_request(
                "missing_resource",
                "give either resource_id, or resource_type (and optionally outlet_id)",
            ))
        }
    };
    // An impossible length is refused even when no resource matches.
    if let Some(minutes) = q.minutes {
        if !(1..=store::MAX_BOOKING_MINUTES).contains(&minutes) {
            return Err(ApiError::new(
                http::StatusCode::UNPROCESSABLE_ENTITY,
                "bad_length",
                format!(
                    "a booking lasts 1 to {} minutes",
                    store::MAX_BOOKING_MINUTES
                ),
            ));
        }
    }
    let now = state.clock.now();
    let Some(minutes) = q
        .minutes
        .or_else(|| chosen.iter().map(|r| r.min_minutes).max())
    else {
        return Ok(SlotsJson::write([]));
    };
    if let Some(resource) = chosen
        .iter()
        .find(|r| minutes < r.min_minutes || minutes > r.max_minutes)
    {
        return Err(ApiError::new(
            http::StatusCode::UNPROCESSABLE_ENTITY,
            "bad_length",
            format!(
                "{} takes bookings of {} to {} minutes",
                resource.name, resource.min_minutes, resource.max_minutes
            ),
        ));
    }
    // A length off the slot grid could never be booked: say so rather than
    // list slots that every booking would refuse.
    if let Some(resource) = chosen
        .iter()
        .find(|r| r.slot_minutes > 0 && minutes % r.slot_minutes != 0)
    {
        return Err(ApiError::new(
            http::StatusCode::UNPROCESSABLE_ENTITY,
            "unaligned",
            format!(
                "{} is booked in steps of {} minutes",
                resource.name, resource.slot_minutes
            ),
        ));
    }
    let free = state
        .store
        .free_slots_of(caller.tenant, &chosen, first, last, minutes, now)
        .await?;
    Ok(SlotsJson::write(
        chosen.iter().zip(free.iter().map(Vec::as_slice)),
    ))
}
