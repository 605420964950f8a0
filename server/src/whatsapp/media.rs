//! The media downloader: fetches the files customers sent (see
//! `store::media`) while Meta still keeps them. Two requests, as Meta
//! documents: `GET {graph}/{version}/{media_id}` answers a short-lived URL
//! with the type and size, and `GET` that URL with the same bearer token
//! answers the bytes. Both are bounded at 16 MB, read in chunks, so one
//! customer's file never costs more memory than that.

use super::sender::Sender;
use sha2::{Digest, Sha256};
use std::time::Duration;
use store::{MediaDownload, StoreError, MAX_MEDIA_BYTES};
use whatsapp::errors::{classify, jitter, GraphError, Verdict};

/// Tries after which a download Meta keeps refusing transiently is failed.
pub const MAX_MEDIA_ATTEMPTS: i64 = 8;
/// How often an idle downloader looks for work.
const POLL: Duration = Duration::from_secs(3);

/// Why a download did not finish.
enum Fetch {
    /// Worth another try later (a timeout, a 5xx, throttling).
    Retry(String),
    /// Never worth another try (too large, gone, refused).
    Permanent(String),
}

impl Sender {
    /// Downloads until the process ends, looking for work every few
    /// seconds (Meta keeps a file for weeks; a few seconds do not matter).
    pub async fn run_media(self) {
        loop {
            match self.fetch_next_media().await {
                Ok(true) => continue,
                Ok(false) => {}
                Err(error) => {
                    tracing::error!(%error, "the media downloader could not read its queue")
                }
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Downloads the next due file, if any; `Ok(false)` when none is due.
    pub async fn fetch_next_media(&self) -> Result<bool, StoreError> {
        let store = &self.services.store;
        let now = self.services.clock.now();
        let Some(job) = store.claim_media(now).await? else {
            return Ok(false);
        };
        match self.fetch_media(&job).await {
            Ok((mime_type, content)) => {
                let sha256: String = Sha256::digest(&content)
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect();
                store
                    .media_downloaded(job.id, mime_type.as_deref(), &content, &sha256)
                    .await?;
            }
            Err(Fetch::Permanent(reason)) => {
                tracing::warn!(media = job.id, %reason, "a customer's file cannot be downloaded");
                store.fail_media(job.id, &reason).await?;
            }
            Err(Fetch::Retry(reason)) if job.attempts >= MAX_MEDIA_ATTEMPTS => {
                store.fail_media(job.id, &reason).await?;
            }
            Err(Fetch::Retry(reason)) => {
                let attempt = u32::try_from(job.attempts).unwrap_or(16);
                let wait = whatsapp::errors::backoff(attempt, jitter());
                let at =
                    now + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::minutes(10));
                store.retry_media(job.id, at, &reason).await?;
            }
        }
        Ok(true)
    }

    async fn fetch_media(&self, job: &MediaDownload) -> Result<(Option<String>, Vec<u8>), Fetch> {
        let token = self.token_of(&job.number).ok_or_else(|| {
            Fetch::Permanent(
                "the number's access token cannot be opened with this server's secret key".into(),
            )
        })?;
        let url = format!(
            "{}/{}/{}",
            self.graph_url,
            self.api_version,
            urlencode(&job.media_id)
        );
        let answer = self.get(&url, &token).await?;
        let info = read_limited(answer, 64 * 1024).await?;
        let info: serde_json::Value = serde_json::from_slice(&info)
            .map_err(|e| Fetch::Retry(format!("the media answer is not JSON: {e}")))?;
        let Some(location) = info.get("url").and_then(|u| u.as_str()) else {
            return Err(Fetch::Permanent("Meta named no URL for the file".into()));
        };
        if info
            .get("file_size")
            .and_then(|s| {
                s.as_u64()
                    .or_else(|| s.as_str().and_then(|s| s.parse().ok()))
            })
            .is_some_and(|size| size > MAX_MEDIA_BYTES)
        {
            return Err(Fetch::Permanent("the file is larger than 16 MB".into()));
        }
        let mime_type = info
            .get("mime_type")
            .and_then(|m| m.as_str())
            .map(|m| m.chars().take(200).collect());
        let file = self.get(location, &token).await?;
        let content = read_limited(file, MAX_MEDIA_BYTES).await?;
        Ok((mime_type, content))
    }

    /// A GET with the number's token; a refusal is judged by Meta's code.
    async fn get(&self, url: &str, token: &str) -> Result<reqwest::Response, Fetch> {
        let response = self
            .http
            .get(url)
            .bearer_auth(token)
            .send()
            .await
            .map_err(|e| Fetch::Retry(format!("no answer: {e}")))?;
        let status = response.status().as_u16();
        if (200..=299).contains(&status) {
            return Ok(response);
        }
        let body = read_limited(response, 64 * 1024).await.unwrap_or_default();
        let error = GraphError::from_body(&body);
        let summary = error
            .as_ref()
            .map_or_else(|| format!("HTTP {status}"), GraphError::summary);
        Err(match classify(Some(status), error.as_ref()) {
            Verdict::Retry | Verdict::SlowConversation => Fetch::Retry(summary),
            Verdict::Permanent | Verdict::PauseNumber => Fetch::Permanent(summary),
        })
    }
}

/// Reads a body of at most `limit` bytes, in chunks; a longer one is
/// refused as soon as it passes the limit.
async fn read_limited(mut response: reqwest::Response, limit: u64) -> Result<Vec<u8>, Fetch> {
    if response
        .content_length()
        .is_some_and(|length| length > limit)
    {
        return Err(Fetch::Permanent(format!(
            "the file is larger than {limit} bytes"
        )));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| Fetch::Retry(format!("the download broke off: {e}")))?
    {
        if body.len() as u64 + chunk.len() as u64 > limit {
            return Err(Fetch::Permanent(format!(
                "the file is larger than {limit} bytes"
            )));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// A media id as one path segment (Meta's are digits; anything else is
/// escaped rather than trusted).
fn urlencode(id: &str) -> String {
    id.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
