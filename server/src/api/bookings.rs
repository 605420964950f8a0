//! `POST /api/v1/bookings`, `GET /api/v1/bookings`, `GET /api/v1/bookings/{id}`.

use super::error::{path_id, range_of, ApiError};
use super::schema::{BookingOut, BookingPage, CreatedBooking, ErrorBody, History, HistoryEvent};
use super::ApiCaller;
use axum::body::Bytes;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use booking::{
    canonical_json, parse_phone, BookRequest, Booked, BookingError, CustomerRef, IdempotencyKey,
    MoveRequest, Services,
};
use chrono::{DateTime, Utc};
use domain::{BookingId, BookingStatus, ResourceId};
use serde::Deserialize;
use serde_json::Value;
use store::{BookingCursor, BookingFilter};
use utoipa::{IntoParams, ToSchema};

/// A booking or hold request as integrators send it: one resource
/// (`resource_id`) or several at once (`resource_ids`, all or none).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateBooking {
    /// The resource to book (or give `resource_ids`).
    #[schema(value_type = Option<i64>)]
    resource_id: Option<ResourceId>,
    /// Several resources for the same time ("2 courts"): all are booked
    /// under one code, or none.
    #[serde(default)]
    #[schema(value_type = Vec<i64>, max_items = 10)]
    resource_ids: Vec<ResourceId>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    /// E.164, or a local number of the tenant's country (0812…, 812…).
    #[schema(example = "0812 5555 0001")]
    customer_phone: String,
    #[schema(max_length = 120)]
    customer_name: Option<String>,
    /// Holds only: how long the hold lasts (1–30 minutes, 10 by default).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 30)]
    hold_minutes: Option<i64>,
}

impl CreateBooking {
    /// The service's request for this body; phones are read against the
    /// tenant's country (`region`).
    pub fn request(
        &self,
        hold_minutes: Option<i64>,
        region: &str,
    ) -> Result<BookRequest, ApiError> {
        let range = range_of(self.start, self.end)?;
        let mut resources = self.resource_ids.clone();
        resources.extend(self.resource_id);
        let phone = parse_phone(&self.customer_phone, region)?;
        Ok(BookRequest {
            resources,
            range,
            customer: Some(CustomerRef::Phone {
                phone,
                name: self.customer_name.clone(),
            }),
            hold_minutes,
        })
    }
}

/// A JSON body read by hand rather than by axum's `Json`, so the request's
/// canonical bytes are at hand for its idempotency key.
pub fn json_body<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<(T, Vec<u8>), ApiError> {
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::bad_request("invalid_json", format!("the body is not JSON: {e}")))?;
    let canonical = canonical_json(&value);
    let parsed = serde_json::from_value(value)
        .map_err(|e| ApiError::bad_request("invalid_json", format!("invalid request: {e}")))?;
    Ok((parsed, canonical))
}

/// Create a confirmed booking of one resource, or of several at once (all
/// or none, under one code).
#[utoipa::path(post, path = "/bookings", operation_id = "bookings_create", tag = "bookings",
    params(IdempotencyHeader),
    request_body = CreateBooking,
    responses(
        (status = 201, description = "Created (or replayed for a reused Idempotency-Key, with `Idempotent-Replayed: true`)", body = CreatedBooking,
            headers(("Location" = String, description = "The first booking"))),
        (status = 400, description = "`invalid_json`, `invalid`, `end_before_start`, `unsupported_date`, `invalid_phone`, `invalid_name`, `too_many_resources`, `invalid_idempotency_key`", body = ErrorBody),
        (status = 404, description = "`unknown_resource`", body = ErrorBody),
        (status = 409, description = "`slot_taken`, `blackout`", body = ErrorBody),
        (status = 422, description = "`in_the_past`, `beyond_horizon`, `outside_opening_hours`, `unaligned` (off the grid, or seconds in a start or end), `bad_length`, `too_long`, `idempotency_key_reused`", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    book_from_body(
        &state,
        &caller,
        &headers,
        &body,
        "bookings",
        |minutes| match minutes {
            Some(_) => Err(ApiError::bad_request(
                "invalid",
                "`hold_minutes` belongs to POST /api/v1/holds",
            )),
            None => Ok(None),
        },
    )
    .await
}

/// What `POST /bookings` and `POST /holds` share: the idempotency key
/// (scoped to `endpoint`), the body, the phone read for the tenant's
/// country, and the booking service. `hold` says what the endpoint makes of
/// `hold_minutes` (a booking refuses it, a hold defaults it).
pub async fn book_from_body(
    state: &Services,
    caller: &ApiCaller,
    headers: &HeaderMap,
    body: &[u8],
    endpoint: &'static str,
    hold: impl FnOnce(Option<i64>) -> Result<Option<i64>, ApiError>,
) -> Result<Response, ApiError> {
    let key_header = idempotency_header(headers)?;
    let (input, canonical): (CreateBooking, _) = json_body(body)?;
    let hold_minutes = hold(input.hold_minutes)?;
    let key = key_header
        .map(|key| IdempotencyKey::new(endpoint, &key, &canonical))
        .transpose()?;
    let booked = state
        .bookings
        .book(
            &caller.caller(),
            input.request(hold_minutes, &caller.country)?,
            key,
        )
        .await?;
    Ok(created(&booked))
}

/// The `Idempotency-Key` header as the document describes it.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
pub struct IdempotencyHeader {
    /// Per tenant and endpoint, for 24 hours: a retry of the same request
    /// returns the first result and creates nothing; the same key with
    /// another request is 422 `idempotency_key_reused`.
    #[param(rename = "Idempotency-Key", max_length = 200)]
    idempotency_key: Option<String>,
}

/// The `Idempotency-Key` header: a retry carrying a key already used with
/// the same request gets the first result and creates nothing. A key that
/// is not readable text is 400 `invalid_idempotency_key`.
pub fn idempotency_header(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    match headers.get("idempotency-key") {
        None => Ok(None),
        Some(value) => value
            .to_str()
            .map(|key| Some(key.to_string()))
            .map_err(|_| BookingError::InvalidIdempotencyKey(store::MAX_IDEMPOTENCY_KEY).into()),
    }
}

/// 201 with the first booking, every booking of the request under
/// `bookings` (several when several resources were asked for), and the
/// first one's `Location`; `Idempotent-Replayed: true` on a replay.
pub fn created(booked: &Booked) -> Response {
    let Some(first) = booked.bookings.first() else {
        return ApiError::from(BookingError::Internal).into_response();
    };
    let body = CreatedBooking {
        booking: first.into(),
        bookings: booked.bookings.iter().map(BookingOut::from).collect(),
    };
    let mut response = (StatusCode::CREATED, Json(body)).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/bookings/{}", first.id)) {
        response
            .headers_mut()
            .insert(http::header::LOCATION, location);
    }
    if booked.replayed {
        response
            .headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    response
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Bookings overlapping `from`–`to`; either end may be left open.
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    #[param(value_type = Option<i64>)]
    resource_id: Option<ResourceId>,
    #[param(value_type = Option<BookingStatus>)]
    status: Option<String>,
    #[param(value_type = Option<i64>)]
    series_id: Option<domain::SeriesId>,
    /// The bookings of one request, by the code the customer quotes (any
    /// case; spaces and dashes ignored).
    code: Option<String>,
    /// 1 to 500; 100 by default.
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
    /// `next_cursor` of the page before.
    cursor: Option<String>,
}

/// A page of bookings unless asked otherwise, and the most one page holds.
pub const DEFAULT_PAGE: i64 = 100;
pub const MAX_PAGE: i64 = 500;

/// List bookings, a page at a time.
#[utoipa::path(get, path = "/bookings", operation_id = "bookings_list", tag = "bookings",
    params(ListQuery),
    responses(
        (status = 200, description = "A page of bookings overlapping the range, by start", body = BookingPage),
        (status = 400, description = "`end_before_start`, `unsupported_date`, `unknown_status`, `invalid_code`, `invalid_query`, `invalid_cursor`, `invalid_limit`", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<BookingPage>, ApiError> {
    let Query(q) = query?;
    let overlapping = match (q.from, q.to) {
        (None, None) => None,
        (from, to) => {
            // Open ends reach the first and last supported instants.
            let from = from.unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
            let to = to.unwrap_or_else(|| {
                chrono::NaiveDate::from_ymd_opt(9999, 12, 31)
                    .and_then(|d| d.and_hms_opt(23, 59, 59))
                    .map_or(DateTime::<Utc>::UNIX_EPOCH, |t| t.and_utc())
            });
            Some(super::error::range_of(from, to)?)
        }
    };
    let status = match q.status.as_deref() {
        None | Some("") => None,
        Some(name) => Some(name.parse::<BookingStatus>().map_err(|_| {
            ApiError::bad_request("unknown_status", format!("unknown status {name:?}"))
        })?),
    };
    let code = match q.code.as_deref() {
        None | Some("") => None,
        Some(text) => Some(domain::BookingCode::parse(text).map_err(|_| {
            ApiError::bad_request(
                "invalid_code",
                "`code` is a booking code: six characters like K7P2QX",
            )
        })?),
    };
    let after = match q.cursor.as_deref() {
        None | Some("") => None,
        Some(token) => Some(BookingCursor::parse(token).ok_or_else(|| {
            ApiError::bad_request(
                "invalid_cursor",
                "`cursor` is a `next_cursor` from a page before",
            )
        })?),
    };
    let limit = q.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::bad_request(
            "invalid_limit",
            format!("`limit` is 1 to {MAX_PAGE}"),
        ));
    }
    // One more than the page: whether there is a next page.
    let filter = BookingFilter {
        overlapping,
        resource_id: q.resource_id,
        status,
        series_id: q.series_id,
        code,
        after,
        limit: Some(limit + 1),
        ..BookingFilter::default()
    };
    let mut bookings = state.store.bookings(caller.tenant, &filter).await?;
    let next_cursor = if bookings.len() > usize::try_from(limit).unwrap_or(usize::MAX) {
        bookings.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        bookings.last().map(|b| BookingCursor::after(b).token())
    } else {
        None
    };
    Ok(Json(BookingPage {
        bookings: bookings.iter().map(BookingOut::from).collect(),
        next_cursor,
    }))
}

/// One booking.
#[utoipa::path(get, path = "/bookings/{id}", operation_id = "bookings_get_one", tag = "bookings",
    params(("id" = i64, Path, description = "The booking's id")),
    responses(
        (status = 200, description = "The booking", body = BookingOut),
        (status = 404, description = "`unknown_booking`", body = ErrorBody),
    ))]
pub async fn get_one(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
) -> Result<Json<BookingOut>, ApiError> {
    let id = booking_id(&id)?;
    let booking = state.bookings.booking(caller.tenant, id).await?;
    Ok(Json((&booking).into()))
}

/// `GET /api/v1/bookings/{id}/history`: every change, oldest first, with
/// who made it (`staff:3`, `customer:+62…`, `api:7`, `system`) and why.
#[utoipa::path(get, path = "/bookings/{id}/history", operation_id = "bookings_history", tag = "bookings",
    params(("id" = i64, Path, description = "The booking's id")),
    responses(
        (status = 200, description = "The history, oldest first", body = History),
        (status = 404, description = "`unknown_booking`", body = ErrorBody),
    ))]
pub async fn history(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
) -> Result<Json<History>, ApiError> {
    let id = booking_id(&id)?;
    let events = state
        .store
        .booking_history(caller.tenant, id)
        .await
        .map_err(|e| BookingError::from_store(e, booking::Item::Booking))?;
    Ok(Json(History {
        booking_id: id.0,
        events: events.iter().map(HistoryEvent::from).collect(),
    }))
}

pub fn booking_id(text: &str) -> Result<BookingId, ApiError> {
    path_id(text, "booking")
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    #[schema(value_type = BookingStatus)]
    status: String,
    /// Required to cancel.
    reason: Option<String>,
}

/// `POST /api/v1/bookings/{id}/status`: a lifecycle step (check-in, no-show,
/// cancel with a reason…); illegal steps are 409 `illegal_transition`.
#[utoipa::path(post, path = "/bookings/{id}/status", operation_id = "bookings_change_status", tag = "bookings",
    params(("id" = i64, Path, description = "The booking's id")),
    request_body = StatusChange,
    responses(
        (status = 200, description = "The changed booking", body = BookingOut),
        (status = 400, description = "`unknown_status`, `reason_required`, `reason_too_long`, `invalid_json`", body = ErrorBody),
        (status = 403, description = "`staff_only` (check-ins, no-shows and completions need a staff-policy key)", body = ErrorBody),
        (status = 404, description = "`unknown_booking`", body = ErrorBody),
        (status = 409, description = "`illegal_transition`, `hold_expired`, `too_late_to_change`, `too_early` (a check-in more than 60 minutes before the start, a no-show or completion before it)", body = ErrorBody),
    ))]
pub async fn change_status(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
    body: Result<Json<StatusChange>, JsonRejection>,
) -> Result<Json<BookingOut>, ApiError> {
    let id = booking_id(&id)?;
    let Json(change) = body?;
    let next: BookingStatus = change.status.parse().map_err(|_| {
        ApiError::bad_request(
            "unknown_status",
            format!("unknown status {:?}", change.status),
        )
    })?;
    let booking = state
        .bookings
        .change_status(&caller.caller(), id, next, change.reason.as_deref())
        .await?;
    Ok(Json((&booking).into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Cancel {
    /// Kept in the booking's history.
    reason: String,
}

/// `POST /api/v1/bookings/{id}/cancel`: the common step by name; the same
/// as a status change to `cancelled` (a reason is required).
#[utoipa::path(post, path = "/bookings/{id}/cancel", operation_id = "bookings_cancel", tag = "bookings",
    params(("id" = i64, Path, description = "The booking's id")),
    request_body = Cancel,
    responses(
        (status = 200, description = "The cancelled booking", body = BookingOut),
        (status = 400, description = "`reason_required`, `reason_too_long`, `invalid_json`", body = ErrorBody),
        (status = 404, description = "`unknown_booking`", body = ErrorBody),
        (status = 409, description = "`illegal_transition` (already cancelled, completed…), `too_late_to_change` (a customer-policy key after the resource's cutoff)", body = ErrorBody),
    ))]
pub async fn cancel(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
    body: Result<Json<Cancel>, JsonRejection>,
) -> Result<Json<BookingOut>, ApiError> {
    let id = booking_id(&id)?;
    let Json(input) = body?;
    let booking = state
        .bookings
        .cancel(&caller.caller(), id, &input.reason)
        .await?;
    Ok(Json((&booking).into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reschedule {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    /// Another resource to move to; the same one when left out.
    #[schema(value_type = Option<i64>)]
    resource_id: Option<ResourceId>,
}

/// `POST /api/v1/bookings/{id}/reschedule`: moves the booking; the old slot
/// is freed only if the new one is taken (409 `slot_taken` otherwise).
#[utoipa::path(post, path = "/bookings/{id}/reschedule", operation_id = "bookings_reschedule", tag = "bookings",
    params(("id" = i64, Path, description = "The booking's id")),
    request_body = Reschedule,
    responses(
        (status = 200, description = "The moved booking", body = BookingOut),
        (status = 400, description = "`end_before_start`, `unsupported_date`, `invalid_json`", body = ErrorBody),
        (status = 404, description = "`unknown_booking`, `unknown_resource`", body = ErrorBody),
        (status = 409, description = "`slot_taken`, `blackout`, `not_movable`, `changed_meanwhile`, `too_late_to_change`", body = ErrorBody),
        (status = 422, description = "`in_the_past`, `beyond_horizon`, `outside_opening_hours`, `unaligned`, `bad_length`, `other_outlet` (a booking moves only within its outlet)", body = ErrorBody),
    ))]
pub async fn reschedule(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
    body: Result<Json<Reschedule>, JsonRejection>,
) -> Result<Json<BookingOut>, ApiError> {
    let id = booking_id(&id)?;
    let Json(input) = body?;
    let range = range_of(input.start, input.end)?;
    let moved = state
        .bookings
        .reschedule(
            &caller.caller(),
            id,
            MoveRequest {
                resource: input.resource_id,
                range,
                seen: None,
            },
        )
        .await?;
    Ok(Json((&moved).into()))
}
