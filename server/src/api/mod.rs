//! The REST API for integrators under `/api/v1`: JSON in and out, a
//! per-tenant API key as `Authorization: Bearer <key>`, reason codes on
//! every refusal. Handlers are thin: rules come from `domain`, writes and
//! the double-booking guard from `store`.

mod availability;
mod blackouts;
mod bookings;
mod conversations;
pub(crate) mod error;
mod holds;
pub mod knowledge;
pub mod limits;
mod openapi;
mod pricing;
mod resources;
mod schema;
mod series;

use crate::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use booking::{Caller, Services};
use domain::availability::Policy;
use domain::{Actor, TenantId};
use error::ApiError;
use http::{header, StatusCode};
use store::BookingSource;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

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

/// Every operation behind the API key, registered with the router and the
/// OpenAPI document in one step (`routes!` reads each handler's
/// `#[utoipa::path]`), so no route can go undocumented.
pub fn operations() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::base())
        .routes(routes!(resources::list))
        .routes(routes!(resources::update))
        .routes(routes!(pricing::list_rules, pricing::add_rule))
        .routes(routes!(pricing::delete_rule))
        .routes(routes!(pricing::quote))
        .routes(routes!(availability::search))
        .routes(routes!(blackouts::list, blackouts::create))
        .routes(routes!(blackouts::delete))
        .routes(routes!(holds::create))
        .routes(routes!(holds::confirm))
        .routes(routes!(holds::release))
        .routes(routes!(series::create))
        .routes(routes!(series::get_one))
        .routes(routes!(series::cancel))
        .routes(routes!(bookings::list, bookings::create))
        .routes(routes!(bookings::get_one))
        .routes(routes!(bookings::change_status))
        .routes(routes!(bookings::cancel))
        .routes(routes!(bookings::history))
        .routes(routes!(bookings::reschedule))
        .routes(routes!(conversations::handoffs))
        .routes(routes!(conversations::reply))
        .routes(routes!(conversations::take_over))
        .routes(routes!(conversations::hand_back))
        .routes(routes!(conversations::media))
        .routes(routes!(knowledge::list, knowledge::upload))
        .routes(routes!(knowledge::get_one, knowledge::delete))
        .routes(routes!(knowledge::reindex))
        .routes(routes!(knowledge::add_faq))
        .routes(routes!(knowledge::search))
}

/// Uploads one process receives at once.
pub fn knowledge_uploads_at_once() -> usize {
    knowledge::CONCURRENT_UPLOADS
}

/// Room in an upload's body for the form around the file.
const UPLOAD_FORM_OVERHEAD: usize = 64 * 1024;

/// The path of uploads, whose bodies `body_guard` lets through whole.
pub const UPLOAD_PATH: &str = "/api/v1/knowledge/documents";

/// The largest body of an upload: the file limit and room for the form.
/// Uploads are the only bodies above the 1 MiB every other request is held
/// to (`body_guard`); their handler counts the file's bytes.
pub fn upload_body_limit(state: &AppState) -> usize {
    state.knowledge.limits().max_file_bytes + UPLOAD_FORM_OVERHEAD
}

pub fn router(state: AppState, limit: limits::RateLimit) -> Router<AppState> {
    let services = state.services.clone();
    let body_limit = upload_body_limit(&state);
    let limiter = std::sync::Arc::new(limits::RateLimiter::new(limit));
    let (protected, doc) = operations().split_for_parts();
    let protected = protected
        .layer(axum::middleware::from_fn_with_state(
            (services, limiter),
            require_api_key,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(body_limit));
    let document = std::sync::Arc::new(openapi::finish(doc));
    Router::new()
        .route(
            "/openapi.json",
            get(move || {
                let document = document.clone();
                async move { axum::Json((*document).clone()) }
            }),
        )
        .merge(protected)
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                http::StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "This endpoint does not take that method; see /api/v1/openapi.json.",
            )
        })
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
