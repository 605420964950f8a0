//! The signed-in user's own settings.

use super::Services;
use crate::error::AppError;
use crate::i18n;
use store::StaffUser;

/// Name of the session cookie (set by the server's sign-in).
pub const SESSION_COOKIE: &str = "pesan_session";

/// The store's bound, refused here before any database work (sign-in,
/// joining by invite and a password change all hold to it).
pub use store::MAX_PASSWORD_BYTES;

/// The session token in a request's `Cookie` headers, if any: what the
/// server's session gate looks up, and what a password change keeps.
pub fn session_token_in(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, token)| token.to_string())
        .filter(|token| !token.is_empty())
}

/// The `Set-Cookie` value that carries the interface language to the
/// server's renders (a year; not a secret, so readable by scripts).
pub fn language_cookie(code: &str) -> String {
    format!(
        "{}={code}; Path=/; SameSite=Lax; Max-Age=31536000",
        i18n::COOKIE
    )
}

/// Remembers the language on the user (so it follows them to another
/// device at sign-in) and in this browser's cookie.
pub async fn set_language(state: Services, staff: StaffUser, code: String) -> Result<(), AppError> {
    let code = code.trim().to_ascii_lowercase();
    if !matches!(code.as_str(), "en" | "id") {
        return Err(AppError::Invalid(
            "Choose English (en) or Indonesian (id).".into(),
        ));
    }
    state
        .store
        .set_user_locale(staff.tenant_id, staff.id, &code)
        .await?;
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(value) = http::HeaderValue::from_str(&language_cookie(&code)) {
            response.append_header(http::header::SET_COOKIE, value);
        }
    }
    Ok(())
}
