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
            // Proven later, by the insert (see `BookingTx::trust_snapshots`).
            return Ok(self.keep_locked(
                snapshot.resource.clone(),
                snapshot.rules.clone(),
                Some(snapshot.version),
            ));
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
                // Proven later, with the resource.
                let given = name.map(str::trim).filter(|n| !n.is_empty());
                self.unproven_customer = Some((
                    customer,
                    phone.as_str().to_string(),
                    given.map(str::to_string),
                ));
                let resource = self.keep_locked(
                    snapshot.resource.clone(),
                    snapshot.rules.clone(),
                    Some(snapshot.version),
                );
                self.remember_customer(customer, phone);
                return Ok((resource, Some(customer)));
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
    /// for a booking request only. They are proven unchanged later: on
    /// SQLite by [`BookingTx::insert`]'s statement, on PostgreSQL by a lock
    /// and check before the transaction's next statement (see
    /// `prove_deferred`), or both by [`BookingTx::insert_and_commit`]'s one
    /// statement. If they changed, that insert or statement fails with
    /// `Stale`: roll back and run the request again without snapshots. No
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

    /// PostgreSQL: proves the resource (and customer) this transaction
    /// took from earlier reads, before its next statement: locks the
    /// resource (claiming the request's code in the same statement,
    /// `CodeTaken` if taken) and checks that its `settings_version`, and the
    /// customer's number and name, are still as read. With the row locked
    /// nothing the booking is checked against can change before commit
    /// (every change of it updates this row: migration 0011), so a snapshot
    /// that holds is as good as the full read. When it does not, it is
    /// forgotten and the answer is `Stale`: roll back and run the request
    /// again without snapshots. (On SQLite the insert proves them.)
    pub(super) async fn prove_deferred(&mut self) -> Result<()> {
        // All of them, in the order they were taken (ascending ids, the
        // order every writer locks in), before anything else is locked.
        while let Some(locked) = self.locked.iter_mut().find(|l| l.unproven.is_some()) {
            let version = locked.unproven.take().unwrap_or_default();
            let (tenant, id) = (locked.resource.tenant_id, locked.resource.id);
            let customer = self.unproven_customer.take();
            let claim = self.unclaimed.take();
            let tx = self
                .tx
                .as_mut()
                .ok_or_else(|| StoreError::Corrupt("a write transaction did not begin".into()))?;
            let held = crate::resources::lock_and_check(
                tx,
                tenant,
                id,
                version,
                claim.as_ref().map(|(code, at)| (code, *at)),
                customer
                    .as_ref()
                    .map(|(customer, phone, name)| (*customer, phone.as_str(), name.as_deref())),
            )
            .await?;
            if let Some((code, _)) = claim {
                self.codes.push(code);
            }
            if !held {
                self.store.booked.forget(
                    tenant,
                    id.0,
                    customer.as_ref().map(|(_, phone, _)| phone.as_str()),
                );
                return Err(StoreError::Stale);
            }
        }
        Ok(())
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
