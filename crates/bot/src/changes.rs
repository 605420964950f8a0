//! Cancelling and moving the customer's own bookings.
//!
//! The customer is known by their WhatsApp number; only their upcoming
//! bookings are candidates, narrowed by what the message says (a booking
//! code, the kind or court, and for a cancel the day and time). One left:
//! the bot asks to confirm, with buttons. Several: it asks which, by list.
//! The change itself goes through the booking service under the customer
//! policy (the venue's cutoff, rules and prices), with the customer's own
//! words as the reason; the booking is checked to be theirs again right
//! before, so a forged or stale tap can never touch another's booking.

use crate::dialogue::{Context, DialogueState, Step};
use crate::typed_codes::{certain_codes_in, codes_in};
use crate::{replies, BotError};
use booking::{BookingError, MoveRequest};
use chrono::{Duration, NaiveDate, NaiveTime};
use domain::availability::{check_slot, SlotViolation};
use domain::language::Understanding;
use domain::opening_hours::local_to_utc;
use domain::{BookingId, BookingStatus, TimeRange};
use serde::{Deserialize, Serialize};
use store::{Booking, BookingFilter, Resource, StoreError};

/// The most bookings offered in the "which one?" list (WhatsApp's limit).
const LIST_MAX: usize = 10;
/// A reason is kept to this many characters (the service takes 500).
const REASON_CHARS: usize = 300;

/// What the customer asked to do to one of their bookings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub cancel: bool,
    /// Their words, kept as the reason.
    pub reason: String,
    /// For a move: the new day and time as said (any part may be missing).
    #[serde(default)]
    pub to: NewSlot,
}

/// The new slot of a move, as far as the customer gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct NewSlot {
    pub date: Option<NaiveDate>,
    pub start: Option<NaiveTime>,
    pub ambiguous_start: Option<NaiveTime>,
    pub duration_minutes: Option<u32>,
    pub shift_minutes: Option<i32>,
}

impl NewSlot {
    pub fn from(u: &Understanding) -> Self {
        NewSlot {
            date: u.date,
            start: u.start,
            ambiguous_start: u.ambiguous_start,
            duration_minutes: u.duration_minutes,
            shift_minutes: u.shift_minutes,
        }
    }

    fn is_empty(&self) -> bool {
        self.date.is_none()
            && self.start.is_none()
            && self.ambiguous_start.is_none()
            && self.duration_minutes.is_none()
            && self.shift_minutes.is_none()
    }

    /// Newer parts replace older ones ("to friday" then "8pm").
    pub fn merge(&mut self, newer: NewSlot) {
        if newer.date.is_some() {
            self.date = newer.date;
        }
        if newer.start.is_some() || newer.ambiguous_start.is_some() {
            self.start = newer.start;
            self.ambiguous_start = newer.ambiguous_start;
            self.shift_minutes = None;
        }
        if newer.duration_minutes.is_some() {
            self.duration_minutes = newer.duration_minutes;
        }
        if newer.shift_minutes.is_some() {
            self.shift_minutes = newer.shift_minutes;
        }
    }
}

impl Change {
    pub fn new(cancel: bool, text: &str, u: &Understanding) -> Self {
        Change {
            cancel,
            reason: reason(text),
            to: if cancel {
                NewSlot::default()
            } else {
                NewSlot::from(u)
            },
        }
    }
}

/// The customer's words as a reason, on one line and not too long.
fn reason(text: &str) -> String {
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut kept: String = line.chars().take(REASON_CHARS).collect();
    if kept.is_empty() {
        kept = "asked on WhatsApp".to_string();
    }
    format!("customer on WhatsApp: {kept}")
}

/// The customer's upcoming bookings that can still change: confirmed ones
/// and pending ones that are not a hold.
async fn upcoming(cx: &Context<'_>) -> Result<Vec<Booking>, BotError> {
    let ahead = TimeRange::new(cx.now, cx.now + Duration::days(366))
        .map_err(|_| BotError::Booking(BookingError::Internal))?;
    let bookings = cx
        .store
        .bookings(
            cx.tenant,
            &BookingFilter {
                overlapping: Some(ahead),
                customer_id: Some(cx.customer),
                limit: Some(200),
                ..BookingFilter::default()
            },
        )
        .await?;
    Ok(bookings
        .into_iter()
        .filter(|b| b.range.start() > cx.now)
        .filter(|b| {
            b.status == BookingStatus::Confirmed
                || (b.status == BookingStatus::Pending && b.hold_expires_at.is_none())
        })
        .collect())
}

/// Narrows `bookings` by each thing the message says, skipping a clue
/// that would leave none (a wrong day does not hide the booking).
fn narrow<'b>(
    cx: &Context<'_>,
    bookings: Vec<&'b Booking>,
    u: &Understanding,
    text: &str,
    cancel: bool,
) -> Vec<&'b Booking> {
    let resource = |b: &Booking| cx.resources.iter().find(|r| r.id == b.resource_id);
    let mut left = bookings;
    let mut keep = |test: &dyn Fn(&Booking) -> bool| {
        let kept: Vec<&Booking> = left.iter().copied().filter(|b| test(b)).collect();
        if !kept.is_empty() {
            left = kept;
        }
    };
    let said = codes_in(text);
    keep(&|b| b.code.as_ref().is_some_and(|c| said.contains(c)));
    if let Some(kind) = &u.kind {
        keep(&|b| resource(b).is_some_and(|r| &r.kind == kind));
    }
    if let Some(number) = u.resource_number {
        let number = number.to_string();
        keep(&|b| b.resource_name.split_whitespace().any(|w| w == number));
    }
    // A cancel names the booking's own day and time; a move names the new.
    if cancel {
        let local = |b: &Booking| b.range.start().with_timezone(&b.timezone).naive_local();
        if let Some(date) = u.date {
            keep(&|b| local(b).date() == date);
        }
        if let Some(start) = u.start {
            keep(&|b| local(b).time() == start);
        } else if let Some(morning) = u.ambiguous_start {
            let evening = morning + Duration::hours(12);
            keep(&|b| [morning, evening].contains(&local(b).time()));
        }
    }
    left
}

/// Starts a cancel or a move: finds the booking, then asks which, or
/// proposes the change.
pub async fn start(
    cx: &Context<'_>,
    change: Change,
    u: &Understanding,
    text: &str,
) -> Result<Step, BotError> {
    let mine = upcoming(cx).await?;
    if mine.is_empty() {
        return Ok(Step::say(
            replies::no_bookings(cx.lang),
            DialogueState::Idle,
        ));
    }
    // A code that is none of theirs: say so rather than guess another.
    let said = certain_codes_in(text);
    if !said.is_empty()
        && !mine
            .iter()
            .any(|b| b.code.as_ref().is_some_and(|c| said.contains(c)))
    {
        let code = said.first().map(ToString::to_string).unwrap_or_default();
        return Ok(Step::say(
            replies::code_not_found(cx.lang, &code),
            DialogueState::Idle,
        ));
    }
    let candidates = narrow(cx, mine.iter().collect(), u, text, change.cancel);
    if let [only] = candidates.as_slice() {
        return propose(cx, change, only).await;
    }
    let shown: Vec<(&Booking, Option<&Resource>)> = candidates
        .iter()
        .take(LIST_MAX)
        .map(|b| (*b, cx.resources.iter().find(|r| r.id == b.resource_id)))
        .collect();
    let reply = replies::which_booking(cx.lang, change.cancel, &shown, cx.version);
    let shown = shown.iter().map(|(b, _)| b.id).collect();
    Ok(Step::reply(
        reply,
        DialogueState::ChoosingBooking {
            change,
            menu: cx.version,
            shown,
        },
    ))
}

/// The customer picked a booking from the list (or narrowed it by typing).
pub async fn chosen(cx: &Context<'_>, change: Change, id: BookingId) -> Result<Step, BotError> {
    match own(cx, id).await? {
        Some(booking) => propose(cx, change, &booking).await,
        None => Ok(Step::say(
            replies::change_gone(cx.lang),
            DialogueState::Idle,
        )),
    }
}

/// While the list is open, a message that narrows it to one booking.
pub async fn narrowed(
    cx: &Context<'_>,
    change: Change,
    menu: i64,
    shown: Vec<BookingId>,
    u: &Understanding,
    text: &str,
) -> Result<Step, BotError> {
    // Only among the bookings on the list (all upcoming ones for a list
    // made before the list was remembered).
    let mine: Vec<Booking> = upcoming(cx)
        .await?
        .into_iter()
        .filter(|b| shown.is_empty() || shown.contains(&b.id))
        .collect();
    let candidates = narrow(cx, mine.iter().collect(), u, text, true);
    match candidates.as_slice() {
        [only] if candidates.len() < mine.len() || mine.len() == 1 => {
            propose(cx, change, only).await
        }
        _ => Ok(Step::say(
            replies::pick_from_list(cx.lang),
            DialogueState::ChoosingBooking {
                change,
                menu,
                shown,
            },
        )),
    }
}

/// The booking, if it is still this customer's and can change: the same
/// bookings [`upcoming`] lists (a hold is not one).
async fn own(cx: &Context<'_>, id: BookingId) -> Result<Option<Booking>, BotError> {
    match cx.store.booking(cx.tenant, id).await {
        Ok(b)
            if b.customer_id == Some(cx.customer)
                && b.range.start() > cx.now
                && (b.status == BookingStatus::Confirmed
                    || (b.status == BookingStatus::Pending && b.hold_expires_at.is_none())) =>
        {
            Ok(Some(b))
        }
        Ok(_) | Err(StoreError::NotFound) => Ok(None),
        Err(other) => Err(other.into()),
    }
}

/// Waiting for yes or no on a change of `booking` as it is now; its
/// buttons name this turn's version, so an older button cannot confirm it.
fn confirming(
    cx: &Context<'_>,
    change: Change,
    booking: &Booking,
    to: Option<TimeRange>,
) -> DialogueState {
    DialogueState::ConfirmingChange {
        change,
        booking: booking.id,
        to,
        menu: cx.version,
        was: Some(booking.range),
        proposed_at: Some(cx.now),
    }
}

/// How long a proposed cancel or move waits for its yes: a yes after this
/// (a reply to a reminder days later) is asked again.
const ANSWER_MINUTES: i64 = 30;

/// Whether a proposal made at `at` is too old for a typed yes.
pub fn stale(
    at: Option<chrono::DateTime<chrono::Utc>>,
    now: chrono::DateTime<chrono::Utc>,
) -> bool {
    at.is_none_or(|at| now - at > Duration::minutes(ANSWER_MINUTES))
}

/// Whether a message points at an existing booking ("my booking", a code),
/// rather than at the one being gathered.
pub fn names_a_booking(text: &str) -> bool {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    !codes_in(text).is_empty()
        || words.iter().any(|w| {
            matches!(
                *w,
                "booking"
                    | "bookingan"
                    | "bookings"
                    | "reservasi"
                    | "reservation"
                    | "pesanan"
                    | "jadwal"
                    | "my"
                    | "saya"
                    | "aku"
                    | "ku"
                    | "sy"
            ) || (w.starts_with("booking") && w.ends_with("ku"))
        })
}

/// Waiting (again) for the new day and time of a move.
fn asking(cx: &Context<'_>, change: Change, booking: &Booking) -> DialogueState {
    confirming(
        cx,
        Change {
            to: NewSlot::default(),
            ..change
        },
        booking,
        None,
    )
}

/// Why a move cannot be proposed, checked before the customer is asked.
enum Unfit {
    Same,
    Past,
    Closed,
    Rule(SlotViolation),
    Taken,
}

/// The checks the booking service would make on yes, made first so the
/// customer is never asked to confirm a move that will be refused.
async fn vet(
    cx: &Context<'_>,
    resource: &Resource,
    booking: &Booking,
    range: &TimeRange,
) -> Result<Option<Unfit>, BotError> {
    if *range == booking.range {
        return Ok(Some(Unfit::Same));
    }
    if range.start() <= cx.now {
        return Ok(Some(Unfit::Past));
    }
    if !resource.hours.covers(range, resource.timezone) {
        return Ok(Some(Unfit::Closed));
    }
    if let Err(violation) = check_slot(
        &resource.slot_rules(),
        range,
        resource.min_minutes,
        resource.max_minutes,
        cx.now,
    ) {
        return Ok(Some(Unfit::Rule(violation)));
    }
    // Overlapping its own old slot is for the service to judge.
    let overlaps_own = range.start() < booking.range.end() && booking.range.start() < range.end();
    if !overlaps_own
        && !cx
            .store
            .is_free(cx.tenant, resource.id, range, cx.now)
            .await?
    {
        return Ok(Some(Unfit::Taken));
    }
    Ok(None)
}

/// Asks to confirm the cancel, or the move with its new price; for a move
/// with no new day or time yet, or one that cannot be made, asks for one.
async fn propose(cx: &Context<'_>, change: Change, booking: &Booking) -> Result<Step, BotError> {
    let resource = cx.resources.iter().find(|r| r.id == booking.resource_id);
    if change.cancel {
        let reply = replies::confirm_cancel(cx.lang, resource, booking, cx.version);
        return Ok(Step::reply(reply, confirming(cx, change, booking, None)));
    }
    let Some(resource) = resource else {
        return Ok(Step::say(
            replies::change_gone(cx.lang),
            DialogueState::Idle,
        ));
    };
    let Some(range) = new_range(resource, booking, &change.to) else {
        return Ok(Step::say(
            replies::ask_new_slot(cx.lang, resource, booking),
            asking(cx, change, booking),
        ));
    };
    let why = match vet(cx, resource, booking, &range).await? {
        None => None,
        Some(Unfit::Same) => Some(replies::move_same(cx.lang)),
        Some(Unfit::Past) => Some(replies::move_past(cx.lang)),
        Some(Unfit::Closed) => Some(replies::move_closed(cx.lang)),
        Some(Unfit::Rule(violation)) => Some(replies::move_refused(cx.lang, &violation)),
        Some(Unfit::Taken) => Some(replies::move_taken(cx.lang)),
    };
    if let Some(why) = why {
        return Ok(Step::say(why, asking(cx, change, booking)));
    }
    let price = cx.store.quote(cx.tenant, resource, &range).await?.total;
    let reply = replies::confirm_move(cx.lang, resource, booking, &range, price, cx.version);
    Ok(Step::reply(
        reply,
        confirming(cx, change, booking, Some(range)),
    ))
}

/// The new slot of a move: the day and time said, else the booking's own
/// (a new time on the same day, a new day at the same time), shifted if a
/// shift was said; `None` when nothing new was said.
fn new_range(resource: &Resource, booking: &Booking, to: &NewSlot) -> Option<TimeRange> {
    if to.is_empty() {
        return None;
    }
    let tz = resource.timezone;
    let old = booking.range.start().with_timezone(&tz).naive_local();
    let date = to.date.unwrap_or(old.date());
    let minutes = to
        .duration_minutes
        .map_or_else(|| booking.range.minutes(), i64::from);
    let start = match (to.start, to.ambiguous_start) {
        (Some(start), _) => start,
        (None, Some(morning)) => {
            // The reading the venue is open for; both open: nearer the old time.
            let evening = morning + Duration::hours(12);
            let open = |t: NaiveTime| {
                TimeRange::starting_at(local_to_utc(date.and_time(t), tz), minutes)
                    .is_ok_and(|r| resource.hours.covers(&r, tz))
            };
            match (open(morning), open(evening)) {
                (true, false) => morning,
                (false, true) => evening,
                _ => {
                    let gap = |t: NaiveTime| (t - old.time()).num_minutes().abs();
                    if gap(evening) < gap(morning) {
                        evening
                    } else {
                        morning
                    }
                }
            }
        }
        (None, None) => old.time(),
    };
    let mut at = date.and_time(start);
    if to.start.is_none() && to.ambiguous_start.is_none() {
        if let Some(shift) = to.shift_minutes {
            at += Duration::minutes(i64::from(shift));
        }
    }
    TimeRange::starting_at(local_to_utc(at, tz), minutes).ok()
}

/// The customer said yes to the proposed change: make it, if the booking
/// is still as it was when the change was proposed (otherwise propose
/// again from what it is now).
pub async fn confirm(
    cx: &Context<'_>,
    change: Change,
    id: BookingId,
    to: Option<TimeRange>,
    was: Option<TimeRange>,
) -> Result<Step, BotError> {
    let Some(booking) = own(cx, id).await? else {
        return Ok(Step::say(
            replies::change_gone(cx.lang),
            DialogueState::Idle,
        ));
    };
    if was.is_some_and(|was| was != booking.range) {
        return propose(cx, change, &booking).await;
    }
    let resource = cx.resources.iter().find(|r| r.id == booking.resource_id);
    let caller = cx.caller();
    let done = match (change.cancel, to) {
        (true, _) => cx
            .bookings
            .cancel(&caller, id, &change.reason)
            .await
            .map(|b| replies::cancelled(cx.lang, resource, &b)),
        (false, Some(range)) => cx
            .bookings
            .reschedule_with_reason(
                &caller,
                id,
                MoveRequest {
                    resource: None,
                    range,
                    seen: None,
                },
                Some(&change.reason),
            )
            .await
            .map(|b| replies::moved(cx.lang, resource, &b, booking.price)),
        (false, None) => {
            return Ok(Step::say(
                replies::ask_new_slot_plain(cx.lang),
                asking(cx, change, &booking),
            ))
        }
    };
    match done {
        Ok(text) => Ok(Step::say(text, DialogueState::Idle)),
        Err(BookingError::TooLateToChange(minutes)) => Ok(Step::say(
            replies::too_late_to_change(cx.lang, minutes),
            DialogueState::Idle,
        )),
        Err(BookingError::SlotTaken | BookingError::Blackout(_)) => Ok(Step::say(
            replies::move_taken(cx.lang),
            asking(cx, change, &booking),
        )),
        Err(BookingError::Rule(violation)) => Ok(Step::say(
            replies::move_refused(cx.lang, &violation),
            asking(cx, change, &booking),
        )),
        Err(
            BookingError::NotFound(_)
            | BookingError::NotMovable(_)
            | BookingError::ChangedMeanwhile
            | BookingError::IllegalTransition { .. }
            | BookingError::TooEarly(_),
        ) => Ok(Step::say(
            replies::change_gone(cx.lang),
            DialogueState::Idle,
        )),
        Err(other) => Err(other.into()),
    }
}
