//! Server functions of the team and account pages (see
//! [`super::ssr::team`]), of outlets (see [`super::ssr::outlets`]) and of
//! the settings page (see [`super::ssr::settings`]).

use crate::dto::{InviteOfferDto, NewInviteDto, OutletDto, SettingsDto, TeamDto};
use crate::error::AppError;
use domain::OutletId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::ssr;

/// Who is on the team; open invite links for owners and admins.
#[server(prefix = "/rpc", endpoint = "get_team")]
pub async fn get_team() -> Result<TeamDto, AppError> {
    ssr::with_staff(ssr::team::team).await
}

/// A one-time link for someone to join as `role` (`owner` only from an
/// owner), shown once.
#[server(prefix = "/rpc", endpoint = "create_invite")]
pub async fn create_invite(
    role: String,
    #[server(default)] note: String,
) -> Result<NewInviteDto, AppError> {
    ssr::with_staff(|state, staff| ssr::team::create_invite(state, staff, role, note)).await
}

#[server(prefix = "/rpc", endpoint = "revoke_invite")]
pub async fn revoke_invite(id: i64) -> Result<(), AppError> {
    ssr::with_staff(|state, staff| ssr::team::revoke_invite(state, staff, id)).await
}

/// Gives a member another role (the last owner stays an owner).
#[server(prefix = "/rpc", endpoint = "set_member_role")]
pub async fn set_member_role(user_id: i64, role: String) -> Result<(), AppError> {
    ssr::with_staff(|state, staff| ssr::team::set_role(state, staff, user_id, role)).await
}

/// Removes a member (not oneself, not the last owner); their sessions end.
#[server(prefix = "/rpc", endpoint = "remove_member")]
pub async fn remove_member(user_id: i64) -> Result<(), AppError> {
    ssr::with_staff(|state, staff| ssr::team::remove(state, staff, user_id)).await
}

/// Changes the signed-in user's own password; other sessions end.
#[server(prefix = "/rpc", endpoint = "change_password")]
pub async fn change_password(
    current: String,
    new: String,
    confirm: String,
) -> Result<(), AppError> {
    ssr::with_staff_before_password_change(|state, staff| {
        ssr::team::change_password(state, staff, current, new, confirm)
    })
    .await
}

/// Changes the signed-in user's own name.
#[server(prefix = "/rpc", endpoint = "set_my_name")]
pub async fn set_my_name(name: String) -> Result<(), AppError> {
    ssr::with_staff(|state, staff| ssr::team::rename(state, staff, name)).await
}

/// What an invite link offers (`None` when it is dead); needs no session.
#[server(prefix = "/rpc", endpoint = "invite_offer")]
pub async fn invite_offer(token: String) -> Result<Option<InviteOfferDto>, AppError> {
    ssr::without_staff(|state| ssr::team::invite_offer(state, token)).await
}

/// Adds an outlet.
#[server(prefix = "/rpc", endpoint = "create_outlet")]
pub async fn create_outlet(
    name: String,
    #[server(default)] address: String,
    timezone: String,
    #[server(default)] contact_phone: String,
    #[server(default)] map_url: String,
) -> Result<OutletDto, AppError> {
    let details = store::OutletDetails {
        name,
        address,
        timezone,
        contact_phone,
        map_url,
    };
    ssr::with_staff(|state, staff| ssr::outlets::create(state, staff, details)).await
}

/// Saves an outlet's name, address, zone, contact number and map link.
#[server(prefix = "/rpc", endpoint = "update_outlet")]
pub async fn update_outlet(
    outlet_id: OutletId,
    name: String,
    #[server(default)] address: String,
    timezone: String,
    #[server(default)] contact_phone: String,
    #[server(default)] map_url: String,
) -> Result<OutletDto, AppError> {
    let details = store::OutletDetails {
        name,
        address,
        timezone,
        contact_phone,
        map_url,
    };
    ssr::with_staff(|state, staff| ssr::outlets::update(state, staff, outlet_id, details)).await
}

/// The bot, the WhatsApp numbers and the AI services, for the settings page.
#[server(prefix = "/rpc", endpoint = "get_settings")]
pub async fn get_settings() -> Result<SettingsDto, AppError> {
    ssr::with_staff(ssr::settings::get).await
}

/// Replaces a WhatsApp number's access token (sealed at once; never shown
/// again) and lifts its pause.
#[server(prefix = "/rpc", endpoint = "replace_whatsapp_token")]
pub async fn replace_whatsapp_token(number_id: i64, token: String) -> Result<(), AppError> {
    ssr::with_staff(|state, staff| ssr::settings::replace_token(state, staff, number_id, token))
        .await
}

/// The language the venue's new conversations start in (`en` or `id`).
#[server(prefix = "/rpc", endpoint = "set_venue_language")]
pub async fn set_venue_language(lang: String) -> Result<(), AppError> {
    ssr::with_staff(|state, staff| ssr::settings::set_venue_language(state, staff, lang)).await
}
