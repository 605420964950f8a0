//! Outlets and resources for the dashboard.

use super::{convert, require_manager, Services};
use crate::dto::{OutletDto, ResourceDto};
use crate::error::AppError;
use chrono::Weekday;
use domain::opening_hours::weekday_from_monday;
use domain::{LocalInterval, Money, OutletId, ResourceId, ResourceKind, WeeklyHours};
use store::{NewResource, StaffUser};

pub async fn outlets(state: Services, staff: StaffUser) -> Result<Vec<OutletDto>, AppError> {
    Ok(state
        .store
        .outlets(staff.tenant_id)
        .await?
        .iter()
        .map(convert::outlet)
        .collect())
}

pub async fn resources(state: Services, staff: StaffUser) -> Result<Vec<ResourceDto>, AppError> {
    Ok(state
        .store
        .resources(staff.tenant_id)
        .await?
        .iter()
        .map(convert::resource)
        .collect())
}

pub async fn resource(
    state: Services,
    staff: StaffUser,
    id: ResourceId,
) -> Result<ResourceDto, AppError> {
    Ok(convert::resource(
        &state.store.resource(staff.tenant_id, id).await?,
    ))
}

/// Seven lines of opening hours, Monday first, as typed into the form.
pub fn parse_week(days: [&str; 7]) -> Result<WeeklyHours, AppError> {
    let mut week = WeeklyHours::default();
    for (index, text) in days.iter().enumerate() {
        let day: Weekday = weekday_from_monday(index);
        let intervals =
            LocalInterval::parse_day(text).map_err(|e| AppError::Invalid(format!("{day}: {e}")))?;
        week.set_day(day, intervals);
    }
    Ok(week)
}

/// The resource form's fields, as the server function receives them.
pub struct ResourceForm {
    pub outlet_id: OutletId,
    pub name: String,
    pub kind: String,
    pub capacity: i64,
    pub slot_minutes: i64,
    pub min_minutes: i64,
    pub max_minutes: i64,
    pub hourly_rate: i64,
    pub week: [String; 7],
}

pub async fn create_resource(
    state: Services,
    staff: StaffUser,
    form: ResourceForm,
) -> Result<ResourceDto, AppError> {
    require_manager(&staff)?;
    let kind: ResourceKind = form
        .kind
        .parse()
        .map_err(|_| AppError::Invalid("Choose a resource type.".into()))?;
    let hours = parse_week(form.week.each_ref().map(String::as_str))?;
    let new = NewResource {
        outlet_id: form.outlet_id,
        name: form.name,
        kind,
        capacity: form.capacity,
        slot_minutes: form.slot_minutes,
        min_minutes: form.min_minutes,
        max_minutes: form.max_minutes,
        hourly_rate: Money::idr(form.hourly_rate),
        hours,
    };
    Ok(convert::resource(
        &state.store.create_resource(staff.tenant_id, new).await?,
    ))
}

pub async fn update_hours(
    state: Services,
    staff: StaffUser,
    id: ResourceId,
    week: [String; 7],
) -> Result<ResourceDto, AppError> {
    require_manager(&staff)?;
    let hours = parse_week(week.each_ref().map(String::as_str))?;
    Ok(convert::resource(
        &state
            .store
            .set_opening_hours(staff.tenant_id, id, &hours)
            .await?,
    ))
}
