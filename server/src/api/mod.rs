//! The REST API for integrators under `/api/v1`: JSON in and out, a
//! per-tenant API key as `Authorization: Bearer <key>`, reason codes on
//! every refusal. Handlers are thin: rules come from `domain`, writes and
//! the double-booking guard from `store`.

mod availability;
mod blackouts;
mod bookings;
mod error;
mod holds;
pub mod limits;
mod openapi;
mod pricing;
mod resources;
mod series;

use crate::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post};
use axum::Router;
use booking::{Caller, Services};
use domain::availability::Policy;
use domain::{Actor, TenantId};
use error::ApiError;
use http::{header, StatusCode};
use store::BookingSource;

/// The tenant (and key) a request is made for, found from its API key,
/// with the policy the key carries (`customer` unless created as `staff`).
#[derive(Clone, Debug)]
pub struct ApiCaller {
    pub tenant: TenantId,
    pub key_id: i64,
    pub policy: Policy,
    /// The tenant's country, to read local phone numbers (`0812…`).
    pub country: String,
}

impl ApiCaller {
    /// Changing a resource's rules, prices and blackouts is the venue's
    /// business: a customer-policy key (a booking site) may not, or it could
    /// lift the cutoff it is held to or price its own bookings.
    pub fn require_staff(&self) -> Result<(), ApiError> {
        match self.policy {
            Policy::Staff => Ok(()),
            Policy::Customer => Err(booking::BookingError::StaffOnly.into()),
        }
    }

    /// The booking service's caller for this key.
    pub fn caller(&self) -> Caller {
        Caller {
            tenant: self.tenant,
            policy: self.policy,
            actor: Actor::Api(self.key_id),
            source: BookingSource::Api,
        }
    }
}

pub fn router(state: AppState, limit: limits::RateLimit) -> Router<AppState> {
    let services = state.services.clone();
    let limiter = std::sync::Arc::new(limits::RateLimiter::new(limit));
    let protected = Router::new()
        .route("/resources", get(resources::list))
        .route("/resources/{id}", patch(resources::update))
        .route(
            "/resources/{id}/price-rules",
            get(pricing::list_rules).post(pricing::add_rule),
        )
        .route("/price-rules/{id}", delete(pricing::delete_rule))
        .route("/quote", get(pricing::quote))
        .route("/availability", get(availability::search))
        .route("/blackouts", get(blackouts::list).post(blackouts::create))
        .route("/blackouts/{id}", delete(blackouts::delete))
        .route("/holds", post(holds::create))
        .route("/holds/{id}/confirm", post(holds::confirm))
        .route("/holds/{id}", delete(holds::release))
        .route("/series", post(series::create))
        .route("/series/{id}", get(series::get_one))
        .route("/series/{id}/cancel", post(series::cancel))
        .route("/bookings", get(bookings::list).post(bookings::create))
        .route("/bookings/{id}", get(bookings::get_one))
        .route("/bookings/{id}/status", post(bookings::change_status))
        .route("/bookings/{id}/cancel", post(bookings::cancel))
        .route("/bookings/{id}/history", get(bookings::history))
        .route("/bookings/{id}/reschedule", post(bookings::reschedule))
        .layer(axum::middleware::from_fn_with_state(
            (services, limiter),
            require_api_key,
        ));
    Router::new()
        .route("/openapi.json", get(openapi::document))
        .merge(protected)
        .fallback(|| async {
            ApiError::not_found(
                "no_such_endpoint",
                "No such endpoint; see /api/v1/openapi.json.",
            )
        })
}

/// Finds the key's tenant and policy, then takes one request from the
/// key's rate limit (429 `rate_limited` with `Retry-After` when spent).
async fn require_api_key(
    State((state, limiter)): State<(Services, std::sync::Arc<limits::RateLimiter>)>,
    mut request: Request,
    next: Next,
) -> Response {
    let secret = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    let Some(secret) = secret else {
        return ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Send an API key as `Authorization: Bearer <key>`.",
        )
        .into_response();
    };
    match state.store.api_key_owner(&secret).await {
        Ok(Some(owner)) => {
            if let Err(wait) = limiter.take(owner.key_id, std::time::Instant::now()) {
                let mut response = ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate_limited",
                    "Too many requests with this API key; retry after the time in Retry-After.",
                )
                .into_response();
                let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
                if let Ok(value) = http::HeaderValue::from_str(&seconds.to_string()) {
                    response.headers_mut().insert(header::RETRY_AFTER, value);
                }
                return response;
            }
            request.extensions_mut().insert(ApiCaller {
                tenant: owner.tenant,
                key_id: owner.key_id,
                policy: owner.policy,
                country: owner.country,
            });
            next.run(request).await
        }
        Ok(None) => ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Unknown or revoked API key.",
        )
        .into_response(),
        Err(error) => ApiError::from(error).into_response(),
    }
}
