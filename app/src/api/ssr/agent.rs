//! The agent's switch and the owner's instructions, per tenant. Owners and
//! admins only: the instructions shape what the bot tells customers.

use super::{require_manager, Services};
use crate::dto::AgentSettingsDto;
use crate::error::AppError;
use store::StaffUser;

fn dto(settings: store::AgentSettings) -> AgentSettingsDto {
    AgentSettingsDto {
        enabled: settings.enabled,
        instructions: settings.instructions,
    }
}

pub async fn get(state: Services, staff: StaffUser) -> Result<AgentSettingsDto, AppError> {
    require_manager(&staff)?;
    Ok(dto(state.store.agent_settings(staff.tenant_id).await?))
}

pub async fn set_enabled(
    state: Services,
    staff: StaffUser,
    enabled: bool,
) -> Result<AgentSettingsDto, AppError> {
    require_manager(&staff)?;
    state
        .store
        .set_agent_enabled(staff.tenant_id, enabled, state.clock.now())
        .await?;
    get(state, staff).await
}

pub async fn set_instructions(
    state: Services,
    staff: StaffUser,
    instructions: String,
) -> Result<AgentSettingsDto, AppError> {
    require_manager(&staff)?;
    state
        .store
        .set_agent_instructions(staff.tenant_id, &instructions, state.clock.now())
        .await?;
    get(state, staff).await
}
