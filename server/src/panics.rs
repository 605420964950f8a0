//! The last line of defence: a panic inside a handler, a server function or
//! a page becomes a 500 with the API's JSON error shape (and a log line with
//! the panic's message), never a dropped connection. Panics are bugs; the
//! property tests in `tests/hostile_input.rs` look for them.

use axum::response::{IntoResponse, Response};
use axum::Json;
use http::StatusCode;
use std::any::Any;
use tower_http::catch_panic::CatchPanicLayer;

/// The layer `app()` wraps everything in.
pub fn layer() -> CatchPanicLayer<fn(Box<dyn Any + Send + 'static>) -> Response> {
    CatchPanicLayer::custom(answer as fn(Box<dyn Any + Send + 'static>) -> Response)
}

fn answer(panic: Box<dyn Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = message, "a request handler panicked");
    let body = serde_json::json!({
        "error": { "code": "internal", "message": "Something went wrong on our side." }
    });
    (StatusCode::INTERNAL_SERVER_ERROR, Json(body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::{to_bytes, Body};
    use axum::routing::get;
    use axum::Router;
    use tower::ServiceExt;

    #[tokio::test]
    async fn a_panicking_handler_answers_500_in_the_json_error_shape() {
        let router: Router = Router::new()
            .route(
                "/boom",
                get(|| async {
                    let empty: Vec<u8> = Vec::new();
                    #[allow(clippy::indexing_slicing)]
                    let byte = empty[3];
                    byte.to_string()
                }),
            )
            .layer(layer());
        let request = http::Request::get("/boom")
            .body(Body::empty())
            .expect("request");
        let response = router
            .oneshot(request)
            .await
            .expect("an answer, not a dropped connection");
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = to_bytes(response.into_body(), 4096).await.expect("body");
        let json: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
        assert_eq!(json["error"]["code"], "internal");
    }
}
