//! The LLM agent: one customer turn handled by an OpenAI-compatible model
//! that can act only through tools, under guardrails.
//!
//! This crate knows nothing about bookings. The caller hands it a
//! [`Toolbox`] already bound to one tenant and one customer (so no argument
//! the model makes up can reach another venue), and gets back a
//! [`TurnReport`]: an answer, a handoff to a person, or a
//! [`FallbackReason`] saying why the built-in rule engine should answer
//! instead.
//!
//! # Guardrails
//! - **Time and cost**: the whole turn runs under one deadline, with at
//!   most `max_rounds` model calls, a bounded window of history, and no
//!   HTTP retries (a 429 or 500 falls back at once: async-openai's own
//!   retries are replaced by a single attempt).
//! - **Acting**: only through tools; every tool call id is answered, bad
//!   arguments and unknown tools go back to the model as errors, at most
//!   [`MAX_CALLS_PER_ROUND`] calls run per response.
//! - **Saying**: the reply may state a price, time or booking code only if
//!   a tool returned it this turn ([`ungrounded`]).
//! - **Instructions**: ours are the system rules; the owner's are quoted
//!   as preferences; documents, tool results and the customer are data.
//!
//! # Errors
//! [`Agent::run`] never fails: every error (the deadline, an HTTP status, a
//! refused connection, a body that is not a completion, a loop, an
//! ungrounded or empty reply) is a [`FallbackReason`] with a stable
//! [`code`](FallbackReason::code) for storage.

mod agent;
mod grounding;
mod prompt;
mod settings;
#[cfg(feature = "standin")]
pub mod standin;
mod text;
mod tools;
mod turn;
mod wire;

pub use agent::Agent;
pub use grounding::ungrounded;
pub use prompt::{
    MAX_HISTORY_CHARS, MAX_INSTRUCTIONS_CHARS, MAX_MESSAGE_CHARS, MAX_OLD_MESSAGE_CHARS,
};
pub use settings::{Limits, LlmSettings};
pub use tools::{ToolOutcome, ToolSpec, Toolbox, MAX_CALLS_PER_ROUND};
pub use turn::{CallKind, CallRecord, FallbackReason, Outcome, Said, TurnInput, TurnReport, Usage};
pub use wire::NO_KEY;
