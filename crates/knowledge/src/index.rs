//! The indexing job: claims a queued document, extracts its text (off the
//! async runtime, under `catch_unwind`, with page and time caps), cuts it
//! into passages, embeds them in batches (reporting a percentage), and
//! swaps them in. A file that cannot be read fails with the reason for
//! staff and leaves every other document as it was.
//!
//! When the embedding endpoint fails, the document is still made
//! searchable by full text, marked as indexed without vectors; the
//! indexer queues such documents again every [`REQUEUE_EVERY`], so
//! vectors arrive once the endpoint is back (the same path re-indexes
//! everything when the configured model changes).

use crate::chunk::{chunk, Chunk};
use crate::embed::{Kind, BATCH};
use crate::extract::{self, Format, Locator, Section};
use crate::vectors::PassageVector;
use crate::Knowledge;
use chrono::Utc;
use std::sync::Arc;
use std::time::Duration;
use store::{ClaimedDocument, DocumentState, NewChunk, StoreError};
use tokio::sync::Notify;

/// How often an idle indexer looks for work without being woken.
const POLL: Duration = Duration::from_secs(3);
/// How often documents indexed without the current model's vectors are
/// queued again.
pub const REQUEUE_EVERY: Duration = Duration::from_secs(15 * 60);

/// How one claimed document ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Indexed {
    Ready {
        chunks: usize,
        vectors: bool,
    },
    Failed(String),
    /// The claim was lost (deleted, re-indexed or taken over meanwhile).
    Superseded,
}

impl Knowledge {
    /// Indexes the next queued document; `Ok(None)` when none is waiting.
    pub async fn index_next(&self) -> Result<Option<Indexed>, StoreError> {
        let claim = claim_token();
        let Some(document) = self.store.claim_document(&claim, Utc::now()).await? else {
            return Ok(None);
        };
        let outcome = self.index(&document).await?;
        match &outcome {
            Indexed::Failed(reason) => {
                tracing::info!(document = %document.id, reason, "a document could not be indexed")
            }
            Indexed::Ready { chunks, vectors } => {
                tracing::info!(document = %document.id, chunks, vectors, "indexed a document")
            }
            Indexed::Superseded => {}
        }
        Ok(Some(outcome))
    }

    async fn index(&self, document: &ClaimedDocument) -> Result<Indexed, StoreError> {
        let sections =
            match sections_of(document, self.limits.extract, self.extractor.as_ref()).await {
                Ok(sections) => sections,
                Err(reason) => return self.fail(document, &reason).await,
            };
        let chunks = chunk(&sections);
        if chunks.is_empty() {
            return self
                .fail(document, &extract::ExtractError::NoText.to_string())
                .await;
        }
        if !self.progress(document, DocumentState::Indexing, 10).await? {
            return Ok(Indexed::Superseded);
        }
        let (vectors, warning) = match self.embed_all(document, &chunks).await? {
            Embedded::Vectors(vectors) => (Some(vectors), None),
            Embedded::Failed(reason) => (None, Some(reason)),
            Embedded::NotConfigured => (None, None),
            Embedded::Superseded => return Ok(Indexed::Superseded),
        };
        let model = vectors.as_ref().and(self.embed_model());
        let in_database = self.vectors.in_database();
        let rows: Vec<NewChunk> = chunks
            .iter()
            .enumerate()
            .map(|(i, c)| NewChunk {
                locator: serde_json::to_string(&c.locator).unwrap_or_else(|_| "null".into()),
                heading: c.heading.clone(),
                text: c.text.clone(),
                embedding: vectors
                    .as_ref()
                    .filter(|_| in_database)
                    .and_then(|v| v.get(i).cloned()),
            })
            .collect();
        let Some(ids) = self
            .store
            .replace_chunks(document.id, &document.claim, &rows, model)
            .await?
        else {
            return Ok(Indexed::Superseded);
        };
        let mut model = model;
        if let (Some(vectors), Some(with), false) = (&vectors, model, in_database) {
            let outlet = self
                .store
                .document(document.tenant, document.id)
                .await?
                .and_then(|d| d.outlet);
            let points: Vec<PassageVector> = ids
                .iter()
                .zip(vectors)
                .map(|(id, v)| PassageVector {
                    chunk: *id,
                    outlet,
                    vector: v.clone(),
                })
                .collect();
            if let Err(error) = self
                .vectors
                .replace_document(document.tenant, document.id, with, &points)
                .await
            {
                // Like an embedding failure: searchable by full text now,
                // indexed again (vectors and all) by the periodic requeue.
                tracing::warn!(%error, document = %document.id, "could not store vectors; full text only for now");
                model = None;
                self.drop_vectors(document).await;
            }
        } else if !in_database {
            // No vectors this pass: none of an earlier pass may stay.
            self.drop_vectors(document).await;
        }
        let count = i64::try_from(chunks.len()).unwrap_or(i64::MAX);
        let finished = self
            .store
            .finish_document(document.id, &document.claim, count, model, Utc::now())
            .await?;
        if let (true, Some(warning)) = (finished, &warning) {
            tracing::warn!(document = %document.id, warning, "indexed for full text only");
        }
        Ok(if finished {
            Indexed::Ready {
                chunks: chunks.len(),
                vectors: model.is_some(),
            }
        } else {
            Indexed::Superseded
        })
    }

    /// Deletes a document's vectors kept outside the database (best
    /// effort: a hit whose passage is gone is never shown).
    async fn drop_vectors(&self, document: &ClaimedDocument) {
        if self.vectors.in_database() {
            return;
        }
        if let Err(error) = self
            .vectors
            .delete_document(document.tenant, document.id)
            .await
        {
            tracing::warn!(%error, document = %document.id, "could not delete old vectors");
        }
    }

    async fn fail(&self, document: &ClaimedDocument, reason: &str) -> Result<Indexed, StoreError> {
        self.drop_vectors(document).await;
        Ok(
            if self
                .store
                .fail_document(document.id, &document.claim, reason, Utc::now())
                .await?
            {
                Indexed::Failed(reason.to_string())
            } else {
                Indexed::Superseded
            },
        )
    }

    async fn progress(
        &self,
        document: &ClaimedDocument,
        state: DocumentState,
        percent: i64,
    ) -> Result<bool, StoreError> {
        self.store
            .document_progress(document.id, &document.claim, state, percent, Utc::now())
            .await
    }

    async fn embed_all(
        &self,
        document: &ClaimedDocument,
        chunks: &[Chunk],
    ) -> Result<Embedded, StoreError> {
        let Some(embedder) = &self.embedder else {
            return Ok(Embedded::NotConfigured);
        };
        let texts: Vec<String> = chunks
            .iter()
            .map(|c| {
                if c.heading.is_empty() {
                    c.text.clone()
                } else {
                    format!("{}\n{}", c.heading, c.text)
                }
            })
            .collect();
        let mut vectors = Vec::with_capacity(texts.len());
        let mut tokens = 0;
        for batch in texts.chunks(BATCH) {
            match embedder.embed(batch, Kind::Passage).await {
                Ok((mut batch_vectors, used)) => {
                    vectors.append(&mut batch_vectors);
                    tokens += used;
                }
                Err(error) => {
                    self.meter(document, tokens).await;
                    return Ok(Embedded::Failed(error.to_string()));
                }
            }
            let done = i64::try_from(vectors.len() * 85 / texts.len()).unwrap_or(85);
            if !self
                .progress(document, DocumentState::Indexing, 10 + done)
                .await?
            {
                self.meter(document, tokens).await;
                return Ok(Embedded::Superseded);
            }
        }
        self.meter(document, tokens).await;
        Ok(Embedded::Vectors(vectors))
    }

    async fn meter(&self, document: &ClaimedDocument, tokens: u64) {
        let usage = store::UsageDelta {
            embedding_tokens: i64::try_from(tokens).unwrap_or(i64::MAX),
            ..Default::default()
        };
        if let Err(error) = self
            .store
            .add_usage(document.tenant, Utc::now(), usage)
            .await
        {
            tracing::warn!(%error, "could not meter embedding usage");
        }
    }

    /// Indexes documents until the process ends; `wake` is notified when
    /// one is uploaded. Documents whose vectors are not the current
    /// model's are queued again at start and every [`REQUEUE_EVERY`].
    pub async fn run_indexer(self, wake: Arc<Notify>) {
        let mut last_requeue: Option<std::time::Instant> = None;
        loop {
            if last_requeue.is_none_or(|at| at.elapsed() >= REQUEUE_EVERY) {
                last_requeue = Some(std::time::Instant::now());
                match self
                    .store
                    .requeue_other_models(self.embed_model(), Utc::now())
                    .await
                {
                    Ok(0) => {}
                    Ok(queued) => tracing::info!(queued, "documents queued to be indexed again"),
                    Err(error) => tracing::warn!(%error, "could not queue documents again"),
                }
            }
            // Each pass is its own task: a panic on one document (a bug
            // some file reaches) fails that pass, logged; its claim lapses
            // and the attempt limit ends the document, while the indexer
            // goes on with the others.
            let pass = {
                let knowledge = self.clone();
                tokio::spawn(async move { knowledge.index_next().await })
            };
            match pass.await {
                Ok(Ok(Some(_))) => continue,
                Ok(Ok(None)) => {}
                Ok(Err(error)) => tracing::error!(%error, "the indexer could not read its queue"),
                Err(error) => {
                    tracing::error!(%error, "an indexing pass panicked; the indexer goes on")
                }
            }
            tokio::select! {
                () = wake.notified() => {}
                () = tokio::time::sleep(POLL) => {}
            }
        }
    }
}

enum Embedded {
    Vectors(Vec<Vec<f32>>),
    Failed(String),
    NotConfigured,
    Superseded,
}

/// The text of a claimed document, or why there is none (for staff).
async fn sections_of(
    document: &ClaimedDocument,
    limits: extract::Limits,
    extractor: Option<&extract::child::ChildCommand>,
) -> Result<Vec<Section>, String> {
    if document.format == "faq" {
        let question = document.question.as_deref().unwrap_or_default();
        let answer = document.answer.as_deref().unwrap_or_default();
        return Ok(vec![Section {
            locator: Locator::Whole,
            // A blank line: the question and the answer stay apart in the
            // passage, so a reply can quote the answer alone.
            text: format!("{question}\n\n{answer}"),
        }]);
    }
    let format = Format::parse(&document.format)
        .ok_or_else(|| extract::ExtractError::Unsupported.to_string())?;
    let bytes: Arc<[u8]> = Arc::from(document.content.as_slice());
    match extractor {
        Some(command) => extract::child::extract_in_child(command, format, bytes, limits).await,
        None => extract::extract(format, bytes, limits).await,
    }
    .map_err(|e| e.to_string())
}

fn claim_token() -> String {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    format!(
        "index-{}-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    )
}
