//! The HTTP side: an async-openai client that never retries and never reads
//! the environment, the completion as we read it, and what each error
//! means for the turn.
//!
//! Requests use async-openai's typed request (its serialization is the
//! wire format); responses are read into the lenient types below through
//! its `byot` methods, because OpenAI-compatible servers differ in what
//! they leave out (a tool call's `type`, `usage`, a `finish_reason` the
//! typed enum lacks), and one missing field must not cost a turn.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use async_openai::config::OpenAIConfig;
use async_openai::error::{ApiError, ApiErrorResponse, OpenAIError};
use async_openai::middleware::HttpRequestFactory;
use async_openai::Client;
use serde::Deserialize;
use serde_json::Value;

use crate::settings::{Limits, LlmSettings};
use crate::text::one_line;
use crate::turn::FallbackReason;

/// The key sent when the settings have none: the client always sends an
/// `Authorization` header, and without an explicit key it would read
/// `OPENAI_API_KEY` from the environment.
pub const NO_KEY: &str = "none";

/// A client for `settings`, with every value explicit and no retries.
///
/// `OpenAIConfig::new()` reads `OPENAI_*` variables (there is no other
/// constructor), so every one of them is overwritten here: base, key, and
/// the organization and project headers (sent only when non-empty).
pub(crate) fn client(settings: &LlmSettings, limits: &Limits) -> Client<OpenAIConfig> {
    let config = OpenAIConfig::new()
        .with_api_base(settings.base_url.trim().trim_end_matches('/'))
        .with_api_key(api_key(settings.api_key.as_deref()))
        .with_org_id("")
        .with_project_id("");
    // The turn's deadline bounds every request already (and reports it as
    // such); this is only a net under it, a little wider so it never wins.
    let http = reqwest::Client::builder()
        .connect_timeout(limits.deadline)
        .timeout(limits.deadline + std::time::Duration::from_secs(1))
        .build()
        .unwrap_or_default();
    Client::with_config(config).with_http_service(Direct { http })
}

/// The key to send. async-openai builds the `Authorization` header with
/// `.parse().unwrap()` on every request, so a key that is not a valid header
/// value (a trailing newline from a secrets file, say) would panic there:
/// it is trimmed, and one still invalid is replaced by [`NO_KEY`], which
/// the server refuses with a 401 and the turn falls back.
fn api_key(key: Option<&str>) -> String {
    let Some(key) = key.map(str::trim).filter(|key| !key.is_empty()) else {
        return NO_KEY.to_owned();
    };
    if key
        .bytes()
        .all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
    {
        key.to_owned()
    } else {
        tracing::warn!("the LLM API key is not a valid header value; sending none");
        NO_KEY.to_owned()
    }
}

/// Sends each request once. Any status that is not 2xx becomes an
/// [`OpenAIError::ApiError`] carrying that status, whatever the body is:
/// async-openai itself reports a 4xx with a non-JSON body (a proxy's HTML
/// page) as a deserialization error, which would read as "malformed".
#[derive(Clone)]
struct Direct {
    http: reqwest::Client,
}

impl tower::Service<HttpRequestFactory> for Direct {
    type Response = reqwest::Response;
    type Error = OpenAIError;
    type Future = Pin<Box<dyn Future<Output = Result<reqwest::Response, OpenAIError>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), OpenAIError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, factory: HttpRequestFactory) -> Self::Future {
        let http = self.http.clone();
        Box::pin(async move {
            let request = factory.build().await?;
            let response = http.execute(request).await?;
            let status = response.status();
            if status.is_success() {
                return Ok(response);
            }
            let body = response.text().await.unwrap_or_default();
            Err(OpenAIError::ApiError(ApiErrorResponse {
                status_code: status,
                api_error: ApiError {
                    message: error_message(&body),
                    ..ApiError::default()
                },
            }))
        })
    }
}

/// The `error.message` of an OpenAI-style error body, else the body, short.
fn error_message(body: &str) -> String {
    let message = serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|value| {
            value
                .pointer("/error/message")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .unwrap_or_else(|| body.to_owned());
    one_line(&message, 160)
}

/// What an error means for the turn, and whether the request reached the
/// server (it counts as a model call then).
pub(crate) fn classify(error: OpenAIError) -> (FallbackReason, bool) {
    match error {
        OpenAIError::ApiError(response) => {
            let status = response.status_code.as_u16();
            let message = one_line(&response.api_error.message, 160);
            (
                FallbackReason::Endpoint(format!("HTTP {status}: {message}")),
                true,
            )
        }
        OpenAIError::JSONDeserialize(error, _) => (
            FallbackReason::Malformed(one_line(&error.to_string(), 160)),
            true,
        ),
        OpenAIError::Reqwest(error) if error.is_connect() => (
            FallbackReason::Endpoint(format!("cannot connect: {}", root_cause(&error))),
            false,
        ),
        OpenAIError::Reqwest(error) if error.is_builder() => (
            FallbackReason::Endpoint(format!("bad request: {}", root_cause(&error))),
            false,
        ),
        OpenAIError::Reqwest(error) if error.is_timeout() => (FallbackReason::Deadline, true),
        OpenAIError::Reqwest(error) => (
            FallbackReason::Endpoint(format!("http: {}", root_cause(&error))),
            true,
        ),
        other => (
            FallbackReason::Endpoint(one_line(&other.to_string(), 160)),
            false,
        ),
    }
}

/// The innermost error's text ("Connection refused (os error 111)"): the
/// outer ones repeat the URL.
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(source) = cause.source() {
        cause = source;
    }
    one_line(&cause.to_string(), 120)
}

/// A chat completion, as much of it as a turn needs.
#[derive(Debug, Deserialize)]
pub(crate) struct Completion {
    #[serde(default)]
    pub choices: Vec<Choice>,
    #[serde(default)]
    pub usage: Option<Tokens>,
    /// Some proxies answer 200 with an error object.
    #[serde(default)]
    pub error: Option<Value>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Choice {
    pub message: Reply,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Reply {
    /// A string, or (rarely) an array of `{"type":"text","text":…}` parts.
    #[serde(default)]
    content: Option<Value>,
    #[serde(default)]
    pub tool_calls: Option<Vec<ToolCall>>,
}

impl Reply {
    /// The reply's text, parts joined; empty when there is none.
    pub fn text(&self) -> String {
        match &self.content {
            Some(Value::String(text)) => text.clone(),
            Some(Value::Array(parts)) => parts
                .iter()
                .filter_map(|part| part.get("text").and_then(Value::as_str))
                .collect::<Vec<_>>()
                .join(""),
            _ => String::new(),
        }
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct ToolCall {
    /// Missing on some servers: we then make one up and use it both in the
    /// echoed assistant message and in the answer, which keeps them paired.
    #[serde(default)]
    pub id: String,
    pub function: FunctionCall,
}

#[derive(Debug, Deserialize)]
pub(crate) struct FunctionCall {
    pub name: String,
    /// A JSON string on the wire; some servers send the object itself.
    #[serde(default, deserialize_with = "arguments_text")]
    pub arguments: String,
}

/// Tokens as reported; either may be missing or null.
#[derive(Debug, Deserialize)]
pub(crate) struct Tokens {
    #[serde(default)]
    pub prompt_tokens: Option<u64>,
    #[serde(default)]
    pub completion_tokens: Option<u64>,
}

fn arguments_text<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::String(text) => text,
        Value::Null => String::new(),
        other => other.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lenient_completions() {
        let completion: Completion = serde_json::from_str(
            r#"{"choices":[{"message":{"content":null,"tool_calls":[
                {"function":{"name":"price","arguments":{"court":2}}},
                {"id":"c2","type":"function","function":{"name":"price","arguments":"{}"}}]},
                "finish_reason":"tool_call"}]}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let calls = completion.choices[0]
            .message
            .tool_calls
            .as_deref()
            .unwrap_or_default();
        assert_eq!(calls[0].function.arguments, r#"{"court":2}"#);
        assert_eq!(calls[0].id, "");
        assert_eq!(calls[1].id, "c2");
        assert!(completion.usage.is_none());
        assert_eq!(completion.choices[0].message.text(), "");
    }

    #[test]
    fn keys_that_would_panic_in_a_header_are_not_sent() {
        assert_eq!(api_key(Some(" sk-abc\n")), "sk-abc");
        assert_eq!(api_key(Some("sk-a\nb")), NO_KEY);
        assert_eq!(api_key(Some("")), NO_KEY);
        assert_eq!(api_key(None), NO_KEY);
    }

    #[test]
    fn error_bodies_become_short_messages() {
        assert_eq!(
            error_message(r#"{"error":{"message":"Rate limit","type":"x"}}"#),
            "Rate limit"
        );
        assert_eq!(
            error_message("<html>\nBad gateway</html>"),
            "<html> Bad gateway</html>"
        );
    }
}
