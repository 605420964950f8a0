//! Where the model lives and how much of a customer's patience one turn may
//! spend on it.

use std::fmt;
use std::time::Duration;

/// An OpenAI-compatible endpoint: OpenAI itself, or a local server that
/// speaks the same `/v1/chat/completions` wire format.
///
/// Everything is explicit: the client never falls back to `OPENAI_*`
/// environment variables, so a stray variable on a host cannot send a
/// venue's conversations somewhere nobody configured.
#[derive(Clone, PartialEq, Eq)]
pub struct LlmSettings {
    /// The API base including the version, e.g. `http://127.0.0.1:8080/v1`.
    pub base_url: String,
    /// The model name sent with every request.
    pub model: String,
    /// The bearer token; `None` for local servers that take none (a dummy
    /// key is sent then, because the client always sends one).
    pub api_key: Option<String>,
}

/// The key never prints: settings end up in startup logs and panics.
impl fmt::Debug for LlmSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LlmSettings")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

/// The bounds of one turn. A customer on WhatsApp waits for the answer, and
/// every model call and every message sent costs money, so all of them are
/// capped; when a cap is hit the built-in engine answers instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// The whole turn: every model call and every tool call together.
    pub deadline: Duration,
    /// Model calls per turn; a model that still wants tools after the last
    /// one is looping.
    pub max_rounds: usize,
    /// How many recent messages of the conversation are sent.
    pub max_history: usize,
    /// The longest reply sent to the customer (longer ones are cut).
    pub max_reply_chars: usize,
    /// The longest tool result shown to the model (longer ones are cut).
    pub max_tool_result_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            deadline: Duration::from_secs(8),
            max_rounds: 4,
            max_history: 12,
            max_reply_chars: 1500,
            max_tool_result_chars: 6000,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_api_key() {
        let settings = LlmSettings {
            base_url: "http://127.0.0.1:9/v1".into(),
            model: "small".into(),
            api_key: Some("sk-secret-123".into()),
        };
        let shown = format!("{settings:?}");
        assert!(!shown.contains("sk-secret-123"), "{shown}");
        assert!(shown.contains("[redacted]") && shown.contains("small"));
    }
}
