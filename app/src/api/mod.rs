//! Server functions: the dashboard's only way to the data.
//!
//! Each is a thin shell: it names an endpoint under `/rpc`, and on the
//! server hands over to `ssr`, which checks the session and scopes every
//! query to the session's tenant.
//!
//! The form-backed functions take one argument per form field, so a plain
//! HTML form (`ActionForm`) posts to them before and after hydration; the
//! macro copies that long signature into the generated client code, hence
//! the module-wide allowance below.
#![allow(clippy::too_many_arguments)]

#[cfg(feature = "ssr")]
pub mod ssr;

use crate::dto::{BookingDto, CalendarDay, ChatThread, OutletDto, Overview, ResourceDto, StaffDto};
use crate::error::AppError;
use domain::{BookingId, OutletId, ResourceId};
use leptos::prelude::*;

/// The signed-in staff member, or `None`.
#[server(prefix = "/rpc", endpoint = "me")]
pub async fn me() -> Result<Option<StaffDto>, AppError> {
    Ok(ssr::current_staff().ok().map(|s| StaffDto {
        name: s.name,
        email: s.email,
        role: s.role,
        tenant_name: s.tenant_name,
    }))
}

#[server(prefix = "/rpc", endpoint = "get_overview")]
pub async fn get_overview() -> Result<Overview, AppError> {
    ssr::with_staff(ssr::overview).await
}

#[server(prefix = "/rpc", endpoint = "list_outlets")]
pub async fn list_outlets() -> Result<Vec<OutletDto>, AppError> {
    ssr::with_staff(ssr::outlets).await
}

#[server(prefix = "/rpc", endpoint = "list_resources")]
pub async fn list_resources() -> Result<Vec<ResourceDto>, AppError> {
    ssr::with_staff(ssr::resources).await
}

#[server(prefix = "/rpc", endpoint = "get_resource")]
pub async fn get_resource(id: ResourceId) -> Result<ResourceDto, AppError> {
    ssr::with_staff(|state, staff| ssr::resource(state, staff, id)).await
}

/// Creates a resource from the dashboard form; hours are one line per weekday.
#[server(prefix = "/rpc", endpoint = "create_resource")]
pub async fn create_resource(
    outlet_id: OutletId,
    name: String,
    kind: String,
    capacity: i64,
    slot_minutes: i64,
    min_minutes: i64,
    max_minutes: i64,
    hourly_rate: i64,
    mon: String,
    tue: String,
    wed: String,
    thu: String,
    fri: String,
    sat: String,
    sun: String,
) -> Result<ResourceDto, AppError> {
    let form = ssr::ResourceForm {
        outlet_id,
        name,
        kind,
        capacity,
        slot_minutes,
        min_minutes,
        max_minutes,
        hourly_rate,
        week: [mon, tue, wed, thu, fri, sat, sun],
    };
    ssr::with_staff(|state, staff| ssr::create_resource(state, staff, form)).await
}

#[server(prefix = "/rpc", endpoint = "update_hours")]
pub async fn update_hours(
    resource_id: ResourceId,
    mon: String,
    tue: String,
    wed: String,
    thu: String,
    fri: String,
    sat: String,
    sun: String,
) -> Result<ResourceDto, AppError> {
    let week = [mon, tue, wed, thu, fri, sat, sun];
    ssr::with_staff(|state, staff| ssr::update_hours(state, staff, resource_id, week)).await
}

#[server(prefix = "/rpc", endpoint = "list_bookings")]
pub async fn list_bookings(status: Option<String>) -> Result<Vec<BookingDto>, AppError> {
    ssr::with_staff(|state, staff| ssr::bookings(state, staff, status)).await
}

#[server(prefix = "/rpc", endpoint = "get_booking")]
pub async fn get_booking(id: BookingId) -> Result<BookingDto, AppError> {
    ssr::with_staff(|state, staff| ssr::booking(state, staff, id)).await
}

/// One outlet's day (the first outlet and today when not given).
#[server(prefix = "/rpc", endpoint = "get_calendar_day")]
pub async fn get_calendar_day(
    outlet_id: Option<OutletId>,
    date: Option<String>,
) -> Result<CalendarDay, AppError> {
    ssr::with_staff(|state, staff| ssr::calendar_day(state, staff, outlet_id, date)).await
}

#[server(prefix = "/rpc", endpoint = "simulator_thread")]
pub async fn simulator_thread(phone: String) -> Result<ChatThread, AppError> {
    ssr::with_staff(|state, staff| ssr::simulator_thread(state, staff, phone)).await
}

/// Sends `text` as the customer `phone` and returns the thread with the bot's replies.
#[server(prefix = "/rpc", endpoint = "simulator_send")]
pub async fn simulator_send(phone: String, text: String) -> Result<ChatThread, AppError> {
    ssr::with_staff(|state, staff| ssr::simulator_send(state, staff, phone, text)).await
}
