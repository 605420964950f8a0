//! `GET /api/v1/resources`, `PATCH /api/v1/resources/{id}`.

use super::error::{path_id, ApiError};
use super::schema::{ErrorBody, ResourceList, ResourceOut};
use super::ApiCaller;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::{Extension, Json};
use booking::Services;
use domain::{ResourceId, TenantId};
use serde::Deserialize;
use store::{BookingWindow, Resource, StoreError};
use utoipa::ToSchema;

/// The tenant's bookable resources.
#[utoipa::path(get, path = "/resources", operation_id = "resources_list", tag = "resources",
    responses((status = 200, description = "Resources", body = ResourceList)))]
pub async fn list(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
) -> Result<Json<ResourceList>, ApiError> {
    let resources = state.store.resources(caller.tenant).await?;
    Ok(Json(ResourceList {
        resources: resources.iter().map(ResourceOut::from).collect(),
    }))
}

/// A field left out or null keeps its value.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WindowChange {
    /// Free time kept between bookings.
    #[schema(minimum = 0, maximum = 240)]
    buffer_minutes: Option<i64>,
    /// A booking must start at least this long after now.
    #[schema(minimum = 0, maximum = 10080)]
    lead_minutes: Option<i64>,
    /// How far ahead the resource may be booked.
    #[schema(minimum = 1, maximum = 730)]
    horizon_days: Option<i64>,
    /// Customers (customer-policy keys, the bot) may cancel or move until
    /// this many minutes before the start; staff always.
    #[schema(minimum = 0, maximum = 20160)]
    change_cutoff_minutes: Option<i64>,
}

/// `PATCH /api/v1/resources/{id}`: the buffer between bookings, how late
/// (lead) and how far ahead (horizon) the resource may be booked, and until
/// when before the start customers may change a booking (cutoff).
/// Change a resource's booking window: buffer, lead time, horizon, cutoff.
#[utoipa::path(patch, path = "/resources/{id}", operation_id = "resources_update", tag = "resources",
    params(("id" = i64, Path, description = "The resource's id")),
    request_body = WindowChange,
    responses(
        (status = 200, description = "The resource", body = ResourceOut),
        (status = 400, description = "`invalid`, `invalid_json`", body = ErrorBody),
        (status = 403, description = "`staff_only` (rules, prices and blackouts need a staff-policy key)", body = ErrorBody),
        (status = 404, description = "`unknown_resource`", body = ErrorBody),
    ))]
pub async fn update(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
    body: Result<Json<WindowChange>, JsonRejection>,
) -> Result<Json<ResourceOut>, ApiError> {
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
        Ok(resource) => Ok(Json((&resource).into())),
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
