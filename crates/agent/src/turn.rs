//! What one turn gets and what it reports. The report always says what the
//! model did (tool calls, tokens) even when the turn falls back, because a
//! tool call that succeeded before a fallback did take effect.

/// One message of the conversation so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    /// `true` for the customer, `false` for us (the bot or staff).
    pub customer: bool,
    pub text: String,
}

/// Everything the model is told about one customer message. Nothing here
/// can widen what the tools allow: the toolbox is bound to the tenant and
/// customer by the caller.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TurnInput {
    /// The venue's name, as the customer knows it.
    pub venue: String,
    /// The outlet's local time, spelled out, e.g.
    /// `Tuesday 2026-12-01 19:05 (Asia/Jakarta)`: the model resolves
    /// "besok jam 7" against it.
    pub now_local: String,
    /// `"id"` or `"en"` when the caller knows the customer's language.
    pub lang_hint: Option<String>,
    /// The venue owner's own instructions (tone, preferences); quoted to the
    /// model as data, never as rules.
    pub instructions: Option<String>,
    /// The booking state in a few lines (what is being gathered, held).
    pub state_summary: String,
    /// The conversation so far, oldest first; only the last
    /// [`crate::Limits::max_history`] are sent.
    pub history: Vec<Said>,
    /// The customer's new message.
    pub message: String,
}

/// How the turn ended, what it cost and which tools it called.
#[derive(Debug, Clone, PartialEq)]
pub struct TurnReport {
    pub outcome: Outcome,
    pub usage: Usage,
    /// Every tool call the model asked for, in order, executed or not.
    pub calls: Vec<CallRecord>,
}

/// The end of a turn.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The model's reply, trimmed, cut to `max_reply_chars`, and grounded:
    /// every price, time and code in it came from a tool this turn.
    Answered { reply: String },
    /// A tool handed the conversation to a person; the caller answers (its
    /// value says how) and the model is not called again.
    HandedOff(serde_json::Value),
    /// The model could not be trusted with this turn: the built-in engine
    /// answers instead.
    Fallback(FallbackReason),
}

/// What the model cost this turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Usage {
    /// Requests that reached the server, failed ones included.
    pub model_calls: u32,
    /// Prompt tokens as the server reported them (0 when it did not).
    pub tokens_in: u64,
    /// Completion tokens as the server reported them.
    pub tokens_out: u64,
}

/// Why the built-in engine answers instead of the model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FallbackReason {
    /// The turn took longer than `Limits::deadline`.
    #[error("the turn ran past its deadline")]
    Deadline,
    /// The endpoint answered with an error status or could not be reached.
    #[error("endpoint: {0}")]
    Endpoint(String),
    /// The endpoint answered 2xx with something that is not a completion.
    #[error("malformed response: {0}")]
    Malformed(String),
    /// The model still wanted tools after `Limits::max_rounds` calls.
    #[error("the model asked for tools in every round")]
    TooManyRounds,
    /// The reply states a price, time or code no tool returned this turn.
    #[error("ungrounded reply: {0}")]
    Ungrounded(String),
    /// The model's reply had no text.
    #[error("empty reply")]
    Empty,
}

impl FallbackReason {
    /// A stable short code for storage and metrics.
    pub fn code(&self) -> &'static str {
        match self {
            FallbackReason::Deadline => "deadline",
            FallbackReason::Endpoint(_) => "endpoint",
            FallbackReason::Malformed(_) => "malformed",
            FallbackReason::TooManyRounds => "too_many_rounds",
            FallbackReason::Ungrounded(_) => "ungrounded",
            FallbackReason::Empty => "empty",
        }
    }
}

/// One tool call the model asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct CallRecord {
    /// The tool's name as the model sent it (maybe not a tool of ours).
    pub name: String,
    /// The arguments exactly as the model sent them (a JSON string).
    pub arguments: String,
    pub kind: CallKind,
    /// `true` when the tool ran and did what was asked (`Done`, `Handoff`).
    pub ok: bool,
    /// What the call produced before any cut: the tool's value, or
    /// `{"error": …}` as the model saw it.
    pub result: serde_json::Value,
}

/// How a tool call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallKind {
    /// The tool ran; its value went to the model.
    Done,
    /// The toolbox refused the arguments.
    Invalid,
    /// The tool ran and failed (e.g. the slot was taken).
    Failed,
    /// The tool handed the conversation to a person.
    Handoff,
    /// The arguments were not a JSON object; the toolbox was not called.
    BadArguments,
    /// No tool has that name; the toolbox was not called.
    UnknownTool,
    /// Beyond the calls run per round; the toolbox was not called.
    Skipped,
}

impl CallKind {
    /// A stable short code for storage and metrics.
    pub fn code(self) -> &'static str {
        match self {
            CallKind::Done => "done",
            CallKind::Invalid => "invalid",
            CallKind::Failed => "failed",
            CallKind::Handoff => "handoff",
            CallKind::BadArguments => "bad_arguments",
            CallKind::UnknownTool => "unknown_tool",
            CallKind::Skipped => "skipped",
        }
    }
}
