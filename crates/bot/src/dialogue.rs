//! The booking dialogue: what the bot remembers between messages and how
//! each message moves it on.

use crate::planner::{self, Plan, Request};
use crate::replies;
use chrono::{DateTime, Utc};
use domain::language::{Intent, Lang, Understanding};
use domain::{BookingId, BookingStatus, CustomerId, ResourceId, TenantId, TimeRange};
use serde::{Deserialize, Serialize};
use store::{BookingSource, Channel, NewBooking, Resource, Store, StoreError};

/// What the bot remembers about a conversation between two messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum DialogueState {
    /// Nothing under way.
    #[default]
    Idle,
    /// Gathering what a booking needs.
    Collecting { request: Request },
    /// A free slot was proposed; waiting for yes or no.
    Confirming {
        request: Request,
        proposal: Proposal,
    },
}

/// A concrete slot the bot offered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub resource_id: ResourceId,
    pub range: TimeRange,
    pub price_minor: i64,
}

impl DialogueState {
    /// Reads the stored state; anything unreadable (an older format) starts over.
    pub fn from_json(json: &str) -> Self {
        serde_json::from_str(json).unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_string())
    }
}

pub struct Context<'a> {
    pub store: &'a Store,
    pub phone: &'a domain::PhoneE164,
    pub tenant: TenantId,
    pub customer: CustomerId,
    pub channel: Channel,
    pub resources: &'a [Resource],
    pub now: DateTime<Utc>,
    pub lang: Lang,
}

/// The bot's answer to one message and the state it leaves behind.
pub struct Step {
    pub replies: Vec<String>,
    pub state: DialogueState,
    pub booked: Option<BookingId>,
}

impl Step {
    fn say(reply: String, state: DialogueState) -> Step {
        Step {
            replies: vec![reply],
            state,
            booked: None,
        }
    }
}

pub async fn advance(
    cx: &Context<'_>,
    state: DialogueState,
    u: &Understanding,
) -> Result<Step, StoreError> {
    let lang = cx.lang;
    match (state, u.intent) {
        (DialogueState::Confirming { request, proposal }, Intent::Affirm) => {
            confirm(cx, request, proposal).await
        }
        (DialogueState::Confirming { .. }, Intent::Deny) => {
            Ok(Step::say(replies::dropped(lang), DialogueState::Idle))
        }
        (state, _)
            if u.has_slot_details()
                || (u.intent == Intent::Book
                    && !matches!(state, DialogueState::Confirming { .. })) =>
        {
            let mut request = match state {
                DialogueState::Collecting { request }
                | DialogueState::Confirming { request, .. } => request,
                DialogueState::Idle => Request::default(),
            };
            request.merge(u);
            plan(cx, request).await
        }
        (DialogueState::Confirming { request, proposal }, intent) => {
            let reminder = replies::still_waiting(lang, intent);
            Ok(Step::say(
                reminder,
                DialogueState::Confirming { request, proposal },
            ))
        }
        (DialogueState::Collecting { .. }, Intent::Deny) => {
            Ok(Step::say(replies::dropped(lang), DialogueState::Idle))
        }
        (DialogueState::Collecting { request }, _) => {
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
    }
}

async fn plan(cx: &Context<'_>, request: Request) -> Result<Step, StoreError> {
    let lang = cx.lang;
    let outcome = planner::plan(cx.store, cx.tenant, cx.resources, &request, cx.now).await?;
    Ok(match outcome {
        Plan::Ask(question) => Step::say(
            replies::ask(lang, &question, cx.resources),
            DialogueState::Collecting { request },
        ),
        Plan::Refuse(reason) => {
            let state = DialogueState::Collecting {
                request: request.without_time(),
            };
            Step::say(replies::refusal(lang, &reason), state)
        }
        Plan::Offer {
            resource,
            range,
            price,
            assumed_today,
        } => {
            let text = replies::offer(lang, resource, &range, price, assumed_today);
            let proposal = Proposal {
                resource_id: resource.id,
                range,
                price_minor: price.minor,
            };
            Step::say(text, DialogueState::Confirming { request, proposal })
        }
    })
}

async fn confirm(
    cx: &Context<'_>,
    request: Request,
    proposal: Proposal,
) -> Result<Step, StoreError> {
    let lang = cx.lang;
    let Some(resource) = cx.resources.iter().find(|r| r.id == proposal.resource_id) else {
        return plan(cx, request).await;
    };
    if proposal.range.start() <= cx.now {
        return plan(cx, request.without_time()).await;
    }
    let new = NewBooking {
        resource_id: resource.id,
        range: proposal.range,
        customer_id: Some(cx.customer),
        status: BookingStatus::Confirmed,
        price: domain::Money::new(proposal.price_minor, resource.hourly_rate.currency),
        source: match cx.channel {
            Channel::Simulator => BookingSource::Simulator,
            Channel::Whatsapp => BookingSource::Whatsapp,
        },
        actor: domain::Actor::Customer(cx.phone.clone()),
        hold_until: None,
    };
    match cx.store.create_booking(cx.tenant, new, cx.now).await {
        Ok(booking) => Ok(Step {
            replies: vec![replies::booked(lang, resource, &booking)],
            state: DialogueState::Idle,
            booked: Some(booking.id),
        }),
        Err(StoreError::SlotTaken) => {
            // Someone else took it between the offer and the "yes": offer what is left.
            let mut step = plan(cx, request).await?;
            step.replies.insert(0, replies::just_taken(lang));
            Ok(step)
        }
        Err(other) => Err(other),
    }
}
