//! `POST /api/v1/series`, `GET /api/v1/series/{id}`,
//! `POST /api/v1/series/{id}/cancel`: recurring bookings (RFC 5545 RRULE,
//! weekly or monthly, with COUNT or UNTIL), checked occurrence by occurrence.

use super::bookings::{idempotency_header, json_body, IdempotencyHeader};
use super::error::{path_id, range_of, ApiError};
use super::schema::{
    BookingOut, ErrorBody, ErrorDetail, SeriesCancelled, SeriesOut, SeriesReportOut,
};
use super::ApiCaller;
use axum::body::Bytes;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use booking::{
    BookingError, CustomerRef, IdempotencyKey, Item, SeriesMode, SeriesRequest, Services,
};
use chrono::{DateTime, Utc};
use domain::{BookingId, ResourceId};
use serde::Deserialize;
use store::{CancelScope, StoreError};
use utoipa::ToSchema;

/// `all_or_nothing`: book every occurrence or none; `free_ones`: book the
/// free ones and report the others.
#[derive(Deserialize, Clone, Copy, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    AllOrNothing,
    FreeOnes,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSeries {
    #[schema(value_type = i64)]
    resource_id: ResourceId,
    /// Where the series begins and the local time of day of every
    /// occurrence (kept across DST); the first occurrence is the first
    /// date the rule gives on or after it (a Tuesday start with `BYDAY=MO`
    /// begins the next Monday).
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    /// RFC 5545: FREQ=WEEKLY or MONTHLY, INTERVAL, BYDAY, BYMONTHDAY, COUNT or UNTIL.
    #[schema(example = "FREQ=WEEKLY;BYDAY=TH;COUNT=10")]
    rrule: String,
    customer_phone: String,
    customer_name: Option<String>,
    mode: Mode,
}

/// 201 with the per-occurrence report when anything was booked; 409
/// `series_not_free` with the same report (and nothing written) when
/// all-or-nothing met a refusal, or no occurrence was free. Takes an
/// `Idempotency-Key` like the other creates.
#[utoipa::path(post, path = "/series", operation_id = "series_create", tag = "series",
    params(IdempotencyHeader),
    request_body = CreateSeries,
    responses(
        (status = 201, description = "Booked (all, or the free ones)", body = SeriesReportOut),
        (status = 400, description = "`invalid_rrule`, `invalid_phone`, `invalid_name`, `end_before_start`, `unsupported_date`, `invalid_json`, `invalid_idempotency_key`", body = ErrorBody),
        (status = 404, description = "`unknown_resource`", body = ErrorBody),
        (status = 409, description = "`series_not_free`: all-or-nothing met a refusal, or nothing was free; nothing was written; the report says why per occurrence", body = SeriesReportOut),
        (status = 422, description = "`bad_length`, `too_long`, `idempotency_key_reused`", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let key_header = idempotency_header(&headers)?;
    let (input, canonical): (CreateSeries, _) = json_body(&body)?;
    let key = key_header
        .map(|key| IdempotencyKey::new("series", &key, &canonical))
        .transpose()?;
    let first = range_of(input.start, input.end)?;
    let request = SeriesRequest {
        resource: input.resource_id,
        first,
        rrule: input.rrule,
        customer: Some(CustomerRef::Phone {
            phone: booking::parse_phone(&input.customer_phone, &caller.country)?,
            name: input.customer_name,
        }),
        mode: match input.mode {
            Mode::AllOrNothing => SeriesMode::AllOrNothing,
            Mode::FreeOnes => SeriesMode::FreeOnes,
        },
    };
    let report = state
        .bookings
        .create_series(&caller.caller(), request, key)
        .await?;
    let mut body = SeriesReportOut::from(&report);
    if report.series_id.is_some() {
        let mut response = (StatusCode::CREATED, Json(body)).into_response();
        if report.replayed {
            response
                .headers_mut()
                .insert("idempotent-replayed", HeaderValue::from_static("true"));
        }
        return Ok(response);
    }
    body.error = Some(ErrorDetail {
        code: "series_not_free".into(),
        message: "Not every occurrence can be booked, so nothing was; see `occurrences`.".into(),
    });
    Ok((StatusCode::CONFLICT, Json(body)).into_response())
}

fn series_id(text: &str) -> Result<domain::SeriesId, ApiError> {
    path_id(text, "series")
}

fn series_error(error: StoreError) -> ApiError {
    BookingError::from_store(error, Item::Series).into()
}

/// A series' occurrences, every status.
#[utoipa::path(get, path = "/series/{id}", operation_id = "series_get_one", tag = "series",
    params(("id" = i64, Path, description = "The series' id")),
    responses(
        (status = 200, description = "The series", body = SeriesOut),
        (status = 404, description = "`unknown_series`", body = ErrorBody),
    ))]
pub async fn get_one(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
) -> Result<Json<SeriesOut>, ApiError> {
    let id = series_id(&id)?;
    let bookings = state
        .store
        .series_bookings(caller.tenant, id)
        .await
        .map_err(series_error)?;
    Ok(Json(SeriesOut {
        id: id.0,
        bookings: bookings.iter().map(BookingOut::from).collect(),
    }))
}

/// `all`: every occurrence not yet under way; `this_and_following`: the
/// occurrence `booking_id` and the ones after it.
#[derive(Deserialize, Clone, Copy, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    All,
    ThisAndFollowing,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelSeries {
    scope: Scope,
    /// With `this_and_following`: the first occurrence to cancel.
    #[schema(value_type = Option<i64>)]
    booking_id: Option<BookingId>,
    reason: String,
}

/// Cancels every occurrence not yet under way, or one occurrence and the
/// ones after it. (One occurrence alone: `POST /bookings/{id}/status`.)
#[utoipa::path(post, path = "/series/{id}/cancel", operation_id = "series_cancel", tag = "series",
    params(("id" = i64, Path, description = "The series' id")),
    request_body = CancelSeries,
    responses(
        (status = 200, description = "The cancelled bookings' ids", body = SeriesCancelled),
        (status = 400, description = "`missing_booking`, `reason_required`, `reason_too_long`, `not_in_series`, `invalid_json`", body = ErrorBody),
        (status = 404, description = "`unknown_series`", body = ErrorBody),
    ))]
pub async fn cancel(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
    body: Result<Json<CancelSeries>, JsonRejection>,
) -> Result<Json<SeriesCancelled>, ApiError> {
    let id = series_id(&id)?;
    let Json(input) = body?;
    let scope = match (input.scope, input.booking_id) {
        (Scope::All, _) => CancelScope::All,
        (Scope::ThisAndFollowing, Some(booking)) => CancelScope::FromBooking(booking),
        (Scope::ThisAndFollowing, None) => {
            return Err(ApiError::bad_request(
                "missing_booking",
                "`this_and_following` needs the `booking_id` to start from",
            ))
        }
    };
    let cancelled = state
        .bookings
        .cancel_series(&caller.caller(), id, scope, &input.reason)
        .await?;
    Ok(Json(SeriesCancelled {
        series_id: id.0,
        cancelled: cancelled.iter().map(|b| b.0).collect(),
    }))
}
