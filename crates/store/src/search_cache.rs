//! What an availability search reads, kept for the next one: each
//! resource's busy times (bookings, holds, blackouts) and each tenant's list
//! of resources. A search repeats — the bot asking about tomorrow, a
//! calendar or an integration refreshing a week — and reading the same rows
//! again was most of its cost: with 20 busy courts over a week, the bookings
//! query cost more than the rest of the request.
//!
//! Only searches use it; a booking always reads and checks inside its own
//! write transaction. An entry is used only while all of these hold:
//! - no write transaction of this process that may have changed its
//!   tenant's bookings or blackouts has committed since it was read (each
//!   such commit bumps a generation *after* `COMMIT` returns, so a search
//!   that read before the bump tags what it read with the older generation
//!   and the next search reads again);
//! - it is younger than [`MAX_AGE`], which bounds how long a write by
//!   another process (a second replica, the CLI) can go unseen. A search is
//!   a snapshot the customer reads later anyway, and every booking is
//!   checked against the database itself, so such a slot is at worst
//!   refused with `slot_taken` when taken;
//! - for busy times, it covers the searched span.
//!
//! Holds are kept with their expiry and filtered by the search's `now`, so
//! a hold lapsing needs no write to stop blocking.

use crate::resources::Resource;
use domain::availability::Busy;
use domain::{TenantId, TimeRange};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long busy times read by this process are trusted without a write of
/// this process telling otherwise.
pub const SEARCH_CACHE_MAX_AGE: Duration = Duration::from_secs(2);

/// At most this many intervals are kept (then all are forgotten): a few
/// tens of megabytes whatever the number of tenants and resources.
const MAX_INTERVALS: usize = 1_000_000;

/// At most this many tenants' resource lists are kept (then all are
/// forgotten).
const MAX_LISTS: usize = 10_000;

/// What a resource's busy times were, in the form they are stored.
#[derive(Debug, Default)]
pub(crate) struct Stored {
    pub bookings: Vec<TimeRange>,
    /// Holds with when they lapse (unix seconds).
    pub holds: Vec<(TimeRange, i64)>,
    pub blackouts: Vec<TimeRange>,
}

impl Stored {
    /// The busy times as of `now` (unix seconds): lapsed holds left out.
    pub fn at(&self, now: i64) -> Busy {
        Busy {
            bookings: self.bookings.clone(),
            holds: self
                .holds
                .iter()
                .filter(|(_, lapses)| *lapses > now)
                .map(|(range, _)| *range)
                .collect(),
            blackouts: self.blackouts.clone(),
        }
    }

    fn len(&self) -> usize {
        self.bookings.len() + self.holds.len() + self.blackouts.len()
    }
}

/// The generations an entry was read under — this process's writes to its
/// tenant, and writes whose tenant was not told (they count for every one)
/// — and when its reading began, from which its age counts (a read may wait
/// for a pooled connection).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stamp {
    all: u64,
    tenant: u64,
    read: Instant,
}

impl Stamp {
    fn same_generation(&self, other: &Stamp) -> bool {
        (self.all, self.tenant) == (other.all, other.tenant)
    }
}

#[derive(Debug)]
struct Entry {
    tenant: i64,
    stamp: Stamp,
    /// The span read, unix seconds, `[from, to)`.
    from: i64,
    to: i64,
    stored: Arc<Stored>,
}

/// A tenant's resources as [`crate::Store::resources`] lists them.
#[derive(Debug)]
struct Listed {
    stamp: Stamp,
    resources: Arc<Vec<Resource>>,
}

#[derive(Debug, Default)]
struct Inner {
    all: u64,
    tenants: HashMap<i64, u64>,
    /// By resource id.
    entries: HashMap<i64, Entry>,
    intervals: usize,
    /// By tenant id.
    lists: HashMap<i64, Listed>,
}

impl Inner {
    fn stamp(&self, tenant: i64) -> Stamp {
        Stamp {
            all: self.all,
            tenant: self.tenants.get(&tenant).copied().unwrap_or(0),
            read: Instant::now(),
        }
    }
}

/// See the module docs. Shared by every clone of a [`crate::Store`].
#[derive(Debug, Default)]
pub(crate) struct SearchCache(Mutex<Inner>);

impl SearchCache {
    fn inner(&self) -> MutexGuard<'_, Inner> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The generations to tag what is about to be read with; take it
    /// *before* reading.
    pub fn stamp(&self, tenant: TenantId) -> Stamp {
        self.inner().stamp(tenant.0)
    }

    /// `resource`'s busy times over `[from, to)` if an entry still holds.
    pub fn get(&self, tenant: TenantId, resource: i64, from: i64, to: i64) -> Option<Arc<Stored>> {
        let inner = self.inner();
        let current = inner.stamp(tenant.0);
        inner
            .entries
            .get(&resource)
            .filter(|e| {
                e.tenant == tenant.0
                    && e.stamp.same_generation(&current)
                    && e.stamp.read.elapsed() < SEARCH_CACHE_MAX_AGE
                    && e.from <= from
                    && to <= e.to
            })
            .map(|e| Arc::clone(&e.stored))
    }

    /// Keeps what was read under `stamp` (unless a write came in between,
    /// which makes it stale already).
    pub fn put(
        &self,
        tenant: TenantId,
        resource: i64,
        (from, to): (i64, i64),
        stamp: Stamp,
        stored: Arc<Stored>,
    ) {
        let mut inner = self.inner();
        if !inner.stamp(tenant.0).same_generation(&stamp) {
            return;
        }
        if inner.intervals + stored.len() > MAX_INTERVALS {
            inner.entries.clear();
            inner.intervals = 0;
        }
        inner.intervals += stored.len();
        let entry = Entry {
            tenant: tenant.0,
            stamp,
            from,
            to,
            stored,
        };
        if let Some(old) = inner.entries.insert(resource, entry) {
            inner.intervals -= old.stored.len();
        }
    }

    /// The tenant's resources if a list read lately still holds.
    pub fn resources(&self, tenant: TenantId) -> Option<Arc<Vec<Resource>>> {
        let inner = self.inner();
        let current = inner.stamp(tenant.0);
        inner
            .lists
            .get(&tenant.0)
            .filter(|l| {
                l.stamp.same_generation(&current) && l.stamp.read.elapsed() < SEARCH_CACHE_MAX_AGE
            })
            .map(|l| Arc::clone(&l.resources))
    }

    /// Keeps the tenant's resources read under `stamp` (unless a write came
    /// in between).
    pub fn put_resources(&self, tenant: TenantId, stamp: Stamp, resources: Arc<Vec<Resource>>) {
        let mut inner = self.inner();
        if !inner.stamp(tenant.0).same_generation(&stamp) {
            return;
        }
        if inner.lists.len() >= MAX_LISTS {
            inner.lists.clear();
        }
        inner.lists.insert(tenant.0, Listed { stamp, resources });
    }

    /// A write that may have changed busy times or resources committed: for `tenant`, or
    /// for any tenant when `None`.
    pub fn changed(&self, tenant: Option<TenantId>) {
        let mut inner = self.inner();
        match tenant {
            Some(tenant) => *inner.tenants.entry(tenant.0).or_default() += 1,
            None => inner.all += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn range(from: i64, to: i64) -> TimeRange {
        TimeRange::new(
            Utc.timestamp_opt(from, 0).single().expect("instant"),
            Utc.timestamp_opt(to, 0).single().expect("instant"),
        )
        .expect("range")
    }

    fn stored() -> Arc<Stored> {
        Arc::new(Stored {
            bookings: vec![range(100, 200)],
            holds: vec![(range(300, 400), 50)],
            blackouts: Vec::new(),
        })
    }

    const T: TenantId = TenantId(1);

    #[test]
    fn an_entry_serves_spans_it_covers_until_its_tenant_writes() {
        let cache = SearchCache::default();
        let stamp = cache.stamp(T);
        cache.put(T, 7, (0, 1000), stamp, stored());
        assert!(cache.get(T, 7, 10, 900).is_some());
        assert!(
            cache.get(T, 7, 0, 1001).is_none(),
            "wider than what was read"
        );
        assert!(
            cache.get(TenantId(2), 7, 10, 900).is_none(),
            "another tenant"
        );
        cache.changed(Some(TenantId(2)));
        assert!(cache.get(T, 7, 10, 900).is_some(), "another tenant wrote");
        cache.changed(Some(T));
        assert!(cache.get(T, 7, 10, 900).is_none());
    }

    #[test]
    fn a_write_of_an_untold_tenant_forgets_everything() {
        let cache = SearchCache::default();
        cache.put(T, 7, (0, 1000), cache.stamp(T), stored());
        cache.changed(None);
        assert!(cache.get(T, 7, 10, 900).is_none());
    }

    #[test]
    fn what_was_read_before_a_write_committed_is_not_kept() {
        let cache = SearchCache::default();
        let stamp = cache.stamp(T);
        cache.changed(Some(T));
        cache.put(T, 7, (0, 1000), stamp, stored());
        assert!(cache.get(T, 7, 10, 900).is_none());
    }

    #[test]
    fn lapsed_holds_stop_blocking_without_a_write() {
        let busy = stored().at(49);
        assert_eq!(busy.holds.len(), 1);
        let busy = stored().at(50);
        assert!(busy.holds.is_empty());
        assert_eq!(busy.bookings.len(), 1);
    }

    #[test]
    fn memory_stays_bounded() {
        let cache = SearchCache::default();
        let many = Arc::new(Stored {
            bookings: vec![range(0, 1); MAX_INTERVALS / 2 + 1],
            ..Stored::default()
        });
        cache.put(T, 1, (0, 10), cache.stamp(T), Arc::clone(&many));
        cache.put(T, 2, (0, 10), cache.stamp(T), Arc::clone(&many));
        assert!(cache.get(T, 1, 0, 10).is_none(), "forgotten to make room");
        assert!(cache.get(T, 2, 0, 10).is_some());
        assert!(cache.inner().intervals <= MAX_INTERVALS);
    }
}
