//! `POST /api/v1/series`, `GET /api/v1/series/{id}`,
//! `POST /api/v1/series/{id}/cancel`: recurring bookings (RFC 5545 RRULE,
//! weekly or monthly, with COUNT or UNTIL), checked occurrence by occurrence.

use super::bookings::booking_json;
use super::error::{about, path_id, ApiError};
use super::{resources, ApiCaller};
use app::api::ssr::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use chrono::{DateTime, Utc};
use domain::{Actor, BookingId, PhoneE164, ResourceId, TimeRange};
use serde::Deserialize;
use serde_json::{json, Value};
use store::{BookingSource, CancelScope, NewSeries, Outcome, SeriesMode, SeriesReport, StoreError};

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

fn report_json(report: &SeriesReport, timezone: chrono_tz::Tz) -> Value {
    let occurrences: Vec<Value> = report
        .occurrences
        .iter()
        .map(|o| {
            let mut item = json!({
                "start": o.range.start().to_rfc3339(),
                "end": o.range.end().to_rfc3339(),
                "local_start": o.range.start().with_timezone(&timezone).format("%Y-%m-%dT%H:%M").to_string(),
            });
            match &o.outcome {
                Outcome::Free(id) => {
                    item["status"] = json!(if id.is_some() { "booked" } else { "free" });
                    item["booking_id"] = json!(id);
                }
                Outcome::Refused { code, message } => {
                    item["status"] = json!("refused");
                    item["code"] = json!(code);
                    item["message"] = json!(message);
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
/// all-or-nothing met a refusal, or no occurrence was free.
pub async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
    body: Result<Json<CreateSeries>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(input) = body?;
    let now = state.clock.now();
    let range = TimeRange::new(input.start, input.end)
        .map_err(|_| ApiError::bad_request("end_before_start", "`end` must be after `start`"))?;
    if range.minutes() < 1 {
        return Err(ApiError::bad_request(
            "bad_length",
            "an occurrence lasts at least a minute",
        ));
    }
    let resource = resources::find(&state, caller.tenant, input.resource_id).await?;
    let phone = PhoneE164::parse(&input.customer_phone)
        .map_err(|e| ApiError::bad_request("invalid_phone", format!("customer_phone: {e}")))?;
    domain::recurrence::Rule::parse(&input.rrule)
        .map_err(|e| ApiError::bad_request("invalid_rrule", e.to_string()))?;
    let customer = state
        .store
        .upsert_customer_named(caller.tenant, &phone, input.customer_name.as_deref())
        .await?;
    let timezone = resource.timezone;
    let new = NewSeries {
        first_local: range.start().with_timezone(&timezone).naive_local(),
        minutes: range.minutes(),
        rrule: input.rrule,
        customer_id: Some(customer),
        source: BookingSource::Api,
        actor: Actor::Api(caller.key_id),
        mode: match input.mode {
            Mode::AllOrNothing => SeriesMode::AllOrNothing,
            Mode::FreeOnes => SeriesMode::FreeOnes,
        },
        resource,
    };
    let report = state
        .store
        .create_series(caller.tenant, new, now)
        .await
        .map_err(ApiError::from)?;
    let mut body = report_json(&report, timezone);
    if report.series_id.is_some() {
        return Ok((StatusCode::CREATED, Json(body)).into_response());
    }
    body["error"] = json!({
        "code": "series_not_free",
        "message": "Not every occurrence can be booked, so nothing was; see `occurrences`.",
    });
    Ok((StatusCode::CONFLICT, Json(body)).into_response())
}

fn series_id(text: &str) -> Result<i64, ApiError> {
    path_id(text, "series")
}

fn series_error(error: StoreError, id: i64) -> ApiError {
    about(error, "unknown_series", || format!("no series {id}"))
}

pub async fn get_one(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = series_id(&id)?;
    let bookings = state
        .store
        .series_bookings(caller.tenant, id)
        .await
        .map_err(|e| series_error(e, id))?;
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
    State(state): State<AppState>,
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
        .store
        .cancel_series(
            caller.tenant,
            id,
            scope,
            &input.reason,
            &Actor::Api(caller.key_id),
            state.clock.now(),
        )
        .await
        .map_err(|e| series_error(e, id))?;
    Ok(Json(json!({ "series_id": id, "cancelled": cancelled })))
}
