//! The middleware that finds the session of each request and keeps
//! signed-out visitors on the login page.

use app::api::ssr::CurrentStaff;
use app::error::AppError;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use booking::Services;
use http::{header, StatusCode};

/// Name of the session cookie (the app reads it too, to keep the session
/// a password change is made from).
pub use app::api::ssr::account::SESSION_COOKIE;

/// The session token from the request's `Cookie` headers, if any.
pub fn session_token(request: &Request) -> Option<String> {
    app::api::ssr::account::session_token_in(request.headers())
}

/// Paths that need no staff session: the login page and its form, health
/// checks, the integrator API (it has its own API keys), and the
/// dashboard's static files (scripts, styles, icons).
fn is_public(path: &str) -> bool {
    // `/.` and `/..` segments and empty ones are resolved by the router
    // or the file server later (`/pkg/../team` renders the team page), and
    // the file server decodes `%2e%2e` and `%2f` into them: such a path is
    // never public, whatever its last segment looks like. No public page
    // or file needs a percent escape or a backslash; the API's own paths
    // may carry escapes (it answers a malformed id itself), but not ones
    // that decode to a dot or a separator.
    let lower = path.to_ascii_lowercase();
    let escapes_ok = if path.starts_with("/api/") {
        !["%2e", "%2f", "%5c"].iter().any(|e| lower.contains(e))
    } else {
        !path.contains('%')
    };
    let plain = escapes_ok
        && !path.contains('\\')
        && !path
            .split('/')
            .skip(1)
            .any(|segment| segment.is_empty() || segment == "." || segment == "..");
    plain && is_public_path(path)
}

fn is_public_path(path: &str) -> bool {
    path == "/login"
        || path.starts_with("/auth/")
        || path == "/healthz"
        || path.starts_with("/invite/")
        || path == "/rpc/invite_offer"
        || path.starts_with("/api/")
        || path.starts_with("/pkg/")
        // A file at the site's root (`/favicon.ico`): one segment only, so
        // a page's id with a dot in it (`/resources/1.x`) stays private.
        || (path.matches('/').count() == 1 && path.contains('.'))
}

/// The page where a user replaces a password someone else chose.
pub const ACCOUNT_PATH: &str = "/account";

/// What a user who must first change their password may still reach: the
/// account page and the functions it calls, signing out, and the public
/// paths.
fn allowed_before_password_change(path: &str) -> bool {
    path == ACCOUNT_PATH
        || matches!(
            path,
            "/rpc/me" | "/rpc/change_password" | "/rpc/set_language"
        )
        || is_public(path)
}

fn json_error(status: StatusCode, error: &AppError) -> Response {
    let body = serde_json::to_string(error).unwrap_or_default();
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .unwrap_or_else(|_| status.into_response())
}

/// Puts [`CurrentStaff`] into the request, then lets it through, or sends a
/// signed-out visitor to `/login` (pages) or answers 401 (server functions).
pub async fn session_gate(
    State(state): State<Services>,
    mut request: Request,
    next: Next,
) -> Response {
    let staff = match session_token(&request) {
        Some(token) => match state.store.session_user(&token, state.clock.now()).await {
            Ok(user) => user,
            Err(error) => {
                tracing::error!(%error, "session lookup failed");
                return (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "The database is unavailable.",
                )
                    .into_response();
            }
        },
        None => None,
    };
    let path = request.uri().path().to_string();
    let signed_in = staff.is_some();
    let must_change = staff.as_ref().is_some_and(|s| s.must_change_password);
    request.extensions_mut().insert(CurrentStaff(staff));
    if signed_in && path == "/login" {
        return Redirect::to("/").into_response();
    }
    let not_a_page = path.starts_with("/rpc/")
        || path == crate::live::EVENTS_PATH
        || path == crate::export::EXPORT_PATH
        || path == crate::knowledge_upload::UPLOAD_PATH;
    if must_change && !allowed_before_password_change(&path) {
        if not_a_page {
            return json_error(
                StatusCode::FORBIDDEN,
                &app::api::ssr::password_change_required(),
            );
        }
        return Redirect::to(ACCOUNT_PATH).into_response();
    }
    if signed_in || is_public(&path) {
        let mut response = next.run(request).await;
        if path.starts_with("/invite/") {
            // The path is the invite's secret: kept out of caches. (The
            // page policy's `Referrer-Policy: same-origin` keeps it out of
            // other sites' `Referer`; `no-referrer` would make the page's
            // own form post `Origin: null`, which the cross-site check
            // refuses.)
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                http::HeaderValue::from_static("no-store"),
            );
        }
        return response;
    }
    if path == crate::export::EXPORT_PATH {
        // A script downloading the export reads the REST API's error shape.
        return crate::api::error::ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            AppError::Unauthorized.to_string(),
        )
        .into_response();
    }
    if not_a_page {
        return json_error(StatusCode::UNAUTHORIZED, &AppError::Unauthorized);
    }
    Redirect::to("/login").into_response()
}

#[cfg(test)]
mod tests {
    use super::is_public;

    #[test]
    fn dressed_up_paths_are_never_public() {
        for path in [
            "/login",
            "/healthz",
            "/pkg/pesan.js",
            "/favicon.ico",
            "/api/v1/bookings/12",
            "/api/v1/bookings/%20",
        ] {
            assert!(is_public(path), "{path}");
        }
        for path in [
            "/team",
            "/pkg/../team",
            "/pkg/%2e%2e/team",
            "/pkg/%2E%2E%2Fteam",
            "/pkg/..%2fteam.css",
            "/x/%2e%2e/team.css",
            "/pkg\\..\\team",
            "/api/%2e%2e/team",
            "/api/v1/%2E%2E/%2e%2e/team",
            "//team.css",
            "/export/bookings.csv",
            "/resources/1.x",
            "/bookings/1.json",
        ] {
            assert!(!is_public(path), "{path}");
        }
    }
}
