//! Tenants and their outlets.

use crate::accounts::{checked_email, checked_password, duplicate_email, hash_password_blocking};
use crate::db::Store;
use crate::error::{Result, StoreError};
use chrono_tz::Tz;
use domain::{OutletId, Role, TenantId, UserId};
use serde::{Deserialize, Serialize};

/// A venue business.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tenant {
    pub id: TenantId,
    pub slug: String,
    pub name: String,
    /// ISO 3166-1 alpha-2 code of the country it operates in (`ID`).
    pub country: String,
}

/// The country of a tenant created without one.
pub const DEFAULT_COUNTRY: &str = "ID";

/// A slug as stored: 2–40 of `a-z`, `0-9` and `-`, not starting or ending
/// with a dash (it appears in URLs and on the command line).
pub fn checked_slug(slug: &str) -> Result<String> {
    let slug = slug.trim();
    let allowed = slug
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !(2..=40).contains(&slug.len()) || !allowed || slug.starts_with('-') || slug.ends_with('-') {
        return Err(StoreError::Invalid(format!(
            "a tenant slug is 2 to 40 lower-case letters, digits and inner dashes (like \"rival-arena\"), not {slug:?}"
        )));
    }
    Ok(slug.to_string())
}

/// A country code as stored: two letters, upper case.
pub fn checked_country(country: &str) -> Result<String> {
    let country = country.trim().to_ascii_uppercase();
    if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(StoreError::Invalid(format!(
            "a country is a two-letter ISO 3166 code like ID or SG, not {country:?}"
        )));
    }
    Ok(country)
}

fn duplicate_slug(slug: &str) -> String {
    format!("a tenant with the slug {slug:?} already exists")
}

/// A new venue business, its first outlet, and its owner's login.
#[derive(Debug, Clone)]
pub struct NewTenant {
    pub slug: String,
    pub name: String,
    /// The zone of the first outlet's opening hours.
    pub timezone: Tz,
    /// Two-letter country code ([`DEFAULT_COUNTRY`] when unsure).
    pub country: String,
    pub owner_email: String,
    pub owner_name: String,
    /// At least 8 characters; only its argon2 hash is stored.
    pub owner_password: String,
}

/// What [`Store::create_tenant_with_owner`] made.
#[derive(Debug, Clone)]
pub struct CreatedTenant {
    pub tenant: Tenant,
    pub outlet: Outlet,
    pub owner: UserId,
    /// The owner's email as stored (trimmed, lower case).
    pub owner_email: String,
}

type TenantRow = (i64, String, String, String);

fn tenant_from_row((id, slug, name, country): TenantRow) -> Tenant {
    Tenant {
        id: TenantId(id),
        slug,
        name,
        country,
    }
}

/// A location of a tenant, with the zone its opening hours are written in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outlet {
    pub id: OutletId,
    pub tenant_id: TenantId,
    pub name: String,
    pub address: String,
    pub timezone: Tz,
    /// The number customers may call or message (E.164), or empty.
    pub contact_phone: String,
    /// A map link the bot sends with the address (`https://…`), or empty.
    pub map_url: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct OutletRow {
    id: i64,
    tenant_id: i64,
    name: String,
    address: String,
    timezone: String,
    contact_phone: String,
    map_url: String,
}

/// The columns an [`OutletRow`] reads.
pub(crate) const OUTLET_COLUMNS: &str =
    "id, tenant_id, name, address, timezone, contact_phone, map_url";

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
            contact_phone: row.contact_phone,
            map_url: row.map_url,
        })
    }
}

impl Store {
    /// A tenant with no outlet and no staff yet, in [`DEFAULT_COUNTRY`].
    pub async fn create_tenant(&self, slug: &str, name: &str) -> Result<Tenant> {
        let slug = checked_slug(slug)?;
        let name = name.trim();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO tenants (slug, name, country) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(&slug)
        .bind(name)
        .bind(DEFAULT_COUNTRY)
        .fetch_one(&self.pool)
        .await
        .map_err(|e| StoreError::from_write(e, &duplicate_slug(&slug)))?;
        Ok(Tenant {
            id: TenantId(id),
            slug,
            name: name.to_string(),
            country: DEFAULT_COUNTRY.to_string(),
        })
    }

    /// A venue business ready to sign in to: the tenant, a first outlet
    /// named "<name> main outlet" in `timezone`, and its owner, all in one
    /// transaction (a duplicate slug or email leaves nothing behind).
    pub async fn create_tenant_with_owner(&self, new: &NewTenant) -> Result<CreatedTenant> {
        let slug = checked_slug(&new.slug)?;
        let name = new.name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid("a tenant needs a name".into()));
        }
        let country = checked_country(&new.country)?;
        let email = checked_email(&new.owner_email)?;
        checked_password(&new.owner_password)?;
        let owner_name = match new.owner_name.trim() {
            "" => "Owner",
            given => given,
        };
        // Hashed before the transaction: argon2 is slow, the write turn short.
        let hash = hash_password_blocking(&new.owner_password).await?;
        let outlet_name = format!("{name} main outlet");
        let mut tx = self.begin_write().await?;
        let tenant_id: i64 = sqlx::query_scalar(
            "INSERT INTO tenants (slug, name, country) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(&slug)
        .bind(name)
        .bind(&country)
        .fetch_one(&mut **tx)
        .await
        .map_err(|e| StoreError::from_write(e, &duplicate_slug(&slug)))?;
        let outlet_id: i64 = sqlx::query_scalar(
            "INSERT INTO outlets (tenant_id, name, address, timezone) VALUES ($1, $2, '', $3) RETURNING id",
        )
        .bind(tenant_id)
        .bind(&outlet_name)
        .bind(new.timezone.name())
        .fetch_one(&mut **tx)
        .await
        .map_err(|e| StoreError::from_write(e, "an outlet with that name already exists"))?;
        let owner: i64 = sqlx::query_scalar(crate::accounts::insert_user_sql(self.backend()))
            .bind(tenant_id)
            .bind(&email)
            .bind(owner_name)
            .bind(Role::Owner.as_str())
            .bind(hash)
            .fetch_one(&mut **tx)
            .await
            .map_err(|e| StoreError::from_write(e, &duplicate_email(&email)))?;
        tx.commit().await?;
        let tenant = TenantId(tenant_id);
        Ok(CreatedTenant {
            tenant: self.tenant(tenant).await?,
            outlet: self.outlet(tenant, OutletId(outlet_id)).await?,
            owner: UserId(owner),
            owner_email: email,
        })
    }

    pub async fn tenant_by_slug(&self, slug: &str) -> Result<Option<Tenant>> {
        let row: Option<TenantRow> =
            sqlx::query_as("SELECT id, slug, name, country FROM tenants WHERE slug = $1")
                .bind(slug.trim())
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(tenant_from_row))
    }

    pub async fn tenant(&self, tenant: TenantId) -> Result<Tenant> {
        let row: Option<TenantRow> =
            sqlx::query_as("SELECT id, slug, name, country FROM tenants WHERE id = $1")
                .bind(tenant.0)
                .fetch_optional(&self.pool)
                .await?;
        row.map(tenant_from_row).ok_or(StoreError::NotFound)
    }

    /// Whether any tenant exists (a fresh install has none).
    pub async fn has_tenants(&self) -> Result<bool> {
        let any: Option<i64> = sqlx::query_scalar("SELECT id FROM tenants LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        Ok(any.is_some())
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
        sqlx::query_as::<_, OutletRow>(&format!(
            "SELECT {OUTLET_COLUMNS} FROM outlets WHERE tenant_id = $1 ORDER BY id"
        ))
        .bind(tenant.0)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(Outlet::try_from)
        .collect()
    }

    pub async fn outlet(&self, tenant: TenantId, id: OutletId) -> Result<Outlet> {
        sqlx::query_as::<_, OutletRow>(&format!(
            "SELECT {OUTLET_COLUMNS} FROM outlets WHERE tenant_id = $1 AND id = $2"
        ))
        .bind(tenant.0)
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)
        .and_then(Outlet::try_from)
    }
}
