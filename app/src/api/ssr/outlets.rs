//! Outlets from the dashboard: add one, edit one (owners and admins).

use super::team::refusal;
use super::{convert, require_manager, Services};
use crate::dto::OutletDto;
use crate::error::AppError;
use domain::OutletId;
use store::{OutletDetails, StaffUser};

pub async fn create(
    state: Services,
    staff: StaffUser,
    details: OutletDetails,
) -> Result<OutletDto, AppError> {
    require_manager(&staff)?;
    let outlet = state
        .store
        .add_outlet(staff.tenant_id, &details)
        .await
        .map_err(refusal)?;
    Ok(convert::outlet(&outlet))
}

pub async fn update(
    state: Services,
    staff: StaffUser,
    id: OutletId,
    details: OutletDetails,
) -> Result<OutletDto, AppError> {
    require_manager(&staff)?;
    let outlet = state
        .store
        .update_outlet(staff.tenant_id, id, &details)
        .await
        .map_err(refusal)?;
    Ok(convert::outlet(&outlet))
}
