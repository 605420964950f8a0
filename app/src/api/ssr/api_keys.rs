//! The tenant's API keys from the dashboard: list, create (the secret is
//! shown once), revoke. Owners and admins only.

use super::{require_manager, Services};
use crate::dto::{ApiKeyDto, NewApiKeyDto};
use crate::error::AppError;
use store::{ApiKey, StaffUser};

fn dto(key: &ApiKey) -> ApiKeyDto {
    ApiKeyDto {
        id: key.id,
        name: key.name.clone(),
        prefix: key.prefix.clone(),
        // In UTC: a key belongs to the tenant, not to one outlet's zone.
        created: format!(
            "{} {} UTC",
            domain::calendar_words::day_label_with_year(
                crate::i18n::initial(),
                key.created_at.date_naive()
            ),
            key.created_at.format("%H:%M")
        ),
        revoked: key.revoked,
    }
}

pub async fn list(state: Services, staff: StaffUser) -> Result<Vec<ApiKeyDto>, AppError> {
    require_manager(&staff)?;
    Ok(state
        .store
        .api_keys(staff.tenant_id)
        .await?
        .iter()
        .map(dto)
        .collect())
}

pub async fn create(
    state: Services,
    staff: StaffUser,
    name: String,
) -> Result<NewApiKeyDto, AppError> {
    require_manager(&staff)?;
    let (key, secret) = state
        .store
        .create_api_key(
            staff.tenant_id,
            &name,
            domain::availability::Policy::Customer,
            state.clock.now(),
        )
        .await?;
    Ok(NewApiKeyDto {
        key: dto(&key),
        secret,
    })
}

pub async fn revoke(state: Services, staff: StaffUser, id: i64) -> Result<(), AppError> {
    require_manager(&staff)?;
    Ok(state
        .store
        .revoke_api_key(staff.tenant_id, id, state.clock.now())
        .await?)
}
