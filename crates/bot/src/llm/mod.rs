//! A turn answered by the LLM agent, when one is configured and the venue
//! has it switched on; otherwise, or when the agent falls back, the
//! built-in engine answers as before.
//!
//! Where each message lives: the customer's message is stored before the
//! agent is called; the reply is stored with the turn (to the outbox for
//! WhatsApp) in one write, as for the built-in engine. A turn that falls
//! back after a tool *changed* something (confirmed, cancelled or moved a
//! booking) does not hand over to the engine, which knows nothing of it:
//! the customer is told what was done, from the tool results. Holds the
//! model made in a turn that fell back were never shown to the customer
//! and are let go at once.

mod tools;

use crate::dialogue::{Context, DialogueState, Step};
use crate::replies;
use agent::{CallKind, Outcome, Said, TurnInput, TurnReport};
use domain::language::Lang;
use serde_json::Value;
use store::{AgentTurnRecord, UsageDelta};
use tools::Tools;

/// What the agent made of the turn.
pub(crate) enum AgentTurn {
    /// Its reply, or the facts of a fallen-back turn that changed bookings.
    Replied {
        text: String,
        /// Whether a tool changed a booking (the built-in dialogue state is
        /// stale then and is reset).
        acted: bool,
    },
    /// It handed the conversation to a person; `facts` says what its tools
    /// changed first, if anything.
    HandedOff { facts: Option<String> },
    /// The built-in engine answers.
    Engine,
}

/// Runs the agent on `text` when `assist` has one and the tenant has it
/// on. Errors reading the settings fall back to the engine.
pub(crate) async fn answer(
    cx: &Context<'_>,
    assist: &crate::Assist,
    conversation: &store::Conversation,
    state: &DialogueState,
    text: &str,
) -> AgentTurn {
    let Some(agent) = &assist.agent else {
        return AgentTurn::Engine;
    };
    let settings = match cx.store.agent_settings(cx.tenant).await {
        Ok(settings) if settings.enabled => settings,
        Ok(_) => return AgentTurn::Engine,
        Err(error) => {
            tracing::warn!(%error, "agent settings unreadable; the built-in engine answers");
            return AgentTurn::Engine;
        }
    };
    let input = match turn_input(cx, conversation, state, text, &settings.instructions).await {
        Ok(input) => input,
        Err(error) => {
            tracing::warn!(%error, "agent input unreadable; the built-in engine answers");
            return AgentTurn::Engine;
        }
    };
    let tools = Tools {
        cx,
        knowledge: assist.knowledge.as_ref(),
    };
    let report = agent.run(&input, &tools).await;
    meter(cx, conversation, &report).await;
    let acted = report.calls.iter().any(changed_a_booking);
    let held = report
        .calls
        .iter()
        .any(|c| c.kind == CallKind::Done && c.name == "hold_slot");
    match &report.outcome {
        Outcome::Answered { reply } => {
            // The agent's own offer replaces the engine's: a later "yes"
            // that falls back to the engine must not confirm the old one.
            if acted || held {
                release_engine_offer(cx, state).await;
            }
            AgentTurn::Replied {
                text: reply.clone(),
                acted: acted || held,
            }
        }
        Outcome::HandedOff(_) => {
            release_unshown_holds(cx, &report).await;
            AgentTurn::HandedOff {
                facts: acted.then(|| facts(cx.lang, &report)),
            }
        }
        Outcome::Fallback(reason) => {
            tracing::info!(reason = reason.code(), %reason, "the agent fell back to the built-in engine");
            release_unshown_holds(cx, &report).await;
            if acted {
                let footer = replies::agent_fallback_footer(cx.lang);
                AgentTurn::Replied {
                    text: format!("{}\n\n{footer}", facts(cx.lang, &report)),
                    acted,
                }
            } else {
                AgentTurn::Engine
            }
        }
    }
}

/// Whether a call changed a booking the customer has not been told about
/// unless the turn says so.
fn changed_a_booking(call: &agent::CallRecord) -> bool {
    call.kind == CallKind::Done
        && matches!(
            call.name.as_str(),
            "confirm_hold" | "cancel_booking" | "reschedule_booking"
        )
}

/// Lets go of the hold behind the engine's open offer, if any (a hold
/// already confirmed or lapsed is left as it is).
async fn release_engine_offer(cx: &Context<'_>, state: &DialogueState) {
    if let DialogueState::Confirming { proposal, .. } = state {
        match cx.bookings.release_hold(&cx.caller(), proposal.hold).await {
            Ok(_) | Err(booking::BookingError::NotAHold | booking::BookingError::HoldExpired) => {}
            Err(error) => tracing::warn!(%error, "could not let go of the engine's offer"),
        }
    }
}

/// Lets go of the holds made in a turn that fell back: the customer never
/// saw them, and a slot held for nobody blocks it for others.
async fn release_unshown_holds(cx: &Context<'_>, report: &TurnReport) {
    for call in &report.calls {
        if call.kind != CallKind::Done || call.name != "hold_slot" {
            continue;
        }
        let Some(code) = call
            .result
            .get("code")
            .and_then(Value::as_str)
            .and_then(|c| domain::BookingCode::parse(c).ok())
        else {
            continue;
        };
        let confirmed = report.calls.iter().any(|c| {
            c.kind == CallKind::Done
                && c.name == "confirm_hold"
                && c.result.to_string().contains(code.as_str())
        });
        if confirmed {
            continue;
        }
        let tools = Tools {
            cx,
            knowledge: None,
        };
        let held = tools.own_bookings(code).await;
        for booking in held.unwrap_or_default() {
            if booking.hold_expires_at.is_some() {
                if let Err(error) = cx.bookings.release_hold(&cx.caller(), booking.id).await {
                    tracing::warn!(%error, "could not let go of an agent's hold");
                }
            }
        }
    }
}

/// What the agent is told about this message.
async fn turn_input(
    cx: &Context<'_>,
    conversation: &store::Conversation,
    state: &DialogueState,
    text: &str,
    instructions: &str,
) -> Result<TurnInput, store::StoreError> {
    let tenant = cx.store.tenant(cx.tenant).await?;
    let zone = cx
        .resources
        .first()
        .map_or(chrono_tz::Asia::Jakarta, |r| r.timezone);
    let now_local = cx.now.with_timezone(&zone);
    // The message itself was stored before the turn: it is the last one.
    let mut recent = cx
        .store
        .recent_messages(cx.tenant, conversation.id, HISTORY + 1)
        .await?;
    if recent.last().is_some_and(|(inbound, _)| *inbound) {
        recent.pop();
    }
    let history = recent
        .into_iter()
        .filter(|(_, body)| !body.trim().is_empty())
        .map(|(customer, text)| Said { customer, text })
        .collect();
    let resources: Vec<String> = cx
        .resources
        .iter()
        .map(|r| format!("{} ({}, id {})", r.name, r.kind.as_str(), r.id.0))
        .collect();
    Ok(TurnInput {
        venue: tenant.name,
        now_local: format!(
            "{} ({})",
            now_local.format("%A %Y-%m-%d %H:%M"),
            zone.name()
        ),
        lang_hint: Some(
            match cx.lang {
                Lang::Id => "id",
                Lang::En => "en",
            }
            .to_owned(),
        ),
        instructions: Some(instructions.trim().to_owned()).filter(|i| !i.is_empty()),
        state_summary: format!(
            "Courts and rooms: {}.\n{}",
            resources.join("; "),
            summary(cx, state).await
        ),
        history,
        message: text.to_owned(),
    })
}

/// Messages of history read per turn (the agent sends fewer).
const HISTORY: i64 = 20;

/// The booking under way in a line, so a "yes" to the engine's offer can
/// be acted on: the offer's hold is named by its code.
async fn summary(cx: &Context<'_>, state: &DialogueState) -> String {
    match state {
        DialogueState::Idle => "No booking is under way.".into(),
        DialogueState::Collecting { .. } => {
            "The customer was asked for the details of a booking.".into()
        }
        DialogueState::Confirming { proposal, .. } => {
            match cx.bookings.booking(cx.tenant, proposal.hold).await {
                Ok(held) if held.hold_expires_at.is_some_and(|at| at > cx.now) => {
                    let start = held.range.start().with_timezone(&held.timezone);
                    format!(
                        "The customer was offered {} on {} at {}, held under code {}; if they accept, call confirm_hold with that code.",
                        held.resource_name,
                        start.format("%A %Y-%m-%d"),
                        start.format("%H:%M"),
                        held.code.as_ref().map(ToString::to_string).unwrap_or_default(),
                    )
                }
                _ => "A slot was offered earlier; its hold has lapsed.".into(),
            }
        }
        DialogueState::ChoosingBooking { .. } | DialogueState::ConfirmingChange { .. } => {
            "The customer was choosing a booking to change or cancel.".into()
        }
    }
}

/// Usage per day and the turn's record; a failure here is logged, never
/// the customer's problem.
async fn meter(cx: &Context<'_>, conversation: &store::Conversation, report: &TurnReport) {
    let (outcome, reason) = match &report.outcome {
        Outcome::Answered { .. } => ("answered", None),
        Outcome::HandedOff(_) => ("handed_off", None),
        Outcome::Fallback(reason) => ("fallback", Some(reason.code())),
    };
    let delta = UsageDelta {
        model_calls: i64::from(report.usage.model_calls),
        tokens_in: i64::try_from(report.usage.tokens_in).unwrap_or(i64::MAX),
        tokens_out: i64::try_from(report.usage.tokens_out).unwrap_or(i64::MAX),
        embedding_tokens: 0,
        fallbacks: i64::from(reason.is_some()),
    };
    if let Err(error) = cx.store.add_usage(cx.tenant, cx.now, delta).await {
        tracing::warn!(%error, "agent usage not recorded");
    }
    let tools: Vec<Value> = report
        .calls
        .iter()
        .map(|c| serde_json::json!({ "name": c.name, "kind": c.kind.code() }))
        .collect();
    let tools = Value::Array(tools).to_string();
    let record = AgentTurnRecord {
        conversation: conversation.id,
        outcome,
        reason,
        model_calls: delta.model_calls,
        tokens_in: delta.tokens_in,
        tokens_out: delta.tokens_out,
        tools: &tools,
    };
    if let Err(error) = cx.store.record_agent_turn(cx.tenant, record, cx.now).await {
        tracing::warn!(%error, "agent turn not recorded");
    }
}

/// What a fallen-back turn changed, said from the tool results alone.
fn facts(lang: Lang, report: &TurnReport) -> String {
    let mut lines = Vec::new();
    for call in report.calls.iter().filter(|c| changed_a_booking(c)) {
        let (key, en, id) = match call.name.as_str() {
            "confirm_hold" => ("confirmed", "Booked", "Sudah dipesan"),
            "cancel_booking" => ("cancelled", "Cancelled", "Dibatalkan"),
            _ => ("rescheduled", "Moved to", "Dipindah ke"),
        };
        let bookings: Vec<&Value> = match call.result.get(key) {
            Some(Value::Array(items)) => items.iter().collect(),
            Some(one @ Value::Object(_)) => vec![one],
            _ => Vec::new(),
        };
        for b in bookings {
            let field = |name: &str| b.get(name).and_then(Value::as_str).unwrap_or("").to_owned();
            let label = match lang {
                Lang::Id => id,
                Lang::En => en,
            };
            lines.push(format!(
                "{label}: {} {} {}–{} ({}), {}",
                field("resource"),
                field("date"),
                field("start"),
                field("end"),
                field("code"),
                field("price"),
            ));
        }
    }
    lines.join("\n")
}

/// The step of an agent's reply: the reply, and the dialogue state left as
/// it was unless the agent changed a booking (then idle: the engine's
/// offer, if any, is stale).
pub(crate) fn step(text: String, acted: bool, state: DialogueState) -> Step {
    let state = if acted { DialogueState::Idle } else { state };
    Step::say(text, state)
}
