//! Errors of the integrator API: a status, a stable machine-readable code
//! and a message for people, as `{"error": {"code": …, "message": …}}`.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::response::{IntoResponse, Response};
use axum::Json;
use booking::BookingError;
use http::StatusCode;
use serde_json::json;
use store::StoreError;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, code, message)
    }

    pub fn unknown_resource(id: domain::ResourceId) -> Self {
        ApiError::not_found(
            "unknown_resource",
            format!("no resource {id} for this API key's tenant"),
        )
    }
}

/// The range from `start` to `end` as a request gives it: 400
/// `end_before_start`, or 400 `unsupported_date` outside the years
/// 1970–9999 (the calendar arithmetic behind every answer stays safe).
pub fn range_of(
    start: chrono::DateTime<chrono::Utc>,
    end: chrono::DateTime<chrono::Utc>,
) -> Result<domain::TimeRange, ApiError> {
    let range = domain::TimeRange::new(start, end).map_err(|_| BookingError::EndBeforeStart)?;
    if !range.is_supported() {
        return Err(BookingError::UnsupportedDate.into());
    }
    Ok(range)
}

/// A numeric id from the path, or 400 `invalid_id` naming what it identifies.
pub fn path_id<T: std::str::FromStr>(text: &str, what: &str) -> Result<T, ApiError> {
    text.parse()
        .map_err(|_| ApiError::bad_request("invalid_id", format!("a {what} id is a number")))
}

/// A store error about one named item: "not found" becomes a 404 with the
/// item's own code (`unknown_booking`…), anything else maps as usual.
pub fn about(error: StoreError, code: &'static str, message: impl FnOnce() -> String) -> ApiError {
    match error {
        StoreError::NotFound => ApiError::not_found(code, message()),
        other => other.into(),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({ "error": { "code": self.code, "message": self.message } });
        (self.status, Json(body)).into_response()
    }
}

/// Booking refusals keep their code and status: the same mapping the
/// dashboard's server functions use.
impl From<BookingError> for ApiError {
    fn from(error: BookingError) -> Self {
        let status =
            StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let message = match &error {
            BookingError::NotFound(item) => {
                format!("No {item} with that id for this API key's tenant.")
            }
            other => other.to_string(),
        };
        ApiError::new(status, error.code(), message)
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => {
                ApiError::not_found("not_found", "No such item for this API key's tenant.")
            }
            // Settings the store validates (a rule, a blackout, a window).
            StoreError::Invalid(message) | StoreError::Duplicate(message) => {
                ApiError::bad_request("invalid", message)
            }
            taken @ StoreError::WordTaken { .. } => {
                ApiError::bad_request("invalid", taken.to_string())
            }
            StoreError::Forbidden(message) => {
                ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
            }
            // Anything about bookings maps as the booking service does.
            other => BookingError::from_store(other, booking::Item::Booking).into(),
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        ApiError::bad_request("invalid_json", rejection.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::bad_request("invalid_query", rejection.body_text())
    }
}
