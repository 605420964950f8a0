//! Places for knowledge uploads being received: each holds its file in
//! memory (up to the size limit) while it arrives, so the process takes a
//! few at once, and one tenant at most some of them, so a venue that
//! stalls its uploads cannot hold every other venue's out.

use domain::TenantId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Uploads one tenant may have in flight at once.
pub const PER_TENANT: usize = 2;

#[derive(Debug)]
pub struct UploadSlots {
    total: Arc<Semaphore>,
    per_tenant: Mutex<HashMap<TenantId, usize>>,
}

/// A place taken; given back when dropped.
#[derive(Debug)]
pub struct UploadSlot {
    _permit: OwnedSemaphorePermit,
    slots: Arc<UploadSlots>,
    tenant: TenantId,
}

impl UploadSlots {
    pub fn new(total: usize) -> Arc<UploadSlots> {
        Arc::new(UploadSlots {
            total: Arc::new(Semaphore::new(total)),
            per_tenant: Mutex::new(HashMap::new()),
        })
    }

    /// A place for `tenant`, or `None` when the process or that tenant has
    /// as many uploads in flight as it may.
    pub fn try_take(self: &Arc<Self>, tenant: TenantId) -> Option<UploadSlot> {
        let mut counts = self.per_tenant.lock().unwrap_or_else(|e| e.into_inner());
        let count = counts.entry(tenant).or_insert(0);
        if *count >= PER_TENANT {
            return None;
        }
        let permit = Arc::clone(&self.total).try_acquire_owned().ok()?;
        *count += 1;
        Some(UploadSlot {
            _permit: permit,
            slots: Arc::clone(self),
            tenant,
        })
    }
}

impl Drop for UploadSlot {
    fn drop(&mut self) {
        let mut counts = self
            .slots
            .per_tenant
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(count) = counts.get_mut(&self.tenant) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                counts.remove(&self.tenant);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_tenant_cannot_take_every_place() {
        let slots = UploadSlots::new(4);
        let (a, b, c) = (TenantId(1), TenantId(2), TenantId(3));
        let a1 = slots.try_take(a).expect("a1");
        let _a2 = slots.try_take(a).expect("a2");
        assert!(slots.try_take(a).is_none(), "a third for one tenant");
        let _b1 = slots.try_take(b).expect("b1");
        let _b2 = slots.try_take(b).expect("b2");
        assert!(slots.try_take(c).is_none(), "the process is full");
        drop(a1);
        assert!(
            slots.try_take(c).is_some(),
            "a place given back is free again"
        );
    }
}
