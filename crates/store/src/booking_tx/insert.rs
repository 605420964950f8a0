//! Writing a booking in a booking use case's transaction: checked and
//! inserted on its locked (or trusted) resource, and, for the last write of
//! a request, inserted and committed at once.

use super::BookingTx;
use crate::bookings::{insert_booking, Booking, NewBooking, Proof};
use crate::db::Backend;
use crate::error::{Result, StoreError};
use crate::guard::Guarded;
use chrono::{DateTime, Utc};
use domain::TenantId;

impl BookingTx {
    /// Writes a booking and its first history entry after the write check
    /// (buffer, overlap, blackouts), claiming its code unless this
    /// transaction holds it already. A refusal (`SlotTaken`, `Closed`,
    /// `CodeTaken`) writes nothing and leaves the transaction usable. On a
    /// resource taken from an earlier booking's read (see
    /// [`BookingTx::trust_snapshots`]) the insert writes only if that read
    /// still holds and the slot is free, and fails with `Stale` otherwise
    /// (roll back, then run the request again without snapshots).
    pub async fn insert(
        &mut self,
        tenant: TenantId,
        new: &NewBooking,
        now: DateTime<Utc>,
    ) -> Result<Booking> {
        self.touch(tenant);
        if self.locked_entry(tenant, new.resource_id).is_none() {
            self.resource(tenant, new.resource_id).await?;
        }
        if self.store.backend() == Backend::Postgres {
            // Proves what was taken on trust.
            self.tx().await?;
        }
        let (guarded, known_phone, mut claim_code, proof) =
            self.prepare_insert(tenant, new, now)?;
        if let (true, Some(code), Backend::Postgres) = (claim_code, &new.code, self.store.backend())
        {
            // Only SQLite's trigger claims codes (see `code_for_request`).
            self.claim_code(tenant, code, now).await?;
            claim_code = false;
        }
        let written = insert_booking(
            self.tx().await?,
            &guarded,
            tenant,
            new,
            known_phone,
            claim_code,
            proof.as_ref(),
            now,
        )
        .await;
        let booking = self.forget_if_stale(tenant, new, written)?;
        if claim_code {
            self.codes.extend(new.code.clone());
        }
        Ok(booking)
    }

    /// [`BookingTx::insert`], then [`BookingTx::commit`]; on a refusal,
    /// rolls back. A booking whose resource and customer came from earlier
    /// reads, with no statement run before it (the common booking), is
    /// proven, written and committed at once: on SQLite in one batch to
    /// the driver's worker (`insert_proven_in_batch`), a third of a raw
    /// insert's hand-offs; on PostgreSQL in one statement
    /// (`book_proven`), a third of a raw insert's round trips.
    pub async fn insert_and_commit(
        mut self,
        tenant: TenantId,
        new: &NewBooking,
        now: DateTime<Utc>,
    ) -> Result<Booking> {
        self.touch(tenant);
        let alone = self.tx.is_none()
            && new.status.is_active()
            && self
                .locked_entry(tenant, new.resource_id)
                .is_some_and(|locked| locked.unproven.is_some());
        if alone {
            let (guarded, known_phone, claim_code, proof) =
                self.prepare_insert(tenant, new, now)?;
            let phone_known = new.customer_id.is_none() || known_phone.is_some();
            // On PostgreSQL the code was drawn for this statement to claim.
            let code_unclaimed = match self.store.backend() {
                Backend::Sqlite => true,
                Backend::Postgres => {
                    self.unclaimed.as_ref().map(|(code, _)| code) == new.code.as_ref()
                }
            };
            if let (true, Some(proof), true, true) =
                (claim_code, proof, phone_known, code_unclaimed)
            {
                let written = match self.store.backend() {
                    Backend::Sqlite => {
                        crate::bookings::insert_proven_in_batch(
                            &self.store,
                            &guarded,
                            tenant,
                            new,
                            known_phone,
                            proof,
                            now,
                        )
                        .await
                    }
                    Backend::Postgres => {
                        crate::bookings::book_proven(
                            &self.store,
                            &guarded,
                            tenant,
                            new,
                            known_phone,
                            proof,
                            now,
                        )
                        .await
                    }
                };
                return self.forget_if_stale(tenant, new, written);
            }
        }
        match self.insert(tenant, new, now).await {
            Ok(booking) => {
                self.commit().await?;
                Ok(booking)
            }
            Err(refused) => {
                // The refusal is the answer; a rollback that fails leaves
                // sqlx to drop the connection.
                if let Err(error) = self.rollback().await {
                    tracing::warn!(%error, "rolling back a refused booking failed");
                }
                Err(refused)
            }
        }
    }

    /// What inserting `new` on its locked (or trusted) resource needs: the
    /// resource as guarded, the customer's number if known, whether the
    /// booking's code is yet to be claimed, and what a trusted resource
    /// and customer must be proven by.
    fn prepare_insert(
        &self,
        tenant: TenantId,
        new: &NewBooking,
        now: DateTime<Utc>,
    ) -> Result<(Guarded, Option<String>, bool, Option<Proof>)> {
        let (guarded, unproven) = self
            .locked_entry(tenant, new.resource_id)
            .map(|locked| (locked.guarded.clone(), locked.unproven))
            .ok_or(StoreError::NotFound)?;
        if let Some(until) = new.hold_until {
            if new.status != domain::BookingStatus::Pending || until <= now {
                return Err(StoreError::Invalid(
                    "a hold is a pending booking that expires in the future".into(),
                ));
            }
        }
        let known_phone = new.customer_id.and_then(|customer| {
            self.customers
                .iter()
                .find(|(id, _)| *id == customer)
                .map(|(_, phone)| phone.clone())
        });
        let claim_code = new
            .code
            .as_ref()
            .is_some_and(|code| !self.codes.contains(code));
        let proof = unproven.map(|version| Proof {
            settings_version: version,
            customer: self
                .unproven_customer
                .as_ref()
                .filter(|(id, _, _)| Some(*id) == new.customer_id)
                .map(|(_, phone, name)| (phone.clone(), name.clone())),
        });
        Ok((guarded, known_phone, claim_code, proof))
    }

    /// An insert's outcome; when what it trusted no longer held (`Stale`),
    /// the snapshots it relied on are forgotten.
    fn forget_if_stale(
        &self,
        tenant: TenantId,
        new: &NewBooking,
        written: Result<Booking>,
    ) -> Result<Booking> {
        if let Err(StoreError::Stale) = written {
            let phone = self.unproven_customer.as_ref().map(|(_, p, _)| p.as_str());
            self.store.booked.forget(tenant, new.resource_id.0, phone);
        }
        written
    }
}
