//! `POST /auth/login` and `POST /auth/logout`: plain form posts, so signing
//! in works before the WASM has loaded.

use super::session::{session_token, SESSION_COOKIE};
use super::throttle::LoginThrottle;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use booking::Services;
use http::header;
use serde::Deserialize;
use std::sync::Arc;
use std::time::Duration;
use store::SESSION_TTL_DAYS;

#[derive(Deserialize)]
pub struct LoginForm {
    pub email: String,
    pub password: String,
}

fn cookie(value: &str, max_age_seconds: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_seconds}{secure}")
}

fn with_cookie(location: &str, cookie: String) -> Response {
    let mut response = Redirect::to(location).into_response();
    if let Ok(value) = cookie.parse() {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// Signs in: a session cookie and the overview, or back to the login page
/// with one message for a wrong password and an unknown email alike.
pub async fn login(
    State(state): State<Services>,
    Extension(throttle): Extension<Arc<LoginThrottle>>,
    Extension(secure): Extension<CookieSecure>,
    Form(form): Form<LoginForm>,
) -> Response {
    let now = state.clock.now();
    if throttle.check(&form.email, now).is_err() {
        return Redirect::to("/login?error=throttled").into_response();
    }
    let user = match state.store.verify_login(&form.email, &form.password).await {
        Ok(user) => user,
        Err(error) => {
            tracing::error!(%error, "login lookup failed");
            return (
                http::StatusCode::SERVICE_UNAVAILABLE,
                "The database is unavailable.",
            )
                .into_response();
        }
    };
    let Some(user) = user else {
        let failures = throttle.record_failure(&form.email, now);
        tracing::info!(failures, "failed sign-in");
        // Each failure in a row costs a little more time before the answer.
        tokio::time::sleep(Duration::from_millis(100 * u64::from(failures.min(10)))).await;
        return Redirect::to("/login?error=invalid").into_response();
    };
    throttle.reset(&form.email);
    match state.store.create_session(&user, now).await {
        Ok(token) => {
            tracing::info!(user = %user.id, tenant = %user.tenant_id, "signed in");
            with_cookie(
                "/",
                cookie(token.as_str(), SESSION_TTL_DAYS * 24 * 3600, secure.0),
            )
        }
        Err(error) => {
            tracing::error!(%error, "cannot create session");
            (
                http::StatusCode::SERVICE_UNAVAILABLE,
                "The database is unavailable.",
            )
                .into_response()
        }
    }
}

/// Signs out: the session row is deleted and the cookie cleared.
pub async fn logout(
    State(state): State<Services>,
    Extension(secure): Extension<CookieSecure>,
    request: Request,
) -> Response {
    if let Some(token) = session_token(&request) {
        if let Err(error) = state.store.delete_session(&token).await {
            tracing::error!(%error, "cannot delete session");
        }
    }
    with_cookie("/login", cookie("", 0, secure.0))
}

/// Whether cookies carry `Secure` (the site is served over HTTPS).
#[derive(Clone, Copy, Debug)]
pub struct CookieSecure(pub bool);
