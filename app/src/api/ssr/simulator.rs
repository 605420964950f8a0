//! The WhatsApp simulator: staff write as a customer, the real bot answers.

use super::Services;
use crate::dto::{ChatBubble, ChatThread};
use crate::error::AppError;
use domain::PhoneE164;
use store::{Channel, Direction, StaffUser};

/// The simulated customer's number, read as the venue's customers write it.
async fn phone(state: &Services, staff: &StaffUser, text: &str) -> Result<PhoneE164, AppError> {
    Ok(state.bookings.parse_phone(staff.tenant_id, text).await?)
}

pub async fn thread(
    state: Services,
    staff: StaffUser,
    phone_text: String,
) -> Result<ChatThread, AppError> {
    let phone = phone(&state, &staff, &phone_text).await?;
    let zone = state
        .store
        .outlets(staff.tenant_id)
        .await?
        .first()
        .map(|o| o.timezone)
        .unwrap_or(chrono_tz::Asia::Jakarta);
    let messages = state
        .store
        .thread(staff.tenant_id, &phone, Channel::Simulator)
        .await?
        .into_iter()
        .map(|m| ChatBubble {
            id: m.id,
            from_customer: m.direction == Direction::In,
            body: m.body,
            time: m.at.with_timezone(&zone).format("%H:%M").to_string(),
        })
        .collect();
    Ok(ChatThread {
        phone: phone.to_string(),
        messages,
    })
}

pub async fn send(
    state: Services,
    staff: StaffUser,
    phone_text: String,
    text: String,
) -> Result<ChatThread, AppError> {
    let customer = phone(&state, &staff, &phone_text).await?;
    let inbound = bot::Inbound {
        tenant: staff.tenant_id,
        phone: customer,
        text,
        tap: None,
        channel: Channel::Simulator,
        external_id: None,
        answering: None,
        now: state.clock.now(),
    };
    bot::handle_message(&state.bookings, inbound).await?;
    thread(state, staff, phone_text).await
}
