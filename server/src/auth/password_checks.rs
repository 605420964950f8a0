//! A bound on password checks running at once.
//!
//! One argon2 check takes about 19 MiB and a core for a fraction of a
//! second (it runs on tokio's blocking pool, inside the store). Without a
//! bound, a hundred parallel sign-ins would take two gigabytes; behind a
//! semaphore of [`DEFAULT_PERMITS`] they queue instead.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::Semaphore;

/// Password checks allowed at once by default.
pub const DEFAULT_PERMITS: usize = 4;

/// The semaphore, and a count of checks running (and the most ever seen).
#[derive(Debug)]
pub struct PasswordChecks {
    permits: Semaphore,
    running: AtomicUsize,
    peak: AtomicUsize,
}

impl Default for PasswordChecks {
    fn default() -> Self {
        PasswordChecks::new(DEFAULT_PERMITS)
    }
}

/// Counts a running check down when it ends, even if its request is dropped.
struct Running<'a>(&'a AtomicUsize);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl PasswordChecks {
    pub fn new(permits: usize) -> PasswordChecks {
        PasswordChecks {
            permits: Semaphore::new(permits.max(1)),
            running: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
        }
    }

    /// Runs `check` once a permit is free.
    pub async fn run<F: Future>(&self, check: F) -> F::Output {
        // The semaphore is never closed, so acquiring only fails if it were;
        // running without a permit then is still correct, merely unbounded.
        let _permit = self.permits.acquire().await.ok();
        let now = self.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        let _running = Running(&self.running);
        check.await
    }

    /// The most checks that ever ran at once.
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }
}
