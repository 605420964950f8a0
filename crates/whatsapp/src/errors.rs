//! What a Graph API error means for the message that got it. Meta's HTTP
//! status says little (throttling arrives as a 400), so the decision is
//! made on `error.code`, as Meta's error-code reference lists them.

use serde::Deserialize;
use std::time::Duration;

/// An error as the Graph API reports it, in a response body
/// (`{"error": {...}}`) or in a `failed` status webhook (`errors[]`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GraphError {
    pub code: i64,
    /// A status webhook's short title ("Re-engagement message").
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub error_subcode: Option<i64>,
    #[serde(default)]
    pub error_data: Option<ErrorData>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ErrorData {
    #[serde(default)]
    pub details: Option<String>,
}

impl GraphError {
    /// The error of a Graph API response body, if it carries one.
    pub fn from_body(body: &[u8]) -> Option<GraphError> {
        #[derive(Deserialize)]
        struct Envelope {
            error: GraphError,
        }
        serde_json::from_slice::<Envelope>(body)
            .ok()
            .map(|e| e.error)
    }

    /// Title or message, whichever says more, for staff to read.
    pub fn summary(&self) -> String {
        let text = [
            self.title.as_deref(),
            self.message.as_deref(),
            self.error_data.as_ref().and_then(|d| d.details.as_deref()),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(": ");
        if text.is_empty() {
            format!("error {}", self.code)
        } else {
            text
        }
    }
}

/// What the sender does next with a message whose send failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Try again later, with backoff: the failure says nothing about the
    /// message (a timeout, Meta's 5xx, throttling, "something went wrong").
    Retry,
    /// Too many messages to this one customer (131056): this conversation
    /// waits longer; the others carry on.
    SlowConversation,
    /// The message can never be sent as it is (an invalid recipient, the
    /// 24-hour window closed, a template error…): record it and stop.
    Permanent,
    /// The number itself cannot send (token expired or revoked, account
    /// restricted or locked): pause every send of this number and tell
    /// the tenant's staff.
    PauseNumber,
}

/// Classifies a failed send: `status` is the HTTP status (None when no
/// response came: a timeout or a broken connection), `error` what the body
/// said.
pub fn classify(status: Option<u16>, error: Option<&GraphError>) -> Verdict {
    let Some(status) = status else {
        return Verdict::Retry;
    };
    match error.map(|e| e.code) {
        // Throttled, "something went wrong", service unavailable, WABA rate
        // limit, and the API's own transient codes.
        Some(130429 | 131000 | 131016 | 80007 | 1 | 2 | 4) => Verdict::Retry,
        Some(131056) => Verdict::SlowConversation,
        // Access token expired or invalid; permissions missing; temporarily
        // blocked for policy violations; account locked; no payment method;
        // certificate error; number not registered: every send of the
        // number would fail the same way.
        Some(190 | 10 | 200 | 368 | 131031 | 131042 | 131045 | 133010) => Verdict::PauseNumber,
        Some(_) if status >= 500 => Verdict::Retry,
        Some(_) => Verdict::Permanent,
        None if status >= 500 || status == 429 || status == 408 => Verdict::Retry,
        None if status == 401 => Verdict::PauseNumber,
        None => Verdict::Permanent,
    }
}

/// How long to wait before attempt `attempt` (1 for the first retry):
/// exponential from 2 s, capped at 10 minutes, times `jitter` in
/// [0.5, 1.5) so many rows failing together do not retry together.
pub fn backoff(attempt: u32, jitter: f64) -> Duration {
    let base = 2.0_f64 * 2.0_f64.powi(attempt.saturating_sub(1).min(16) as i32);
    let capped = base.min(600.0);
    let jitter = if jitter.is_finite() {
        jitter.clamp(0.5, 1.5)
    } else {
        1.0
    };
    Duration::from_secs_f64(capped * jitter)
}

/// A factor in [0.5, 1.5) for [`backoff`]: rows that failed together do
/// not all retry at the same moment.
pub fn jitter() -> f64 {
    0.5 + rand::random::<f64>()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(code: i64) -> GraphError {
        GraphError {
            code,
            title: None,
            message: None,
            error_subcode: None,
            error_data: None,
        }
    }

    #[test]
    fn codes_decide_not_http_statuses() {
        // Throttling arrives as HTTP 400.
        assert_eq!(classify(Some(400), Some(&error(130429))), Verdict::Retry);
        assert_eq!(
            classify(Some(400), Some(&error(131056))),
            Verdict::SlowConversation
        );
        assert_eq!(classify(Some(401), Some(&error(190))), Verdict::PauseNumber);
        assert_eq!(
            classify(Some(400), Some(&error(131031))),
            Verdict::PauseNumber
        );
        assert_eq!(classify(Some(400), Some(&error(368))), Verdict::PauseNumber);
        for code in [10, 200, 131042, 131045, 133010] {
            assert_eq!(
                classify(Some(400), Some(&error(code))),
                Verdict::PauseNumber,
                "{code}"
            );
        }
        for code in [100, 131026, 131047, 131051, 132000, 132001, 132012] {
            assert_eq!(
                classify(Some(400), Some(&error(code))),
                Verdict::Permanent,
                "{code}"
            );
        }
        for code in [1, 2, 4, 80007, 131000, 131016] {
            assert_eq!(
                classify(Some(400), Some(&error(code))),
                Verdict::Retry,
                "{code}"
            );
        }
        assert_eq!(classify(None, None), Verdict::Retry);
        assert_eq!(classify(Some(503), None), Verdict::Retry);
        assert_eq!(classify(Some(500), Some(&error(100))), Verdict::Retry);
        assert_eq!(classify(Some(404), None), Verdict::Permanent);
    }

    #[test]
    fn errors_are_read_from_meta_bodies() {
        let body = br#"{"error":{"message":"(#131047) Re-engagement message","type":"OAuthException","code":131047,"error_data":{"messaging_product":"whatsapp","details":"Message failed to send because more than 24 hours have passed"},"fbtrace_id":"Az8or2yhqkZfEZ-_4Qn_Bam"}}"#;
        let parsed = GraphError::from_body(body).expect("an error");
        assert_eq!(parsed.code, 131047);
        assert!(parsed.summary().contains("more than 24 hours"));
        assert_eq!(GraphError::from_body(b"<html>bad gateway</html>"), None);
        assert_eq!(
            GraphError::from_body(br#"{"messages":[{"id":"wamid.X"}]}"#),
            None
        );
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff(1, 1.0), Duration::from_secs(2));
        assert_eq!(backoff(3, 1.0), Duration::from_secs(8));
        assert_eq!(backoff(50, 1.0), Duration::from_secs(600));
        assert_eq!(backoff(1, f64::NAN), Duration::from_secs(2));
        assert_eq!(backoff(2, 9.0), Duration::from_secs(6));
        for _ in 0..100 {
            assert!((0.5..1.5).contains(&jitter()));
        }
    }
}
