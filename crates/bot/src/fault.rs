//! Crash injection for the crash tests (server/tests/whatsapp_crash.rs): with `PESAN_FAULT=<point>` the
//! process aborts (no unwinding, no cleanup, like a killed process) when it
//! reaches that point, so a test can stop it at an exact step instead of
//! killing it at a guessed moment. Unset, or in a release build, every
//! point is one comparison.
//!
//! The points:
//! - `mid_webhook`: the webhook stored the delivery and has not answered
//!   Meta (which then delivers it again).
//! - `before_record`: the worker admitted a message into its conversation
//!   and the bot's turn is not recorded yet.
//! - `after_post`: the sender posted a reply and Meta accepted it; the
//!   acceptance is not recorded yet.

use std::sync::OnceLock;

/// The injected fault, read once from `PESAN_FAULT`; only in debug builds
/// (the crash tests run the debug binary), so a release build never aborts
/// because of a stray variable.
fn configured() -> Option<&'static str> {
    if !cfg!(debug_assertions) {
        return None;
    }
    static FAULT: OnceLock<Option<String>> = OnceLock::new();
    FAULT
        .get_or_init(|| std::env::var("PESAN_FAULT").ok().filter(|f| !f.is_empty()))
        .as_deref()
}

/// Aborts the process here if `PESAN_FAULT` names this point.
pub fn point(name: &'static str) {
    if configured() == Some(name) {
        eprintln!("PESAN_FAULT={name}: aborting here");
        std::process::abort();
    }
}
