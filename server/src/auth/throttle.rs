//! Slowing down password guessing: after a few failures for one email, that
//! email is locked for a while, and the lock grows with each further failure.

use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;
use std::sync::Mutex;

/// Failures allowed before an email is locked.
pub const FREE_ATTEMPTS: u32 = 5;
const FIRST_LOCK_SECONDS: i64 = 30;
const MAX_LOCK_SECONDS: i64 = 15 * 60;

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: DateTime<Utc>,
}

/// Failed sign-ins per email, in memory (one server's view; enough to make
/// guessing slow, and it forgets an email after a quiet quarter hour).
#[derive(Debug, Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, Failures>>,
}

fn key(email: &str) -> String {
    email.trim().to_lowercase()
}

fn lock_length(count: u32) -> Duration {
    if count < FREE_ATTEMPTS {
        return Duration::zero();
    }
    let doublings = (count - FREE_ATTEMPTS).min(10);
    Duration::seconds((FIRST_LOCK_SECONDS << doublings).min(MAX_LOCK_SECONDS))
}

impl LoginThrottle {
    /// `Err(wait)` while the email is locked.
    pub fn check(&self, email: &str, now: DateTime<Utc>) -> Result<(), Duration> {
        let Ok(map) = self.failures.lock() else {
            return Ok(());
        };
        match map.get(&key(email)) {
            Some(f) => {
                let until = f.last + lock_length(f.count);
                if now < until {
                    Err(until - now)
                } else {
                    Ok(())
                }
            }
            None => Ok(()),
        }
    }

    /// Records a failure; returns how many in a row this email has now.
    pub fn record_failure(&self, email: &str, now: DateTime<Utc>) -> u32 {
        let Ok(mut map) = self.failures.lock() else {
            return 0;
        };
        map.retain(|_, f| now - f.last < Duration::seconds(MAX_LOCK_SECONDS));
        let entry = map.entry(key(email)).or_insert(Failures {
            count: 0,
            last: now,
        });
        entry.count += 1;
        entry.last = now;
        entry.count
    }

    /// Forgets the failures of an email after a successful sign-in.
    pub fn reset(&self, email: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(&key(email));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 3, 0, 0)
            .single()
            .expect("valid")
    }

    #[test]
    fn five_failures_lock_the_email_for_a_while() {
        let throttle = LoginThrottle::default();
        for _ in 0..4 {
            throttle.record_failure("Owner@Demo.id", t0());
            assert!(throttle.check("owner@demo.id", t0()).is_ok());
        }
        throttle.record_failure("owner@demo.id", t0());
        assert_eq!(
            throttle.check("OWNER@demo.id", t0()),
            Err(Duration::seconds(30))
        );
        assert!(throttle
            .check("owner@demo.id", t0() + Duration::seconds(31))
            .is_ok());
        assert!(throttle.check("someone-else@demo.id", t0()).is_ok());
    }

    #[test]
    fn each_further_failure_doubles_the_lock_up_to_a_limit() {
        let throttle = LoginThrottle::default();
        for _ in 0..7 {
            throttle.record_failure("a@b.c", t0());
        }
        assert_eq!(throttle.check("a@b.c", t0()), Err(Duration::seconds(120)));
        for _ in 0..20 {
            throttle.record_failure("a@b.c", t0());
        }
        assert_eq!(
            throttle.check("a@b.c", t0()),
            Err(Duration::seconds(MAX_LOCK_SECONDS))
        );
        throttle.reset("a@b.c");
        assert!(throttle.check("a@b.c", t0()).is_ok());
    }
}
