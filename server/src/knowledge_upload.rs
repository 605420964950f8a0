//! `POST /dashboard/knowledge/upload`: the knowledge page's file upload,
//! signed in by the staff session (the page sends it with `XMLHttpRequest`
//! to show its progress). The same checks as the API's upload: owners and
//! admins only, one file of at most the configured size, a bounded number
//! of uploads at once, read piece by piece with a stall timeout. Errors
//! come back in the API's JSON shape, `{"error": {"code", "message"}}`.

use crate::api::error::ApiError;
use crate::api::knowledge::read_form;
use app::api::ssr::CurrentStaff;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};

pub use app::api::KNOWLEDGE_UPLOAD_PATH as UPLOAD_PATH;

pub async fn upload(
    State(state): State<crate::AppState>,
    Extension(current): Extension<CurrentStaff>,
    form: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
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
    let form = form.map_err(|e| {
        ApiError::bad_request(
            "invalid_form",
            format!("send the file as multipart/form-data: {}", e.body_text()),
        )
    })?;
    let Ok(_permit) = state.uploads.clone().try_acquire_owned() else {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "busy",
            "Too many uploads at once; try again in a moment.",
        ));
    };
    let knowledge = &state.knowledge;
    let (name, bytes, outlet) = read_form(form, knowledge.limits().max_file_bytes).await?;
    let now = state.services.clock.now();
    let id = knowledge
        .upload(staff.tenant_id, outlet, &name, &bytes, now)
        .await?;
    state.wake_indexer.notify_one();
    Ok((
        StatusCode::ACCEPTED,
        Json(serde_json::json!({ "id": id.0, "state": "queued" })),
    )
        .into_response())
}
