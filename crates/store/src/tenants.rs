//! Tenants and their outlets.

use crate::db::Store;
use crate::error::{Result, StoreError};
use chrono_tz::Tz;
use domain::{OutletId, TenantId};
use serde::{Deserialize, Serialize};

/// A venue business.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tenant {
    pub id: TenantId,
    pub slug: String,
    pub name: String,
}

/// A location of a tenant, with the zone its opening hours are written in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outlet {
    pub id: OutletId,
    pub tenant_id: TenantId,
    pub name: String,
    pub address: String,
    pub timezone: Tz,
}

#[derive(sqlx::FromRow)]
struct OutletRow {
    id: i64,
    tenant_id: i64,
    name: String,
    address: String,
    timezone: String,
}

impl TryFrom<OutletRow> for Outlet {
    type Error = StoreError;
    fn try_from(row: OutletRow) -> Result<Self> {
        let timezone = row.timezone.parse::<Tz>().map_err(|_| {
            StoreError::Invalid(format!(
                "outlet {} has an unknown time zone {:?}",
                row.id, row.timezone
            ))
        })?;
        Ok(Outlet {
            id: OutletId(row.id),
            tenant_id: TenantId(row.tenant_id),
            name: row.name,
            address: row.address,
            timezone,
        })
    }
}

impl Store {
    pub async fn create_tenant(&self, slug: &str, name: &str) -> Result<Tenant> {
        let slug = slug.trim().to_ascii_lowercase();
        if slug.is_empty() || !slug.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(StoreError::Invalid(
                "a tenant slug uses letters, digits and dashes".into(),
            ));
        }
        let id: i64 =
            sqlx::query_scalar("INSERT INTO tenants (slug, name) VALUES ($1, $2) RETURNING id")
                .bind(&slug)
                .bind(name.trim())
                .fetch_one(&self.pool)
                .await
                .map_err(|e| StoreError::from_write(e, "a tenant with that slug already exists"))?;
        Ok(Tenant {
            id: TenantId(id),
            slug,
            name: name.trim().to_string(),
        })
    }

    pub async fn tenant_by_slug(&self, slug: &str) -> Result<Option<Tenant>> {
        let row: Option<(i64, String, String)> =
            sqlx::query_as("SELECT id, slug, name FROM tenants WHERE slug = $1")
                .bind(slug)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(id, slug, name)| Tenant {
            id: TenantId(id),
            slug,
            name,
        }))
    }

    pub async fn tenant(&self, tenant: TenantId) -> Result<Tenant> {
        let row: Option<(i64, String, String)> =
            sqlx::query_as("SELECT id, slug, name FROM tenants WHERE id = $1")
                .bind(tenant.0)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|(id, slug, name)| Tenant {
            id: TenantId(id),
            slug,
            name,
        })
        .ok_or(StoreError::NotFound)
    }

    pub async fn create_outlet(
        &self,
        tenant: TenantId,
        name: &str,
        address: &str,
        timezone: Tz,
    ) -> Result<Outlet> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO outlets (tenant_id, name, address, timezone) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(tenant.0)
        .bind(name.trim())
        .bind(address.trim())
        .bind(timezone.name())
        .fetch_one(&self.pool)
        .await
        .map_err(|e| StoreError::from_write(e, "an outlet with that name already exists"))?;
        self.outlet(tenant, OutletId(id)).await
    }

    pub async fn outlets(&self, tenant: TenantId) -> Result<Vec<Outlet>> {
        sqlx::query_as::<_, OutletRow>(
            "SELECT id, tenant_id, name, address, timezone FROM outlets WHERE tenant_id = $1 ORDER BY id",
        )
        .bind(tenant.0)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(Outlet::try_from)
        .collect()
    }

    pub async fn outlet(&self, tenant: TenantId, id: OutletId) -> Result<Outlet> {
        sqlx::query_as::<_, OutletRow>(
            "SELECT id, tenant_id, name, address, timezone FROM outlets WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant.0)
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)
        .and_then(Outlet::try_from)
    }
}
