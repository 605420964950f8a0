//! Per-key rate limits on `/api/v1`: a token bucket per API key, so one
//! integrator's runaway loop cannot starve the others (or the venue's own
//! bot). A key over its limit gets 429 `rate_limited` with `Retry-After`.
//!
//! The buckets live in this process's memory, bounded: at most
//! [`MAX_TRACKED_KEYS`] keys are tracked, and when the map is full the key
//! seen longest ago is forgotten (it starts again with a full bucket).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Keys tracked at once; far above any deployment's number of live keys.
pub const MAX_TRACKED_KEYS: usize = 10_000;

/// How many requests a key may make: `per_second` on average, in bursts of
/// up to `burst`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    pub per_second: f64,
    pub burst: f64,
}

impl Default for RateLimit {
    /// 20 requests a second, bursts of 100: generous for an integration,
    /// tight for a loop gone wrong.
    fn default() -> Self {
        RateLimit {
            per_second: 20.0,
            burst: 100.0,
        }
    }
}

struct Bucket {
    tokens: f64,
    updated: Instant,
}

/// The buckets of every key seen recently.
pub struct RateLimiter {
    limit: RateLimit,
    buckets: Mutex<HashMap<i64, Bucket>>,
}

impl RateLimiter {
    pub fn new(limit: RateLimit) -> Self {
        RateLimiter {
            limit,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request from `key`'s bucket at `now`; when it is empty,
    /// how long until the next request is allowed.
    pub fn take(&self, key: i64, now: Instant) -> Result<(), Duration> {
        let Ok(mut buckets) = self.buckets.lock() else {
            // A poisoned lock means a panic elsewhere: let requests through
            // rather than refuse every integrator.
            return Ok(());
        };
        if !buckets.contains_key(&key) && buckets.len() >= MAX_TRACKED_KEYS {
            if let Some(oldest) = buckets
                .iter()
                .min_by_key(|(_, bucket)| bucket.updated)
                .map(|(key, _)| *key)
            {
                buckets.remove(&oldest);
            }
        }
        let limit = self.limit;
        let bucket = buckets.entry(key).or_insert(Bucket {
            tokens: limit.burst,
            updated: now,
        });
        let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * limit.per_second).min(limit.burst);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            return Ok(());
        }
        let wait = (1.0 - bucket.tokens) / limit.per_second.max(f64::MIN_POSITIVE);
        Err(Duration::from_secs_f64(wait.clamp(0.001, 3600.0)))
    }

    /// How many keys are tracked (for tests of the bound).
    pub fn tracked(&self) -> usize {
        self.buckets.lock().map_or(0, |b| b.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_gets_its_burst_then_waits_and_others_are_unaffected() {
        let limiter = RateLimiter::new(RateLimit {
            per_second: 2.0,
            burst: 3.0,
        });
        let start = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.take(1, start), Ok(()));
        }
        let wait = limiter.take(1, start).expect_err("over the burst");
        assert!(
            wait > Duration::from_millis(400) && wait <= Duration::from_millis(500),
            "{wait:?}"
        );
        assert_eq!(
            limiter.take(2, start),
            Ok(()),
            "another key has its own bucket"
        );
        assert_eq!(limiter.take(1, start + Duration::from_millis(500)), Ok(()));
    }

    #[test]
    fn memory_stays_bounded_whatever_the_number_of_keys() {
        let limiter = RateLimiter::new(RateLimit::default());
        let start = Instant::now();
        for key in 0..(MAX_TRACKED_KEYS as i64 + 500) {
            let _ = limiter.take(key, start + Duration::from_micros(key.unsigned_abs()));
        }
        assert_eq!(limiter.tracked(), MAX_TRACKED_KEYS);
    }
}
