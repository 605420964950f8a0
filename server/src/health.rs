//! `GET /healthz`: 200 when the database answers, 503 when it does not, so
//! a load balancer stops sending traffic to a replica that lost its database.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use booking::Services;
use http::StatusCode;
use serde_json::json;
use std::time::Duration;

pub async fn healthz(State(state): State<Services>) -> Response {
    let ping = tokio::time::timeout(Duration::from_secs(2), state.store.ping()).await;
    match ping {
        Ok(Ok(())) => (
            StatusCode::OK,
            Json(json!({ "status": "ok", "database": "ok" })),
        )
            .into_response(),
        Ok(Err(error)) => {
            tracing::warn!(%error, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "unavailable", "database": "unreachable" })),
            )
                .into_response()
        }
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "unavailable", "database": "timeout" })),
        )
            .into_response(),
    }
}
