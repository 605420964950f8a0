//! The only way the model acts: tools the caller implements. This module
//! turns one tool call from the wire into a toolbox call and its answer
//! back into what the model reads, never trusting the model's arguments.

use std::future::Future;

use serde_json::{json, Value};

use crate::text::cut;
use crate::turn::{CallKind, CallRecord};

/// Tool calls run per model response; the rest are answered with an error
/// so a model that fans out cannot make dozens of writes in one round.
pub const MAX_CALLS_PER_ROUND: usize = 5;

/// A tool as the model sees it: a function definition.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolSpec {
    pub name: &'static str,
    /// Tells the model when to use the tool; part of every request.
    pub description: &'static str,
    /// A JSON schema object for the arguments.
    pub parameters: Value,
}

/// What the model may do, implemented by the caller and already bound to
/// one tenant and one customer, so no argument can reach another venue's
/// data.
pub trait Toolbox: Sync {
    /// The tools offered to the model, every turn.
    fn specs(&self) -> Vec<ToolSpec>;

    /// Runs one call. `arguments` is the parsed JSON object. Validation is
    /// the toolbox's job (it returns [`ToolOutcome::Invalid`]).
    ///
    /// The future may be dropped at the turn's deadline, so a call must be
    /// cancel-safe (a write in one transaction is).
    fn call(&self, name: &str, arguments: Value) -> impl Future<Output = ToolOutcome> + Send;
}

/// How one tool call ended, as the toolbox saw it.
#[derive(Debug, Clone, PartialEq)]
pub enum ToolOutcome {
    /// The result shown to the model (and the ground its reply may quote).
    Done(Value),
    /// Bad arguments: goes back to the model as an error, so it can retry.
    Invalid(String),
    /// The tool ran and could not do it (e.g. the slot is taken): goes back
    /// to the model as an error, and may be quoted.
    Failed(String),
    /// The tool handed the conversation to a person: the turn ends now and
    /// the caller answers.
    Handoff(Value),
}

/// One call answered: the record for the report, the text for the model.
pub(crate) struct Answered {
    pub record: CallRecord,
    /// The tool message's content, already cut to size.
    pub content: String,
    /// What the reply may quote from this call.
    pub ground: Option<Value>,
    /// Set when the tool handed off: the turn ends.
    pub handoff: Option<Value>,
}

/// Runs the `index`-th call of a round through the toolbox, or refuses it.
pub(crate) async fn answer<T: Toolbox>(
    tools: &T,
    specs: &[ToolSpec],
    index: usize,
    name: &str,
    raw_arguments: &str,
    max_result_chars: usize,
) -> Answered {
    let refused = |kind: CallKind, message: String| refuse(name, raw_arguments, kind, message);
    if index >= MAX_CALLS_PER_ROUND {
        return refused(
            CallKind::Skipped,
            format!("too many tool calls at once: at most {MAX_CALLS_PER_ROUND} run per reply, call this one again"),
        );
    }
    if !specs.iter().any(|spec| spec.name == name) {
        let known: Vec<&str> = specs.iter().map(|spec| spec.name).collect();
        return refused(
            CallKind::UnknownTool,
            format!(
                "unknown tool {:?}; the tools are: {}",
                cut(name, 60),
                known.join(", ")
            ),
        );
    }
    let arguments = match parse_arguments(raw_arguments) {
        Ok(arguments) => arguments,
        Err(message) => return refused(CallKind::BadArguments, message),
    };
    let (kind, ok, result, ground) = match tools.call(name, arguments).await {
        ToolOutcome::Done(value) => (CallKind::Done, true, value.clone(), Some(value)),
        ToolOutcome::Handoff(value) => {
            let record = record(name, raw_arguments, CallKind::Handoff, true, value.clone());
            let content = render(&value, max_result_chars);
            return Answered {
                record,
                content,
                ground: None,
                handoff: Some(value),
            };
        }
        ToolOutcome::Invalid(message) => (CallKind::Invalid, false, error(&message), None),
        // A failure is the booking service speaking ("taken; 20:00 is
        // free"), so the reply may quote it.
        ToolOutcome::Failed(message) => (
            CallKind::Failed,
            false,
            error(&message),
            Some(Value::String(message)),
        ),
    };
    let content = render(&result, max_result_chars);
    Answered {
        record: record(name, raw_arguments, kind, ok, result),
        content,
        ground,
        handoff: None,
    }
}

/// The arguments string as a JSON object. Models send `""` for a tool
/// without parameters, which means `{}`.
fn parse_arguments(raw: &str) -> Result<Value, String> {
    if raw.trim().is_empty() {
        return Ok(json!({}));
    }
    match serde_json::from_str::<Value>(raw) {
        Ok(value @ Value::Object(_)) => Ok(value),
        Ok(_) => Err("arguments must be a JSON object".to_owned()),
        Err(err) => Err(format!(
            "arguments are not valid JSON ({err}); send one JSON object"
        )),
    }
}

fn refuse(name: &str, raw_arguments: &str, kind: CallKind, message: String) -> Answered {
    let result = error(&message);
    let content = result.to_string();
    Answered {
        record: record(name, raw_arguments, kind, false, result),
        content,
        ground: None,
        handoff: None,
    }
}

fn record(name: &str, raw_arguments: &str, kind: CallKind, ok: bool, result: Value) -> CallRecord {
    CallRecord {
        name: name.to_owned(),
        arguments: raw_arguments.to_owned(),
        kind,
        ok,
        result,
    }
}

fn error(message: &str) -> Value {
    json!({ "error": message })
}

/// A value as the JSON text the model reads, cut to `max_chars`.
fn render(value: &Value, max_chars: usize) -> String {
    cut(&value.to_string(), max_chars)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_must_be_one_json_object() {
        assert_eq!(parse_arguments(r#"{"court": 2}"#), Ok(json!({"court": 2})));
        assert_eq!(parse_arguments("  "), Ok(json!({})));
        assert!(parse_arguments("[1, 2]").is_err());
        assert!(parse_arguments("\"x\"").is_err());
        assert!(parse_arguments("{\"court\": 2").is_err());
    }
}
