//! `GET|POST /api/v1/blackouts`, `DELETE /api/v1/blackouts/{id}`: closing an
//! outlet or one resource for a while (maintenance, public holidays).

use super::error::{about, path_id, range_of, ApiError};
use super::schema::{BlackoutCreated, BlackoutList, BlackoutOut, BookingOut, ErrorBody};
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
use store::{NewBlackout, StoreError};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateBlackout {
    /// Close the whole outlet (or give `resource_id`).
    #[schema(value_type = Option<i64>)]
    outlet_id: Option<OutletId>,
    /// Close one resource.
    #[schema(value_type = Option<i64>)]
    resource_id: Option<ResourceId>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    #[schema(max_length = 200)]
    reason: String,
}

/// 201 with the blackout and the active bookings inside it (kept: the venue
/// decides whom to call).
#[utoipa::path(post, path = "/blackouts", operation_id = "blackouts_create", tag = "rules",
    request_body = CreateBlackout,
    responses(
        (status = 201, description = "Created, with the bookings already inside", body = BlackoutCreated),
        (status = 400, description = "`end_before_start`, `unsupported_date`, `missing_outlet`, `invalid`, `invalid_json`", body = ErrorBody),
        (status = 403, description = "`staff_only` (rules, prices and blackouts need a staff-policy key)", body = ErrorBody),
        (status = 404, description = "`unknown_outlet`, `unknown_resource`", body = ErrorBody),
    ))]
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
    let body = BlackoutCreated {
        blackout: (&blackout).into(),
        conflicts: conflicts.iter().map(BookingOut::from).collect(),
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Blackouts overlapping `from`–`to`.
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    #[param(value_type = Option<i64>)]
    outlet_id: Option<OutletId>,
}

/// Blackouts overlapping a range.
#[utoipa::path(get, path = "/blackouts", operation_id = "blackouts_list", tag = "rules",
    params(ListQuery),
    responses(
        (status = 200, description = "Blackouts", body = BlackoutList),
        (status = 400, description = "`end_before_start`, `unsupported_date`, `invalid_query`", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<BlackoutList>, ApiError> {
    let Query(q) = query?;
    let range = range_of(q.from, q.to)?;
    let blackouts = state
        .store
        .blackouts(caller.tenant, q.outlet_id, &range)
        .await?;
    Ok(Json(BlackoutList {
        blackouts: blackouts.iter().map(BlackoutOut::from).collect(),
    }))
}

/// Lift a blackout.
#[utoipa::path(delete, path = "/blackouts/{id}", operation_id = "blackouts_delete", tag = "rules",
    params(("id" = i64, Path, description = "The blackout's id")),
    responses(
        (status = 204, description = "Lifted"),
        (status = 403, description = "`staff_only` (rules, prices and blackouts need a staff-policy key)", body = ErrorBody),
        (status = 404, description = "`unknown_blackout`", body = ErrorBody),
    ))]
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
