//! The bot: one turn of a WhatsApp conversation, from an inbound message to
//! stored replies.
//!
//! The simulator and (later) the WhatsApp webhook both call
//! [`handle_message`], so the demo exercises exactly the production path:
//! store the inbound message once, understand it with the built-in language
//! engine, move the dialogue on (asking for what is missing, proposing a
//! free slot, booking on "yes"), then store the replies together with the new
//! dialogue state.

mod dialogue;
mod planner;
mod replies;
mod taps;

use booking::{BookingError, BookingService};
use chrono::{DateTime, Utc};
use domain::language::{understand, Lang};
use domain::{BookingId, PhoneE164, TenantId};
use store::{Channel, StoreError};

pub use dialogue::DialogueState;
pub use taps::{OfferChoice, Tap};
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

/// Handles one inbound message end to end.
/// Every booking the turn makes goes through `bookings` (with "now"
/// pinned to the message's arrival), under the customer policy.
#[tracing::instrument(skip(bookings, inbound), fields(tenant = %inbound.tenant, channel = inbound.channel.as_str()))]
pub async fn handle_message(
    bookings: &BookingService,
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
    let step = match turn(&bookings, &inbound, text, &conversation, &token).await {
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
    inbound: &Inbound,
    text: &str,
    conversation: &store::Conversation,
    token: &str,
) -> Result<dialogue::Step, BotError> {
    let store = bookings.store();
    let state = DialogueState::from_json(&conversation.state);
    let resources = store.resources(inbound.tenant).await?;
    let zone = match resources.first() {
        Some(resource) => resource.timezone,
        None => match store.outlets(inbound.tenant).await?.first() {
            Some(outlet) => outlet.timezone,
            None => chrono_tz::Asia::Jakarta,
        },
    };
    if text.is_empty() {
        // A photo, a location, a voice note: stored for staff; the bot says
        // what it can read and keeps the dialogue where it was.
        let replies = vec![replies::text(replies::text_only(conversation.lang))];
        store
            .record_turn(
                conversation,
                token,
                store::TurnRecord {
                    replies: &outgoing(&replies),
                    lang: conversation.lang,
                    state: &conversation.state,
                    answering: inbound.answering.as_ref(),
                },
                inbound.now,
            )
            .await?;
        return Ok(dialogue::Step {
            replies,
            booked: None,
            state: DialogueState::from_json(&conversation.state),
        });
    }
    let now_local = inbound.now.with_timezone(&zone).naive_local();
    let understanding = understand(text, now_local);
    let tap = inbound.tap.as_deref().and_then(Tap::parse);
    // A tap's title is in the language the bot offered it in.
    let lang: Lang = match tap {
        Some(_) => conversation.lang,
        None => understanding.lang.unwrap_or(conversation.lang),
    };
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
    // A tap on something the bot sent acts on exactly that offer; an id it
    // did not make (a template's quick reply) is read as its title.
    let step = match tap {
        Some(tap) => dialogue::tapped(&context, state, tap).await?,
        None => dialogue::advance(&context, state, &understanding).await?,
    };
    store
        .record_turn(
            conversation,
            token,
            store::TurnRecord {
                replies: &outgoing(&step.replies),
                lang,
                state: &step.state.to_json(),
                answering: inbound.answering.as_ref(),
            },
            inbound.now,
        )
        .await?;
    Ok(step)
}

/// The replies as stored: text, and the Graph object of typed ones.
fn outgoing(replies: &[Reply]) -> Vec<store::Outgoing> {
    replies
        .iter()
        .map(|reply| match reply {
            Reply::Text(body) => store::Outgoing::text(body.clone()),
            typed => store::Outgoing {
                body: typed.plain_text(),
                kind: typed.kind().to_string(),
                payload: Some(typed.payload().to_string()),
            },
        })
        .collect()
}
