//! The sender: posts outbox rows to the Graph API, one conversation's
//! replies in order, and records what Meta answered. Errors are judged by
//! Meta's `error.code` (see `whatsapp::errors`): retried with backoff,
//! slowed for one conversation, recorded as failed, or pausing the number.
//! See `store::outbox` for how a crash mid-send is kept from sending twice.

use booking::Services;
use chrono::{DateTime, Utc};
use std::sync::Arc;
use std::time::Duration;
use store::{OutboxSend, StoreError, SERVICE_WINDOW_SECONDS};
use tokio::sync::Notify;
use whatsapp::errors::{classify, jitter, GraphError, Verdict};
use whatsapp::reply::{Reply, ReplyError};
use whatsapp::seal::SecretKey;

/// How long one post may take before it counts as a timeout (retried).
const POST_TIMEOUT: Duration = Duration::from_secs(20);
/// How often an idle sender looks at the outbox without being woken.
const POLL: Duration = Duration::from_secs(2);
/// Posts after which a message Meta keeps refusing transiently is failed.
pub const MAX_SEND_ATTEMPTS: i64 = 10;
/// The wait after Meta says this customer got too many messages (131056).
const SLOW_CONVERSATION: Duration = Duration::from_secs(60);

/// Where and how to reach the Graph API.
#[derive(Clone)]
pub struct Sender {
    pub services: Services,
    pub http: reqwest::Client,
    /// `https://graph.facebook.com` (a local stand-in in tests).
    pub graph_url: String,
    pub api_version: String,
    /// Opens the numbers' access tokens.
    pub key: Option<SecretKey>,
}

impl Sender {
    pub fn new(
        services: Services,
        graph_url: &str,
        api_version: &str,
        key: Option<SecretKey>,
    ) -> Result<Sender, reqwest::Error> {
        Ok(Sender {
            services,
            http: reqwest::Client::builder().timeout(POST_TIMEOUT).build()?,
            graph_url: graph_url.trim_end_matches('/').to_string(),
            api_version: api_version.to_string(),
            key,
        })
    }

    /// Sends until the process ends; `wake` is notified when replies are
    /// written.
    pub async fn run(self, wake: Arc<Notify>) {
        loop {
            match self.send_next().await {
                Ok(true) => continue,
                Ok(false) => {}
                Err(error) => tracing::error!(%error, "the sender could not read the outbox"),
            }
            tokio::select! {
                () = wake.notified() => {}
                () = tokio::time::sleep(POLL) => {}
            }
        }
    }

    /// Sends the next due row, if any; `Ok(false)` when none is due.
    pub async fn send_next(&self) -> Result<bool, StoreError> {
        let store = &self.services.store;
        let now = self.services.clock.now();
        let Some(row) = store.claim_outbox(now).await? else {
            return Ok(false);
        };
        // Abandoned mid-send and past the grace: a status naming the row
        // means the post arrived; otherwise it is posted again.
        if row.maybe_posted && store.settle_abandoned(&row, now).await? {
            return Ok(true);
        }
        self.post(&row, now).await?;
        Ok(true)
    }

    async fn post(&self, row: &OutboxSend, now: DateTime<Utc>) -> Result<(), StoreError> {
        let store = &self.services.store;
        if let Some(reason) = &row.number.paused_reason {
            return store
                .retry_outbox(row.id, now + chrono::Duration::minutes(5), reason)
                .await;
        }
        let reply = match stored_reply(row) {
            Ok(reply) => reply,
            Err(error) => {
                return store
                    .fail_outbox(
                        row.id,
                        None,
                        &format!("the stored reply cannot be sent: {error}"),
                    )
                    .await
            }
        };
        // Free-form messages only within 24 hours of the customer's latest
        // message (Meta's time); outside it only templates may be sent.
        let open = row
            .last_inbound_at
            .is_some_and(|at| (now - at).num_seconds() < SERVICE_WINDOW_SECONDS);
        if !open && reply.needs_open_window() {
            return store
                .fail_outbox(
                    row.id,
                    Some(131047),
                    "outside the 24-hour customer service window: only a template may be sent",
                )
                .await;
        }
        let Some(token) = self.token(row) else {
            store
                .pause_number(row.number.id, "the access token cannot be opened with this server's secret key; connect the number again")
                .await?;
            return store
                .retry_outbox(row.id, now + chrono::Duration::minutes(5), "number paused")
                .await;
        };
        let url = whatsapp::send::messages_url(
            &self.graph_url,
            &self.api_version,
            &row.number.phone_number_id,
        );
        let request = reply.request(&row.recipient, row.id);
        let answer = self
            .http
            .post(&url)
            .bearer_auth(token)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(request.to_string())
            .send()
            .await;
        let (status, body) = match answer {
            Ok(response) => {
                let status = response.status().as_u16();
                (status, response.bytes().await.map(|b| b.to_vec()))
            }
            // Refused before anything was sent: safe to post again.
            Err(error) if error.is_connect() => {
                tracing::warn!(outbox = row.id, %error, "the Graph API could not be reached");
                return self
                    .retry(row, now, &format!("cannot connect: {error}"))
                    .await;
            }
            Err(error) => {
                // A timeout or a broken answer: Meta may have the message.
                tracing::warn!(outbox = row.id, %error, "no answer from the Graph API; the send is checked before any repeat");
                return store.abandon_outbox(row.id, now).await;
            }
        };
        let body = match body {
            Ok(body) => body,
            Err(error) => {
                tracing::warn!(outbox = row.id, %error, "the Graph API's answer broke off");
                return store.abandon_outbox(row.id, now).await;
            }
        };
        if (200..=299).contains(&status) {
            bot::fault::point("after_post");
            // Accepted. An answer without the message id is still an
            // acceptance: posting again would send the message twice; its
            // statuses find the row by the callback data.
            let wamid = whatsapp::send::accepted_id(&body).unwrap_or_default();
            if wamid.is_empty() {
                tracing::warn!(
                    outbox = row.id,
                    "Meta accepted a send without naming the message"
                );
            }
            return store
                .record_sent(row, &wamid, self.services.clock.now())
                .await;
        }
        let error = GraphError::from_body(&body);
        let summary = error
            .as_ref()
            .map_or_else(|| format!("HTTP {status}"), GraphError::summary);
        match classify(Some(status), error.as_ref()) {
            Verdict::Retry => self.retry(row, now, &summary).await,
            Verdict::SlowConversation if row.attempts < MAX_SEND_ATTEMPTS => {
                let wait = to_chrono(SLOW_CONVERSATION.mul_f64(jitter()));
                store.retry_outbox(row.id, now + wait, &summary).await
            }
            Verdict::PauseNumber => {
                tracing::error!(number = %row.number.phone_number_id, %summary, "Meta refused the number; its sends are paused");
                store.pause_number(row.number.id, &summary).await?;
                store
                    .retry_outbox(row.id, now + chrono::Duration::minutes(5), &summary)
                    .await
            }
            Verdict::SlowConversation | Verdict::Permanent => {
                store
                    .fail_outbox(row.id, error.as_ref().map(|e| e.code), &summary)
                    .await
            }
        }
    }

    /// Another try later with backoff, or failed after [`MAX_SEND_ATTEMPTS`].
    async fn retry(
        &self,
        row: &OutboxSend,
        now: DateTime<Utc>,
        summary: &str,
    ) -> Result<(), StoreError> {
        let store = &self.services.store;
        if row.attempts >= MAX_SEND_ATTEMPTS {
            return store.fail_outbox(row.id, None, summary).await;
        }
        let wait = whatsapp::errors::backoff(u32::try_from(row.attempts).unwrap_or(16), jitter());
        store
            .retry_outbox(row.id, now + to_chrono(wait), summary)
            .await
    }

    fn token(&self, row: &OutboxSend) -> Option<String> {
        self.token_of(&row.number)
    }

    /// A number's access token, opened with this server's secret key.
    pub(crate) fn token_of(&self, number: &store::WhatsappNumber) -> Option<String> {
        let key = self.key.as_ref()?;
        key.open(
            &number.token_sealed,
            &crate::cli::token_context(&number.phone_number_id),
        )
        .ok()
    }
}

/// The reply an outbox row carries: its Graph object as recorded, or its
/// text.
fn stored_reply(row: &OutboxSend) -> Result<Reply, ReplyError> {
    match &row.payload {
        None => Reply::text(&row.body),
        Some(payload) => {
            let payload: serde_json::Value = serde_json::from_str(payload)
                .map_err(|error| ReplyError::Unreadable(error.to_string()))?;
            Reply::from_stored(&row.kind, &payload)
        }
    }
}

fn to_chrono(wait: Duration) -> chrono::Duration {
    chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::minutes(10))
}
