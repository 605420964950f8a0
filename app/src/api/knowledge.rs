//! Server functions of the knowledge page (see [`super::ssr::knowledge`]);
//! files are uploaded to the server's `/dashboard/knowledge/upload`.

use crate::dto::{KnowledgeDto, TryQuestionDto};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::ssr;

/// Where the page sends files (a plain route of the server, signed in by
/// the session, since a server function cannot report upload progress).
pub const KNOWLEDGE_UPLOAD_PATH: &str = "/dashboard/knowledge/upload";

/// The venue's documents and FAQ entries with their indexing state.
#[server(prefix = "/rpc", endpoint = "get_knowledge")]
pub async fn get_knowledge() -> Result<KnowledgeDto, AppError> {
    ssr::with_staff(ssr::knowledge::list).await
}

/// Adds a FAQ entry (indexed in the background like a file).
#[server(prefix = "/rpc", endpoint = "add_faq_entry")]
pub async fn add_faq_entry(question: String, answer: String) -> Result<i64, AppError> {
    ssr::with_staff(|state, staff| ssr::knowledge::add_faq(state, staff, question, answer)).await
}

#[server(prefix = "/rpc", endpoint = "reindex_document")]
pub async fn reindex_document(id: i64) -> Result<(), AppError> {
    ssr::with_staff(|state, staff| ssr::knowledge::reindex(state, staff, id)).await
}

/// Deletes a document with its passages and vectors.
#[server(prefix = "/rpc", endpoint = "delete_document")]
pub async fn delete_document(id: i64) -> Result<(), AppError> {
    ssr::with_staff(|state, staff| ssr::knowledge::delete(state, staff, id)).await
}

/// The passages a customer's question finds, with their sources.
#[server(prefix = "/rpc", endpoint = "try_question")]
pub async fn try_question(question: String) -> Result<TryQuestionDto, AppError> {
    ssr::with_staff(|state, staff| ssr::knowledge::try_question(state, staff, question)).await
}
