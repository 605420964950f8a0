//! What a booking is checked against: the resource (with its hours and price
//! rules) and the customer, read under the resource's lock, or taken from
//! what earlier bookings read (see `crate::booking_cache`) and proven.

use super::BookingTx;
use crate::conversations::{customer_as_is, upsert_customer_named};
use crate::db::Backend;
use crate::error::{Result, StoreError};
use crate::resources::{locked_resource_and_rules, LockedBundle, Resource};
use domain::{CustomerId, PhoneE164, ResourceId, TenantId};

impl BookingTx {
    /// The tenant's active resource, its row locked until commit (on SQLite
    /// the write transaction already excludes other writers), read with its
    /// hours and price rules in one round trip. Lock several resources in
    /// ascending id order, as every writer does, so two requests never wait
    /// on each other in a circle.
    pub async fn resource(&mut self, tenant: TenantId, id: ResourceId) -> Result<Resource> {
        self.touch(tenant);
        if let Some(locked) = self.locked_entry(tenant, id) {
            return Ok(locked.resource.clone());
        }
        if let Some(snapshot) = self.trusted_snapshot(tenant, id) {
            match self.store.backend() {
                Backend::Sqlite => {
                    return Ok(self.keep_locked(
                        snapshot.resource.clone(),
                        snapshot.rules.clone(),
                        Some(snapshot.version),
                    ))
                }
                Backend::Postgres => {
                    if self.lock_snapshot(tenant, &snapshot, None).await? {
                        return Ok(self.keep_locked(
                            snapshot.resource.clone(),
                            snapshot.rules.clone(),
                            None,
                        ));
                    }
                }
            }
        }
        let bundle = self.read_locked(tenant, id, None).await?;
        Ok(self.keep_locked(bundle.resource, bundle.rules, None))
    }

    /// [`BookingTx::resource`] and the customer with this number, read in
    /// one round trip: a booking's common case. A customer that is new or
    /// renamed is written here on SQLite (writers take turns); on
    /// PostgreSQL the answer is `None` and nothing is written: every writer
    /// writes the customer before it locks any resource, or two requests
    /// for one new number could wait on each other. Roll back, then
    /// [`BookingTx::upsert_customer`] first.
    pub async fn resource_and_customer(
        &mut self,
        tenant: TenantId,
        id: ResourceId,
        phone: &PhoneE164,
        name: Option<&str>,
    ) -> Result<(Resource, Option<CustomerId>)> {
        self.touch(tenant);
        if self.locked_entry(tenant, id).is_some() {
            return Err(StoreError::Invalid(
                "the customer is read with the request's first resource".into(),
            ));
        }
        if let Some(snapshot) = self.trusted_snapshot(tenant, id) {
            let known = self.store.booked.customer(tenant, phone.as_str());
            if let Some(customer) = customer_as_is(known, name) {
                let given = name.map(str::trim).filter(|n| !n.is_empty());
                let proven = match self.store.backend() {
                    // Proven by the insert.
                    Backend::Sqlite => {
                        self.unproven_customer = Some((
                            customer,
                            phone.as_str().to_string(),
                            given.map(str::to_string),
                        ));
                        Some(Some(snapshot.version))
                    }
                    // Proven now, under the resource's lock.
                    Backend::Postgres => self
                        .lock_snapshot(tenant, &snapshot, Some((customer, phone.as_str(), given)))
                        .await?
                        .then_some(None),
                };
                if let Some(unproven) = proven {
                    let resource = self.keep_locked(
                        snapshot.resource.clone(),
                        snapshot.rules.clone(),
                        unproven,
                    );
                    self.remember_customer(customer, phone);
                    return Ok((resource, Some(customer)));
                }
            }
        }
        let bundle = self.read_locked(tenant, id, Some(phone.as_str())).await?;
        let resource = self.keep_locked(bundle.resource, bundle.rules, None);
        let customer = match (customer_as_is(bundle.customer, name), self.store.backend()) {
            (Some(id), _) => id,
            (None, Backend::Sqlite) => {
                upsert_customer_named(self.conn().await?, tenant, phone, name).await?
            }
            (None, Backend::Postgres) => return Ok((resource, None)),
        };
        self.remember_customer(customer, phone);
        Ok((resource, Some(customer)))
    }

    /// Lets this transaction take resources and customers from what earlier
    /// bookings read (see `crate::booking_cache`) instead of reading them:
    /// for a booking request only. On SQLite its [`BookingTx::insert`] then
    /// proves them unchanged or fails with `Stale` (roll back and run the
    /// request again without it); on PostgreSQL the statement that locks
    /// the resource proves them, and reads afresh when they changed. No
    /// other write may rely on such a resource.
    pub fn trust_snapshots(&mut self) {
        self.trust = true;
    }

    /// A snapshot this transaction may use instead of reading.
    pub(super) fn trusted_snapshot(
        &self,
        tenant: TenantId,
        id: ResourceId,
    ) -> Option<std::sync::Arc<crate::booking_cache::Snapshot>> {
        self.trust
            .then(|| self.store.booked.resource(tenant, id.0))
            .flatten()
    }

    /// PostgreSQL: locks the snapshot's resource (claiming the request's
    /// code in the same statement, `CodeTaken` if taken) and tells whether
    /// the snapshot, and the customer as given, still hold. With the row
    /// locked nothing the booking is checked against can change before
    /// commit (every change of it updates this row: migration 0011), so a
    /// snapshot that holds is as good as the full read. When it does not,
    /// it is forgotten; read afresh (the lock is kept).
    pub(super) async fn lock_snapshot(
        &mut self,
        tenant: TenantId,
        snapshot: &crate::booking_cache::Snapshot,
        customer: Option<(CustomerId, &str, Option<&str>)>,
    ) -> Result<bool> {
        let claim = self.unclaimed.take();
        let held = crate::resources::lock_and_check(
            self.tx().await?,
            tenant,
            snapshot.resource.id,
            snapshot.version,
            claim.as_ref().map(|(code, at)| (code, *at)),
            customer,
        )
        .await?;
        if let Some((code, _)) = claim {
            self.codes.push(code);
        }
        if !held {
            self.store.booked.forget(
                tenant,
                snapshot.resource.id.0,
                customer.map(|(_, phone, _)| phone),
            );
        }
        Ok(held)
    }

    /// The locked read, claiming the request's code with it if still
    /// unclaimed; what it read is kept for later bookings.
    pub(super) async fn read_locked(
        &mut self,
        tenant: TenantId,
        id: ResourceId,
        phone: Option<&str>,
    ) -> Result<LockedBundle> {
        let claim = self.unclaimed.take();
        let backend = self.store.backend();
        let bundle = locked_resource_and_rules(
            self.tx().await?,
            backend,
            tenant,
            id,
            phone,
            claim.as_ref().map(|(code, at)| (code, *at)),
        )
        .await?;
        if let Some((code, _)) = claim {
            self.codes.push(code);
        }
        self.store
            .booked
            .put_resource(crate::booking_cache::Snapshot {
                resource: bundle.resource.clone(),
                rules: bundle.rules.clone(),
                version: bundle.version,
            });
        if let (Some(phone), Some((customer, name))) = (phone, &bundle.customer) {
            self.store
                .booked
                .put_customer(tenant, phone, *customer, name.clone());
        }
        Ok(bundle)
    }
}
