//! `GET /api/v1/resources`, `PATCH /api/v1/resources/{id}`.

use super::error::{path_id, ApiError};
use super::ApiCaller;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::{Extension, Json};
use booking::Services;
use domain::{ResourceId, TenantId};
use serde::Deserialize;
use serde_json::{json, Value};
use store::{BookingWindow, Resource, StoreError};

pub fn resource_json(r: &Resource) -> Value {
    json!({
        "id": r.id,
        "outlet_id": r.outlet_id,
        "outlet": r.outlet_name,
        "name": r.name,
        "type": r.kind.as_str(),
        "timezone": r.timezone.name(),
        "slot_minutes": r.slot_minutes,
        "min_minutes": r.min_minutes,
        "max_minutes": r.max_minutes,
        "buffer_minutes": r.buffer_minutes,
        "lead_minutes": r.lead_minutes,
        "horizon_days": r.horizon_days,
        "change_cutoff_minutes": r.change_cutoff_minutes,
        "hourly_rate": super::bookings::money_json(r.hourly_rate),
    })
}

pub async fn list(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
) -> Result<Json<Value>, ApiError> {
    let resources = state.store.resources(caller.tenant).await?;
    Ok(Json(
        json!({ "resources": resources.iter().map(resource_json).collect::<Vec<_>>() }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindowChange {
    buffer_minutes: Option<i64>,
    lead_minutes: Option<i64>,
    horizon_days: Option<i64>,
    change_cutoff_minutes: Option<i64>,
}

/// `PATCH /api/v1/resources/{id}`: the buffer between bookings, how late
/// (lead) and how far ahead (horizon) the resource may be booked, and until
/// when before the start customers may change a booking (cutoff).
pub async fn update(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
    body: Result<Json<WindowChange>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    caller.require_staff()?;
    let id: ResourceId = path_id(&id, "resource")?;
    let Json(change) = body?;
    let window = BookingWindow {
        buffer_minutes: change.buffer_minutes,
        lead_minutes: change.lead_minutes,
        horizon_days: change.horizon_days,
        change_cutoff_minutes: change.change_cutoff_minutes,
    };
    match state
        .store
        .set_booking_window(caller.tenant, id, window)
        .await
    {
        Ok(resource) => Ok(Json(resource_json(&resource))),
        Err(StoreError::NotFound) => Err(ApiError::unknown_resource(id)),
        Err(other) => Err(other.into()),
    }
}

/// One of the caller's resources; another tenant's id is `unknown_resource`.
pub async fn find(
    state: &Services,
    tenant: TenantId,
    id: ResourceId,
) -> Result<Resource, ApiError> {
    match state.store.resource(tenant, id).await {
        Ok(resource) => Ok(resource),
        Err(StoreError::NotFound) => Err(ApiError::unknown_resource(id)),
        Err(other) => Err(other.into()),
    }
}
