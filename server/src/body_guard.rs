//! Every request body before any handler: at most [`MAX_BODY_BYTES`]
//! (413 `body_too_large` in the JSON error shape, not a framework's plain
//! text), and no NUL characters (400 `invalid_text`). PostgreSQL refuses a
//! NUL inside text, so without this a name, a reason or a chat message
//! carrying one (`\u0000` in JSON, `%00` in a form) reached the database
//! and came back as a 500 — on PostgreSQL only, and before sign-in for the
//! login form.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use http::StatusCode;

/// The largest body accepted: far above any form, API request or chat
/// message (WhatsApp caps text at 4,096 characters).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

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
    use super::carries_nul;

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
