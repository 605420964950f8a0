//! `POST /api/v1/bookings`, `GET /api/v1/bookings`, `GET /api/v1/bookings/{id}`.

use super::error::{about, path_id, ApiError};
use super::resources;
use super::ApiCaller;
use app::api::ssr::AppState;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use chrono::{DateTime, Utc};
use domain::availability::check_slot;
use domain::{Actor, BookingId, BookingStatus, Money, PhoneE164, ResourceId, TimeRange};
use serde::Deserialize;
use serde_json::{json, Value};
use store::{Booking, BookingFilter, BookingSource, NewBooking, Resource};

pub fn booking_json(b: &Booking) -> Value {
    json!({
        "id": b.id,
        "resource_id": b.resource_id,
        "resource_name": b.resource_name,
        "start": b.range.start().to_rfc3339(),
        "end": b.range.end().to_rfc3339(),
        "local_start": b.range.start().with_timezone(&b.timezone).format("%Y-%m-%dT%H:%M").to_string(),
        "status": b.status.as_str(),
        "customer_phone": b.customer_phone,
        "price": money_json(b.price),
        "source": b.source,
        "series_id": b.series_id,
        "hold_expires_at": b.hold_expires_at.map(|t| t.to_rfc3339()),
    })
}

pub fn money_json(money: Money) -> Value {
    json!({ "amount": money.minor, "currency": money.currency.code(), "display": money.to_string() })
}

/// A booking or hold request as integrators send it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateBooking {
    resource_id: ResourceId,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    customer_phone: String,
    customer_name: Option<String>,
    /// Holds only: how long the hold lasts (1–30 minutes, 10 by default).
    #[serde(default)]
    hold_minutes: Option<i64>,
}

impl CreateBooking {
    pub fn hold_minutes(&self) -> Option<i64> {
        self.hold_minutes
    }
}

/// The price of `range` on `resource`, once it keeps the resource's rules
/// (a 422 with the broken rule's reason code otherwise): what a create, a
/// hold and a move all need before the store settles the slot.
async fn checked_price(
    state: &AppState,
    caller: ApiCaller,
    resource: &Resource,
    range: &TimeRange,
    now: DateTime<Utc>,
) -> Result<Money, ApiError> {
    check_slot(
        &resource.slot_rules(),
        range,
        resource.min_minutes,
        resource.max_minutes,
        now,
    )?;
    Ok(state
        .store
        .quote(caller.tenant, resource, range)
        .await?
        .total)
}

/// Checks a request against the resource's rules, prices it, and records
/// the customer: everything a create or a hold does before the store's
/// write transaction settles the slot.
pub async fn prepare(
    state: &AppState,
    caller: ApiCaller,
    input: &CreateBooking,
    now: DateTime<Utc>,
) -> Result<NewBooking, ApiError> {
    let range = TimeRange::new(input.start, input.end)
        .map_err(|_| ApiError::bad_request("end_before_start", "`end` must be after `start`"))?;
    let resource = resources::find(state, caller.tenant, input.resource_id).await?;
    let phone = PhoneE164::parse(&input.customer_phone)
        .map_err(|e| ApiError::bad_request("invalid_phone", format!("customer_phone: {e}")))?;
    let price = checked_price(state, caller, &resource, &range, now).await?;
    let customer = state
        .store
        .upsert_customer_named(caller.tenant, &phone, input.customer_name.as_deref())
        .await?;
    Ok(NewBooking {
        resource_id: resource.id,
        range,
        customer_id: Some(customer),
        status: BookingStatus::Confirmed,
        price,
        source: BookingSource::Api,
        actor: Actor::Api(caller.key_id),
        hold_until: None,
        series_id: None,
    })
}

pub async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
    headers: HeaderMap,
    body: Result<Json<CreateBooking>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(input) = body?;
    if input.hold_minutes.is_some() {
        return Err(ApiError::bad_request(
            "invalid",
            "`hold_minutes` belongs to POST /api/v1/holds",
        ));
    }
    let now = state.clock.now();
    let new = prepare(&state, caller, &input, now).await?;
    let (booking, replayed) = match idempotency_key(&headers) {
        Some(key) => {
            state
                .store
                .create_booking_once(caller.tenant, &key, new, now)
                .await?
        }
        None => (
            state.store.create_booking(caller.tenant, new, now).await?,
            false,
        ),
    };
    let mut response = created(&booking);
    if replayed {
        response
            .headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(response)
}

/// The `Idempotency-Key` header: a retry carrying a key already used gets
/// the first result and creates nothing.
pub fn idempotency_key(headers: &HeaderMap) -> Option<String> {
    headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// 201 with the booking and its `Location`.
pub fn created(booking: &Booking) -> Response {
    let mut response = (StatusCode::CREATED, Json(booking_json(booking))).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/bookings/{}", booking.id)) {
        response
            .headers_mut()
            .insert(http::header::LOCATION, location);
    }
    response
}

#[derive(Deserialize)]
pub struct ListQuery {
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    resource_id: Option<ResourceId>,
    status: Option<String>,
    series_id: Option<i64>,
    limit: Option<i64>,
}

pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(q) = query?;
    let overlapping = match (q.from, q.to) {
        (None, None) => None,
        (from, to) => {
            let from = from.unwrap_or(DateTime::<Utc>::MIN_UTC);
            let to = to.unwrap_or(DateTime::<Utc>::MAX_UTC);
            Some(TimeRange::new(from, to).map_err(|_| {
                ApiError::bad_request("end_before_start", "`to` must be after `from`")
            })?)
        }
    };
    let status = match q.status.as_deref() {
        None | Some("") => None,
        Some(name) => Some(name.parse::<BookingStatus>().map_err(|_| {
            ApiError::bad_request("unknown_status", format!("unknown status {name:?}"))
        })?),
    };
    let filter = BookingFilter {
        overlapping,
        resource_id: q.resource_id,
        status,
        series_id: q.series_id,
        limit: q.limit,
        ..BookingFilter::default()
    };
    let bookings = state.store.bookings(caller.tenant, &filter).await?;
    Ok(Json(
        json!({ "bookings": bookings.iter().map(booking_json).collect::<Vec<_>>() }),
    ))
}

pub async fn get_one(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = booking_id(&id)?;
    let booking = state
        .store
        .booking(caller.tenant, id)
        .await
        .map_err(|e| booking_error(e, id))?;
    Ok(Json(booking_json(&booking)))
}

/// `GET /api/v1/bookings/{id}/history`: every change, oldest first, with
/// who made it (`staff:3`, `customer:+62…`, `api:7`, `system`) and why.
pub async fn history(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = booking_id(&id)?;
    let events = state
        .store
        .booking_history(caller.tenant, id)
        .await
        .map_err(|e| booking_error(e, id))?;
    let events: Vec<Value> = events
        .iter()
        .map(|e| {
            json!({
                "from": e.from.map(BookingStatus::as_str),
                "to": e.to.as_str(),
                "actor": e.actor,
                "reason": e.reason,
                "at": e.at.to_rfc3339(),
            })
        })
        .collect();
    Ok(Json(json!({ "booking_id": id, "events": events })))
}

pub fn booking_id(text: &str) -> Result<BookingId, ApiError> {
    path_id(text, "booking")
}

/// Store errors about one booking, with "no such booking" named as such.
pub fn booking_error(error: store::StoreError, id: BookingId) -> ApiError {
    about(error, "unknown_booking", || format!("no booking {id}"))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    status: String,
    reason: Option<String>,
}

/// `POST /api/v1/bookings/{id}/status`: a lifecycle step (check-in, no-show,
/// cancel with a reason…); illegal steps are 409 `illegal_transition`.
pub async fn change_status(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
    body: Result<Json<StatusChange>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let id = booking_id(&id)?;
    let Json(change) = body?;
    let next: BookingStatus = change.status.parse().map_err(|_| {
        ApiError::bad_request(
            "unknown_status",
            format!("unknown status {:?}", change.status),
        )
    })?;
    let booking = state
        .store
        .change_status(
            caller.tenant,
            id,
            next,
            &Actor::Api(caller.key_id),
            change.reason.as_deref(),
            state.clock.now(),
        )
        .await
        .map_err(|e| booking_error(e, id))?;
    Ok(Json(booking_json(&booking)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cancel {
    reason: String,
}

/// `POST /api/v1/bookings/{id}/cancel`: the common step by name; the same
/// as a status change to `cancelled` (a reason is required).
pub async fn cancel(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
    body: Result<Json<Cancel>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let id = booking_id(&id)?;
    let Json(input) = body?;
    let booking = state
        .store
        .change_status(
            caller.tenant,
            id,
            BookingStatus::Cancelled,
            &Actor::Api(caller.key_id),
            Some(&input.reason),
            state.clock.now(),
        )
        .await
        .map_err(|e| booking_error(e, id))?;
    Ok(Json(booking_json(&booking)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reschedule {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    resource_id: Option<ResourceId>,
}

/// `POST /api/v1/bookings/{id}/reschedule`: moves the booking; the old slot
/// is freed only if the new one is taken (409 `slot_taken` otherwise).
pub async fn reschedule(
    State(state): State<AppState>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
    body: Result<Json<Reschedule>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let id = booking_id(&id)?;
    let Json(input) = body?;
    let now = state.clock.now();
    let range = TimeRange::new(input.start, input.end)
        .map_err(|_| ApiError::bad_request("end_before_start", "`end` must be after `start`"))?;
    let current = state
        .store
        .booking(caller.tenant, id)
        .await
        .map_err(|e| booking_error(e, id))?;
    let target = input.resource_id.unwrap_or(current.resource_id);
    let resource = resources::find(&state, caller.tenant, target).await?;
    let price = checked_price(&state, caller, &resource, &range, now).await?;
    let moved = state
        .store
        .reschedule(
            caller.tenant,
            id,
            store::Move {
                resource: Some(target),
                range,
                price: Some(price),
            },
            &Actor::Api(caller.key_id),
            now,
        )
        .await
        .map_err(|e| booking_error(e, id))?;
    Ok(Json(booking_json(&moved)))
}
