//! `GET /api/v1/availability`: free slots of one resource, or of every
//! resource of a type in an outlet, over a date range and for a duration.

use super::error::ApiError;
use super::ApiCaller;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::{Extension, Json};
use booking::Services;
use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, Timelike};
use chrono_tz::Tz;
use domain::{OutletId, ResourceId, ResourceKind};
use serde::{Deserialize, Serialize};

/// The longest date range one search may cover.
const MAX_DAYS: i64 = 31;

#[derive(Deserialize)]
pub struct AvailabilityQuery {
    resource_id: Option<ResourceId>,
    resource_type: Option<String>,
    outlet_id: Option<OutletId>,
    from: String,
    to: Option<String>,
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

/// One free slot; typed rather than built as a `json!` value, since a week
/// of a busy outlet is over a thousand of them.
#[derive(Serialize)]
pub struct Slot {
    resource_id: ResourceId,
    start: String,
    end: String,
    local_start: String,
}

#[derive(Serialize)]
pub struct Slots {
    slots: Vec<Slot>,
}

/// `2026-11-26T19:00`: the local wall-clock minute, as people read it.
fn local_minute(at: DateTime<Tz>) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute()
    )
}

pub async fn search(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
    query: Result<Query<AvailabilityQuery>, QueryRejection>,
) -> Result<Json<Slots>, ApiError> {
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
    let all = state.store.resources(caller.tenant).await?;
    let chosen: Vec<_> = match (q.resource_id, &q.resource_type, q.outlet_id) {
        (Some(id), None, _) => {
            let resource = all
                .into_iter()
                .find(|r| r.id == id)
                .ok_or_else(|| ApiError::unknown_resource(id))?;
            vec![resource]
        }
        (None, Some(kind), outlet) => {
            let kind: ResourceKind = kind.parse().map_err(|_| {
                ApiError::bad_request(
                    "unknown_resource_type",
                    format!("unknown resource type {kind:?}"),
                )
            })?;
            all.into_iter()
                .filter(|r| r.kind == kind && outlet.is_none_or(|o| r.outlet_id == o))
                .collect()
        }
        _ => {
            return Err(ApiError::bad_request(
                "missing_resource",
                "give either resource_id, or resource_type (and optionally outlet_id)",
            ))
        }
    };
    let now = state.clock.now();
    let Some(minutes) = q
        .minutes
        .or_else(|| chosen.iter().map(|r| r.min_minutes).max())
    else {
        return Ok(Json(Slots { slots: Vec::new() }));
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
    let free = state
        .store
        .free_slots_of(caller.tenant, &chosen, first, last, minutes, now)
        .await?;
    let slots: Vec<Slot> = chosen
        .iter()
        .zip(free)
        .flat_map(|(resource, free)| {
            free.into_iter().map(|range| Slot {
                resource_id: resource.id,
                start: range.start().to_rfc3339_opts(SecondsFormat::Secs, false),
                end: range.end().to_rfc3339_opts(SecondsFormat::Secs, false),
                local_start: local_minute(range.start().with_timezone(&resource.timezone)),
            })
        })
        .collect();
    Ok(Json(Slots { slots }))
}
