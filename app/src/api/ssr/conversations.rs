//! People answering customers: the conversations handed to a person, a
//! staff reply (through the same outbox as the bot's), take over and hand
//! back. The work is in `bot::staff` and the store; this maps it for the
//! dashboard.

use super::Services;
use crate::dto::HandoffDto;
use crate::error::AppError;
use bot::staff::StaffReplyError;
use domain::ConversationId;
use store::StaffUser;

pub async fn handoffs(state: Services, staff: StaffUser) -> Result<Vec<HandoffDto>, AppError> {
    let zone = super::venue_zone(&state, &staff).await?;
    let local = |at: chrono::DateTime<chrono::Utc>| {
        at.with_timezone(&zone)
            .format("%a %-d %b %H:%M")
            .to_string()
    };
    Ok(state
        .store
        .handed_off(staff.tenant_id)
        .await?
        .into_iter()
        .map(|h| HandoffDto {
            conversation_id: h.conversation.0,
            channel: h.channel.as_str().to_string(),
            phone: h.phone,
            customer_name: h.customer_name,
            reason: h.handoff.reason.as_str().to_string(),
            since: local(h.handoff.since),
            returns_to_bot: local(h.handoff.returns_at()),
        })
        .collect())
}

/// Sends `text` to the customer as the signed-in staff member.
pub async fn reply(
    state: Services,
    staff: StaffUser,
    conversation: ConversationId,
    text: String,
) -> Result<i64, AppError> {
    bot::staff::reply(
        &state.store,
        staff.tenant_id,
        conversation,
        Some(staff.id.0),
        &text,
        state.clock.now(),
    )
    .await
    .map_err(|error| match error {
        StaffReplyError::Invalid(reason) => AppError::Invalid(reason.to_string()),
        StaffReplyError::NotFound => AppError::NotFound,
        outside @ StaffReplyError::OutsideWindow { .. } => AppError::Refused {
            code: "outside_window".into(),
            status: 409,
            message: outside.to_string(),
        },
        StaffReplyError::Store(store) => store.into(),
    })
}

pub async fn take_over(
    state: Services,
    staff: StaffUser,
    conversation: ConversationId,
) -> Result<(), AppError> {
    Ok(state
        .store
        .take_over(
            staff.tenant_id,
            conversation,
            Some(staff.id.0),
            state.clock.now(),
        )
        .await?)
}

pub async fn hand_back(
    state: Services,
    staff: StaffUser,
    conversation: ConversationId,
) -> Result<(), AppError> {
    Ok(state.store.hand_back(staff.tenant_id, conversation).await?)
}

/// How long a handed-off conversation stays with people after the last
/// staff reply before the bot answers again (owners and admins).
pub async fn set_quiet_period(
    state: Services,
    staff: StaffUser,
    minutes: i64,
) -> Result<(), AppError> {
    super::require_manager(&staff)?;
    Ok(state
        .store
        .set_handoff_quiet_minutes(staff.tenant_id, minutes)
        .await?)
}
