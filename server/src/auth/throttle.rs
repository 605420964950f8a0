//! Slowing down password guessing, per email and per client address.
//!
//! Every sign-in attempt is counted *before* its password is checked, so
//! guesses sent in parallel cannot all slip through while the first ones are
//! still being verified. Three counts lock, each for a while:
//! - one email from one address, after [`FREE_ATTEMPTS`] in a row: the
//!   guesser is stopped, and the account's owner, signing in from anywhere
//!   else, is not (a stranger who knows an email cannot lock its owner out);
//! - one email from all addresses, after [`EMAIL_FREE_ATTEMPTS`] in a row:
//!   guessing spread over many addresses stays slow. This lock holds back
//!   only addresses that have already failed for that email, so a few
//!   strangers together cannot lock the owner out either: the owner's own
//!   first attempt from their address still gets through;
//! - one address whatever the emails, after [`CLIENT_FREE_ATTEMPTS`].
//!
//! The lock doubles with each attempt that gets through after it, up to a
//! quarter hour. A successful sign-in forgets the email's attempts and
//! gives the address back the one it spent.
//!
//! Memory is bounded: each table keeps at most `capacity` entries and, when
//! full, drops entries quiet for a quarter hour, then the least recent one.
//! Keys are SHA-256 digests, so the table never holds an email address.

use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;

/// Attempts in a row allowed for one email from one address before that
/// pair is locked.
pub const FREE_ATTEMPTS: u32 = 5;
/// Attempts in a row allowed for one email from all addresses together
/// before the email is locked everywhere: far more than its owner ever
/// mistypes, far fewer than a guessing campaign needs.
pub const EMAIL_FREE_ATTEMPTS: u32 = 50;
/// Attempts in a row allowed from one client address (a front desk behind
/// one NAT shares it) before that address is locked.
pub const CLIENT_FREE_ATTEMPTS: u32 = 20;
/// Entries kept per table (emails, addresses) by default.
pub const DEFAULT_CAPACITY: usize = 10_000;
const FIRST_LOCK_SECONDS: i64 = 30;
const MAX_LOCK_SECONDS: i64 = 15 * 60;

/// The SHA-256 of what is being throttled, with a prefix per kind.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Key([u8; 32]);

impl Key {
    fn of(kind: &str, value: &str) -> Key {
        let mut hasher = Sha256::new();
        hasher.update(kind.as_bytes());
        hasher.update([0]);
        hasher.update(value.as_bytes());
        Key(hasher.finalize().into())
    }

    fn email(email: &str) -> Key {
        Key::of("email", &email.trim().to_lowercase())
    }

    fn client(address: &str) -> Key {
        Key::of("client", address)
    }

    fn pair(email: &str, address: &str) -> Key {
        Key::of(
            "pair",
            &format!("{}\0{address}", email.trim().to_lowercase()),
        )
    }
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for byte in &self.0[..6] {
            write!(f, "{byte:02x}")?;
        }
        f.write_str("…")
    }
}

#[derive(Debug, Clone, Copy)]
struct Attempts {
    count: u32,
    last: DateTime<Utc>,
}

fn lock_length(count: u32, free: u32) -> Duration {
    if count < free {
        return Duration::zero();
    }
    let doublings = (count - free).min(10);
    Duration::seconds((FIRST_LOCK_SECONDS << doublings).min(MAX_LOCK_SECONDS))
}

fn forgotten(attempts: &Attempts, now: DateTime<Utc>) -> bool {
    now - attempts.last >= Duration::seconds(MAX_LOCK_SECONDS)
}

/// One table of attempts: emails or client addresses.
#[derive(Debug)]
struct Table {
    free: u32,
    capacity: usize,
    entries: HashMap<Key, Attempts>,
}

impl Table {
    fn new(free: u32, capacity: usize) -> Table {
        Table {
            free,
            capacity: capacity.max(1),
            entries: HashMap::new(),
        }
    }

    /// Whether `key` has attempts counted that are not yet forgotten.
    fn has_tried(&self, key: &Key, now: DateTime<Utc>) -> bool {
        self.entries
            .get(key)
            .is_some_and(|a| a.count > 0 && !forgotten(a, now))
    }

    /// How long `key` must still wait, if it is locked.
    fn wait(&self, key: &Key, now: DateTime<Utc>) -> Option<Duration> {
        let attempts = self.entries.get(key)?;
        if forgotten(attempts, now) {
            return None;
        }
        let until = attempts.last + lock_length(attempts.count, self.free);
        (now < until).then(|| until - now)
    }

    /// Counts an attempt; returns how many in a row `key` has now.
    fn count(&mut self, key: Key, now: DateTime<Utc>) -> u32 {
        if !self.entries.contains_key(&key) && self.entries.len() >= self.capacity {
            self.entries.retain(|_, a| !forgotten(a, now));
            if self.entries.len() >= self.capacity {
                let oldest = self
                    .entries
                    .iter()
                    .min_by_key(|(_, a)| a.last)
                    .map(|(k, _)| *k);
                if let Some(oldest) = oldest {
                    self.entries.remove(&oldest);
                }
            }
        }
        let entry = self.entries.entry(key).or_insert(Attempts {
            count: 0,
            last: now,
        });
        if forgotten(entry, now) {
            entry.count = 0;
        }
        entry.count += 1;
        entry.last = now;
        entry.count
    }

    fn forget(&mut self, key: &Key) {
        self.entries.remove(key);
    }

    fn refund(&mut self, key: &Key) {
        if let Some(entry) = self.entries.get_mut(key) {
            entry.count = entry.count.saturating_sub(1);
        }
    }
}

#[derive(Debug)]
struct Tables {
    pairs: Table,
    emails: Table,
    clients: Table,
}

/// Sign-in attempts per email and per client address, in memory (one
/// server's view: enough to make guessing slow).
#[derive(Debug)]
pub struct LoginThrottle {
    tables: Mutex<Tables>,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        LoginThrottle::with_capacity(DEFAULT_CAPACITY)
    }
}

/// An attempt that was let through: say how it ended with
/// [`LoginThrottle::succeeded`] (a failure needs no call: it stays counted).
#[derive(Debug)]
pub struct Attempt {
    pair: Key,
    email: Key,
    client: Key,
    /// Attempts in a row for this email from this address, this one included.
    pub in_a_row: u32,
}

impl LoginThrottle {
    /// A throttle that remembers at most `capacity` emails and as many addresses.
    pub fn with_capacity(capacity: usize) -> LoginThrottle {
        LoginThrottle {
            tables: Mutex::new(Tables {
                pairs: Table::new(FREE_ATTEMPTS, capacity),
                emails: Table::new(EMAIL_FREE_ATTEMPTS, capacity),
                clients: Table::new(CLIENT_FREE_ATTEMPTS, capacity),
            }),
        }
    }

    /// Counts an attempt to sign in as `email` from `client`, or refuses it
    /// with how long to wait while either is locked (a refused attempt is
    /// not counted, so hammering a lock does not lengthen it).
    pub fn begin(
        &self,
        email: &str,
        client: &str,
        now: DateTime<Utc>,
    ) -> Result<Attempt, Duration> {
        let pair = Key::pair(email, client);
        let email = Key::email(email);
        let client = Key::client(client);
        let mut tables = self.tables.lock().unwrap_or_else(|p| p.into_inner());
        let email_wait = if tables.pairs.has_tried(&pair, now) {
            tables.emails.wait(&email, now)
        } else {
            None
        };
        let wait = [
            tables.pairs.wait(&pair, now),
            email_wait,
            tables.clients.wait(&client, now),
        ]
        .into_iter()
        .flatten()
        .max();
        if let Some(wait) = wait {
            return Err(wait);
        }
        let in_a_row = tables.pairs.count(pair, now);
        tables.emails.count(email, now);
        tables.clients.count(client, now);
        Ok(Attempt {
            pair,
            email,
            client,
            in_a_row,
        })
    }

    /// The attempt found the right password: the email starts afresh, and
    /// the address gets back the attempt it spent.
    pub fn succeeded(&self, attempt: &Attempt) {
        let mut tables = self.tables.lock().unwrap_or_else(|p| p.into_inner());
        tables.pairs.forget(&attempt.pair);
        tables.emails.forget(&attempt.email);
        tables.clients.refund(&attempt.client);
    }

    /// Emails and addresses remembered (for tests and metrics).
    pub fn len(&self) -> (usize, usize) {
        let tables = self.tables.lock().unwrap_or_else(|p| p.into_inner());
        (tables.emails.entries.len(), tables.clients.entries.len())
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
    fn five_attempts_lock_the_email_from_that_address_only() {
        let throttle = LoginThrottle::default();
        for n in 0..5 {
            let email = if n % 2 == 0 {
                "Owner@Demo.id"
            } else {
                "owner@demo.id "
            };
            assert!(throttle.begin(email, "10.0.0.1", t0()).is_ok());
        }
        assert_eq!(
            throttle.begin("OWNER@demo.id", "10.0.0.1", t0()).err(),
            Some(Duration::seconds(30))
        );
        // The owner, elsewhere, still signs in.
        let owner = throttle
            .begin("owner@demo.id", "10.0.0.2", t0())
            .expect("another address is not locked");
        throttle.succeeded(&owner);
        assert!(throttle
            .begin("owner@demo.id", "10.0.0.1", t0() + Duration::seconds(31))
            .is_ok());
        assert!(throttle
            .begin(
                "someone-else@demo.id",
                "10.0.0.1",
                t0() + Duration::seconds(31)
            )
            .is_ok());
    }

    #[test]
    fn guessing_one_email_from_many_addresses_holds_back_those_addresses() {
        let throttle = LoginThrottle::default();
        for n in 0..EMAIL_FREE_ATTEMPTS {
            throttle
                .begin("owner@demo.id", &format!("198.51.100.{}", n % 200), t0())
                .expect("free");
        }
        // An address that took part is held back; the owner's, fresh, is not.
        assert!(throttle
            .begin("owner@demo.id", "198.51.100.1", t0())
            .is_err());
        assert!(throttle.begin("owner@demo.id", "203.0.113.1", t0()).is_ok());
        assert!(throttle
            .begin("other@demo.id", "198.51.100.1", t0())
            .is_ok());
    }

    #[test]
    fn each_attempt_after_the_lock_doubles_it_up_to_a_limit() {
        let throttle = LoginThrottle::default();
        let mut at = t0();
        for _ in 0..5 {
            throttle.begin("a@b.c", "x", at).expect("free");
        }
        for expected in [30, 60, 120] {
            assert_eq!(
                throttle.begin("a@b.c", "x", at).err(),
                Some(Duration::seconds(expected))
            );
            at += Duration::seconds(expected);
            throttle.begin("a@b.c", "x", at).expect("after the lock");
        }
        for _ in 0..20 {
            at += Duration::seconds(MAX_LOCK_SECONDS - 1);
            let _ = throttle.begin("a@b.c", "x", at);
        }
        let wait = throttle.begin("a@b.c", "x", at).expect_err("locked");
        assert!(wait <= Duration::seconds(MAX_LOCK_SECONDS), "{wait}");
    }

    #[test]
    fn a_success_forgets_the_email() {
        let throttle = LoginThrottle::default();
        for _ in 0..4 {
            throttle.begin("a@b.c", "x", t0()).expect("free");
        }
        let attempt = throttle.begin("a@b.c", "x", t0()).expect("fifth");
        throttle.succeeded(&attempt);
        assert!(throttle.begin("a@b.c", "x", t0()).is_ok());
    }

    #[test]
    fn one_address_is_locked_after_its_own_limit_whatever_the_emails() {
        let throttle = LoginThrottle::default();
        for n in 0..CLIENT_FREE_ATTEMPTS {
            throttle
                .begin(&format!("user{n}@b.c"), "203.0.113.9", t0())
                .expect("free");
        }
        assert!(throttle.begin("fresh@b.c", "203.0.113.9", t0()).is_err());
        assert!(throttle.begin("fresh@b.c", "198.51.100.1", t0()).is_ok());
    }

    #[test]
    fn memory_is_bounded_and_the_oldest_entry_goes_first() {
        let throttle = LoginThrottle::with_capacity(3);
        for _ in 0..5 {
            throttle.begin("first@b.c", "x", t0()).expect("free");
        }
        assert!(throttle.begin("first@b.c", "x", t0()).is_err(), "locked");
        for (n, email) in ["b@b.c", "c@b.c", "d@b.c"].iter().enumerate() {
            let _ = throttle.begin(email, &format!("addr{n}"), t0() + Duration::seconds(1));
        }
        assert_eq!(throttle.len(), (3, 3));
        assert!(
            throttle
                .begin("first@b.c", "x", t0() + Duration::seconds(2))
                .is_ok(),
            "the oldest entries were evicted to make room"
        );
    }

    #[test]
    fn the_tables_hold_digests_not_emails_or_addresses() {
        let throttle = LoginThrottle::default();
        let _ = throttle.begin("Owner@Demo.Pesan.id", "192.0.2.77", t0());
        let shown = format!("{throttle:?}").to_lowercase();
        assert!(!shown.contains("owner@demo"), "{shown}");
        assert!(!shown.contains("192.0.2.77"), "{shown}");
    }
}
