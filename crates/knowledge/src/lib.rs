//! The knowledge base: a venue's own documents (house rules, price lists,
//! FAQ entries) turned into passages that the bot and the agent quote with
//! their source.
//!
//! Uploads are stored whole and queued; the indexer ([`index`]) extracts
//! their text off the async runtime, cuts it into passages, embeds them
//! when an embedding endpoint is configured, and stores passages (with
//! full-text indexes) and vectors. Search ([`Knowledge::search`]) fuses
//! full text and vectors by reciprocal rank.

pub mod chunk;
pub mod embed;
pub mod extract;
pub mod index;
pub mod query;
pub mod search;
pub mod vectors;

use chrono::{DateTime, Utc};
use domain::{DocumentId, OutletId, TenantId};
use embed::{EmbedError, Embedder, Kind};
use extract::{Format, Locator};
use search::{Citation, Found, Method, Passage};
use sha2::{Digest, Sha256};
use store::{Store, StoreError};
use vectors::{VectorError, Vectors};

/// Limits per tenant, from configuration until plans exist.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_file_bytes: usize,
    pub max_documents: i64,
    pub extract: extract::Limits,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 10 * 1024 * 1024,
            max_documents: 200,
            extract: extract::Limits::default(),
        }
    }
}

/// Longest FAQ question and answer.
pub const MAX_QUESTION_CHARS: usize = 500;
pub const MAX_ANSWER_CHARS: usize = 4000;
/// Longest document name kept.
const MAX_NAME_CHARS: usize = 200;
/// Candidates each search method contributes to the fusion.
const CANDIDATES: usize = 20;

/// Why a knowledge-base call failed; the messages are for staff.
#[derive(Debug, thiserror::Error)]
pub enum KnowledgeError {
    #[error("the file is too large ({size} bytes; at most {max} bytes)")]
    TooLarge { size: usize, max: usize },
    #[error("the file is empty")]
    Empty,
    #[error("{0}")]
    Unsupported(String),
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Vectors(#[from] VectorError),
}

/// The knowledge base of every tenant, shared by the web server, the bot
/// and the indexer. Cloning is cheap.
#[derive(Debug, Clone)]
pub struct Knowledge {
    store: Store,
    embedder: Option<Embedder>,
    vectors: Vectors,
    limits: Limits,
    /// Where uploads are read: `None` in this process (trusted files,
    /// tests), or a child process (the server; see [`extract::child`]).
    extractor: Option<extract::child::ChildCommand>,
}

impl Knowledge {
    pub fn new(
        store: Store,
        embedder: Option<Embedder>,
        vectors: Vectors,
        limits: Limits,
    ) -> Knowledge {
        Knowledge {
            store,
            embedder,
            vectors,
            limits,
            extractor: None,
        }
    }

    /// Reads uploads in a child process started by `command`, so a file
    /// that crashes or exhausts its reader takes only that process down.
    pub fn with_child_extraction(mut self, command: extract::child::ChildCommand) -> Knowledge {
        self.extractor = Some(command);
        self
    }

    /// Full text only, vectors in the database: what runs with nothing
    /// configured.
    pub fn full_text_only(store: Store) -> Knowledge {
        Knowledge::new(store, None, Vectors::default(), Limits::default())
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The embedding model in use, if any.
    pub fn embed_model(&self) -> Option<&str> {
        self.embedder.as_ref().map(Embedder::model)
    }

    /// Where the vectors are kept, as an operator names it.
    pub fn vector_store(&self) -> &'static str {
        match self.vectors {
            Vectors::Database(_) => "database",
            Vectors::Qdrant(_) => "Qdrant",
        }
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Adds an uploaded file, queued for indexing. The format comes from
    /// the name and the first bytes; size and count are capped.
    pub async fn upload(
        &self,
        tenant: TenantId,
        outlet: Option<OutletId>,
        file_name: &str,
        bytes: &[u8],
        now: DateTime<Utc>,
    ) -> Result<DocumentId, KnowledgeError> {
        if bytes.len() > self.limits.max_file_bytes {
            return Err(KnowledgeError::TooLarge {
                size: bytes.len(),
                max: self.limits.max_file_bytes,
            });
        }
        if bytes.is_empty() {
            return Err(KnowledgeError::Empty);
        }
        let name = clean_name(file_name);
        if name.is_empty() {
            return Err(KnowledgeError::Invalid("the file needs a name".into()));
        }
        // The format from the whole name: a long one is cut for display,
        // which could cut its extension off.
        let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
        let format = Format::detect(base, bytes).ok_or_else(|| {
            KnowledgeError::Unsupported(extract::ExtractError::Unsupported.to_string())
        })?;
        let sha256 = hex::encode(Sha256::digest(bytes));
        Ok(self
            .store
            .add_document(
                tenant,
                store::NewDocument {
                    outlet,
                    name: &name,
                    format: format.as_str(),
                    content: Some(bytes),
                    sha256: &sha256,
                    question: None,
                    answer: None,
                },
                self.limits.max_documents,
                now,
            )
            .await?)
    }

    /// Adds a FAQ entry, queued for indexing like a file.
    pub async fn add_faq(
        &self,
        tenant: TenantId,
        outlet: Option<OutletId>,
        question: &str,
        answer: &str,
        now: DateTime<Utc>,
    ) -> Result<DocumentId, KnowledgeError> {
        let question = question.replace('\0', "").trim().to_string();
        let answer = answer.replace('\0', "").trim().to_string();
        if question.is_empty() || answer.is_empty() {
            return Err(KnowledgeError::Invalid(
                "a FAQ entry needs a question and an answer".into(),
            ));
        }
        if question.chars().count() > MAX_QUESTION_CHARS
            || answer.chars().count() > MAX_ANSWER_CHARS
        {
            return Err(KnowledgeError::Invalid(format!(
                "a FAQ question is at most {MAX_QUESTION_CHARS} characters and an answer at most {MAX_ANSWER_CHARS}"
            )));
        }
        let name = clean_name(&question);
        Ok(self
            .store
            .add_document(
                tenant,
                store::NewDocument {
                    outlet,
                    name: &name,
                    format: "faq",
                    content: None,
                    sha256: "",
                    question: Some(&question),
                    answer: Some(&answer),
                },
                self.limits.max_documents,
                now,
            )
            .await?)
    }

    /// Deletes a document, its passages and their vectors; `false` when
    /// the tenant has no such document.
    pub async fn delete(&self, tenant: TenantId, id: DocumentId) -> Result<bool, KnowledgeError> {
        let deleted = self.store.delete_document(tenant, id).await?;
        if deleted {
            // The document is gone for search already (a vector hit is
            // only shown when its passage row exists, and passage ids are
            // never reused); a vector left behind only wastes room.
            if let Err(error) = self.vectors.delete_document(tenant, id).await {
                tracing::warn!(%error, document = %id, "could not delete a document's vectors");
            }
        }
        Ok(deleted)
    }

    /// Searches the tenant's passages by `method`, best first, at most `k`.
    /// When vectors are asked for but unavailable (none configured, the
    /// endpoint failing), it falls back to full text and says so in
    /// `note`.
    pub async fn search(
        &self,
        tenant: TenantId,
        outlet: Option<OutletId>,
        question: &str,
        k: usize,
        method: Method,
    ) -> Result<Found, KnowledgeError> {
        let question: String = question.chars().take(1000).collect();
        let k = k.clamp(1, 50);
        let terms = query::terms(&question);
        let mut note = None;
        let mut embedding_tokens = 0;
        let mut similarities: Vec<(domain::ChunkId, f32)> = Vec::new();
        let mut vectors_used = false;
        if method != Method::FullText {
            match self.query_vector(&question).await {
                Ok(Some((vector, tokens))) => {
                    embedding_tokens = tokens;
                    let model = self.embed_model().unwrap_or_default();
                    match self
                        .vectors
                        .search(
                            &self.store,
                            tenant,
                            model,
                            outlet,
                            &vector,
                            CANDIDATES.max(k),
                        )
                        .await
                    {
                        Ok(found) => {
                            similarities = found;
                            vectors_used = true;
                        }
                        // Qdrant down or unreachable: the documents are
                        // still there by full text.
                        Err(error) => {
                            tracing::warn!(%error, "the vector store failed; full text only");
                            note = Some("the vector store failed: full-text search only".into());
                        }
                    }
                }
                Ok(None) => {
                    note = Some("no embedding service is configured: full-text search only".into())
                }
                Err(error) => {
                    // The detail (which may name an internal address) is
                    // for the log, not for whoever searched.
                    tracing::warn!(%error, "vector search failed; full text only");
                    note = Some("the embedding service failed: full-text search only".into());
                }
            }
        }
        let text_hits = if method == Method::Vectors && vectors_used {
            Vec::new()
        } else {
            self.store
                .text_search(tenant, outlet, &terms, CANDIDATES.max(k))
                .await?
        };
        // Beside vectors, a full-text hit counts only when it holds most of
        // the question's words: trigram matches inside words are loose,
        // and a loose hit ranked high pulls a wrong passage up the fusion.
        let text_hits = if vectors_used && !text_hits.is_empty() {
            let ids: Vec<_> = text_hits.iter().map(|h| h.0).collect();
            let texts = self.store.chunks(tenant, &ids).await?;
            text_hits
                .into_iter()
                .filter(|(id, _)| {
                    texts.iter().find(|c| c.id == *id).is_some_and(|c| {
                        query::coverage(&terms, &format!("{} {}", c.heading, c.text))
                            >= search::FUSED_TEXT_COVERAGE
                    })
                })
                .collect()
        } else {
            text_hits
        };
        let lists = [
            (
                text_hits.iter().map(|h| h.0).collect::<Vec<_>>(),
                search::FULL_TEXT_WEIGHT,
            ),
            (similarities.iter().map(|h| h.0).collect(), 1.0),
        ];
        let fused = search::fuse(&lists);
        let top: Vec<_> = fused.into_iter().take(k).collect();
        let ids: Vec<_> = top.iter().map(|t| t.0).collect();
        let chunks = self.store.chunks(tenant, &ids).await?;
        let passages = top
            .iter()
            .filter_map(|(id, score)| {
                let chunk = chunks.iter().find(|c| c.id == *id)?;
                let locator: Locator =
                    serde_json::from_str(&chunk.locator).unwrap_or(Locator::Whole);
                Some(Passage {
                    chunk: *id,
                    heading: chunk.heading.clone(),
                    text: chunk.text.clone(),
                    citation: Citation {
                        document: chunk.document,
                        document_name: chunk.document_name.clone(),
                        format: chunk.format.clone(),
                        locator,
                        chunk: chunk.seq + 1,
                    },
                    score: *score,
                    similarity: similarities.iter().find(|s| s.0 == *id).map(|s| s.1),
                    coverage: query::coverage(&terms, &format!("{} {}", chunk.heading, chunk.text)),
                })
            })
            .collect();
        if embedding_tokens > 0 {
            let usage = store::UsageDelta {
                embedding_tokens: i64::try_from(embedding_tokens).unwrap_or(i64::MAX),
                ..Default::default()
            };
            if let Err(error) = self.store.add_usage(tenant, Utc::now(), usage).await {
                tracing::warn!(%error, "could not meter embedding usage");
            }
        }
        Ok(Found {
            passages,
            method: if vectors_used {
                method
            } else {
                Method::FullText
            },
            vectors_used,
            note,
            embedding_tokens,
        })
    }

    /// The passage that answers `question`, if one clears the calibrated
    /// floor (see [`search::answer`]).
    pub async fn answer(
        &self,
        tenant: TenantId,
        outlet: Option<OutletId>,
        question: &str,
    ) -> Result<Option<Passage>, KnowledgeError> {
        let found = self
            .search(tenant, outlet, question, 5, Method::Hybrid)
            .await?;
        Ok(search::answer(&found).cloned())
    }

    async fn query_vector(&self, question: &str) -> Result<Option<(Vec<f32>, u64)>, EmbedError> {
        let Some(embedder) = &self.embedder else {
            return Ok(None);
        };
        let (mut vectors, tokens) = embedder.embed(&[question.to_string()], Kind::Query).await?;
        Ok(vectors.pop().map(|v| (v, tokens)))
    }
}

/// A file name as shown: no path, no control characters, not too long.
fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    // Control and invisible formatting characters (bidi overrides, zero
    // widths) go: the name is shown to staff and quoted to customers.
    base.chars()
        .filter(|c| !c.is_control() && !is_invisible(*c))
        .take(MAX_NAME_CHARS)
        .collect::<String>()
        .trim()
        .to_string()
}

/// Unicode format characters that change how a name reads without being
/// seen (bidi overrides and isolates, zero-width characters).
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}
