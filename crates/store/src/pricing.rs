//! Pricing rules of a resource (peak hours, weekends, holidays), kept as the
//! domain's `PriceRule` in JSON, and quotes computed from them.

use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::resources::Resource;
use chrono::{DateTime, Utc};
use domain::pricing::{quote, PriceRule, Quote};
use domain::{PriceRuleId, ResourceId, TenantId, TimeRange};

/// The most rules one resource may carry; every quote checks each of them.
pub const MAX_PRICE_RULES: usize = 50;

/// A stored pricing rule with its id (to delete it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPriceRule {
    pub id: PriceRuleId,
    pub resource_id: ResourceId,
    pub rule: PriceRule,
}

impl Store {
    /// The rules of a resource, highest priority first.
    pub async fn price_rules(
        &self,
        tenant: TenantId,
        resource: ResourceId,
    ) -> Result<Vec<StoredPriceRule>> {
        price_rules(&self.pool, tenant, resource).await
    }

    /// Adds a rule after checking it against the resource's base rate
    /// (hours that run forward, a positive multiplier, the same currency).
    pub async fn add_price_rule(
        &self,
        tenant: TenantId,
        resource: &Resource,
        mut rule: PriceRule,
        now: DateTime<Utc>,
    ) -> Result<StoredPriceRule> {
        rule.when = rule.when.normalized();
        if rule.name.trim().is_empty() || rule.name.chars().count() > 80 {
            return Err(StoreError::Invalid(
                "a price rule needs a name of at most 80 characters".into(),
            ));
        }
        rule.validate(resource.hourly_rate)
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        let json = serde_json::to_string(&rule)
            .map_err(|e| StoreError::Invalid(format!("price rule: {e}")))?;
        // The cap is counted inside the write transaction, under the
        // resource's lock, so racing additions cannot pass it together.
        let mut tx = self.begin_write().await?;
        tx.touches(tenant);
        crate::guard::lock_resource(&mut tx, self.backend(), tenant, resource.id).await?;
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM price_rules WHERE tenant_id = $1 AND resource_id = $2",
        )
        .bind(tenant.0)
        .bind(resource.id.0)
        .fetch_one(&mut **tx)
        .await?;
        if count >= MAX_PRICE_RULES as i64 {
            return Err(StoreError::Invalid(format!(
                "a resource has at most {MAX_PRICE_RULES} price rules"
            )));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO price_rules (tenant_id, resource_id, priority, rule, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(tenant.0)
        .bind(resource.id.0)
        .bind(i64::from(rule.priority))
        .bind(json)
        .bind(now.timestamp())
        .fetch_one(&mut **tx)
        .await?;
        tx.commit().await?;
        Ok(StoredPriceRule {
            id: PriceRuleId(id),
            resource_id: resource.id,
            rule,
        })
    }

    pub async fn delete_price_rule(&self, tenant: TenantId, id: PriceRuleId) -> Result<()> {
        self.delete_owned("price_rules", tenant, id.0).await
    }

    /// The price of `range` on `resource`, piece by piece under its rules.
    pub async fn quote(
        &self,
        tenant: TenantId,
        resource: &Resource,
        range: &TimeRange,
    ) -> Result<Quote> {
        // Pricing walks the range day by day: a range no booking could
        // have is refused before any work.
        crate::guard::ensure_length(range)?;
        let rules: Vec<PriceRule> = self
            .price_rules(tenant, resource.id)
            .await?
            .into_iter()
            .map(|stored| stored.rule)
            .collect();
        quote(resource.hourly_rate, &rules, range, resource.timezone)
            .map_err(|e| StoreError::Invalid(e.to_string()))
    }
}

/// The rules of a resource, highest priority first, through any executor
/// (the pool, or a booking's write transaction).
pub(crate) async fn price_rules<'c, E>(
    executor: E,
    tenant: TenantId,
    resource: ResourceId,
) -> Result<Vec<StoredPriceRule>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, rule FROM price_rules WHERE tenant_id = $1 AND resource_id = $2
         ORDER BY priority DESC, id",
    )
    .bind(tenant.0)
    .bind(resource.0)
    .fetch_all(executor)
    .await?;
    rows.into_iter()
        .map(|(id, json)| {
            let rule = serde_json::from_str(&json).map_err(|e| {
                StoreError::Corrupt(format!("stored price rule {id} is unreadable: {e}"))
            })?;
            Ok(StoredPriceRule {
                id: PriceRuleId(id),
                resource_id: resource,
                rule,
            })
        })
        .collect()
}
