//! `POST /auth/login` and `POST /auth/logout`: plain form posts, so signing
//! in works before the WASM has loaded.

use super::session::{session_token, SESSION_COOKIE};
use super::Logins;
use crate::HttpOptions;
use axum::extract::{ConnectInfo, Request, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use booking::Services;
use http::{header, HeaderMap};
use serde::Deserialize;
use std::net::{IpAddr, SocketAddr};
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

/// `GET /auth/language?lang=id`: the sign-in page in another language,
/// before anyone is signed in (a plain link, so it works without the
/// WASM). Remembered in the language cookie; signing in then uses the
/// language the user chose in the dashboard, if they ever did. Anything
/// but `id` means English.
pub async fn language(axum::extract::RawQuery(query): axum::extract::RawQuery) -> Response {
    let asked = query
        .as_deref()
        .unwrap_or_default()
        .split('&')
        .find_map(|pair| pair.strip_prefix("lang="))
        .unwrap_or_default();
    let lang = app::i18n::parse(asked);
    with_cookie(
        "/login",
        app::api::ssr::account::language_cookie(app::i18n::code(lang)),
    )
}

/// Passwords longer than this are refused before any work (the app's
/// password change holds to the same bound).
pub use app::api::ssr::account::MAX_PASSWORD_BYTES;
/// The longest email address there is (RFC 5321's path limit less the
/// brackets); a longer one is answered "wrong email or password" at once.
pub use store::MAX_EMAIL_BYTES;

/// The address the throttle counts an attempt against.
///
/// The peer's IP address (for IPv6 its /64, what one subscriber usually
/// gets). Behind a reverse proxy every peer is the proxy, so with
/// `trust_forwarded_for` the last entry of `X-Forwarded-For` (the one the
/// proxy itself appended; earlier entries are the client's to forge) is
/// used instead. With neither (the app driven with `oneshot` in tests, no
/// `ConnectInfo`), all attempts share one `unknown` address.
pub fn client_address(
    headers: &HeaderMap,
    peer: Option<SocketAddr>,
    trust_forwarded_for: bool,
) -> String {
    // Only the last entry: it is the one the proxy wrote. An entry it
    // wrote as `ip:port` or `[v6]:port` is read as its address; one that
    // does not read falls back to the peer, never to an earlier entry
    // (the client's own, forgeable).
    let forwarded = || {
        let last = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .next_back()?
            .trim();
        last.parse::<IpAddr>()
            .ok()
            .or_else(|| last.parse::<SocketAddr>().ok().map(|a| a.ip()))
            .or_else(|| {
                last.strip_prefix('[')
                    .and_then(|rest| rest.split(']').next())
                    .and_then(|v6| v6.parse::<IpAddr>().ok())
            })
    };
    let ip = if trust_forwarded_for {
        forwarded().or(peer.map(|p| p.ip()))
    } else {
        peer.map(|p| p.ip())
    };
    match ip {
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        None => "unknown".to_string(),
    }
}

fn throttled(wait: chrono::Duration) -> Response {
    let mut response = Redirect::to("/login?error=throttled").into_response();
    response.headers_mut().insert(
        header::RETRY_AFTER,
        header::HeaderValue::from(wait.num_seconds().max(1)),
    );
    response
}

fn invalid() -> Response {
    Redirect::to("/login?error=invalid").into_response()
}

fn database_unavailable() -> Response {
    (
        http::StatusCode::SERVICE_UNAVAILABLE,
        "The database is unavailable.",
    )
        .into_response()
}

/// Signs in: a session cookie and the overview, or back to the login page
/// with one message for a wrong password and an unknown email alike.
///
/// In order, so that guessing stays expensive for the guesser and cheap
/// for us: oversized input is refused before anything else; the attempt is
/// counted by the throttle (per email and per client address) before the
/// password is checked; the check waits for one of a few permits.
pub async fn login(
    State(state): State<Services>,
    Extension(logins): Extension<Arc<Logins>>,
    Extension(options): Extension<HttpOptions>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    if form.email.len() > MAX_EMAIL_BYTES || form.password.len() > MAX_PASSWORD_BYTES {
        tracing::info!("refused an oversized sign-in");
        return invalid();
    }
    let now = state.clock.now();
    let client = client_address(
        &headers,
        peer.map(|Extension(ConnectInfo(addr))| addr),
        options.trust_forwarded_for,
    );
    let attempt = match logins.throttle.begin(&form.email, &client, now) {
        Ok(attempt) => attempt,
        Err(wait) => {
            tracing::info!(wait = wait.num_seconds(), "sign-in refused while locked");
            return throttled(wait);
        }
    };
    let checked = logins
        .checks
        .run(state.store.verify_login(&form.email, &form.password))
        .await;
    let user = match checked {
        Ok(user) => user,
        Err(error) => {
            tracing::error!(%error, "login lookup failed");
            return database_unavailable();
        }
    };
    let Some(user) = user else {
        tracing::info!(in_a_row = attempt.in_a_row, "failed sign-in");
        // Each failure in a row costs a little more time before the answer.
        tokio::time::sleep(Duration::from_millis(
            100 * u64::from(attempt.in_a_row.min(10)),
        ))
        .await;
        return invalid();
    };
    logins.throttle.succeeded(&attempt);
    // A password someone else chose is replaced before anything else.
    let landing = if user.must_change_password {
        super::ACCOUNT_PATH
    } else {
        "/"
    };
    match state.store.create_session(&user, now).await {
        Ok(token) => {
            tracing::info!(user = %user.id, tenant = %user.tenant_id, "signed in");
            let mut response = with_cookie(
                landing,
                cookie(
                    token.as_str(),
                    SESSION_TTL_DAYS * 24 * 3600,
                    options.cookie_secure,
                ),
            );
            // The language the user chose before, on this device too.
            if let Some(code) = user.locale.as_deref() {
                if let Ok(value) = app::api::ssr::account::language_cookie(code).parse() {
                    response.headers_mut().append(header::SET_COOKIE, value);
                }
            }
            response
        }
        Err(error) => {
            tracing::error!(%error, "cannot create session");
            database_unavailable()
        }
    }
}

#[derive(Deserialize)]
pub struct InviteForm {
    pub token: String,
    pub email: String,
    #[serde(default)]
    pub name: String,
    pub password: String,
    pub confirm: String,
}

/// Whether `token` could be an invite link's secret (URL-safe base64, as
/// made): anything else is a dead link without a lookup, and can be put
/// back into a redirect's path as it is.
fn plausible_token(token: &str) -> bool {
    (1..=128).contains(&token.len())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn back_to_invite(token: &str, error: &str) -> Response {
    let token = if plausible_token(token) { token } else { "-" };
    Redirect::to(&format!("/invite/{token}?error={error}")).into_response()
}

/// Creates the account an invite link offers and signs its new owner in.
///
/// A plain form post, like signing in. The link is looked up before any
/// password is hashed, so junk links cost a lookup; a refused form sends
/// the person back to the link's page with the reason (the link stays
/// usable unless it was spent).
pub async fn accept_invite(
    State(state): State<Services>,
    Extension(logins): Extension<Arc<Logins>>,
    Extension(options): Extension<HttpOptions>,
    Form(form): Form<InviteForm>,
) -> Response {
    let now = state.clock.now();
    if !plausible_token(&form.token) {
        return back_to_invite(&form.token, "dead");
    }
    match state.store.invite_offer(&form.token, now).await {
        Ok(Some(_)) => {}
        Ok(None) => return back_to_invite(&form.token, "dead"),
        Err(error) => {
            tracing::error!(%error, "invite lookup failed");
            return database_unavailable();
        }
    }
    if form.email.len() > MAX_EMAIL_BYTES || !form.email.contains('@') {
        return back_to_invite(&form.token, "email");
    }
    if form.password.len() > MAX_PASSWORD_BYTES
        || form.password.chars().count() < store::MIN_PASSWORD_CHARS
    {
        return back_to_invite(&form.token, "weak");
    }
    if form.password != form.confirm {
        return back_to_invite(&form.token, "mismatch");
    }
    let accepted = logins
        .checks
        .run(
            state
                .store
                .accept_invite(&form.token, &form.email, &form.name, &form.password, now),
        )
        .await;
    let user = match accepted {
        Ok(Some(user)) => user,
        Ok(None) => return back_to_invite(&form.token, "dead"),
        Err(store::StoreError::Duplicate(_)) => return back_to_invite(&form.token, "taken"),
        Err(store::StoreError::Invalid(_)) => return back_to_invite(&form.token, "invalid"),
        Err(error) => {
            tracing::error!(%error, "cannot accept an invite");
            return database_unavailable();
        }
    };
    tracing::info!(user = %user.id, tenant = %user.tenant_id, "joined through an invite");
    match state.store.create_session(&user, now).await.ok() {
        Some(token) => with_cookie(
            "/",
            cookie(
                token.as_str(),
                SESSION_TTL_DAYS * 24 * 3600,
                options.cookie_secure,
            ),
        ),
        // The account exists: signing in by hand still works.
        None => Redirect::to("/login").into_response(),
    }
}

/// Signs out: the session row is deleted and the cookie cleared.
pub async fn logout(
    State(state): State<Services>,
    Extension(options): Extension<HttpOptions>,
    request: Request,
) -> Response {
    if let Some(token) = session_token(&request) {
        if let Err(error) = state.store.delete_session(&token).await {
            tracing::error!(%error, "cannot delete session");
        }
    }
    with_cookie("/login", cookie("", 0, options.cookie_secure))
}

#[cfg(test)]
mod tests {
    use super::client_address;
    use http::HeaderMap;
    use std::net::SocketAddr;

    fn forwarded(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", value.parse().expect("header"));
        headers
    }

    #[test]
    fn the_peer_address_counts_and_forwarded_for_only_when_trusted() {
        let proxy: SocketAddr = "127.0.0.1:4000".parse().expect("addr");
        let headers = forwarded("6.6.6.6, 203.0.113.5");
        assert_eq!(client_address(&headers, Some(proxy), false), "127.0.0.1");
        // The last entry is the one our proxy appended; the first is the client's to forge.
        assert_eq!(client_address(&headers, Some(proxy), true), "203.0.113.5");
        assert_eq!(client_address(&HeaderMap::new(), None, false), "unknown");
        assert_eq!(client_address(&headers, None, false), "unknown");
    }

    #[test]
    fn ipv6_peers_count_per_64_block() {
        let a: SocketAddr = "[2001:db8:1:2:aaaa::1]:443".parse().expect("addr");
        let b: SocketAddr = "[2001:db8:1:2:bbbb::9]:443".parse().expect("addr");
        let mapped: SocketAddr = "[::ffff:192.0.2.1]:443".parse().expect("addr");
        let none = HeaderMap::new();
        assert_eq!(
            client_address(&none, Some(a), false),
            client_address(&none, Some(b), false)
        );
        assert_eq!(client_address(&none, Some(mapped), false), "192.0.2.1");
    }
}
