//! What the last booking of a resource read of it (the resource with its
//! hours, its price rules, their `settings_version`) and of its customer
//! (id and name by number), so the next booking of either skips the read.
//! Reading them inside the write transaction was a round trip of its own,
//! and on SQLite it was taken while every other writer waited.
//!
//! Nothing here is trusted as it stands: a booking that uses a snapshot
//! proves it under its write transaction — on SQLite its insert writes only
//! if the resource's `settings_version` (bumped by the database's triggers
//! on every change of what a booking is checked and priced against, see
//! migration 0011) and the customer are still as read; on PostgreSQL the
//! statement that locks the resource reads both back. When they are not,
//! the booking reads afresh. So entries need no age or invalidation for
//! correctness; a stale one costs one retry, after which it is replaced.

use crate::resources::Resource;
use domain::pricing::PriceRule;
use domain::TenantId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// At most this many resources and customers are kept (then all of that
/// kind are forgotten).
const MAX_RESOURCES: usize = 10_000;
const MAX_CUSTOMERS: usize = 100_000;

/// A resource as a booking read it inside its write transaction.
#[derive(Debug)]
pub(crate) struct Snapshot {
    pub resource: Resource,
    pub rules: Vec<PriceRule>,
    pub version: i64,
}

#[derive(Debug, Default)]
struct Inner {
    /// By resource id.
    resources: HashMap<i64, Arc<Snapshot>>,
    /// By tenant and number: id and stored name.
    customers: HashMap<(i64, String), (i64, Option<String>)>,
}

/// See the module docs. Shared by every clone of a [`crate::Store`].
#[derive(Debug, Default)]
pub(crate) struct BookingCache(Mutex<Inner>);

impl BookingCache {
    fn inner(&self) -> MutexGuard<'_, Inner> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn resource(&self, tenant: TenantId, id: i64) -> Option<Arc<Snapshot>> {
        self.inner()
            .resources
            .get(&id)
            .filter(|s| s.resource.tenant_id == tenant)
            .cloned()
    }

    pub fn put_resource(&self, snapshot: Snapshot) {
        let mut inner = self.inner();
        if inner.resources.len() >= MAX_RESOURCES {
            inner.resources.clear();
        }
        inner
            .resources
            .insert(snapshot.resource.id.0, Arc::new(snapshot));
    }

    pub fn customer(&self, tenant: TenantId, phone: &str) -> Option<(i64, Option<String>)> {
        self.inner()
            .customers
            .get(&(tenant.0, phone.to_string()))
            .cloned()
    }

    pub fn put_customer(&self, tenant: TenantId, phone: &str, id: i64, name: Option<String>) {
        let mut inner = self.inner();
        if inner.customers.len() >= MAX_CUSTOMERS {
            inner.customers.clear();
        }
        inner
            .customers
            .insert((tenant.0, phone.to_string()), (id, name));
    }

    /// Forgets what a booking found out of date (or could not prove).
    pub fn forget(&self, tenant: TenantId, resource: i64, phone: Option<&str>) {
        let mut inner = self.inner();
        inner.resources.remove(&resource);
        if let Some(phone) = phone {
            inner.customers.remove(&(tenant.0, phone.to_string()));
        }
    }
}
