//! The end of a held slot: let go when the customer wants something else,
//! or found already confirmed when a turn is retried; and whether a "yes"
//! with details names the held slot itself.

use crate::dialogue::{Context, DialogueState, Proposal, Step};
use crate::{replies, BotError};
use booking::BookingError;
use domain::language::Understanding;
use domain::BookingStatus;
use store::{Booking, StoreError};

/// Lets go of a held slot the customer no longer wants. A hold that already
/// lapsed or was cancelled elsewhere needs nothing; one that is confirmed
/// already (an earlier try of this very turn booked it and stopped before
/// recording) is returned, so the customer hears they are booked.
pub(crate) async fn release(
    cx: &Context<'_>,
    proposal: &Proposal,
) -> Result<Option<Booking>, BotError> {
    match cx.bookings.release_hold(&cx.caller(), proposal.hold).await {
        Ok(_) | Err(BookingError::NotFound(_)) => Ok(None),
        Err(BookingError::NotAHold) => settled(cx, proposal).await,
        Err(other) => Err(other.into()),
    }
}

/// The proposal's hold if it is this customer's confirmed booking now:
/// the turn that confirmed it did not get to record its answer (a crash,
/// a lapsed claim), and this is its retry.
pub(crate) async fn settled(
    cx: &Context<'_>,
    proposal: &Proposal,
) -> Result<Option<Booking>, BotError> {
    match cx.store.booking(cx.tenant, proposal.hold).await {
        Ok(booking)
            if booking.status == BookingStatus::Confirmed
                && booking.customer_id == Some(cx.customer) =>
        {
            Ok(Some(booking))
        }
        Ok(_) | Err(StoreError::NotFound) => Ok(None),
        Err(other) => Err(other.into()),
    }
}

/// Says the customer is booked (for a retried or repeated confirmation).
pub(crate) fn already_booked(cx: &Context<'_>, proposal: &Proposal, booking: &Booking) -> Step {
    let text = match cx.resources.iter().find(|r| r.id == proposal.resource_id) {
        Some(resource) => replies::booked(cx.lang, resource, booking),
        None => replies::booked_elsewhere(cx.lang, booking),
    };
    Step {
        replies: vec![replies::text(text)],
        state: DialogueState::Idle,
        booked: Some(booking.id),
    }
}

/// Whether a yes that names a day or time names the offered slot itself
/// ("ok 8pm is fine" under an offer at 20:00).
pub(crate) fn names_proposal(cx: &Context<'_>, u: &Understanding, proposal: &Proposal) -> bool {
    let Some(resource) = cx.resources.iter().find(|r| r.id == proposal.resource_id) else {
        return false;
    };
    let start = proposal
        .range
        .start()
        .with_timezone(&resource.timezone)
        .naive_local();
    let evening = |t: chrono::NaiveTime| t + chrono::Duration::hours(12);
    u.date.is_none_or(|d| d == start.date())
        && u.start.is_none_or(|t| t == start.time())
        && u.ambiguous_start
            .is_none_or(|t| t == start.time() || evening(t) == start.time())
        && u.duration_minutes
            .is_none_or(|m| i64::from(m) == proposal.range.minutes())
        && u.kind.as_ref().is_none_or(|k| k == &resource.kind)
        && u.resource_number
            .is_none_or(|n| crate::planner::has_number(&resource.name, n))
}
