//! The bot: one turn of a WhatsApp conversation, from an inbound message to
//! stored replies.
//!
//! The simulator and (later) the WhatsApp webhook both call
//! [`handle_message`], so the demo exercises exactly the production path:
//! store the inbound message once, understand it with the built-in language
//! engine, move the dialogue on (asking for what is missing, proposing a
//! free slot, booking on "yes"), then store the replies together with the new
//! dialogue state.

mod assist;
mod changes;
mod dialogue;
mod documents;
pub mod fault;
mod holds;
mod info;
mod kinds;
mod llm;
mod planner;
pub mod queue;
mod recording;
mod replies;
pub mod staff;
mod taps;
mod templates;
mod typed_codes;

use booking::{BookingError, BookingService};
use chrono::{DateTime, Utc};
use domain::language::{kind_hint, understand_with, Intent, Lang, Vocabulary};
use domain::{BookingId, PhoneE164, TenantId};
use store::{Channel, HandoffChange, HandoffReason, StoreError};

use recording::{hand_to_person, hand_to_person_after, in_place, record, Turn};

pub use assist::Assist;
pub use dialogue::DialogueState;
pub use taps::{OfferChoice, Tap};
pub use templates::{send_template, TemplateError};
pub use whatsapp::reply::Reply;

/// One inbound message to handle.
#[derive(Debug, Clone)]
pub struct Inbound {
    pub tenant: TenantId,
    pub phone: PhoneE164,
    pub text: String,
    /// The id of a tapped button or list row (`text` is then its title).
    pub tap: Option<String>,
    pub channel: Channel,
    /// WhatsApp's message id; a message seen before is not answered twice.
    pub external_id: Option<String>,
    /// Set when the message was stored and queued by the webhook: the turn
    /// answers that queued message (its replies go to the outbox and the
    /// message leaves the queue, in the turn's transaction) instead of
    /// storing the message again.
    pub answering: Option<store::Answering>,
    /// When the customer wrote it (Meta's time), if it was queued: relative
    /// days and times ("tomorrow", "tonight") are read against it, while
    /// the booking rules (lead time, holds) run at `now`.
    pub said_at: Option<DateTime<Utc>>,
    /// "Now", injected so tests can move time.
    pub now: DateTime<Utc>,
}

/// What a turn did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TurnOutcome {
    /// The replies as plain text.
    pub replies: Vec<String>,
    /// The replies as sent (buttons and lists included).
    pub messages: Vec<Reply>,
    /// The booking this turn created, if any.
    pub booked: Option<BookingId>,
    /// True when the message had been handled before (a retry); nothing was sent.
    pub duplicate: bool,
}

/// Why a turn failed. The inbound message is stored before anything can
/// fail, so a failed turn loses nothing and can be answered by staff.
#[derive(Debug, thiserror::Error)]
pub enum BotError {
    #[error("message is empty")]
    EmptyMessage,
    #[error("message is too long ({0} characters, at most 4096)")]
    TooLong(usize),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Booking(#[from] BookingError),
    /// Another turn of the same conversation held it for too long.
    #[error("the conversation is busy; try again")]
    Busy,
}

/// WhatsApp's own limit on a text message body.
pub const MAX_MESSAGE_CHARS: usize = 4096;

/// Handles one inbound message end to end, with the built-in engine alone.
/// Every booking the turn makes goes through `bookings` (with "now"
/// pinned to the message's arrival), under the customer policy.
pub async fn handle_message(
    bookings: &BookingService,
    inbound: Inbound,
) -> Result<TurnOutcome, BotError> {
    handle_message_with(bookings, &Assist::default(), inbound).await
}

/// [`handle_message`] with the knowledge base and the agent of `assist`.
#[tracing::instrument(skip(bookings, assist, inbound), fields(tenant = %inbound.tenant, channel = inbound.channel.as_str()))]
pub async fn handle_message_with(
    bookings: &BookingService,
    assist: &Assist,
    inbound: Inbound,
) -> Result<TurnOutcome, BotError> {
    let bookings = bookings.at(inbound.now);
    let store = bookings.store();
    // NUL never belongs in a chat message (and PostgreSQL refuses it).
    let cleaned = inbound.text.replace('\0', "");
    let text = cleaned.trim();
    if text.is_empty() && inbound.answering.is_none() {
        return Err(BotError::EmptyMessage);
    }
    let length = text.chars().count();
    if length > MAX_MESSAGE_CHARS {
        return Err(BotError::TooLong(length));
    }
    let conversation = store
        .open_conversation(inbound.tenant, &inbound.phone, inbound.channel, inbound.now)
        .await?;
    // A queued message is stored already (by the webhook).
    let fresh = inbound.answering.is_some()
        || store
            .record_inbound(
                &conversation,
                text,
                inbound.external_id.as_deref(),
                inbound.now,
            )
            .await?;
    if !fresh {
        return Ok(TurnOutcome {
            duplicate: true,
            ..TurnOutcome::default()
        });
    }
    // One turn at a time per conversation: a second message (a "yes" sent
    // twice, a retry) waits for the first turn and then runs on the state
    // it left, so it never acts on a proposal that was already settled.
    let token = turn_token();
    let mut waits = 0;
    let conversation = loop {
        if let Some(claimed) = store.claim_turn(&conversation, &token, inbound.now).await? {
            break claimed;
        }
        waits += 1;
        if waits > TURN_WAITS {
            return Err(BotError::Busy);
        }
        tokio::time::sleep(TURN_WAIT).await;
    };
    // A queued message: act only while this worker's claim on it holds.
    if let Some(answering) = &inbound.answering {
        let held = store
            .holds_inbound_claim(answering.queue_id, &answering.claim, inbound.now)
            .await;
        if !matches!(held, Ok(true)) {
            store.release_turn(&conversation, &token).await?;
            held?;
            return Err(BotError::Store(StoreError::ChangedMeanwhile));
        }
    }
    let step = match turn(&bookings, assist, &inbound, text, &conversation, &token).await {
        Ok(step) => step,
        Err(error) => {
            store.release_turn(&conversation, &token).await?;
            return Err(error);
        }
    };
    Ok(TurnOutcome {
        replies: step.replies.iter().map(Reply::plain_text).collect(),
        messages: step.replies,
        booked: step.booked,
        duplicate: false,
    })
}

/// How long a second turn waits between tries for the conversation, and
/// how many times (about ten seconds in all).
const TURN_WAIT: std::time::Duration = std::time::Duration::from_millis(50);
const TURN_WAITS: u32 = 200;

/// A token naming this turn's claim on its conversation.
fn turn_token() -> String {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    format!(
        "{}-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    )
}

/// The turn itself, on the claimed conversation: understand, move the
/// dialogue on, and record the replies with the new state (which also ends
/// the claim).
async fn turn(
    bookings: &BookingService,
    assist: &Assist,
    inbound: &Inbound,
    text: &str,
    conversation: &store::Conversation,
    token: &str,
) -> Result<dialogue::Step, BotError> {
    let store = bookings.store();
    let state = DialogueState::from_json(&conversation.state);
    // A person answers this conversation: the message is in the thread for
    // them and the bot says nothing, until the quiet period is over.
    let mut handoff = HandoffChange::Keep;
    if let Some(person) = &conversation.handoff {
        if !person.is_over(inbound.now) {
            return in_place(store, conversation, token, inbound, Vec::new(), handoff).await;
        }
        handoff = HandoffChange::End {
            last_staff_at: person.last_staff_at,
        };
    }
    if text.is_empty() {
        // A photo, a location, a voice note: stored for staff; the bot says
        // what it can read and keeps the dialogue where it was (it does not
        // count as a turn the bot could not use).
        let replies = vec![replies::text(replies::text_only(conversation.lang))];
        return in_place(store, conversation, token, inbound, replies, handoff).await;
    }
    let resources = store.resources(inbound.tenant).await?;
    let kinds = store.resource_kinds(inbound.tenant).await?;
    let vocabulary = kinds::vocabulary_of(&kinds);
    let zone = match zone_asked_about(text, &resources, &kinds, &vocabulary, &state) {
        Some(zone) => zone,
        None => match store.outlets(inbound.tenant).await?.first() {
            Some(outlet) => outlet.timezone,
            None => chrono_tz::Asia::Jakarta,
        },
    };
    // Never later than now: a clock skewed ahead at Meta does not move
    // "today" into tomorrow.
    let said_at = inbound
        .said_at
        .map_or(inbound.now, |at| at.min(inbound.now));
    let now_local = said_at.with_timezone(&zone).naive_local();
    let understanding =
        kinds::with_venue_kind(understand_with(text, now_local, &vocabulary), &kinds);
    let tap = inbound
        .tap
        .as_deref()
        .and_then(Tap::parse)
        .map(|tap| tap.with_names(&resources));
    // A tap's title is in the language the bot offered it in.
    let lang: Lang = match tap {
        Some(_) => conversation.lang,
        None => understanding.lang.unwrap_or(conversation.lang),
    };
    if tap.is_none() && understanding.intent == Intent::Human {
        return hand_to_person(
            store,
            conversation,
            token,
            inbound,
            &resources,
            lang,
            HandoffReason::Asked,
        )
        .await;
    }
    let context = dialogue::Context {
        store,
        bookings,
        phone: &inbound.phone,
        tenant: inbound.tenant,
        customer: conversation.customer_id,
        channel: inbound.channel,
        resources: &resources,
        now: inbound.now,
        lang,
        version: conversation.version,
    };
    // The agent, when there is one and the venue has it on, answers typed
    // messages; a tap acts on the engine's own offer.
    if tap.is_none() {
        match llm::answer(&context, assist, conversation, &state, text).await {
            llm::AgentTurn::Engine => {}
            llm::AgentTurn::HandedOff { facts } => {
                return hand_to_person_after(
                    store,
                    conversation,
                    token,
                    inbound,
                    &resources,
                    lang,
                    HandoffReason::Agent,
                    facts,
                )
                .await;
            }
            llm::AgentTurn::Replied { text, acted } => {
                let step = llm::step(text, acted, state);
                record(
                    store,
                    conversation,
                    token,
                    inbound,
                    Turn {
                        replies: &step.replies,
                        lang,
                        state: &step.state.to_json(),
                        unclear_turns: 0,
                        handoff,
                    },
                )
                .await?;
                return Ok(step);
            }
        }
    }
    // A question the engine cannot place ("is there parking?", "do you
    // rent rackets?"): the venue's own documents may answer it. A venue
    // question nothing answers goes to a person; other unclear messages
    // go on as before.
    // While an offer is held, a question gets its answer with a reminder
    // of the offer and never goes to a person: the hold would lapse while
    // the customer's "yes" went unanswered.
    let holding = matches!(state, dialogue::DialogueState::Confirming { .. });
    if tap.is_none() && documents::may_answer(&understanding, text) {
        match documents::look_up(
            assist,
            inbound.tenant,
            lang,
            text,
            understanding.about_venue,
        )
        .await
        {
            documents::Found::Answer(reply) => {
                let reply = if holding {
                    format!("{reply}\n\n{}", replies::still_waiting(lang, Intent::Other))
                } else {
                    reply
                };
                let replies = vec![replies::text(reply)];
                record(
                    store,
                    conversation,
                    token,
                    inbound,
                    Turn {
                        replies: &replies,
                        lang,
                        state: &conversation.state,
                        unclear_turns: 0,
                        handoff,
                    },
                )
                .await?;
                return Ok(dialogue::Step {
                    replies,
                    booked: None,
                    state,
                });
            }
            documents::Found::ToPerson if !holding => {
                return hand_to_person(
                    store,
                    conversation,
                    token,
                    inbound,
                    &resources,
                    lang,
                    HandoffReason::Unanswered,
                )
                .await;
            }
            documents::Found::ToPerson | documents::Found::Nothing => {}
        }
    }
    // A tap on something the bot sent acts on exactly that offer; an id it
    // did not make (a template's quick reply) is read as its title.
    let unclear = tap.is_none()
        && !holding
        && understanding.intent == Intent::Other
        && !understanding.has_slot_details()
        && !understanding.about_venue;
    let unclear_turns = if unclear {
        conversation.unclear_turns.saturating_add(1)
    } else {
        0
    };
    if unclear_turns >= UNCLEAR_TURNS_TO_PERSON {
        return hand_to_person(
            store,
            conversation,
            token,
            inbound,
            &resources,
            lang,
            HandoffReason::Unclear,
        )
        .await;
    }
    let step = match tap {
        Some(tap) => dialogue::tapped(&context, state, tap).await?,
        None => dialogue::advance(&context, state, &understanding, text).await?,
    };
    record(
        store,
        conversation,
        token,
        inbound,
        Turn {
            replies: &step.replies,
            lang,
            state: &step.state.to_json(),
            unclear_turns,
            handoff,
        },
    )
    .await?;
    Ok(step)
}

/// The time zone to read "besok jam 7 malam" in: the outlet of the
/// resource the message (or the booking under way) is about. A tenant with
/// outlets in Jakarta and Makassar reads each customer's times where they
/// will play. `None` when nothing narrows it down and the outlets differ.
fn zone_asked_about(
    text: &str,
    resources: &[store::Resource],
    kinds: &[store::StoredKind],
    vocabulary: &Vocabulary,
    state: &DialogueState,
) -> Option<chrono_tz::Tz> {
    let (said_kind, custom, number) = kind_hint(text, vocabulary);
    let said_kind = kinds::venue_kind(custom.as_deref(), kinds).or(said_kind);
    let (held, kind_under_way) = state.under_way();
    let said = said_kind.is_some();
    let kind = said_kind.or(kind_under_way);
    let mut candidates: Vec<&store::Resource> = resources
        .iter()
        .filter(|r| said || held.is_none_or(|id| r.id == id))
        .filter(|r| kind.as_ref().is_none_or(|k| &r.kind == k))
        .collect();
    if let Some(number) = number {
        let numbered: Vec<_> = candidates
            .iter()
            .copied()
            .filter(|r| r.name.split_whitespace().any(|w| w == number.to_string()))
            .collect();
        if !numbered.is_empty() {
            candidates = numbered;
        }
    }
    let first = candidates.first()?.timezone;
    candidates
        .iter()
        .all(|r| r.timezone == first)
        .then_some(first)
}

/// Turns in a row the bot could not use before a person takes over.
const UNCLEAR_TURNS_TO_PERSON: i64 = 2;
