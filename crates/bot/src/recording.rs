//! How a turn is stored: its replies, the dialogue state, the language and
//! who answers next, in one write, including the turns that hand the
//! conversation to a person.

use crate::dialogue::{self, DialogueState};
use crate::{replies, BotError, Inbound};
use domain::language::Lang;
use store::{HandoffChange, HandoffReason};
use whatsapp::reply::Reply;

/// Records replies that leave the dialogue, its language and its count of
/// unclear turns as they were (silence while a person has the
/// conversation, the answer to a photo).
pub(crate) async fn in_place(
    store: &store::Store,
    conversation: &store::Conversation,
    token: &str,
    inbound: &Inbound,
    replies: Vec<Reply>,
    handoff: HandoffChange,
) -> Result<dialogue::Step, BotError> {
    record(
        store,
        conversation,
        token,
        inbound,
        Turn {
            replies: &replies,
            lang: conversation.lang,
            state: &conversation.state,
            unclear_turns: conversation.unclear_turns,
            handoff,
        },
    )
    .await?;
    Ok(dialogue::Step {
        replies,
        booked: None,
        state: DialogueState::from_json(&conversation.state),
    })
}

/// Flags the conversation for staff and tells the customer when someone
/// will answer. The dialogue stays where it was (a held slot lapses by
/// itself), so the bot can pick it up if the conversation comes back.
pub(crate) async fn hand_to_person(
    store: &store::Store,
    conversation: &store::Conversation,
    token: &str,
    inbound: &Inbound,
    resources: &[store::Resource],
    lang: Lang,
    reason: HandoffReason,
) -> Result<dialogue::Step, BotError> {
    hand_to_person_after(
        store,
        conversation,
        token,
        inbound,
        resources,
        lang,
        reason,
        None,
    )
    .await
}

/// [`hand_to_person`], saying `first` before the handoff message (what the
/// agent's tools changed before it handed over).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn hand_to_person_after(
    store: &store::Store,
    conversation: &store::Conversation,
    token: &str,
    inbound: &Inbound,
    resources: &[store::Resource],
    lang: Lang,
    reason: HandoffReason,
    first: Option<String>,
) -> Result<dialogue::Step, BotError> {
    // A cancel or move waiting for its yes does not outlive the handoff: a
    // "yes" meant for staff must not cancel a booking later.
    let state = match DialogueState::from_json(&conversation.state) {
        DialogueState::ChoosingBooking { .. } | DialogueState::ConfirmingChange { .. } => {
            DialogueState::Idle.to_json()
        }
        _ => conversation.state.clone(),
    };
    let back = replies::opening_after(resources, inbound.now);
    let mut replies: Vec<Reply> = first.into_iter().map(replies::text).collect();
    replies.push(replies::text(replies::handed_to_person(
        lang,
        back.as_ref(),
    )));
    record(
        store,
        conversation,
        token,
        inbound,
        Turn {
            replies: &replies,
            lang,
            state: &state,
            unclear_turns: 0,
            handoff: HandoffChange::Start(reason),
        },
    )
    .await?;
    Ok(dialogue::Step {
        replies,
        booked: None,
        state: DialogueState::from_json(&state),
    })
}

/// What a turn leaves behind, before it is stored.
pub(crate) struct Turn<'a> {
    pub(crate) replies: &'a [Reply],
    pub(crate) lang: Lang,
    /// The dialogue state, as JSON.
    pub(crate) state: &'a str,
    pub(crate) unclear_turns: i64,
    pub(crate) handoff: HandoffChange,
}

/// Records the turn: its replies (to the outbox when it answers a queued
/// WhatsApp message), the new state, and who answers next.
pub(crate) async fn record(
    store: &store::Store,
    conversation: &store::Conversation,
    token: &str,
    inbound: &Inbound,
    turn: Turn<'_>,
) -> Result<(), BotError> {
    store
        .record_turn(
            conversation,
            token,
            store::TurnRecord {
                replies: &outgoing(turn.replies),
                lang: turn.lang,
                state: turn.state,
                answering: inbound.answering.as_ref(),
                unclear_turns: turn.unclear_turns,
                handoff: turn.handoff,
            },
            inbound.now,
        )
        .await?;
    Ok(())
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
