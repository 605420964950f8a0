//! The answers that read the venue's data without booking: opening hours
//! and address, and the customer's own upcoming bookings.

use crate::dialogue::Context;
use crate::{replies, BotError};
use chrono::Duration;
use domain::language::Understanding;
use store::BookingFilter;
use whatsapp::reply::Reply;

/// How many upcoming bookings "my bookings" lists.
const MY_BOOKINGS_SHOWN: i64 = 10;

/// Opening hours on the day asked about (today by default) and the address,
/// for the outlet of the kind asked about, or every outlet.
pub async fn hours_and_location(cx: &Context<'_>, u: &Understanding) -> Result<Reply, BotError> {
    let outlets = cx.store.outlets(cx.tenant).await?;
    let wanted: Vec<_> = cx
        .resources
        .iter()
        .filter(|r| u.kind.is_none_or(|kind| r.kind == kind))
        .collect();
    let mut lines = Vec::new();
    for outlet in &outlets {
        let resources: Vec<_> = wanted.iter().filter(|r| r.outlet_id == outlet.id).collect();
        if resources.is_empty() && outlets.len() > 1 {
            continue;
        }
        let day = u
            .date
            .unwrap_or_else(|| cx.now.with_timezone(&outlet.timezone).date_naive());
        let windows: Vec<_> = resources
            .iter()
            .flat_map(|r| r.hours.windows_between(day, day, outlet.timezone))
            .collect();
        let open = windows.iter().map(|w| w.start()).min();
        let close = windows.iter().map(|w| w.end()).max();
        lines.push(match (open, close) {
            (Some(open), Some(close)) => replies::hours_and_address(
                cx.lang,
                &outlet.name,
                &outlet.address,
                day,
                (
                    open.with_timezone(&outlet.timezone).time(),
                    close.with_timezone(&outlet.timezone).time(),
                ),
            ),
            _ => replies::closed_on(cx.lang, &outlet.name, &outlet.address, day),
        });
    }
    Ok(replies::text(lines.join("\n")))
}

/// The customer's upcoming bookings (confirmed, and holds still live),
/// found by their WhatsApp number.
pub async fn my_bookings(cx: &Context<'_>) -> Result<Reply, BotError> {
    let upcoming = domain::TimeRange::new(cx.now, cx.now + Duration::days(366))
        .map_err(|_| BotError::Booking(booking::BookingError::Internal))?;
    let bookings = cx
        .store
        .bookings(
            cx.tenant,
            &BookingFilter {
                overlapping: Some(upcoming),
                customer_id: Some(cx.customer),
                limit: Some(MY_BOOKINGS_SHOWN * 3),
                ..BookingFilter::default()
            },
        )
        .await?;
    let live: Vec<_> = bookings
        .iter()
        .filter(|b| match b.status {
            domain::BookingStatus::Confirmed => true,
            domain::BookingStatus::Pending => b.hold_expires_at.is_none_or(|at| at > cx.now),
            _ => false,
        })
        .take(usize::try_from(MY_BOOKINGS_SHOWN).unwrap_or(10))
        .map(|b| (b, cx.resources.iter().find(|r| r.id == b.resource_id)))
        .collect();
    if live.is_empty() {
        return Ok(replies::text(replies::no_bookings(cx.lang)));
    }
    Ok(replies::text(replies::my_bookings(cx.lang, &live)))
}
