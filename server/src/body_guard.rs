//! Every request body before any handler: at most [`MAX_BODY_BYTES`]
//! (413 `body_too_large` in the JSON error shape, not a framework's plain
//! text), and no NUL characters (400 `invalid_text`). PostgreSQL refuses a
//! NUL inside text, so without this a name, a reason or a chat message
//! carrying one (`\u0000` in JSON, `%00` in a form) reached the database
//! and came back as a 500 — on PostgreSQL only, and before sign-in for the
//! login form.
//!
//! It runs after the session gate, so a signed-out visitor's body for a
//! private path is never read, and all bodies being read at once share
//! [`BUFFER_BUDGET_BYTES`]: a request reserves its declared length (or the
//! maximum, when it declares none) before reading, and waits a few seconds
//! for room, then gets 503 `busy`. Many clients sending large bodies slowly
//! cannot make the server hold more than the budget.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use http::StatusCode;
use std::sync::LazyLock;
use std::time::Duration;
use tokio::sync::Semaphore;

/// The largest body accepted: far above any form, API request or chat
/// message (WhatsApp caps text at 4,096 characters).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// What all bodies being buffered at once may hold together.
pub const BUFFER_BUDGET_BYTES: usize = 64 * MAX_BODY_BYTES;

/// The budget is reserved in units of this many bytes.
const UNIT: usize = 1024;

/// How long a request waits for room in the budget.
const BUDGET_WAIT: Duration = Duration::from_secs(5);

static BUDGET: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(BUFFER_BUDGET_BYTES / UNIT));

/// The units a body reserves: its declared length, or the most a body may
/// be when it declares none (or more than that; it is refused as it reads).
fn units_for(declared: Option<u64>) -> u32 {
    let bytes = declared
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(MAX_BODY_BYTES)
        .min(MAX_BODY_BYTES);
    u32::try_from(bytes.div_ceil(UNIT)).unwrap_or(u32::MAX)
}

pub async fn guard(request: Request, next: Next) -> Response {
    // A knowledge-base upload is a file (NUL bytes and all) of up to the
    // configured size: its route has its own limit and its handler reads
    // the file piece by piece, so it is not buffered here.
    let path = request.uri().path();
    if request.method() == http::Method::POST
        && (path == crate::api::UPLOAD_PATH || path == crate::knowledge_upload::UPLOAD_PATH)
    {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let hint = axum::body::HttpBody::size_hint(&body);
    if hint.upper() == Some(0) {
        return next.run(Request::from_parts(parts, body)).await;
    }
    let units = units_for(hint.exact());
    let Ok(Ok(_reserved)) = tokio::time::timeout(BUDGET_WAIT, BUDGET.acquire_many(units)).await
    else {
        tracing::warn!("refused a request body: the buffering budget is full");
        let mut response = refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "The server is busy; try again in a few seconds.",
        );
        response
            .headers_mut()
            .insert(http::header::RETRY_AFTER, http::HeaderValue::from(5));
        return response;
    };
    let bytes = match to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return refuse(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                "The request body is larger than 1 MiB.",
            )
        }
    };
    if carries_nul(&bytes) {
        return refuse(
            StatusCode::BAD_REQUEST,
            "invalid_text",
            "Text may not contain NUL characters.",
        );
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// A raw NUL byte, a JSON `\u0000` escape or a form's `%00`.
fn carries_nul(bytes: &[u8]) -> bool {
    bytes.contains(&0)
        || bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000"))
        || bytes.windows(3).any(|w| w == b"%00")
}

fn refuse(status: StatusCode, code: &str, message: &str) -> Response {
    let body = serde_json::json!({ "error": { "code": code, "message": message } });
    (status, Json(body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::{carries_nul, units_for, MAX_BODY_BYTES, UNIT};

    #[test]
    fn a_body_reserves_what_it_declares_and_at_most_the_limit() {
        assert_eq!(units_for(Some(1)), 1);
        assert_eq!(units_for(Some(2048)), 2);
        assert_eq!(units_for(Some(2049)), 3);
        let most = (MAX_BODY_BYTES / UNIT) as u32;
        assert_eq!(units_for(None), most);
        assert_eq!(units_for(Some(u64::MAX)), most);
    }

    #[test]
    fn nul_is_found_in_every_encoding() {
        assert!(carries_nul(b"{\"reason\":\"a\\u0000b\"}"));
        assert!(carries_nul(b"{\"reason\":\"a\\U0000b\"}"));
        assert!(carries_nul(b"email=owner%00%40demo.pesan.id"));
        assert!(carries_nul(b"a\0b"));
        assert!(!carries_nul(b"{\"reason\":\"100%25 sure\"}"));
        assert!(!carries_nul(b"text=harga+Rp+150.000"));
    }
}
