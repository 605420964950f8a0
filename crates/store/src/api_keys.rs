//! API keys for integrators: `pk_` + 32 random bytes, shown once; the store
//! keeps only its SHA-256, like session tokens.
//!
//! Every API request looks its key up, so live keys are remembered for
//! [`KEY_CACHE_SECONDS`] in the process (up to [`KEY_CACHE_ENTRIES`]).
//! Revoking a key forgets it at once in the process that revoked it; other
//! replicas refuse it at most [`KEY_CACHE_SECONDS`] later. Unknown and
//! revoked keys are never remembered: they are looked up every time.

use crate::accounts::token_hash;
use crate::db::Store;
use crate::error::{Result, StoreError};
use base64::Engine;
use chrono::{DateTime, TimeZone, Utc};
use domain::availability::Policy;
use domain::TenantId;
use rand::RngCore;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a looked-up live key is trusted without asking the database.
pub const KEY_CACHE_SECONDS: u64 = 5;
/// How many keys are remembered at most (then all are forgotten).
pub const KEY_CACHE_ENTRIES: usize = 1024;

/// Live keys by the hash of their secret, with when they were read.
#[derive(Debug, Default)]
pub(crate) struct KeyCache(Mutex<HashMap<String, (KeyOwner, Instant)>>);

impl KeyCache {
    fn get(&self, hash: &str) -> Option<KeyOwner> {
        let cache = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        cache
            .get(hash)
            .filter(|(_, read)| read.elapsed() < Duration::from_secs(KEY_CACHE_SECONDS))
            .map(|(owner, _)| owner.clone())
    }

    fn put(&self, hash: String, owner: KeyOwner) {
        let mut cache = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if cache.len() >= KEY_CACHE_ENTRIES {
            cache.clear();
        }
        cache.insert(hash, (owner, Instant::now()));
    }

    fn forget(&self, key_id: i64) {
        let mut cache = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        cache.retain(|_, (owner, _)| owner.key_id != key_id);
    }
}

/// A key as the tenant sees it in lists (never the secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub revoked: bool,
    /// The rules bookings made with this key are checked under.
    pub policy: Policy,
}

/// Who a live key belongs to and what it may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyOwner {
    pub tenant: TenantId,
    pub key_id: i64,
    pub policy: Policy,
    /// The tenant's country (read with the key: every booking request
    /// needs it to read local phone numbers).
    pub country: String,
}

fn policy(stored: &str) -> Result<Policy> {
    stored.parse().map_err(StoreError::Corrupt)
}

impl Store {
    /// Creates a key and returns it with its secret, which is not stored.
    pub async fn create_api_key(
        &self,
        tenant: TenantId,
        name: &str,
        policy: Policy,
        now: DateTime<Utc>,
    ) -> Result<(ApiKey, String)> {
        let name = name.trim();
        if name.is_empty() || name.len() > 80 {
            return Err(StoreError::Invalid(
                "an API key needs a name of at most 80 characters".into(),
            ));
        }
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        let secret = format!(
            "pk_{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
        );
        let prefix: String = secret.chars().take(10).collect();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_keys (tenant_id, name, key_hash, prefix, created_at, policy) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(tenant.0)
        .bind(name)
        .bind(token_hash(&secret))
        .bind(&prefix)
        .bind(now.timestamp())
        .bind(policy.as_str())
        .fetch_one(&self.pool)
        .await?;
        Ok((
            ApiKey {
                id,
                name: name.to_string(),
                prefix,
                created_at: now,
                revoked: false,
                policy,
            },
            secret,
        ))
    }

    /// The tenant's keys, newest first, revoked ones included (marked).
    pub async fn api_keys(&self, tenant: TenantId) -> Result<Vec<ApiKey>> {
        let rows: Vec<(i64, String, String, i64, Option<i64>, String)> = sqlx::query_as(
            "SELECT id, name, prefix, created_at, revoked_at, policy FROM api_keys WHERE tenant_id = $1 ORDER BY id DESC",
        )
        .bind(tenant.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(
                |(id, name, prefix, created_at, revoked_at, stored_policy)| {
                    Ok(ApiKey {
                        id,
                        name,
                        prefix,
                        created_at: Utc.timestamp_opt(created_at, 0).single().ok_or_else(|| {
                            StoreError::Invalid(format!(
                                "API key {id} has an invalid creation time"
                            ))
                        })?,
                        revoked: revoked_at.is_some(),
                        policy: policy(&stored_policy)?,
                    })
                },
            )
            .collect()
    }

    /// The tenant, key id and policy a live secret belongs to (remembered
    /// for a few seconds, see the module docs).
    pub async fn api_key_owner(&self, secret: &str) -> Result<Option<KeyOwner>> {
        let hash = token_hash(secret);
        if let Some(owner) = self.key_cache.get(&hash) {
            return Ok(Some(owner));
        }
        let row: Option<(i64, i64, String, String)> = sqlx::query_as(
            "SELECT k.tenant_id, k.id, k.policy, t.country FROM api_keys k
             JOIN tenants t ON t.id = k.tenant_id
             WHERE k.key_hash = $1 AND k.revoked_at IS NULL",
        )
        .bind(&hash)
        .fetch_optional(&self.pool)
        .await?;
        let owner = row
            .map(|(tenant, key_id, stored, country)| {
                Ok::<_, StoreError>(KeyOwner {
                    tenant: TenantId(tenant),
                    key_id,
                    policy: policy(&stored)?,
                    country,
                })
            })
            .transpose()?;
        if let Some(owner) = &owner {
            self.key_cache.put(hash, owner.clone());
        }
        Ok(owner)
    }

    /// Revokes a key of this tenant; later requests with it are refused.
    pub async fn revoke_api_key(
        &self,
        tenant: TenantId,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let changed = sqlx::query("UPDATE api_keys SET revoked_at = $1 WHERE tenant_id = $2 AND id = $3 AND revoked_at IS NULL")
            .bind(now.timestamp())
            .bind(tenant.0)
            .bind(id)
            .execute(&self.pool)
            .await?
            .rows_affected();
        // Forgotten even if nothing changed: a stale entry must not outlive
        // a revocation that another request made meanwhile.
        self.key_cache.forget(id);
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}
