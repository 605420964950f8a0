//! The booking dialogue: what the bot remembers between messages and how
//! each message moves it on.
//!
//! When the bot proposes a slot it also *holds* it (a pending booking that
//! lapses after [`HOLD_MINUTES`]), so nobody else can take it while the
//! customer types "yes". "Yes" confirms the hold; "no", a new request or
//! silence releases it.

use crate::changes::{self, Change, NewSlot};
use crate::holds::{already_booked, names_proposal, release, settled};
use crate::planner::{self, Plan, Request};
use crate::taps::{OfferChoice, Tap};
use crate::{replies, BotError};
use booking::{BookRequest, BookingError, BookingService, Caller, CustomerRef};
use chrono::{DateTime, Utc};
use domain::availability::Policy;
use domain::language::{Intent, Lang, Understanding};
use domain::{Actor, BookingId, CustomerId, PhoneE164, ResourceId, TenantId, TimeRange};
use serde::{Deserialize, Serialize};
use store::{BookingSource, Channel, Resource, Store};
use whatsapp::reply::Reply;

/// How long an offered slot is held for the customer.
pub const HOLD_MINUTES: i64 = 10;

/// How often the bot re-plans when the slot it chose is taken at that very moment.
const PLAN_ATTEMPTS: usize = 3;

/// What the bot remembers about a conversation between two messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum DialogueState {
    /// Nothing under way.
    #[default]
    Idle,
    /// Gathering what a booking needs; `menu` names the list of free
    /// times last sent, while it is the one open.
    Collecting {
        request: Request,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        menu: Option<i64>,
    },
    /// A free slot was proposed and held; waiting for yes or no.
    Confirming {
        request: Request,
        proposal: Proposal,
    },
    /// Asked which of their bookings a cancel or a move is about, by the
    /// list sent at conversation version `menu`.
    ChoosingBooking {
        change: Change,
        menu: i64,
        /// The bookings on the list: a typed answer picks among them.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        shown: Vec<BookingId>,
    },
    /// A cancel or a move of `booking` was proposed (`to`: the new slot of
    /// a move); waiting for yes or no, or for the new day and time when
    /// `to` is still missing.
    ConfirmingChange {
        change: Change,
        booking: BookingId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<TimeRange>,
        /// The conversation version the proposal was made at: its buttons
        /// carry it.
        #[serde(default)]
        menu: i64,
        /// The booking's slot when the change was proposed: a yes acts only
        /// if it is still there.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        was: Option<TimeRange>,
        /// When the change was proposed: a yes long after is asked again.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        proposed_at: Option<DateTime<Utc>>,
    },
}

/// A concrete slot the bot offered, and the hold that keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub resource_id: ResourceId,
    pub range: TimeRange,
    pub price_minor: i64,
    pub hold: BookingId,
}

impl DialogueState {
    /// Reads the stored state; anything unreadable (an older format) starts over.
    pub fn from_json(json: &str) -> Self {
        serde_json::from_str(json).unwrap_or_default()
    }

    /// The resource of a held offer, or the kind of a request, under way:
    /// what a message with no kind of its own is about.
    pub fn under_way(&self) -> (Option<ResourceId>, Option<domain::ResourceKind>) {
        match self {
            DialogueState::Idle
            | DialogueState::ChoosingBooking { .. }
            | DialogueState::ConfirmingChange { .. } => (None, None),
            DialogueState::Collecting { request, .. } => (None, request.kind.clone()),
            DialogueState::Confirming { request, proposal } => {
                (Some(proposal.resource_id), request.kind.clone())
            }
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_string())
    }
}

pub struct Context<'a> {
    pub store: &'a Store,
    /// The booking service, with "now" pinned to the message's arrival.
    pub bookings: &'a BookingService,
    pub phone: &'a PhoneE164,
    pub tenant: TenantId,
    pub customer: CustomerId,
    pub channel: Channel,
    pub resources: &'a [Resource],
    pub now: DateTime<Utc>,
    pub lang: Lang,
    /// The conversation's version this turn read: names the lists it
    /// sends, so a tap on an older list is recognised.
    pub version: i64,
}

impl Context<'_> {
    pub(crate) fn actor(&self) -> Actor {
        Actor::Customer(self.phone.clone())
    }

    /// The customer books for themselves, under every rule.
    pub(crate) fn caller(&self) -> Caller {
        Caller {
            tenant: self.tenant,
            policy: Policy::Customer,
            actor: self.actor(),
            source: self.source(),
        }
    }

    fn source(&self) -> BookingSource {
        match self.channel {
            Channel::Simulator => BookingSource::Simulator,
            Channel::Whatsapp => BookingSource::Whatsapp,
        }
    }
}

/// The bot's answer to one message and the state it leaves behind.
pub struct Step {
    pub replies: Vec<Reply>,
    pub state: DialogueState,
    pub booked: Option<BookingId>,
}

impl Step {
    pub(crate) fn say(text: String, state: DialogueState) -> Step {
        Step::reply(replies::text(text), state)
    }

    pub(crate) fn reply(reply: Reply, state: DialogueState) -> Step {
        Step {
            replies: vec![reply],
            state,
            booked: None,
        }
    }
}

/// A tapped button or list row. Acts only when the tap names the offer
/// that is open now; anything else (answered, replaced, lapsed, or an id
/// the bot never made) is answered as such and changes nothing.
pub async fn tapped(cx: &Context<'_>, state: DialogueState, tap: Tap) -> Result<Step, BotError> {
    let lang = cx.lang;
    match (state, tap) {
        (DialogueState::Confirming { request, proposal }, Tap::Offer { hold, choice })
            if hold == proposal.hold.0 =>
        {
            match choice {
                OfferChoice::Confirm => confirm(cx, request, proposal).await,
                OfferChoice::Cancel => {
                    if let Some(booking) = release(cx, &proposal).await? {
                        return Ok(already_booked(cx, &proposal, &booking));
                    }
                    Ok(Step::say(replies::dropped(lang), DialogueState::Idle))
                }
                OfferChoice::Change => {
                    if let Some(booking) = release(cx, &proposal).await? {
                        return Ok(already_booked(cx, &proposal, &booking));
                    }
                    Ok(Step::say(
                        replies::ask_other_time(lang),
                        DialogueState::Collecting {
                            request: request.without_time(),
                            menu: None,
                        },
                    ))
                }
            }
        }
        // A free time, another court, a kind or a day from the list or
        // buttons open now: it fills the request, which is planned again.
        (
            DialogueState::Collecting {
                request,
                menu: Some(open),
            },
            tap,
        ) if tap.fills_request_at() == Some(open) => plan(cx, tap.fill(request)).await,
        (
            DialogueState::ChoosingBooking {
                change, menu: open, ..
            },
            Tap::Booking { menu, booking },
        ) if menu == open => changes::chosen(cx, change, BookingId(booking)).await,
        (
            DialogueState::ConfirmingChange {
                change,
                booking,
                to,
                menu: open,
                was,
                proposed_at,
            },
            Tap::Change {
                menu,
                booking: tapped,
                yes,
            },
        ) if tapped == booking.0 && menu == open => {
            if yes && changes::stale(proposed_at, cx.now) {
                changes::chosen(cx, change, booking).await
            } else if yes {
                changes::confirm(cx, change, booking, to, was).await
            } else {
                Ok(Step::say(replies::kept(lang), DialogueState::Idle))
            }
        }
        (state, _) => Ok(Step::say(replies::stale_tap(lang), state)),
    }
}

pub async fn advance(
    cx: &Context<'_>,
    state: DialogueState,
    u: &Understanding,
    text: &str,
) -> Result<Step, BotError> {
    let lang = cx.lang;
    let holding = matches!(state, DialogueState::Confirming { .. });
    match (state, u.intent) {
        // A yes that names another day or time ("yes but at 9pm") asks
        // for that slot instead, unless it names the one offered.
        (DialogueState::Confirming { request, proposal }, Intent::Affirm)
            if !u.has_slot_details() || names_proposal(cx, u, &proposal) =>
        {
            confirm(cx, request, proposal).await
        }
        // "cancel" while a slot is offered and held declines the offer
        // (the customer asks again for an older booking if they meant one);
        // a "no" that names another time asks for that time instead.
        (DialogueState::Confirming { proposal, .. }, intent)
            if intent == Intent::Cancel || (intent == Intent::Deny && !u.has_when()) =>
        {
            if let Some(booking) = release(cx, &proposal).await? {
                return Ok(already_booked(cx, &proposal, &booking));
            }
            Ok(Step::say(replies::dropped(lang), DialogueState::Idle))
        }
        // A proposed cancel or move: yes makes it, no keeps the booking,
        // a new day or time changes the move.
        (
            DialogueState::ConfirmingChange {
                change,
                booking,
                to,
                was,
                proposed_at,
                ..
            },
            Intent::Affirm,
        ) if (change.cancel || to.is_some()) && !u.has_when() => {
            // A yes long after the question is not an answer to it.
            if changes::stale(proposed_at, cx.now) {
                return changes::chosen(cx, change, booking).await;
            }
            changes::confirm(cx, change, booking, to, was).await
        }
        // A yes that also names a day or time under a cancel question:
        // not a clear yes to this cancel.
        (state @ DialogueState::ConfirmingChange { .. }, Intent::Affirm) if matches!(&state, DialogueState::ConfirmingChange { change, .. } if change.cancel) => {
            Ok(Step::say(replies::yes_or_keep(lang), state))
        }
        // A short "cancel" while a new booking is being gathered drops it;
        // it is not about an existing booking.
        (DialogueState::Collecting { .. }, Intent::Cancel)
            if !u.has_slot_details()
                && text.split_whitespace().count() <= 4
                && !changes::names_a_booking(text) =>
        {
            Ok(Step::say(replies::dropped(lang), DialogueState::Idle))
        }
        (
            DialogueState::ConfirmingChange { .. } | DialogueState::ChoosingBooking { .. },
            Intent::Deny,
        ) if !u.has_when() => Ok(Step::say(replies::kept(lang), DialogueState::Idle)),
        (
            DialogueState::ConfirmingChange {
                mut change,
                booking,
                ..
            },
            intent,
        ) if !change.cancel
            && (u.has_when() || u.shift_minutes.is_some())
            && !matches!(
                intent,
                Intent::Cancel | Intent::MyBookings | Intent::HoursLocation
            ) =>
        {
            change.to.merge(NewSlot::from(u));
            changes::chosen(cx, change, booking).await
        }
        (
            DialogueState::ChoosingBooking {
                change,
                menu,
                shown,
            },
            intent,
        ) if picks_from_list(intent, u) => {
            changes::narrowed(cx, change, menu, shown, u, text).await
        }
        // Cancelling or moving one of their bookings (while no offer is held).
        (_, Intent::Cancel) if !holding => {
            changes::start(cx, Change::new(true, text, u), u, text).await
        }
        (_, Intent::Reschedule) if !holding => {
            changes::start(cx, Change::new(false, text, u), u, text).await
        }
        // Questions answered from the venue's data; whatever was under way
        // (a held slot too) stays as it was.
        (state, Intent::HoursLocation) => Ok(Step::reply(
            crate::info::hours_and_location(cx, u).await?,
            state,
        )),
        (state, Intent::MyBookings) => Ok(Step::reply(crate::info::my_bookings(cx).await?, state)),
        (state, Intent::Waitlist) => Ok(Step::say(replies::waitlist_not_yet(lang), state)),
        // Parking, payment, rules: a fair question the bot cannot answer yet.
        (state, Intent::Other) if u.about_venue && !holding => Ok(Step::say(
            replies::venue_question(lang, cx.resources),
            state,
        )),
        // "Is it free?" and "how much?" with no time yet: the free times
        // of the day as a list to tap, or the rates; an exact slot goes on
        // to an offer (held) with its price, piece by piece.
        (state, Intent::Availability)
            if !holding && u.start.is_none() && u.ambiguous_start.is_none() =>
        {
            let mut request = match state {
                DialogueState::Collecting { request, .. } => request,
                _ => Request::default(),
            };
            request.merge(u);
            crate::info::free_times(cx, request).await
        }
        (state, Intent::Price) if !holding => {
            let mut request = match state {
                DialogueState::Collecting { request, .. } => request,
                _ => Request::default(),
            };
            request.merge(u);
            crate::info::price(cx, request).await
        }
        // A venue question that names a time ("is there parking at 8pm?")
        // asks about the venue, not for that slot: a held offer stays put.
        (state, _)
            if (u.has_slot_details() && !u.about_venue)
                || (u.intent == Intent::Book
                    && !matches!(state, DialogueState::Confirming { .. })) =>
        {
            let mut request = match state {
                DialogueState::Collecting { request, .. } => request,
                DialogueState::Confirming { request, proposal } => {
                    if let Some(booking) = release(cx, &proposal).await? {
                        return Ok(already_booked(cx, &proposal, &booking));
                    }
                    request
                }
                DialogueState::Idle
                | DialogueState::ChoosingBooking { .. }
                | DialogueState::ConfirmingChange { .. } => Request::default(),
            };
            request.merge(u);
            plan(cx, request).await
        }
        (DialogueState::Confirming { request, proposal }, intent) => {
            let reminder = replies::still_waiting(lang, intent);
            // A question beside the offer ("what sports do you have?",
            // "is there parking?") gets its answer first; the offer stays.
            let text = match intent {
                Intent::Other if u.about_venue => format!(
                    "{}\n\n{reminder}",
                    replies::venue_question(lang, cx.resources)
                ),
                Intent::Other => {
                    format!("{}\n\n{reminder}", replies::on_offer(lang, cx.resources))
                }
                _ => reminder,
            };
            Ok(Step::say(
                text,
                DialogueState::Confirming { request, proposal },
            ))
        }
        (DialogueState::Collecting { .. }, Intent::Deny) => {
            Ok(Step::say(replies::dropped(lang), DialogueState::Idle))
        }
        (DialogueState::Collecting { request, .. }, _) => {
            // Nothing new: ask again for what is still missing.
            plan(cx, request).await
        }
        (DialogueState::Idle, Intent::Greeting) => Ok(Step::say(
            replies::greeting(lang, cx.resources),
            DialogueState::Idle,
        )),
        (DialogueState::Idle, Intent::Thanks) => {
            Ok(Step::say(replies::welcome(lang), DialogueState::Idle))
        }
        (DialogueState::Idle, _) => Ok(Step::say(
            replies::help(lang, cx.resources),
            DialogueState::Idle,
        )),
        (state @ DialogueState::ChoosingBooking { .. }, _) => {
            Ok(Step::say(replies::pick_from_list(lang), state))
        }
        (state @ DialogueState::ConfirmingChange { to: None, .. }, _) if matches!(&state, DialogueState::ConfirmingChange { change, .. } if !change.cancel) => {
            Ok(Step::say(replies::ask_new_slot_plain(lang), state))
        }
        (state @ DialogueState::ConfirmingChange { .. }, _) => {
            Ok(Step::say(replies::yes_or_keep(lang), state))
        }
    }
}

pub(crate) async fn plan(cx: &Context<'_>, request: Request) -> Result<Step, BotError> {
    let lang = cx.lang;
    for _ in 0..PLAN_ATTEMPTS {
        let outcome = planner::plan(cx.store, cx.tenant, cx.resources, &request, cx.now).await?;
        return Ok(match outcome {
            Plan::Ask(question) => return crate::info::ask(cx, request, question).await,
            Plan::Refuse(reason) => {
                // Only the court was wrong: the day and time stay.
                let request = if matches!(reason, planner::Refusal::NoSuchCourt { .. }) {
                    Request {
                        court: None,
                        ..request
                    }
                } else {
                    request.without_time()
                };
                let state = DialogueState::Collecting {
                    request,
                    menu: Some(cx.version),
                };
                Step::reply(replies::refusal(lang, &reason, cx.version), state)
            }
            Plan::Offer {
                resource,
                range,
                price,
                assumed_today,
            } => {
                let hold = BookRequest {
                    resources: vec![resource.id],
                    range,
                    customer: Some(CustomerRef::Known(cx.customer)),
                    hold_minutes: Some(HOLD_MINUTES),
                };
                let held = match cx.bookings.book(&cx.caller(), hold, None).await {
                    Ok(booked) => booked
                        .bookings
                        .into_iter()
                        .next()
                        .ok_or(BotError::Booking(BookingError::Internal))?,
                    // Taken (or closed) between the search and the hold:
                    // search again.
                    Err(BookingError::SlotTaken | BookingError::Blackout(_)) => continue,
                    Err(other) => return Err(other.into()),
                };
                let offer = replies::offer(
                    lang,
                    resource,
                    &range,
                    price,
                    assumed_today,
                    held.id,
                    HOLD_MINUTES,
                );
                let proposal = Proposal {
                    resource_id: resource.id,
                    range,
                    price_minor: price.minor,
                    hold: held.id,
                };
                let mut step = Step::reply(offer, DialogueState::Confirming { request, proposal });
                if let DialogueState::Confirming { request, .. } = &step.state {
                    if request.courts.is_some_and(|n| n > 1) {
                        step.replies
                            .insert(0, replies::text(replies::one_court_at_a_time(lang)));
                    }
                }
                step
            }
        });
    }
    Ok(Step::say(
        replies::just_taken(lang),
        DialogueState::Collecting {
            request: request.without_time(),
            menu: None,
        },
    ))
}

async fn confirm(cx: &Context<'_>, request: Request, proposal: Proposal) -> Result<Step, BotError> {
    let lang = cx.lang;
    let Some(resource) = cx.resources.iter().find(|r| r.id == proposal.resource_id) else {
        // The resource went (archived): let its hold go, then look again.
        if let Some(booking) = release(cx, &proposal).await? {
            return Ok(already_booked(cx, &proposal, &booking));
        }
        return plan(cx, request).await;
    };
    // Read before the hold is confirmed: once it is, the confirmation
    // must go out whatever else fails.
    let instructions = cx.store.payment_instructions_in(cx.tenant, lang).await?;
    match cx.bookings.confirm_hold(&cx.caller(), proposal.hold).await {
        Ok(booking) => Ok(Step {
            replies: vec![replies::text(replies::with_payment_instructions(
                lang,
                replies::booked(lang, resource, &booking),
                &instructions,
            ))],
            state: DialogueState::Idle,
            booked: Some(booking.id),
        }),
        Err(BookingError::NotAHold) => match settled(cx, &proposal).await? {
            Some(booking) => Ok(already_booked(cx, &proposal, &booking)),
            None => lapsed(cx, request).await,
        },
        Err(BookingError::HoldExpired | BookingError::NotFound(_)) => lapsed(cx, request).await,
        Err(other) => Err(other.into()),
    }
}

/// The hold lapsed (or staff cancelled it): offer what is free now.
async fn lapsed(cx: &Context<'_>, request: Request) -> Result<Step, BotError> {
    let mut step = plan(cx, request).await?;
    step.replies
        .insert(0, replies::text(replies::hold_lapsed(cx.lang)));
    Ok(step)
}

/// Whether a message while the "which booking?" list is open is about
/// that list: not another request (a new cancel or move, "my bookings",
/// hours) and not a new booking with its details.
fn picks_from_list(intent: Intent, u: &Understanding) -> bool {
    let other_request = matches!(
        intent,
        Intent::Cancel | Intent::Reschedule | Intent::MyBookings | Intent::HoursLocation
    );
    let new_booking = matches!(intent, Intent::Book | Intent::Availability | Intent::Price)
        && u.has_slot_details();
    !other_request && !new_booking
}
