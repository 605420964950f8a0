//! `GET /api/v1/resources`.

use super::error::ApiError;
use super::ApiCaller;
use app::api::ssr::AppState;
use axum::extract::State;
use axum::{Extension, Json};
use domain::{ResourceId, TenantId};
use serde_json::{json, Value};
use store::{Resource, StoreError};

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
        "hourly_rate": { "amount": r.hourly_rate.minor, "currency": r.hourly_rate.currency.code() },
    })
}

pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
) -> Result<Json<Value>, ApiError> {
    let resources = state.store.resources(caller.tenant).await?;
    Ok(Json(
        json!({ "resources": resources.iter().map(resource_json).collect::<Vec<_>>() }),
    ))
}

/// One of the caller's resources; another tenant's id is `unknown_resource`.
pub async fn find(
    state: &AppState,
    tenant: TenantId,
    id: ResourceId,
) -> Result<Resource, ApiError> {
    match state.store.resource(tenant, id).await {
        Ok(resource) => Ok(resource),
        Err(StoreError::NotFound) => Err(ApiError::unknown_resource(id)),
        Err(other) => Err(other.into()),
    }
}
