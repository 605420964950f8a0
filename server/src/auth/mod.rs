//! Signing in and out, and the session check in front of every page.
//!
//! The session lives server-side (a row per session, keyed by the hash of a
//! random token); the browser holds only the token, in an `HttpOnly`,
//! `SameSite=Lax` cookie that scripts cannot read and other sites cannot
//! send with a form post.

mod handlers;
mod password_checks;
mod session;
mod throttle;

pub use handlers::{
    accept_invite, client_address, language, login, logout, MAX_EMAIL_BYTES, MAX_PASSWORD_BYTES,
};
pub use password_checks::PasswordChecks;
pub use session::{session_gate, session_token, ACCOUNT_PATH, SESSION_COOKIE};
pub use throttle::{LoginThrottle, CLIENT_FREE_ATTEMPTS, FREE_ATTEMPTS};

/// What sign-ins share: the throttle, and the bound on password checks
/// running at once. One per application.
#[derive(Debug, Default)]
pub struct Logins {
    pub throttle: LoginThrottle,
    pub checks: PasswordChecks,
}
