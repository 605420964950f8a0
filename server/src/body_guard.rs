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
//! [`BUFFER_BUDGET_BYTES`]: each piece of a body takes room in the budget
//! as it arrives (a declared length that never comes costs nothing), a
//! piece that finds no room within a few seconds ends the request with 503
//! `busy`, and a body must arrive whole within [`BODY_READ_TIMEOUT`] (408).
//! Many clients sending large bodies slowly cannot make the server hold
//! more than the budget, or hold it for long.

use axum::body::Body;
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

/// How long a whole body may take to arrive.
pub const BODY_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// The units `bytes` bytes take in the budget.
fn units_for(bytes: usize) -> u32 {
    u32::try_from(bytes.div_ceil(UNIT)).unwrap_or(u32::MAX)
}

/// Why a body was not read whole.
enum Unread {
    TooLarge,
    Busy,
    Slow,
    Broken,
}

/// Reads `body` whole, taking budget for each piece as it arrives; the
/// permits are held (returned) for as long as the bytes are.
async fn read_within_budget(
    body: Body,
) -> Result<(bytes::Bytes, Vec<tokio::sync::SemaphorePermit<'static>>), Unread> {
    use futures_util::StreamExt;
    let mut stream = body.into_data_stream();
    let mut data = bytes::BytesMut::new();
    let mut held = Vec::new();
    let mut units = 0_u32;
    let read = async {
        while let Some(piece) = stream.next().await {
            let piece = piece.map_err(|_| Unread::Broken)?;
            if data.len() + piece.len() > MAX_BODY_BYTES {
                return Err(Unread::TooLarge);
            }
            // Room for the bytes held so far, rounded up once: a body sent
            // in tiny chunks takes no more room than its size.
            let wanted = units_for(data.len() + piece.len()).saturating_sub(units);
            if wanted > 0 {
                let room = tokio::time::timeout(BUDGET_WAIT, BUDGET.acquire_many(wanted)).await;
                match room {
                    Ok(Ok(permit)) => held.push(permit),
                    _ => return Err(Unread::Busy),
                }
                units += wanted;
            }
            data.extend_from_slice(&piece);
        }
        Ok(())
    };
    match tokio::time::timeout(BODY_READ_TIMEOUT, read).await {
        Ok(Ok(())) => Ok((data.freeze(), held)),
        Ok(Err(why)) => Err(why),
        Err(_) => Err(Unread::Slow),
    }
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
    if axum::body::HttpBody::size_hint(&body).upper() == Some(0) {
        return next.run(Request::from_parts(parts, body)).await;
    }
    let (bytes, _held) = match read_within_budget(body).await {
        Ok(read) => read,
        Err(Unread::TooLarge) => {
            return refuse(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                "The request body is larger than 1 MiB.",
            )
        }
        Err(Unread::Busy) => {
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
        }
        Err(Unread::Slow) => {
            return refuse(
                StatusCode::REQUEST_TIMEOUT,
                "body_too_slow",
                "The request body did not arrive in time.",
            )
        }
        Err(Unread::Broken) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                "body_unreadable",
                "The request body could not be read.",
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
    fn a_piece_takes_room_by_the_kibibyte() {
        assert_eq!(units_for(1), 1);
        assert_eq!(units_for(2048), 2);
        assert_eq!(units_for(2049), 3);
        assert_eq!(units_for(MAX_BODY_BYTES), (MAX_BODY_BYTES / UNIT) as u32);
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
