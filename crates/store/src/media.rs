//! Files customers send over WhatsApp. The webhook carries only a media id;
//! Meta keeps the file behind it for a while, so when a media message is
//! admitted a download is queued in the same transaction, and a job
//! fetches it (up to [`MAX_MEDIA_BYTES`]) into the database, where staff
//! can open it after Meta has dropped it.

use crate::db::{Store, WriteTx};
use crate::error::{Result, StoreError};
use crate::inbound_queue::QueuedInbound;
use chrono::{DateTime, Utc};
use domain::TenantId;

/// WhatsApp's own limit on the media a customer can send is 16 MB for
/// most kinds; a larger file is recorded as failed, not fetched.
pub const MAX_MEDIA_BYTES: u64 = 16 * 1024 * 1024;
/// How long one download may hold its row.
pub const MEDIA_LEASE_SECONDS: i64 = 300;

/// The media id and type a stored message names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaReference {
    pub media_id: String,
    pub mime_type: Option<String>,
}

/// Reads the media reference of an inbound `image`, `video`, `document`,
/// `audio` or `sticker` message from Meta's JSON; `None` for other kinds.
pub fn reference(kind: &str, payload: &str) -> Option<MediaReference> {
    if !matches!(kind, "image" | "video" | "document" | "audio" | "sticker") {
        return None;
    }
    let message: serde_json::Value = serde_json::from_str(payload).ok()?;
    let media = message.get(kind)?;
    let media_id = media.get("id")?.as_str()?.trim();
    if media_id.is_empty() || media_id.len() > 256 {
        return None;
    }
    Some(MediaReference {
        media_id: media_id.to_string(),
        mime_type: media
            .get("mime_type")
            .and_then(|m| m.as_str())
            .map(|m| m.chars().take(200).collect()),
    })
}

/// Queues the download of a message's file, in the admitting transaction.
pub(crate) async fn queue_download(
    tx: &mut WriteTx,
    queued: &QueuedInbound,
    message_id: i64,
    reference: &MediaReference,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO whatsapp_media (tenant_id, message_id, number_id, media_id, mime_type, next_attempt_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (message_id) DO NOTHING",
    )
    .bind(queued.tenant.0)
    .bind(message_id)
    .bind(queued.number_id)
    .bind(&reference.media_id)
    .bind(reference.mime_type.as_deref())
    .bind(now.timestamp())
    .execute(&mut ***tx)
    .await?;
    Ok(())
}

/// A claimed download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaDownload {
    pub id: i64,
    pub tenant: TenantId,
    pub number: crate::WhatsappNumber,
    pub media_id: String,
    /// Claims so far, this one included.
    pub attempts: i64,
}

/// A downloaded file, for staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaFile {
    pub mime_type: Option<String>,
    pub content: Vec<u8>,
    pub sha256: Option<String>,
}

/// Where a message's file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaState {
    Queued,
    Done(MediaFile),
    Failed(String),
}

impl Store {
    /// Claims the next due download (a row whose claim lapsed is taken
    /// again: a download has no effect outside this table).
    pub async fn claim_media(&self, now: DateTime<Utc>) -> Result<Option<MediaDownload>> {
        let candidate: Option<(i64, Option<i64>)> = sqlx::query_as(
            "SELECT id, claimed_until FROM whatsapp_media
             WHERE state = 'queued' AND next_attempt_at <= $1
               AND (claimed_until IS NULL OR claimed_until <= $1)
             ORDER BY next_attempt_at, id LIMIT 1",
        )
        .bind(now.timestamp())
        .fetch_optional(&self.pool)
        .await?;
        let Some((id, claimed_until)) = candidate else {
            return Ok(None);
        };
        let claimed = sqlx::query(
            "UPDATE whatsapp_media SET claimed_until = $1, attempts = attempts + 1
             WHERE id = $2 AND state = 'queued' AND COALESCE(claimed_until, -1) = COALESCE($3, -1)",
        )
        .bind(now.timestamp() + MEDIA_LEASE_SECONDS)
        .bind(id)
        .bind(claimed_until)
        .execute(&self.pool)
        .await?
        .rows_affected();
        if claimed != 1 {
            return Ok(None);
        }
        let (tenant, number_id, media_id, attempts): (i64, i64, String, i64) = sqlx::query_as(
            "SELECT tenant_id, number_id, media_id, attempts FROM whatsapp_media WHERE id = $1",
        )
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        let number = self
            .whatsapp_number_by_id(number_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(Some(MediaDownload {
            id,
            tenant: TenantId(tenant),
            number,
            media_id,
            attempts,
        }))
    }

    /// Stores a downloaded file.
    pub async fn media_downloaded(
        &self,
        id: i64,
        mime_type: Option<&str>,
        content: &[u8],
        sha256: &str,
    ) -> Result<()> {
        let size = i64::try_from(content.len()).unwrap_or(i64::MAX);
        sqlx::query(
            "UPDATE whatsapp_media SET state = 'done', content = $1, size = $2, sha256 = $3,
                    mime_type = COALESCE($4, mime_type), claimed_until = NULL, error = NULL
             WHERE id = $5",
        )
        .bind(content.to_vec())
        .bind(size)
        .bind(sha256)
        .bind(mime_type)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Another try at `at`, noting why this one failed.
    pub async fn retry_media(&self, id: i64, at: DateTime<Utc>, error: &str) -> Result<()> {
        sqlx::query(
            "UPDATE whatsapp_media SET next_attempt_at = $1, claimed_until = NULL, error = $2 WHERE id = $3",
        )
        .bind(at.timestamp())
        .bind(error)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Gives a download up (too large, gone from Meta, refused).
    pub async fn fail_media(&self, id: i64, error: &str) -> Result<()> {
        sqlx::query(
            "UPDATE whatsapp_media SET state = 'failed', claimed_until = NULL, error = $1 WHERE id = $2",
        )
        .bind(error)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The file of a tenant's message, or where its download is.
    pub async fn message_media(&self, tenant: TenantId, message_id: i64) -> Result<MediaState> {
        type Row = (
            String,
            Option<String>,
            Option<Vec<u8>>,
            Option<String>,
            Option<String>,
        );
        let row: Option<Row> = sqlx::query_as(
            "SELECT state, mime_type, content, sha256, error FROM whatsapp_media
             WHERE tenant_id = $1 AND message_id = $2",
        )
        .bind(tenant.0)
        .bind(message_id)
        .fetch_optional(&self.pool)
        .await?;
        let Some((state, mime_type, content, sha256, error)) = row else {
            return Err(StoreError::NotFound);
        };
        Ok(match state.as_str() {
            "done" => MediaState::Done(MediaFile {
                mime_type,
                content: content.unwrap_or_default(),
                sha256,
            }),
            "failed" => MediaState::Failed(error.unwrap_or_default()),
            _ => MediaState::Queued,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_references_are_read_from_metas_messages() {
        let image = r#"{"type":"image","image":{"id":"1479537139650973","mime_type":"image/jpeg","sha256":"x","caption":"transfer"}}"#;
        assert_eq!(
            reference("image", image),
            Some(MediaReference {
                media_id: "1479537139650973".into(),
                mime_type: Some("image/jpeg".into()),
            })
        );
        assert_eq!(reference("text", image), None);
        assert_eq!(reference("image", "not json"), None);
        assert_eq!(reference("image", r#"{"image":{"id":""}}"#), None);
        assert_eq!(reference("document", r#"{"document":{"id":7}}"#), None);
        assert!(reference("audio", r#"{"audio":{"id":"9"}}"#).is_some());
    }
}
