//! Signing in and out, and the session check in front of every page.
//!
//! The session lives server-side (a row per session, keyed by the hash of a
//! random token); the browser holds only the token, in an `HttpOnly`,
//! `SameSite=Lax` cookie that scripts cannot read and other sites cannot
//! send with a form post.

mod handlers;
mod session;
mod throttle;

pub use handlers::{login, logout, CookieSecure};
pub use session::{session_gate, SESSION_COOKIE};
pub use throttle::LoginThrottle;
