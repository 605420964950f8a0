//! `POST /api/v1/holds`, `POST /api/v1/holds/{id}/confirm`,
//! `DELETE /api/v1/holds/{id}`: a short claim on a slot while a customer
//! decides (10 minutes unless asked otherwise). It blocks the slot for
//! everyone else, and turns into a confirmed booking or lapses.

use super::bookings::{
    booking_error, booking_id, booking_json, created, idempotency_key, prepare, CreateBooking,
};
use super::error::ApiError;
use super::ApiCaller;
use app::api::ssr::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::{Extension, Json};
use chrono::Duration;
use domain::{Actor, BookingStatus};
use serde_json::Value;

/// How long a hold lasts unless the caller asks for another length.
pub const DEFAULT_HOLD_MINUTES: i64 = 10;
/// The longest hold: long enough to pay, short enough not to hoard slots.
pub const MAX_HOLD_MINUTES: i64 = 30;

pub async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
    headers: HeaderMap,
    body: Result<Json<CreateBooking>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(input) = body?;
    let minutes = input.hold_minutes().unwrap_or(DEFAULT_HOLD_MINUTES);
    if !(1..=MAX_HOLD_MINUTES).contains(&minutes) {
        return Err(ApiError::bad_request(
            "invalid_hold_length",
            format!("a hold lasts 1 to {MAX_HOLD_MINUTES} minutes"),
        ));
    }
    let now = state.clock.now();
    let mut new = prepare(&state, caller, &input, now).await?;
    new.status = BookingStatus::Pending;
    new.hold_until = Some(now + Duration::minutes(minutes));
    let hold = match idempotency_key(&headers) {
        Some(key) => {
            state
                .store
                .create_booking_once(caller.tenant, &key, new, now)
                .await?
                .0
        }
        None => state.store.create_booking(caller.tenant, new, now).await?,
    };
    Ok(created(&hold))
}

/// Confirms a live hold: 200 with the booking, 409 `hold_expired` if it lapsed.
pub async fn confirm(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = booking_id(&id)?;
    let booking = state
        .store
        .confirm_hold(
            caller.tenant,
            id,
            &Actor::Api(caller.key_id),
            state.clock.now(),
        )
        .await
        .map_err(|e| booking_error(e, id))?;
    Ok(Json(booking_json(&booking)))
}

/// Releases a hold before it lapses, so the slot is free at once.
pub async fn release(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = booking_id(&id)?;
    let released = state
        .store
        .release_hold(
            caller.tenant,
            id,
            &Actor::Api(caller.key_id),
            state.clock.now(),
        )
        .await
        .map_err(|e| match e {
            store::StoreError::Invalid(message) => {
                ApiError::new(http::StatusCode::CONFLICT, "not_a_hold", message)
            }
            other => booking_error(other, id),
        })?;
    Ok(Json(booking_json(&released)))
}
