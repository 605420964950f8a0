//! The knowledge page: documents and FAQ entries with where their indexing
//! stands, and the passages a question finds.

use serde::{Deserialize, Serialize};

/// A document or a FAQ entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentDto {
    pub id: i64,
    pub name: String,
    /// `pdf`, `docx`, `xlsx`, `csv`, `txt`, `markdown` or `faq`.
    pub format: String,
    pub size: i64,
    /// The outlet it is limited to, by name (`None`: the whole venue).
    pub outlet: Option<String>,
    /// `queued`, `extracting`, `indexing`, `ready` or `failed`.
    pub state: String,
    /// 0–100.
    pub progress: i64,
    pub error: Option<String>,
    pub chunks: i64,
    pub question: Option<String>,
    pub answer: Option<String>,
    /// When it was last changed, in the venue's time (`YYYY-MM-DD HH:MM`).
    pub updated: String,
}

/// The knowledge base as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnowledgeDto {
    pub documents: Vec<DocumentDto>,
    /// Whether this user may add, re-index and delete (owners and admins).
    pub can_edit: bool,
    /// The largest file taken, in bytes, and how many documents a venue
    /// may keep.
    pub max_file_bytes: u64,
    pub max_documents: i64,
    /// `hybrid` when an embedding model is configured, else `full_text`.
    pub search_method: String,
}

/// A passage a question found, with where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PassageDto {
    pub heading: String,
    pub text: String,
    /// "Rules.pdf, page 2".
    pub source: String,
    pub similarity: Option<f32>,
}

/// What "try a question" found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TryQuestionDto {
    pub passages: Vec<PassageDto>,
    /// `hybrid`, `full_text` or `vectors`.
    pub method: String,
    /// Why vectors took no part, when they did not.
    pub note: Option<String>,
}
