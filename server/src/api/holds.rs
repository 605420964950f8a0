//! `POST /api/v1/holds`, `POST /api/v1/holds/{id}/confirm`,
//! `DELETE /api/v1/holds/{id}`: a short claim on a slot while a customer
//! decides (10 minutes unless asked otherwise). It blocks the slot for
//! everyone else, and turns into a confirmed booking or lapses.

use super::bookings::{book_from_body, booking_id, booking_json};
use super::error::ApiError;
use super::ApiCaller;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::{Extension, Json};
use booking::{Services, DEFAULT_HOLD_MINUTES};
use serde_json::Value;

pub async fn create(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    book_from_body(&state, &caller, &headers, &body, "holds", |minutes| {
        Ok(Some(minutes.unwrap_or(DEFAULT_HOLD_MINUTES)))
    })
    .await
}

/// Confirms a live hold: 200 with the booking, 409 `hold_expired` if it lapsed.
pub async fn confirm(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = booking_id(&id)?;
    let booking = state.bookings.confirm_hold(&caller.caller(), id).await?;
    Ok(Json(booking_json(&booking)))
}

/// Releases a hold before it lapses, so the slot is free at once.
pub async fn release(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = booking_id(&id)?;
    let released = state.bookings.release_hold(&caller.caller(), id).await?;
    Ok(Json(booking_json(&released)))
}
