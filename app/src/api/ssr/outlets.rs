//! Outlets from the dashboard: add one, edit one (owners and admins).

use super::team::refusal;
use super::{convert, require_manager, Services};
use crate::dto::OutletDto;
use crate::error::AppError;
use domain::OutletId;
use store::{OutletDetails, StaffUser};

/// The outlet form's fields.
pub struct OutletForm {
    pub name: String,
    pub address: String,
    pub timezone: String,
    pub contact_phone: String,
    pub map_url: String,
}

impl From<OutletForm> for OutletDetails {
    fn from(f: OutletForm) -> Self {
        OutletDetails {
            name: f.name,
            address: f.address,
            timezone: f.timezone,
            contact_phone: f.contact_phone,
            map_url: f.map_url,
        }
    }
}

pub async fn create(
    state: Services,
    staff: StaffUser,
    form: OutletForm,
) -> Result<OutletDto, AppError> {
    require_manager(&staff)?;
    let outlet = state
        .store
        .add_outlet(staff.tenant_id, &form.into())
        .await
        .map_err(refusal)?;
    Ok(convert::outlet(&outlet))
}

pub async fn update(
    state: Services,
    staff: StaffUser,
    id: OutletId,
    form: OutletForm,
) -> Result<OutletDto, AppError> {
    require_manager(&staff)?;
    let outlet = state
        .store
        .update_outlet(staff.tenant_id, id, &form.into())
        .await
        .map_err(refusal)?;
    Ok(convert::outlet(&outlet))
}
