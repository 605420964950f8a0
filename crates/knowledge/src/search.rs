//! Hybrid retrieval: full text and vectors, fused by reciprocal rank, each
//! passage with its citation; and the decision whether the best passage
//! answers the question at all.

use crate::extract::Locator;
use domain::{ChunkId, DocumentId};
use serde::Serialize;
use std::collections::HashMap;

/// How passages are found (the evaluation compares the three).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    FullText,
    Vectors,
    Hybrid,
}

impl Method {
    /// The name clients see (`full_text`, `vectors`, `hybrid`), as serde
    /// writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::FullText => "full_text",
            Method::Vectors => "vectors",
            Method::Hybrid => "hybrid",
        }
    }
}

/// Where a passage comes from, to show with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Citation {
    pub document: DocumentId,
    pub document_name: String,
    pub format: String,
    /// The page or sheet, when the file has them.
    pub locator: Locator,
    /// The passage's place in its document, from 1.
    pub chunk: i64,
}

impl Citation {
    /// "House rules.pdf, page 2" — what a customer or staff member reads.
    pub fn label(&self) -> String {
        let place = self.locator.label();
        if place.is_empty() {
            self.document_name.clone()
        } else {
            format!("{}, {place}", self.document_name)
        }
    }
}

/// A passage found for a question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Passage {
    pub chunk: ChunkId,
    pub heading: String,
    pub text: String,
    pub citation: Citation,
    /// The fused score (reciprocal rank; only orders one search).
    pub score: f32,
    /// Cosine similarity to the question, when vectors found it.
    pub similarity: Option<f32>,
    /// Share of the question's words found in the passage.
    pub coverage: f32,
}

/// What a search found and how.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Found {
    pub passages: Vec<Passage>,
    pub method: Method,
    /// Whether vector search took part (it does not when no embedding
    /// endpoint is configured, or it failed: then `note` says why).
    pub vectors_used: bool,
    pub note: Option<String>,
    #[serde(skip)]
    pub embedding_tokens: u64,
}

/// Reciprocal rank fusion's constant: ranks below ~60 count little.
const RRF_K: f32 = 60.0;
/// The weight of the full-text list against the vector list's 1: full
/// text cannot cross languages and matches inside words, so its ranks are
/// the weaker evidence (measured on the evaluation set, `tests/eval`).
pub const FULL_TEXT_WEIGHT: f32 = 0.5;
/// The share of the question's words a full-text hit must hold to take
/// part in the fusion beside vectors.
pub const FUSED_TEXT_COVERAGE: f32 = 0.5;

/// Fuses ranked lists by reciprocal rank: each list adds
/// `weight / (60 + rank)` for every passage it ranks. Scores are not
/// comparable across lists, so only ranks are used.
pub fn fuse(lists: &[(Vec<ChunkId>, f32)]) -> Vec<(ChunkId, f32)> {
    let mut scores: HashMap<ChunkId, f32> = HashMap::new();
    let mut first_seen: Vec<ChunkId> = Vec::new();
    for (list, weight) in lists {
        for (rank, id) in list.iter().enumerate() {
            let entry = scores.entry(*id).or_insert_with(|| {
                first_seen.push(*id);
                0.0
            });
            *entry += weight / (RRF_K + rank as f32 + 1.0);
        }
    }
    let mut fused: Vec<(ChunkId, f32)> =
        first_seen.into_iter().map(|id| (id, scores[&id])).collect();
    // Stable: ties keep the order of first appearance.
    fused.sort_by(|a, b| b.1.total_cmp(&a.1));
    fused
}

/// The least cosine similarity at which a passage found by vectors is
/// taken as the answer (multilingual-e5 scores sit in a narrow band, so
/// this is calibrated on the evaluation set, see `tests/eval`).
pub const SIMILARITY_FLOOR: f32 = 0.86;
/// The least share of the question's words a passage found by full text
/// alone must contain to be taken as the answer.
pub const COVERAGE_FLOOR: f32 = 0.8;

/// The passage that answers the question, if one clears the floor: by its
/// similarity when vectors took part, by the question's words it contains
/// when full text alone found it. Fused ranks say nothing about whether
/// anything fits, so they only order the candidates.
pub fn answer(found: &Found) -> Option<&Passage> {
    if found.vectors_used {
        found
            .passages
            .iter()
            .find(|p| p.similarity.is_some_and(|s| s >= SIMILARITY_FLOOR))
    } else {
        found.passages.iter().find(|p| p.coverage >= COVERAGE_FLOOR)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fusion_rewards_agreement() {
        let a = vec![ChunkId(1), ChunkId(2), ChunkId(3)];
        let b = vec![ChunkId(3), ChunkId(4), ChunkId(1)];
        let fused = fuse(&[(a, 1.0), (b, 1.0)]);
        let order: Vec<i64> = fused.iter().map(|f| f.0 .0).collect();
        assert_eq!(order[0], 1, "ranked by both, first in one");
        assert_eq!(order[1], 3);
        assert_eq!(order.len(), 4);
        assert!(fuse(&[]).is_empty());
    }

    #[test]
    fn citations_read_naturally() {
        let citation = Citation {
            document: DocumentId(1),
            document_name: "Rules.pdf".into(),
            format: "pdf".into(),
            locator: Locator::Page(2),
            chunk: 3,
        };
        assert_eq!(citation.label(), "Rules.pdf, page 2");
    }
}
