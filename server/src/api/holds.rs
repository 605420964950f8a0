//! `POST /api/v1/holds`, `POST /api/v1/holds/{id}/confirm`,
//! `DELETE /api/v1/holds/{id}`: a short claim on a slot while a customer
//! decides (10 minutes unless asked otherwise). It blocks the slot for
//! everyone else, and turns into a confirmed booking or lapses.

use super::bookings::{book_from_body, booking_id, CreateBooking, IdempotencyHeader};
use super::error::ApiError;
use super::schema::{BookingOut, CreatedBooking, ErrorBody};
use super::ApiCaller;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::{Extension, Json};
use booking::{Services, DEFAULT_HOLD_MINUTES};

/// Hold a slot while the customer decides (10 minutes by default, at most
/// 30): it blocks the slot for everyone else until confirmed or lapsed.
#[utoipa::path(post, path = "/holds", operation_id = "holds_create", tag = "holds",
    params(IdempotencyHeader),
    request_body = CreateBooking,
    responses(
        (status = 201, description = "The hold: a pending booking with `hold_expires_at`", body = CreatedBooking,
            headers(("Location" = String, description = "The first booking"))),
        (status = 400, description = "`invalid_hold_length`, `invalid_json`, `end_before_start`, `unsupported_date`, `invalid_phone`, `invalid_name`, `too_many_resources`, `invalid_idempotency_key`", body = ErrorBody),
        (status = 404, description = "`unknown_resource`", body = ErrorBody),
        (status = 409, description = "`slot_taken`, `blackout`", body = ErrorBody),
        (status = 422, description = "`in_the_past`, `beyond_horizon`, `outside_opening_hours`, `unaligned`, `bad_length`, `too_long`, `idempotency_key_reused`", body = ErrorBody),
    ))]
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
#[utoipa::path(post, path = "/holds/{id}/confirm", operation_id = "holds_confirm", tag = "holds",
    params(("id" = i64, Path, description = "The hold's booking id")),
    responses(
        (status = 200, description = "The confirmed booking", body = BookingOut),
        (status = 404, description = "`unknown_booking`", body = ErrorBody),
        (status = 409, description = "`hold_expired`, `not_a_hold`", body = ErrorBody),
    ))]
pub async fn confirm(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
) -> Result<Json<BookingOut>, ApiError> {
    let id = booking_id(&id)?;
    let booking = state.bookings.confirm_hold(&caller.caller(), id).await?;
    Ok(Json((&booking).into()))
}

/// Releases a hold before it lapses, so the slot is free at once.
#[utoipa::path(delete, path = "/holds/{id}", operation_id = "holds_release", tag = "holds",
    params(("id" = i64, Path, description = "The hold's booking id")),
    responses(
        (status = 200, description = "The released (cancelled) hold", body = BookingOut),
        (status = 404, description = "`unknown_booking`", body = ErrorBody),
        (status = 409, description = "`not_a_hold`", body = ErrorBody),
    ))]
pub async fn release(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
) -> Result<Json<BookingOut>, ApiError> {
    let id = booking_id(&id)?;
    let released = state.bookings.release_hold(&caller.caller(), id).await?;
    Ok(Json((&released).into()))
}
