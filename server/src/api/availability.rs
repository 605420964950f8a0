//! `GET /api/v1/availability`: free slots of one resource, or of every
//! resource of a type in an outlet, over a date range and for a duration.

use super::error::ApiError;
use super::ApiCaller;
use app::api::ssr::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::{Extension, Json};
use chrono::NaiveDate;
use domain::{OutletId, ResourceId, ResourceKind};
use serde::Deserialize;
use serde_json::{json, Value};

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
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        ApiError::bad_request(
            "invalid_date",
            format!("{field} must be a date like 2026-11-26"),
        )
    })
}

pub async fn search(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
    query: Result<Query<AvailabilityQuery>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
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
        return Ok(Json(json!({ "slots": [] })));
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
    let mut slots = Vec::new();
    for (resource, free) in chosen.iter().zip(free) {
        for slot in free {
            slots.push(json!({
                "resource_id": resource.id,
                "start": slot.start().to_rfc3339(),
                "end": slot.end().to_rfc3339(),
                "local_start": slot.start().with_timezone(&resource.timezone).format("%Y-%m-%dT%H:%M").to_string(),
            }));
        }
    }
    Ok(Json(json!({ "slots": slots })))
}
