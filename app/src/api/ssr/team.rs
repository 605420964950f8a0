//! The team page's work: members and invite links (owners and admins
//! manage them; front desk sees who is on the team), and every user's own
//! password.

use super::{require_manager, sentence, venue_zone, Services};
use crate::api::ssr::account::{session_token_in, MAX_PASSWORD_BYTES};
use crate::dto::{InviteDto, InviteOfferDto, MemberDto, NewInviteDto, TeamDto};
use crate::error::AppError;
use chrono_tz::Tz;
use domain::{Role, UserId};
use store::{Acting, Invite, StaffUser, StoreError};

fn acting(staff: &StaffUser) -> Acting {
    Acting {
        id: staff.id,
        role: staff.role,
    }
}

/// Store refusals read as sentences ("You cannot remove the last owner…").
pub(super) fn refusal(error: StoreError) -> AppError {
    match error {
        StoreError::Invalid(message) | StoreError::Duplicate(message) => {
            AppError::Invalid(sentence(&message))
        }
        other => other.into(),
    }
}

fn role_of(text: &str) -> Result<Role, AppError> {
    text.trim()
        .parse()
        .map_err(|_| AppError::Invalid("Choose owner, admin or staff.".into()))
}

fn invite_dto(invite: &Invite, zone: Tz) -> InviteDto {
    InviteDto {
        id: invite.id,
        role: invite.role,
        note: invite.note.clone(),
        expires: invite.expires_at.with_timezone(&zone).date_naive(),
    }
}

pub async fn team(state: Services, staff: StaffUser) -> Result<TeamDto, AppError> {
    let zone = venue_zone(&state, &staff).await?;
    let members = state
        .store
        .team(staff.tenant_id)
        .await?
        .into_iter()
        .map(|m| MemberDto {
            id: m.id.0,
            name: m.name,
            email: m.email,
            role: m.role,
            must_change_password: m.must_change_password,
            joined: m.created_at.with_timezone(&zone).date_naive(),
        })
        .collect();
    // Front desk does not see the links: each is a way in.
    let invites = if staff.role.can_manage_resources() {
        state
            .store
            .open_invites(staff.tenant_id, state.clock.now())
            .await?
            .iter()
            .map(|i| invite_dto(i, zone))
            .collect()
    } else {
        Vec::new()
    };
    Ok(TeamDto {
        me: staff.id.0,
        my_role: staff.role,
        members,
        invites,
    })
}

pub async fn create_invite(
    state: Services,
    staff: StaffUser,
    role: String,
    note: String,
) -> Result<NewInviteDto, AppError> {
    require_manager(&staff)?;
    let role = role_of(&role)?;
    let zone = venue_zone(&state, &staff).await?;
    let (invite, token) = state
        .store
        .create_invite(
            staff.tenant_id,
            acting(&staff),
            role,
            &note,
            state.clock.now(),
        )
        .await
        .map_err(refusal)?;
    tracing::info!(by = %staff.id, tenant = %staff.tenant_id, role = %role, "invite link made");
    Ok(NewInviteDto {
        invite: invite_dto(&invite, zone),
        path: format!("/invite/{}", token.as_str()),
    })
}

pub async fn revoke_invite(state: Services, staff: StaffUser, id: i64) -> Result<(), AppError> {
    require_manager(&staff)?;
    state
        .store
        .revoke_invite(staff.tenant_id, acting(&staff), id, state.clock.now())
        .await
        .map_err(refusal)
}

pub async fn set_role(
    state: Services,
    staff: StaffUser,
    user_id: i64,
    role: String,
) -> Result<(), AppError> {
    require_manager(&staff)?;
    let role = role_of(&role)?;
    state
        .store
        .set_member_role(staff.tenant_id, acting(&staff), UserId(user_id), role)
        .await
        .map_err(refusal)
}

pub async fn remove(state: Services, staff: StaffUser, user_id: i64) -> Result<(), AppError> {
    require_manager(&staff)?;
    state
        .store
        .remove_member(staff.tenant_id, acting(&staff), UserId(user_id))
        .await
        .map_err(refusal)
}

/// The session token of this request, so a password change keeps the
/// session it was made from and ends the others.
fn this_session() -> Option<String> {
    let parts = leptos::prelude::use_context::<http::request::Parts>()?;
    session_token_in(&parts.headers)
}

pub async fn change_password(
    state: Services,
    staff: StaffUser,
    current: String,
    new: String,
    confirm: String,
) -> Result<(), AppError> {
    if current.len() > MAX_PASSWORD_BYTES || new.len() > MAX_PASSWORD_BYTES {
        return Err(AppError::Invalid("That password is too long.".into()));
    }
    if new != confirm {
        return Err(AppError::Invalid(
            "The new password and its repetition differ.".into(),
        ));
    }
    let changed = state
        .store
        .change_password(
            staff.tenant_id,
            staff.id,
            this_session().as_deref(),
            &current,
            &new,
        )
        .await;
    if let Err(StoreError::TooManyGuesses { minutes }) = &changed {
        return Err(AppError::Refused {
            code: "too_many_attempts".into(),
            status: 429,
            message: format!("Too many wrong passwords. Try again in {minutes} minute(s)."),
        });
    }
    changed.map_err(refusal)?;
    tracing::info!(user = %staff.id, "password changed");
    Ok(())
}

/// What an invite link offers; `None` for a dead link. Reachable signed
/// out (the person has no account yet).
pub async fn invite_offer(
    state: Services,
    token: String,
) -> Result<Option<InviteOfferDto>, AppError> {
    Ok(state
        .store
        .invite_offer(&token, state.clock.now())
        .await?
        .map(|offer| InviteOfferDto {
            tenant_name: offer.tenant_name,
            role: offer.role,
            note: offer.note,
        }))
}

/// Changes the signed-in user's own name.
pub async fn rename(state: Services, staff: StaffUser, name: String) -> Result<(), AppError> {
    state
        .store
        .set_user_name(staff.tenant_id, staff.id, &name)
        .await
        .map_err(refusal)
}
