//! One customer turn as a conversation with the model: call, run the tools
//! it asks for, call again, until it answers in text or a limit is hit.

use std::fmt;

use async_openai::config::OpenAIConfig;
use async_openai::types::chat::{
    ChatCompletionMessageToolCall, ChatCompletionMessageToolCalls,
    ChatCompletionRequestAssistantMessage, ChatCompletionRequestAssistantMessageContent,
    ChatCompletionRequestToolMessage, ChatCompletionTool, ChatCompletionToolChoiceOption,
    ChatCompletionTools, CreateChatCompletionRequest, FunctionCall, FunctionObject,
    ToolChoiceOptions,
};
use async_openai::Client;
use serde_json::Value;

use crate::grounding::ungrounded;
use crate::settings::{Limits, LlmSettings};
use crate::text::{cut, one_line};
use crate::tools::{answer, ToolSpec, Toolbox};
use crate::turn::{CallKind, FallbackReason, Outcome, TurnInput, TurnReport, Usage};
use crate::wire::{classify, client, Completion};
use crate::{prompt, CallRecord};

/// Runs customer turns against one OpenAI-compatible endpoint. Cheap to
/// clone (the HTTP client is shared); holds no conversation state.
#[derive(Clone)]
pub struct Agent {
    client: Client<OpenAIConfig>,
    model: String,
    base_url: String,
    limits: Limits,
}

/// Shows where turns go, never the key.
impl fmt::Debug for Agent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Agent")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

/// How long a tool call under way at the deadline may still take before
/// the turn is cut regardless (a tool that never returns).
const TOOL_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

/// What a turn gathers on the way, kept outside the deadline's future so
/// a turn cut short still reports its calls and tokens.
#[derive(Default)]
struct Progress {
    usage: Usage,
    calls: Vec<CallRecord>,
    /// What tools returned this turn: the only ground a reply may quote.
    grounds: Vec<Value>,
}

impl Agent {
    /// An agent for `settings`. Builds no connection yet: an endpoint that
    /// is down shows in the first turn, as a fallback.
    pub fn new(settings: LlmSettings, limits: Limits) -> Agent {
        Agent {
            client: client(&settings, &limits),
            model: settings.model,
            base_url: settings.base_url,
            limits,
        }
    }

    /// The model name sent with every request (for the logs and metrics).
    pub fn model(&self) -> &str {
        &self.model
    }

    /// The limits every turn runs under.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Handles one customer message with the model and `tools`. Never
    /// fails: anything that goes wrong is a [`Outcome::Fallback`] saying
    /// why, and the caller answers with the built-in engine.
    #[tracing::instrument(name = "agent_turn", skip_all, fields(model = %self.model))]
    pub async fn run<T: Toolbox>(&self, input: &TurnInput, tools: &T) -> TurnReport {
        let mut progress = Progress::default();
        // The deadline bounds the model's calls, and no new tool call
        // starts after it; a tool call under way is let finish, since a
        // booking it commits must be in the report (the customer is told
        // of it). The outer bound only catches a tool that never returns.
        let deadline = tokio::time::Instant::now() + self.limits.deadline;
        let outcome = tokio::time::timeout(
            self.limits.deadline.saturating_add(TOOL_GRACE),
            self.converse(input, tools, &mut progress, deadline),
        )
        .await
        .unwrap_or(Outcome::Fallback(FallbackReason::Deadline));
        match &outcome {
            Outcome::Answered { reply } => {
                tracing::info!(
                    chars = reply.chars().count(),
                    calls = progress.calls.len(),
                    "agent answered"
                )
            }
            Outcome::HandedOff(_) => {
                tracing::info!(calls = progress.calls.len(), "agent handed off")
            }
            Outcome::Fallback(reason) => {
                tracing::warn!(reason = reason.code(), detail = %reason, calls = progress.calls.len(), "agent fell back")
            }
        }
        TurnReport {
            outcome,
            usage: progress.usage,
            calls: progress.calls,
        }
    }

    async fn converse<T: Toolbox>(
        &self,
        input: &TurnInput,
        tools: &T,
        progress: &mut Progress,
        deadline: tokio::time::Instant,
    ) -> Outcome {
        let specs = tools.specs();
        let mut request = CreateChatCompletionRequest {
            model: self.model.clone(),
            messages: prompt::messages(input, &self.limits),
            ..CreateChatCompletionRequest::default()
        };
        if !specs.is_empty() {
            request.tools = Some(specs.iter().map(definition).collect());
            request.tool_choice = Some(ChatCompletionToolChoiceOption::Mode(
                ToolChoiceOptions::Auto,
            ));
        }
        for round in 1..=self.limits.max_rounds {
            progress.usage.model_calls += 1;
            // Read as any JSON first: async-openai logs a whole body that
            // fails to deserialize at ERROR, and this one may quote the
            // customer; ours fails quietly into a reason.
            let chat = self.client.chat();
            let call = chat.create_byot(&request);
            let body: Value = match tokio::time::timeout_at(deadline, call).await {
                Err(_elapsed) => return Outcome::Fallback(FallbackReason::Deadline),
                Ok(Ok(body)) => body,
                Ok(Err(error)) => {
                    let (reason, reached) = classify(error);
                    if !reached {
                        progress.usage.model_calls -= 1;
                    }
                    return Outcome::Fallback(reason);
                }
            };
            let completion: Completion = match serde_json::from_value(body) {
                Ok(completion) => completion,
                Err(error) => {
                    let detail = one_line(&error.to_string(), 160);
                    return Outcome::Fallback(FallbackReason::Malformed(detail));
                }
            };
            if let Some(tokens) = &completion.usage {
                progress.usage.tokens_in += tokens.prompt_tokens.unwrap_or(0);
                progress.usage.tokens_out += tokens.completion_tokens.unwrap_or(0);
            }
            let Some(choice) = completion.choices.into_iter().next() else {
                let detail = match completion.error {
                    Some(error) => format!("an error object: {}", cut(&error.to_string(), 120)),
                    None => "no choices".to_owned(),
                };
                return Outcome::Fallback(FallbackReason::Malformed(detail));
            };
            let text = choice.message.text();
            let calls = choice.message.tool_calls.unwrap_or_default();
            if calls.is_empty() {
                return self.final_reply(&text, &progress.grounds);
            }
            if round == self.limits.max_rounds {
                // No model call is left to read their results: run none, or
                // a booking made now would be answered by the fallback.
                progress
                    .calls
                    .extend(calls.iter().map(|call| unrun(&call.function)));
                break;
            }
            // Some servers send no ids: ours then pair the echo and the answers.
            let ids: Vec<String> = calls
                .iter()
                .enumerate()
                .map(|(i, call)| match call.id.as_str() {
                    "" => format!("call_{round}_{i}"),
                    id => id.to_owned(),
                })
                .collect();
            let echoed = calls
                .iter()
                .zip(&ids)
                .map(|(call, id)| {
                    ChatCompletionMessageToolCalls::Function(ChatCompletionMessageToolCall {
                        id: id.clone(),
                        function: FunctionCall {
                            name: call.function.name.clone(),
                            arguments: call.function.arguments.clone(),
                        },
                    })
                })
                .collect();
            request.messages.push(
                ChatCompletionRequestAssistantMessage {
                    content: (!text.trim().is_empty())
                        .then_some(ChatCompletionRequestAssistantMessageContent::Text(text)),
                    tool_calls: Some(echoed),
                    ..ChatCompletionRequestAssistantMessage::default()
                }
                .into(),
            );
            for (index, (call, id)) in calls.iter().zip(ids).enumerate() {
                let (name, arguments) = (&call.function.name, &call.function.arguments);
                if tokio::time::Instant::now() >= deadline {
                    progress
                        .calls
                        .extend(calls[index..].iter().map(|call| unrun(&call.function)));
                    return Outcome::Fallback(FallbackReason::Deadline);
                }
                let answered = answer(
                    tools,
                    &specs,
                    index,
                    name,
                    arguments,
                    self.limits.max_tool_result_chars,
                )
                .await;
                progress.calls.push(answered.record);
                if let Some(handoff) = answered.handoff {
                    return Outcome::HandedOff(handoff);
                }
                progress.grounds.extend(answered.ground);
                request.messages.push(
                    ChatCompletionRequestToolMessage {
                        content: answered.content.into(),
                        tool_call_id: id,
                    }
                    .into(),
                );
            }
        }
        Outcome::Fallback(FallbackReason::TooManyRounds)
    }

    /// The model's text as the customer's reply, if it is one we may send.
    fn final_reply(&self, text: &str, grounds: &[Value]) -> Outcome {
        let reply = cut(text.trim(), self.limits.max_reply_chars);
        if reply.is_empty() {
            return Outcome::Fallback(FallbackReason::Empty);
        }
        // The whole text, then what is sent: a cut may leave half a price.
        match ungrounded(text, grounds).or_else(|| ungrounded(&reply, grounds)) {
            Some(item) => Outcome::Fallback(FallbackReason::Ungrounded(item)),
            None => Outcome::Answered { reply },
        }
    }
}

/// A call asked for in the last round, recorded but not run.
fn unrun(call: &crate::wire::FunctionCall) -> CallRecord {
    CallRecord {
        name: call.name.clone(),
        arguments: call.arguments.clone(),
        kind: CallKind::Skipped,
        ok: false,
        result: serde_json::json!({ "error": "not run: the turn ended before it" }),
    }
}

/// A tool as a function definition on the wire.
fn definition(spec: &ToolSpec) -> ChatCompletionTools {
    ChatCompletionTools::Function(ChatCompletionTool {
        function: FunctionObject {
            name: spec.name.to_owned(),
            description: Some(spec.description.to_owned()),
            parameters: Some(spec.parameters.clone()),
            strict: None,
        },
    })
}
