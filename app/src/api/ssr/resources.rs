//! Outlets and resources for the dashboard.

use super::{convert, require_manager, Services};
use crate::dto::{OutletDto, PriceGridDto, PriceGridRow, ResourceDto};
use crate::error::AppError;
use chrono::Weekday;
use domain::opening_hours::weekday_from_monday;
use domain::price_grid::{price_grid as grid_of, GridCell};
use domain::{LocalInterval, Money, OutletId, ResourceId, WeeklyHours};
use store::{NewResource, ResourceSettings, StaffUser, StoreError};

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

/// One resource, archived ones included (their page offers to restore);
/// the flag tells which. For reads only: writes go through the active
/// resource, so nothing books or prices an archived one.
pub(super) async fn active_or_archived(
    state: &Services,
    staff: &StaffUser,
    id: ResourceId,
) -> Result<(store::Resource, bool), AppError> {
    match state.store.resource(staff.tenant_id, id).await {
        Ok(found) => Ok((found, false)),
        Err(StoreError::NotFound) => Ok((
            state.store.archived_resource(staff.tenant_id, id).await?,
            true,
        )),
        Err(other) => Err(other.into()),
    }
}

pub async fn resource(
    state: Services,
    staff: StaffUser,
    id: ResourceId,
) -> Result<ResourceDto, AppError> {
    let (found, archived) = active_or_archived(&state, &staff, id).await?;
    Ok(ResourceDto {
        archived,
        ..convert::resource(&found)
    })
}

pub async fn archived_resources(
    state: Services,
    staff: StaffUser,
) -> Result<Vec<ResourceDto>, AppError> {
    Ok(state
        .store
        .archived_resources(staff.tenant_id)
        .await?
        .iter()
        .map(|r| ResourceDto {
            archived: true,
            ..convert::resource(r)
        })
        .collect())
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

/// The kind a resource form names: a built-in one or the venue's own.
async fn form_kind(
    state: &Services,
    staff: &StaffUser,
    name: &str,
) -> Result<domain::ResourceKind, AppError> {
    state
        .store
        .resolve_kind(staff.tenant_id, name)
        .await
        .map_err(|e| match e {
            StoreError::Invalid(_) => AppError::Invalid("Choose a resource type.".into()),
            other => other.into(),
        })
}

/// The hourly base rate typed into a resource form, in whole rupiah with
/// or without thousands dots (as the payment form reads amounts).
fn base_rate(typed: &str) -> Result<Money, AppError> {
    match super::payments::whole_amount(typed)? {
        Some(whole) => Ok(Money::idr(whole)),
        None => Err(AppError::Refused {
            code: "bad_amount".into(),
            status: 400,
            message: "Type the base rate per hour in whole rupiah, such as 150000 or 150.000."
                .into(),
        }),
    }
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
    /// The base rate as typed: "160000", "160.000" or "Rp 160.000".
    pub hourly_rate: String,
    pub week: [String; 7],
}

pub async fn create_resource(
    state: Services,
    staff: StaffUser,
    form: ResourceForm,
) -> Result<ResourceDto, AppError> {
    require_manager(&staff)?;
    let kind = form_kind(&state, &staff, &form.kind).await?;
    let hours = parse_week(form.week.each_ref().map(String::as_str))?;
    let new = NewResource {
        outlet_id: form.outlet_id,
        name: form.name,
        kind,
        capacity: form.capacity,
        slot_minutes: form.slot_minutes,
        min_minutes: form.min_minutes,
        max_minutes: form.max_minutes,
        hourly_rate: base_rate(&form.hourly_rate)?,
        hours,
    };
    Ok(convert::resource(
        &state.store.create_resource(staff.tenant_id, new).await?,
    ))
}

/// The resource form's fields for a change (no outlet, no hours).
pub struct SettingsForm {
    pub name: String,
    pub kind: String,
    pub capacity: i64,
    pub slot_minutes: i64,
    pub min_minutes: i64,
    pub max_minutes: i64,
    /// The base rate as typed: "160000", "160.000" or "Rp 160.000".
    pub hourly_rate: String,
}

pub async fn update_resource(
    state: Services,
    staff: StaffUser,
    id: ResourceId,
    form: SettingsForm,
) -> Result<ResourceDto, AppError> {
    require_manager(&staff)?;
    let kind = form_kind(&state, &staff, &form.kind).await?;
    let settings = ResourceSettings {
        name: form.name,
        kind,
        capacity: form.capacity,
        slot_minutes: form.slot_minutes,
        min_minutes: form.min_minutes,
        max_minutes: form.max_minutes,
        hourly_rate: base_rate(&form.hourly_rate)?,
    };
    Ok(convert::resource(
        &state
            .store
            .update_resource(staff.tenant_id, id, settings)
            .await?,
    ))
}

pub async fn archive_resource(
    state: Services,
    staff: StaffUser,
    id: ResourceId,
) -> Result<(), AppError> {
    require_manager(&staff)?;
    state
        .store
        .archive_resource(staff.tenant_id, id, state.clock.now())
        .await
        .map_err(|e| match e {
            StoreError::Invalid(reason) => {
                AppError::Invalid(format!("This resource cannot be archived: {reason}."))
            }
            other => other.into(),
        })
}

pub async fn restore_resource(
    state: Services,
    staff: StaffUser,
    id: ResourceId,
) -> Result<ResourceDto, AppError> {
    require_manager(&staff)?;
    Ok(convert::resource(
        &state.store.restore_resource(staff.tenant_id, id).await?,
    ))
}

/// The week of hourly prices starting on the Monday of `week` (a
/// `YYYY-MM-DD` date; this week in the outlet's zone when absent).
pub async fn price_grid(
    state: Services,
    staff: StaffUser,
    id: ResourceId,
    week: Option<String>,
) -> Result<PriceGridDto, AppError> {
    use chrono::{Datelike, Duration, NaiveDate};
    // An archived resource's grid is still a fair read (its page may
    // refetch the grid while it is being archived).
    let (resource, _) = active_or_archived(&state, &staff, id).await?;
    let today = state
        .clock
        .now()
        .with_timezone(&resource.timezone)
        .date_naive();
    let day = match week.as_deref().map(str::trim).filter(|w| !w.is_empty()) {
        None => today,
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            // Far dates are refused, not walked: a grid is a preview.
            .filter(|d| (*d - today).num_days().abs() <= 3 * 366)
            .ok_or_else(|| {
                AppError::Invalid("Choose a week within three years of today.".into())
            })?,
    };
    let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
    let rules: Vec<_> = state
        .store
        .price_rules(staff.tenant_id, resource.id)
        .await?
        .into_iter()
        .map(|stored| stored.rule)
        .collect();
    let grid = grid_of(
        resource.hourly_rate,
        &rules,
        &resource.hours,
        monday,
        resource.timezone,
    )
    .map_err(|e| AppError::Invalid(e.to_string()))?;
    let iso = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    Ok(PriceGridDto {
        first: iso(monday),
        previous: iso(monday - Duration::days(7)),
        next: iso(monday + Duration::days(7)),
        days: grid
            .days
            .iter()
            .map(|d| (iso(*d), d.weekday().num_days_from_monday() as u8))
            .collect(),
        rows: grid
            .hours
            .iter()
            .zip(grid.rows)
            .map(|(hour, cells)| PriceGridRow {
                hour: format!("{hour:02}:00"),
                cells: cells
                    .into_iter()
                    .map(|cell| match cell {
                        GridCell::Closed => None,
                        GridCell::Open { price, rule } => Some((price, rule)),
                    })
                    .collect(),
            })
            .collect(),
    })
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
