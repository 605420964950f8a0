//! `POST /dashboard/knowledge/upload`: the knowledge page's file upload,
//! signed in by the staff session (the page sends it with `XMLHttpRequest`
//! to show its progress). The same checks as the API's upload: owners and
//! admins only, one file of at most the configured size, a bounded number
//! of uploads at once, read piece by piece with a stall timeout. Errors
//! come back in the API's JSON shape, `{"error": {"code", "message"}}`.
//! A plain form post from a browser (the page before its code has loaded)
//! is answered with a redirect back to the page instead, with the outcome
//! in the query (`uploaded=1`, or `upload_error=<code>`).

use crate::api::error::ApiError;
use crate::api::knowledge::{accepted, receive_upload};
use app::api::ssr::CurrentStaff;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;

pub use app::api::KNOWLEDGE_UPLOAD_PATH as UPLOAD_PATH;

/// Whether the request is a browser's own form post (it asks for a page),
/// not the page's script (which asks for JSON).
fn from_a_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

pub async fn upload(
    State(state): State<crate::AppState>,
    Extension(current): Extension<CurrentStaff>,
    headers: HeaderMap,
    form: Result<Multipart, MultipartRejection>,
) -> Response {
    let outcome = receive(state, current, form).await;
    if from_a_form(&headers) {
        let back = match &outcome {
            Ok(_) => "/knowledge?uploaded=1".to_string(),
            Err(error) => format!("/knowledge?upload_error={}", error.code),
        };
        return Redirect::to(&back).into_response();
    }
    match outcome {
        Ok(id) => accepted(id),
        Err(error) => error.into_response(),
    }
}

async fn receive(
    state: crate::AppState,
    current: CurrentStaff,
    form: Result<Multipart, MultipartRejection>,
) -> Result<domain::DocumentId, ApiError> {
    let Some(staff) = current.0 else {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Your session has ended. Please sign in again.",
        ));
    };
    if !staff.role.can_manage_resources() {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Your role does not allow this.",
        ));
    }
    receive_upload(&state, staff.tenant_id, form).await
}
