//! `POST /api/v1/series`, `GET /api/v1/series/{id}`,
//! `POST /api/v1/series/{id}/cancel`: recurring bookings (RFC 5545 RRULE,
//! weekly or monthly, with COUNT or UNTIL), checked occurrence by occurrence.

use super::bookings::{booking_json, idempotency_header, json_body};
use super::error::{path_id, range_of, ApiError};
use super::ApiCaller;
use axum::body::Bytes;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use booking::{
    BookingError, CustomerRef, IdempotencyKey, Item, Outcome, SeriesMode, SeriesReport,
    SeriesRequest, Services,
};
use chrono::{DateTime, Utc};
use domain::{BookingId, ResourceId};
use serde::Deserialize;
use serde_json::{json, Value};
use store::{CancelScope, StoreError};

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    AllOrNothing,
    FreeOnes,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateSeries {
    resource_id: ResourceId,
    /// The first occurrence; later ones keep its local wall-clock time.
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    rrule: String,
    customer_phone: String,
    customer_name: Option<String>,
    mode: Mode,
}

fn report_json(report: &SeriesReport) -> Value {
    let occurrences: Vec<Value> = report
        .occurrences
        .iter()
        .map(|o| {
            let mut item = json!({
                "start": o.range.start().to_rfc3339(),
                "end": o.range.end().to_rfc3339(),
                "local_start": o.range.start().with_timezone(&report.timezone).format("%Y-%m-%dT%H:%M").to_string(),
            });
            match &o.outcome {
                Outcome::Free(id) => {
                    item["status"] = json!(if id.is_some() { "booked" } else { "free" });
                    item["booking_id"] = json!(id);
                }
                Outcome::Refused(refusal) => {
                    item["status"] = json!("refused");
                    item["code"] = json!(refusal.code());
                    item["message"] = json!(refusal.to_string());
                }
            }
            item
        })
        .collect();
    json!({
        "series_id": report.series_id,
        "booked": report.booked(),
        "refused": report.refused(),
        "occurrences": occurrences,
    })
}

/// 201 with the per-occurrence report when anything was booked; 409
/// `series_not_free` with the same report (and nothing written) when
/// all-or-nothing met a refusal, or no occurrence was free. Takes an
/// `Idempotency-Key` like the other creates.
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
    let mut body = report_json(&report);
    if report.series_id.is_some() {
        let mut response = (StatusCode::CREATED, Json(body)).into_response();
        if report.replayed {
            response
                .headers_mut()
                .insert("idempotent-replayed", HeaderValue::from_static("true"));
        }
        return Ok(response);
    }
    body["error"] = json!({
        "code": "series_not_free",
        "message": "Not every occurrence can be booked, so nothing was; see `occurrences`.",
    });
    Ok((StatusCode::CONFLICT, Json(body)).into_response())
}

fn series_id(text: &str) -> Result<domain::SeriesId, ApiError> {
    path_id(text, "series")
}

fn series_error(error: StoreError) -> ApiError {
    BookingError::from_store(error, Item::Series).into()
}

pub async fn get_one(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = series_id(&id)?;
    let bookings = state
        .store
        .series_bookings(caller.tenant, id)
        .await
        .map_err(series_error)?;
    Ok(Json(json!({
        "id": id,
        "bookings": bookings.iter().map(booking_json).collect::<Vec<_>>(),
    })))
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    All,
    ThisAndFollowing,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CancelSeries {
    scope: Scope,
    /// With `this_and_following`: the first occurrence to cancel.
    booking_id: Option<BookingId>,
    reason: String,
}

/// Cancels every occurrence not yet under way, or one occurrence and the
/// ones after it. (One occurrence alone: `POST /bookings/{id}/status`.)
pub async fn cancel(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
    body: Result<Json<CancelSeries>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
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
    Ok(Json(json!({ "series_id": id, "cancelled": cancelled })))
}
