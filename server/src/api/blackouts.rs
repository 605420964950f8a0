//! `GET|POST /api/v1/blackouts`, `DELETE /api/v1/blackouts/{id}`: closing an
//! outlet or one resource for a while (maintenance, public holidays).

use super::bookings::booking_json;
use super::error::{about, path_id, range_of, ApiError};
use super::{resources, ApiCaller};
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use booking::Services;
use chrono::{DateTime, Utc};
use domain::{OutletId, ResourceId};
use serde::Deserialize;
use serde_json::{json, Value};
use store::{Blackout, NewBlackout, StoreError};

fn blackout_json(b: &Blackout) -> Value {
    json!({
        "id": b.id,
        "outlet_id": b.outlet_id,
        "resource_id": b.resource_id,
        "start": b.range.start().to_rfc3339(),
        "end": b.range.end().to_rfc3339(),
        "reason": b.reason,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateBlackout {
    outlet_id: Option<OutletId>,
    resource_id: Option<ResourceId>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    reason: String,
}

/// 201 with the blackout and the active bookings inside it (kept: the venue
/// decides whom to call).
pub async fn create(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
    body: Result<Json<CreateBlackout>, JsonRejection>,
) -> Result<Response, ApiError> {
    caller.require_staff()?;
    let Json(input) = body?;
    let range = range_of(input.start, input.end)?;
    let outlet_id = match (input.outlet_id, input.resource_id) {
        (Some(outlet), _) => outlet,
        (None, Some(resource)) => {
            resources::find(&state, caller.tenant, resource)
                .await?
                .outlet_id
        }
        (None, None) => {
            return Err(ApiError::bad_request(
                "missing_outlet",
                "give outlet_id (to close the outlet) or resource_id (to close one resource)",
            ))
        }
    };
    let new = NewBlackout {
        outlet_id,
        resource_id: input.resource_id,
        range,
        reason: input.reason,
    };
    let (blackout, conflicts) = state
        .store
        .create_blackout(caller.tenant, new, state.clock.now())
        .await
        .map_err(|e| match (e, input.resource_id) {
            (StoreError::NotFound, Some(resource)) => ApiError::unknown_resource(resource),
            (StoreError::NotFound, None) => {
                ApiError::not_found("unknown_outlet", format!("no outlet {outlet_id}"))
            }
            (other, _) => other.into(),
        })?;
    let body = json!({
        "blackout": blackout_json(&blackout),
        "conflicts": conflicts.iter().map(booking_json).collect::<Vec<_>>(),
    });
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

#[derive(Deserialize)]
pub struct ListQuery {
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    outlet_id: Option<OutletId>,
}

pub async fn list(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(q) = query?;
    let range = range_of(q.from, q.to)?;
    let blackouts = state
        .store
        .blackouts(caller.tenant, q.outlet_id, &range)
        .await?;
    Ok(Json(
        json!({ "blackouts": blackouts.iter().map(blackout_json).collect::<Vec<_>>() }),
    ))
}

pub async fn delete(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    caller.require_staff()?;
    let id: domain::BlackoutId = path_id(&id, "blackout")?;
    state
        .store
        .delete_blackout(caller.tenant, id)
        .await
        .map_err(|e| about(e, "unknown_blackout", || format!("no blackout {id}")))?;
    Ok(StatusCode::NO_CONTENT)
}
