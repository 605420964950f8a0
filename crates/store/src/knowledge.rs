//! The knowledge base's documents, each its own indexing job.
//!
//! A document row holds the uploaded file (or the FAQ entry), where its
//! indexing stands, and the lease of the worker indexing it. Every write a
//! worker makes names its claim, so a worker whose lease lapsed (a crash, a
//! stall) cannot overwrite the work of the one that took over. The chunks
//! and their full-text and vector indexes are in [`crate::knowledge_chunks`].

use crate::db::Store;
use crate::error::{Result, StoreError};
use chrono::{DateTime, Utc};
use domain::{DocumentId, OutletId, TenantId};

/// How long one indexing pass may hold a document before another worker
/// may take it over.
pub const INDEX_LEASE_SECONDS: i64 = 600;
/// Claims after which a document that keeps failing is marked failed.
pub const MAX_INDEX_ATTEMPTS: i64 = 3;

/// Where a document's indexing stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocumentState {
    Queued,
    Extracting,
    Indexing,
    Ready,
    Failed,
}

impl DocumentState {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentState::Queued => "queued",
            DocumentState::Extracting => "extracting",
            DocumentState::Indexing => "indexing",
            DocumentState::Ready => "ready",
            DocumentState::Failed => "failed",
        }
    }

    fn parse(text: &str) -> Result<DocumentState> {
        Ok(match text {
            "queued" => DocumentState::Queued,
            "extracting" => DocumentState::Extracting,
            "indexing" => DocumentState::Indexing,
            "ready" => DocumentState::Ready,
            "failed" => DocumentState::Failed,
            other => {
                return Err(StoreError::Corrupt(format!(
                    "unknown document state {other:?}"
                )))
            }
        })
    }
}

/// A document as staff and integrators see it (without its bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub id: DocumentId,
    pub tenant: TenantId,
    pub outlet: Option<OutletId>,
    pub name: String,
    /// `pdf`, `docx`, `xlsx`, `csv`, `txt`, `markdown` or `faq`.
    pub format: String,
    pub size: i64,
    pub state: DocumentState,
    /// 0–100 while indexing; 100 when ready.
    pub progress: i64,
    /// Why it failed, in words for staff.
    pub error: Option<String>,
    pub chunks: i64,
    /// The embedding model its vectors come from; `None` when it has none
    /// (full-text only).
    pub embed_model: Option<String>,
    /// A FAQ entry's question and answer.
    pub question: Option<String>,
    pub answer: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What an upload or a FAQ entry adds.
#[derive(Debug, Clone)]
pub struct NewDocument<'a> {
    pub outlet: Option<OutletId>,
    pub name: &'a str,
    pub format: &'a str,
    /// The file; `None` for a FAQ entry.
    pub content: Option<&'a [u8]>,
    pub sha256: &'a str,
    pub question: Option<&'a str>,
    pub answer: Option<&'a str>,
}

/// A document claimed for indexing, with what the worker needs.
#[derive(Debug, Clone)]
pub struct ClaimedDocument {
    pub id: DocumentId,
    pub tenant: TenantId,
    pub name: String,
    pub format: String,
    pub content: Vec<u8>,
    pub question: Option<String>,
    pub answer: Option<String>,
    /// This claim, named on every write of the pass.
    pub claim: String,
    /// Claims so far, this one included.
    pub attempts: i64,
}

const DOCUMENT_COLUMNS: &str =
    "id, tenant_id, outlet_id, name, format, size, state, progress, error, chunks,
     embed_model, question, answer, created_at, updated_at";

type DocumentRow = (
    i64,
    i64,
    Option<i64>,
    String,
    String,
    i64,
    String,
    i64,
    Option<String>,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
    i64,
);

fn document(row: DocumentRow) -> Result<Document> {
    let (
        id,
        tenant,
        outlet,
        name,
        format,
        size,
        state,
        progress,
        error,
        chunks,
        embed_model,
        question,
        answer,
        created_at,
        updated_at,
    ) = row;
    Ok(Document {
        id: DocumentId(id),
        tenant: TenantId(tenant),
        outlet: outlet.map(OutletId),
        name,
        format,
        size,
        state: DocumentState::parse(&state)?,
        progress,
        error,
        chunks,
        embed_model: embed_model.filter(|m| !m.is_empty()),
        question,
        answer,
        created_at: crate::bookings::instant(created_at)?,
        updated_at: crate::bookings::instant(updated_at)?,
    })
}

impl Store {
    /// Adds a document, queued for indexing, unless the tenant already has
    /// `max_documents` (counted in the same write transaction, so two
    /// uploads at once cannot both take the last place).
    pub async fn add_document(
        &self,
        tenant: TenantId,
        new: NewDocument<'_>,
        max_documents: i64,
        now: DateTime<Utc>,
    ) -> Result<DocumentId> {
        let mut tx = self.begin_write().await?;
        tx.leaves_searches();
        if let Some(outlet) = new.outlet {
            let found: Option<i64> =
                sqlx::query_scalar("SELECT id FROM outlets WHERE tenant_id = $1 AND id = $2")
                    .bind(tenant.0)
                    .bind(outlet.0)
                    .fetch_optional(&mut **tx)
                    .await?;
            if found.is_none() {
                return Err(StoreError::Invalid("no such outlet".into()));
            }
        }
        let count: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM knowledge_documents WHERE tenant_id = $1")
                .bind(tenant.0)
                .fetch_one(&mut **tx)
                .await?;
        if count >= max_documents {
            return Err(StoreError::Invalid(format!(
                "the knowledge base is full ({max_documents} documents); delete one first"
            )));
        }
        let size = new
            .content
            .map_or(0, |c| i64::try_from(c.len()).unwrap_or(i64::MAX));
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO knowledge_documents
                 (tenant_id, outlet_id, name, format, size, sha256, content, question, answer, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
        )
        .bind(tenant.0)
        .bind(new.outlet.map(|o| o.0))
        .bind(new.name)
        .bind(new.format)
        .bind(size)
        .bind(new.sha256)
        .bind(new.content.map(<[u8]>::to_vec))
        .bind(new.question)
        .bind(new.answer)
        .bind(now.timestamp())
        .fetch_one(&mut **tx)
        .await?;
        tx.commit().await?;
        Ok(DocumentId(id))
    }

    /// One of the tenant's documents.
    pub async fn document(&self, tenant: TenantId, id: DocumentId) -> Result<Option<Document>> {
        let row: Option<DocumentRow> = sqlx::query_as(&format!(
            "SELECT {DOCUMENT_COLUMNS} FROM knowledge_documents WHERE tenant_id = $1 AND id = $2"
        ))
        .bind(tenant.0)
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?;
        row.map(document).transpose()
    }

    /// The tenant's documents, newest first.
    pub async fn documents(&self, tenant: TenantId) -> Result<Vec<Document>> {
        let rows: Vec<DocumentRow> = sqlx::query_as(&format!(
            "SELECT {DOCUMENT_COLUMNS} FROM knowledge_documents WHERE tenant_id = $1 ORDER BY id DESC"
        ))
        .bind(tenant.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(document).collect()
    }

    /// Deletes a document with its chunks and their vectors in the
    /// database (vectors kept elsewhere are the caller's to delete);
    /// `false` when the tenant has no such document.
    pub async fn delete_document(&self, tenant: TenantId, id: DocumentId) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        tx.leaves_searches();
        sqlx::query("DELETE FROM knowledge_chunks WHERE tenant_id = $1 AND document_id = $2")
            .bind(tenant.0)
            .bind(id.0)
            .execute(&mut **tx)
            .await?;
        let deleted =
            sqlx::query("DELETE FROM knowledge_documents WHERE tenant_id = $1 AND id = $2")
                .bind(tenant.0)
                .bind(id.0)
                .execute(&mut **tx)
                .await?
                .rows_affected();
        crate::knowledge_chunks::bump_generation(&mut tx, tenant).await?;
        tx.commit().await?;
        Ok(deleted == 1)
    }

    /// Queues a document to be indexed again (a new extractor, a failed
    /// file replaced); a pass under way is superseded, since its claim no
    /// longer holds. Its count of interrupted passes is kept unless it was
    /// ready, so a file that kills its worker cannot be queued again and
    /// again. `false` when the tenant has no such document.
    pub async fn reindex_document(
        &self,
        tenant: TenantId,
        id: DocumentId,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let changed = sqlx::query(
            "UPDATE knowledge_documents
             SET state = 'queued', progress = 0, error = NULL, claim = NULL, claimed_until = NULL,
                 attempts = CASE WHEN state = 'ready' THEN 0 ELSE attempts END, updated_at = $3
             WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant.0)
        .bind(id.0)
        .bind(now.timestamp())
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(changed == 1)
    }

    /// Queues every indexed document whose vectors come from another
    /// embedding model than `model` (`None`: no embeddings), so changing
    /// the model re-indexes. Returns how many were queued.
    pub async fn requeue_other_models(
        &self,
        model: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<u64> {
        let model = model.unwrap_or("");
        Ok(sqlx::query(
            "UPDATE knowledge_documents
             SET state = 'queued', progress = 0, attempts = 0, claim = NULL, claimed_until = NULL,
                 updated_at = $2
             WHERE state = 'ready' AND COALESCE(embed_model, '') <> $1",
        )
        .bind(model)
        .bind(now.timestamp())
        .execute(&self.pool)
        .await?
        .rows_affected())
    }

    /// Claims the next document to index: a queued one, or one whose
    /// indexing pass lapsed. A document claimed [`MAX_INDEX_ATTEMPTS`]
    /// times without finishing is marked failed instead (a file that kills
    /// the process every time must not kill it forever).
    pub async fn claim_document(
        &self,
        claim: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<ClaimedDocument>> {
        loop {
            // Fair across tenants: the tenant served longest ago (by the
            // last document it had indexed or failed; never is first)
            // goes next, so a tenant that uploads 200 files does not hold
            // every other venue's file back behind them.
            let candidate: Option<(i64, Option<String>, i64)> = sqlx::query_as(
                "SELECT d.id, d.claim, d.attempts FROM knowledge_documents d
                 LEFT JOIN (SELECT tenant_id, MAX(updated_at) AS served
                            FROM knowledge_documents WHERE state <> 'queued'
                            GROUP BY tenant_id) s ON s.tenant_id = d.tenant_id
                 WHERE (d.state = 'queued' AND d.claimed_until IS NULL)
                    OR (d.state IN ('queued', 'extracting', 'indexing') AND d.claimed_until <= $1)
                 ORDER BY COALESCE(s.served, 0), d.id LIMIT 1",
            )
            .bind(now.timestamp())
            .fetch_optional(&self.pool)
            .await?;
            let Some((id, previous, attempts)) = candidate else {
                return Ok(None);
            };
            if attempts >= MAX_INDEX_ATTEMPTS {
                sqlx::query(
                    "UPDATE knowledge_documents
                     SET state = 'failed', claim = NULL, claimed_until = NULL, updated_at = $3,
                         error = 'indexing stopped several times before it finished; try again, or upload a smaller file'
                     WHERE id = $1 AND COALESCE(claim, '') = $2",
                )
                .bind(id)
                .bind(previous.as_deref().unwrap_or(""))
                .bind(now.timestamp())
                .execute(&self.pool)
                .await?;
                continue;
            }
            let taken = sqlx::query(
                "UPDATE knowledge_documents
                 SET claim = $1, claimed_until = $2, attempts = attempts + 1, state = 'extracting',
                     progress = 0, error = NULL, updated_at = $3
                 WHERE id = $4 AND COALESCE(claim, '') = $5",
            )
            .bind(claim)
            .bind(now.timestamp() + INDEX_LEASE_SECONDS)
            .bind(now.timestamp())
            .bind(id)
            .bind(previous.as_deref().unwrap_or(""))
            .execute(&self.pool)
            .await?
            .rows_affected();
            if taken != 1 {
                continue;
            }
            type Row = (
                i64,
                String,
                String,
                Option<Vec<u8>>,
                Option<String>,
                Option<String>,
                i64,
            );
            let (tenant, name, format, content, question, answer, attempts): Row = sqlx::query_as(
                "SELECT tenant_id, name, format, content, question, answer, attempts
                     FROM knowledge_documents WHERE id = $1",
            )
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
            return Ok(Some(ClaimedDocument {
                id: DocumentId(id),
                tenant: TenantId(tenant),
                name,
                format,
                content: content.unwrap_or_default(),
                question,
                answer,
                claim: claim.to_string(),
                attempts,
            }));
        }
    }

    /// Moves a claimed document on (extracting → indexing, a percentage);
    /// `false` when the claim no longer holds (re-indexed or deleted
    /// meanwhile, or the lease lapsed and another worker took it).
    pub async fn document_progress(
        &self,
        id: DocumentId,
        claim: &str,
        state: DocumentState,
        progress: i64,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        Ok(sqlx::query(
            "UPDATE knowledge_documents SET state = $1, progress = $2, updated_at = $3,
                    claimed_until = $4
             WHERE id = $5 AND claim = $6",
        )
        .bind(state.as_str())
        .bind(progress.clamp(0, 100))
        .bind(now.timestamp())
        .bind(now.timestamp() + INDEX_LEASE_SECONDS)
        .bind(id.0)
        .bind(claim)
        .execute(&self.pool)
        .await?
        .rows_affected()
            == 1)
    }

    /// Marks a claimed document failed, with the reason for staff. Its
    /// chunks from an earlier pass are removed, so search never cites a
    /// document that says it failed.
    pub async fn fail_document(
        &self,
        id: DocumentId,
        claim: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        tx.leaves_searches();
        let changed = sqlx::query(
            "UPDATE knowledge_documents
             SET state = 'failed', error = $1, progress = 0, chunks = 0, claim = NULL,
                 claimed_until = NULL, updated_at = $2
             WHERE id = $3 AND claim = $4",
        )
        .bind(reason)
        .bind(now.timestamp())
        .bind(id.0)
        .bind(claim)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        if changed == 1 {
            let tenant: i64 =
                sqlx::query_scalar("SELECT tenant_id FROM knowledge_documents WHERE id = $1")
                    .bind(id.0)
                    .fetch_one(&mut **tx)
                    .await?;
            sqlx::query("DELETE FROM knowledge_chunks WHERE document_id = $1")
                .bind(id.0)
                .execute(&mut **tx)
                .await?;
            crate::knowledge_chunks::bump_generation(&mut tx, TenantId(tenant)).await?;
        }
        tx.commit().await?;
        Ok(changed == 1)
    }

    /// Marks a claimed document ready: `chunks` passages, vectors from
    /// `embed_model` (`None`: full text only).
    pub async fn finish_document(
        &self,
        id: DocumentId,
        claim: &str,
        chunks: i64,
        embed_model: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        Ok(sqlx::query(
            "UPDATE knowledge_documents
             SET state = 'ready', progress = 100, error = NULL, chunks = $1, embed_model = $2,
                 claim = NULL, claimed_until = NULL, updated_at = $3
             WHERE id = $4 AND claim = $5",
        )
        .bind(chunks)
        .bind(embed_model.unwrap_or(""))
        .bind(now.timestamp())
        .bind(id.0)
        .bind(claim)
        .execute(&self.pool)
        .await?
        .rows_affected()
            == 1)
    }
}
