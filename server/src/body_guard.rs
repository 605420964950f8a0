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
//! more than the budget, or hold it for long. One address (an IPv6 /64)
//! may hold at most [`ADDRESS_SHARE_BYTES`] of it, so a single sender
//! cannot leave everyone else `busy` (not applied with
//! `trust_forwarded_for`, where every peer is the proxy); the sign-in forms, which anyone may
//! post, take at most [`AUTH_MAX_BODY_BYTES`].

use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use http::StatusCode;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{LazyLock, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;

/// The largest body accepted: far above any form, API request or chat
/// message (WhatsApp caps text at 4,096 characters).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// What all bodies being buffered at once may hold together.
pub const BUFFER_BUDGET_BYTES: usize = 64 * MAX_BODY_BYTES;

/// What the bodies from one address may hold together.
pub const ADDRESS_SHARE_BYTES: usize = BUFFER_BUDGET_BYTES / 8;

/// The largest body of a sign-in or invite form (`/auth/…`): an e-mail
/// address, a name and passwords of at most 1 KiB each.
pub const AUTH_MAX_BODY_BYTES: usize = 16 * 1024;

/// Budget units in use per address.
static SHARES: LazyLock<Mutex<HashMap<IpAddr, u32>>> = LazyLock::new(Default::default);

/// One body's part of its address's share, given back when dropped.
struct Share {
    ip: Option<IpAddr>,
    units: u32,
}

impl Share {
    /// Takes `wanted` more units of the address's share, if it has them.
    fn grow(&mut self, wanted: u32) -> bool {
        let Some(ip) = self.ip else {
            return true;
        };
        let cap = units_for(ADDRESS_SHARE_BYTES);
        let mut shares = SHARES.lock().unwrap_or_else(|p| p.into_inner());
        let used = shares.entry(ip).or_insert(0);
        if used.saturating_add(wanted) > cap {
            return false;
        }
        *used += wanted;
        self.units += wanted;
        true
    }
}

impl Drop for Share {
    fn drop(&mut self) {
        let Some(ip) = self.ip else { return };
        let mut shares = SHARES.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(used) = shares.get_mut(&ip) {
            *used = used.saturating_sub(self.units);
            if *used == 0 {
                shares.remove(&ip);
            }
        }
    }
}

/// Room in the budget (and the address's share), held for as long as a
/// body's bytes are.
pub struct Held {
    _permits: Vec<tokio::sync::SemaphorePermit<'static>>,
    _share: Share,
}

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
    from: Option<IpAddr>,
    max: usize,
) -> Result<(bytes::Bytes, Held), Unread> {
    use futures_util::StreamExt;
    let mut stream = body.into_data_stream();
    let mut data = bytes::BytesMut::new();
    let mut held = Vec::new();
    let mut share = Share { ip: from, units: 0 };
    let mut units = 0_u32;
    let read = async {
        while let Some(piece) = stream.next().await {
            let piece = piece.map_err(|_| Unread::Broken)?;
            if data.len() + piece.len() > max {
                return Err(Unread::TooLarge);
            }
            // Room for the bytes held so far, rounded up once: a body sent
            // in tiny chunks takes no more room than its size.
            let wanted = units_for(data.len() + piece.len()).saturating_sub(units);
            if wanted > 0 {
                // Over its address's share, a body waits for nothing.
                if !share.grow(wanted) {
                    return Err(Unread::Busy);
                }
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
        Ok(Ok(())) => Ok((
            data.freeze(),
            Held {
                _permits: held,
                _share: share,
            },
        )),
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
    let max = if parts.uri.path().starts_with("/auth/") {
        AUTH_MAX_BODY_BYTES
    } else {
        MAX_BODY_BYTES
    };
    // Behind a reverse proxy every peer is the proxy: no share, as no
    // per-address connection cap (the proxy bounds its clients).
    let behind_proxy = parts
        .extensions
        .get::<crate::HttpOptions>()
        .is_some_and(|options| options.trust_forwarded_for);
    let from = if behind_proxy {
        None
    } else {
        peer(&parts.extensions)
    };
    let (bytes, _held) = match read_body(body, from, max).await {
        Ok(read) => read,
        Err(refused) => return refused,
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

/// Reads a body from `from` whole within the shared budget and the
/// address's share, at most `max` bytes and within [`BODY_READ_TIMEOUT`];
/// a refusal is the response to send. Also for a route that reads its own
/// body (the WhatsApp webhook, which must keep every byte Meta signed, NUL
/// included).
pub async fn read_body(
    body: Body,
    from: Option<IpAddr>,
    max: usize,
) -> Result<(bytes::Bytes, Held), Response> {
    match read_within_budget(body, from, max).await {
        Ok(read) => Ok(read),
        Err(Unread::TooLarge) => Err(refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            &format!("The request body is larger than {} KiB.", max / 1024),
        )),
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
            Err(response)
        }
        Err(Unread::Slow) => Err(refuse(
            StatusCode::REQUEST_TIMEOUT,
            "body_too_slow",
            "The request body did not arrive in time.",
        )),
        Err(Unread::Broken) => Err(refuse(
            StatusCode::BAD_REQUEST,
            "body_unreadable",
            "The request body could not be read.",
        )),
    }
}

/// The address a request's body is counted under (`None` without one:
/// a test driving the app without a socket).
pub fn peer(extensions: &http::Extensions) -> Option<IpAddr> {
    extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| crate::listen::counted_as(info.0.ip()))
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
