//! Browser-facing hardening: security headers on every response, and
//! writes from other sites refused.
//!
//! **Cross-site writes.** The session cookie is `SameSite=Lax`, so browsers
//! already leave it off other sites' form posts; as a second wall, a write
//! (any method but `GET`, `HEAD`, `OPTIONS`) to a server function
//! (`/rpc/*`) or to `/auth/*` is refused with `403` when the browser says it
//! comes from elsewhere, and so is any request for the live event stream
//! (`/events`) or the bookings export (`/export/bookings.csv`): `Sec-Fetch-Site: cross-site` or `same-site`, or an
//! `Origin` (including `null`) whose host and port are not the request's
//! `Host`. Requests that carry neither header (curl, scripts, tests) pass:
//! browsers always send at least one of them with a cross-origin `POST`.
//! The answer is the JSON error shape of the API for both paths:
//! `{"error":{"code":"cross_site","message":"…"}}`. Behind a reverse proxy
//! the proxy must pass the original `Host` (or, with `trust_forwarded_for`,
//! `X-Forwarded-Host`).
//!
//! **Headers.** Every response gets `X-Content-Type-Options: nosniff`,
//! `Referrer-Policy: same-origin`, `X-Frame-Options: DENY`, a
//! `Content-Security-Policy`, and `Strict-Transport-Security` when the site
//! is served over HTTPS (`cookie_secure`). Pages rendered by Leptos carry a
//! fresh nonce per response (Leptos puts it on its hydration and streaming
//! scripts; [`page_policy`] copies it into the header); other responses
//! get the same policy without one. Styles allow `'unsafe-inline'` because
//! the calendar positions its blocks with `style` attributes.

use crate::HttpOptions;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use http::header::{self, HeaderName, HeaderValue};
use http::{HeaderMap, Method, StatusCode};
use serde_json::json;

/// What [`guard`] needs besides the request.
#[derive(Debug, Clone)]
pub struct Policy {
    pub options: HttpOptions,
    /// `cargo leptos watch` is running: its reload socket is on another port.
    pub watching: bool,
}

impl Policy {
    pub fn new(options: HttpOptions) -> Policy {
        Policy {
            options,
            watching: std::env::var("LEPTOS_WATCH").is_ok(),
        }
    }
}

/// The `Content-Security-Policy` of Pesan, with the page's script nonce if
/// it has one.
pub fn content_security_policy(nonce: Option<&str>, watching: bool) -> String {
    let nonce = nonce.map(|n| format!(" 'nonce-{n}'")).unwrap_or_default();
    let reload = if watching { " ws: wss:" } else { "" };
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{nonce}; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'{reload}; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Leptos context for page renders: puts the policy with this response's
/// nonce into the response headers.
pub fn page_policy(watching: bool) {
    let nonce = leptos::nonce::use_nonce();
    let response = leptos::prelude::use_context::<leptos_axum::ResponseOptions>();
    if let (Some(nonce), Some(response)) = (nonce, response) {
        if let Ok(value) = HeaderValue::from_str(&content_security_policy(Some(&*nonce), watching))
        {
            response.insert_header(header::CONTENT_SECURITY_POLICY, value);
        }
        // A page is one user's view of their venue, and its scripts carry
        // this response's nonce: no cache may keep or replay it (a front
        // desk's shared computer, a cached body under a newer policy).
        response.insert_header(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}

fn is_guarded(method: &Method, path: &str) -> bool {
    let writes = !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    // The live event stream is a read, but it carries a tenant's news on
    // the session's cookie: another site's page may not listen to it.
    // Every write of the dashboard's (server functions, sign-in, the
    // knowledge upload, any route added later) is the session's; the
    // integrator API authenticates with its own keys.
    path == crate::live::EVENTS_PATH
        || path == crate::export::EXPORT_PATH
        || writes && !path.starts_with("/api/")
}

/// `host[:port]` of an origin or a `Host` header, lower case, without the
/// scheme's default port.
fn authority(value: &str, default_port: &str) -> String {
    let value = value.trim().to_ascii_lowercase();
    match value.strip_suffix(default_port) {
        Some(host) if !host.is_empty() => host.to_string(),
        _ => value,
    }
}

fn origin_authority(origin: &str) -> Option<String> {
    let (scheme, rest) = origin.split_once("://")?;
    let rest = rest.split('/').next().unwrap_or(rest);
    let default_port = match scheme.to_ascii_lowercase().as_str() {
        "https" => ":443",
        "http" => ":80",
        _ => return None,
    };
    Some(authority(rest, default_port))
}

/// Why a guarded request looks cross-site, if it does.
fn cross_site(headers: &HeaderMap, trust_forwarded: bool) -> Option<&'static str> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        if site.eq_ignore_ascii_case("cross-site") || site.eq_ignore_ascii_case("same-site") {
            return Some("the browser says the request comes from another site");
        }
    }
    let origin = text("origin")?;
    let Some(origin) = origin_authority(origin) else {
        return Some("the request's origin is opaque or not a web origin");
    };
    let host = trust_forwarded
        .then(|| text("x-forwarded-host"))
        .flatten()
        .or_else(|| text("host"));
    let Some(host) = host else {
        return Some("the request has an origin but no host to compare it with");
    };
    let host = host.split(',').next().unwrap_or(host);
    let same = [":443", ":80"]
        .iter()
        .any(|port| authority(host, port) == origin);
    (!same).then_some("the request's origin is another site")
}

fn refuse(reason: &str) -> Response {
    (
        StatusCode::FORBIDDEN,
        Json(json!({
            "error": {
                "code": "cross_site",
                "message": format!("Refused: {reason}."),
            }
        })),
    )
        .into_response()
}

fn set_default(headers: &mut HeaderMap, name: HeaderName, value: &str) {
    if !headers.contains_key(&name) {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    }
}

/// The middleware: refuses cross-site writes, then adds the headers.
pub async fn guard(State(policy): State<Policy>, request: Request, next: Next) -> Response {
    let mut response = if is_guarded(request.method(), request.uri().path()) {
        match cross_site(request.headers(), policy.options.trust_forwarded_for) {
            Some(reason) => {
                tracing::warn!(
                    path = request.uri().path(),
                    reason,
                    "refused a cross-site request"
                );
                refuse(reason)
            }
            None => next.run(request).await,
        }
    } else {
        next.run(request).await
    };
    let headers = response.headers_mut();
    set_default(
        headers,
        header::CONTENT_SECURITY_POLICY,
        &content_security_policy(None, policy.watching),
    );
    set_default(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set_default(headers, header::REFERRER_POLICY, "same-origin");
    set_default(headers, header::X_FRAME_OPTIONS, "DENY");
    if policy.options.cookie_secure {
        set_default(
            headers,
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000",
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn same_origin_and_headerless_requests_pass() {
        for pairs in [
            &[][..],
            &[
                ("host", "pesan.example"),
                ("origin", "https://pesan.example"),
            ][..],
            &[
                ("host", "pesan.example:443"),
                ("origin", "https://pesan.example"),
            ][..],
            &[
                ("host", "127.0.0.1:3000"),
                ("origin", "http://127.0.0.1:3000"),
            ][..],
            &[
                ("host", "Pesan.Example"),
                ("origin", "https://pesan.example"),
            ][..],
            &[("sec-fetch-site", "same-origin")][..],
            &[("sec-fetch-site", "none")][..],
        ] {
            assert_eq!(cross_site(&headers(pairs), false), None, "{pairs:?}");
        }
    }

    #[test]
    fn other_origins_are_cross_site() {
        for pairs in [
            &[
                ("host", "pesan.example"),
                ("origin", "https://evil.example"),
            ][..],
            &[
                ("host", "127.0.0.1:3000"),
                ("origin", "http://127.0.0.1:3001"),
            ][..],
            &[("host", "pesan.example"), ("origin", "null")][..],
            &[("origin", "https://pesan.example")][..],
            &[("sec-fetch-site", "cross-site")][..],
            &[("sec-fetch-site", "same-site")][..],
        ] {
            assert!(cross_site(&headers(pairs), false).is_some(), "{pairs:?}");
        }
    }

    #[test]
    fn forwarded_host_counts_only_when_trusted() {
        let pairs = headers(&[
            ("host", "pesan:3000"),
            ("x-forwarded-host", "pesan.example"),
            ("origin", "https://pesan.example"),
        ]);
        assert!(cross_site(&pairs, false).is_some());
        assert_eq!(cross_site(&pairs, true), None);
    }
}
