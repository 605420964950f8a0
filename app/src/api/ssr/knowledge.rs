//! The knowledge page's work: the venue's documents and FAQ entries, their
//! indexing, and a question tried against them as the bot would ask it.
//! Anyone on the team reads and tries; owners and admins change.

use super::{require_manager, venue_zone, Services};
use crate::dto::{DocumentDto, KnowledgeDto, PassageDto, TryQuestionDto};
use crate::error::AppError;
use domain::DocumentId;
use knowledge::search::Method;
use knowledge::{Knowledge, KnowledgeError};
use std::sync::Arc;
use store::StaffUser;

/// Wakes the indexer after a change (provided by the server, which runs
/// it), so a new document starts at once rather than on the next poll.
#[derive(Clone)]
pub struct IndexerBell(pub Arc<dyn Fn() + Send + Sync>);

impl std::fmt::Debug for IndexerBell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IndexerBell")
    }
}

fn ring() {
    if let Some(bell) = leptos::prelude::use_context::<IndexerBell>() {
        (bell.0)();
    }
}

/// The knowledge base this server runs.
fn knowledge_base() -> Result<Knowledge, AppError> {
    leptos::prelude::use_context::<bot::Assist>()
        .and_then(|assist| assist.knowledge)
        .ok_or_else(|| AppError::Invalid("This server runs no knowledge base.".into()))
}

/// A refusal of the knowledge base in words for staff; a failure of ours
/// is logged and opaque.
pub fn refusal(error: KnowledgeError) -> AppError {
    match error {
        KnowledgeError::TooLarge { .. }
        | KnowledgeError::Empty
        | KnowledgeError::Unsupported(_)
        | KnowledgeError::Invalid(_) => AppError::Invalid(super::sentence(&error.to_string())),
        KnowledgeError::Store(error) => error.into(),
        KnowledgeError::Vectors(error) => {
            tracing::error!(%error, "vector store failed");
            AppError::Invalid("The vector store did not answer; try again.".into())
        }
    }
}

pub async fn list(state: Services, staff: StaffUser) -> Result<KnowledgeDto, AppError> {
    let knowledge = knowledge_base()?;
    let zone = venue_zone(&state, &staff).await?;
    let outlets = state.store.outlets(staff.tenant_id).await?;
    let documents = state
        .store
        .documents(staff.tenant_id)
        .await?
        .into_iter()
        .map(|d| DocumentDto {
            id: d.id.0,
            outlet: d
                .outlet
                .and_then(|o| outlets.iter().find(|x| x.id == o).map(|x| x.name.clone())),
            name: d.name,
            format: d.format,
            size: d.size,
            state: d.state.as_str().to_string(),
            progress: d.progress,
            error: d.error,
            chunks: d.chunks,
            question: d.question,
            answer: d.answer,
            updated: super::bookings::when_label(d.updated_at, zone),
        })
        .collect();
    Ok(KnowledgeDto {
        documents,
        can_edit: staff.role.can_manage_resources(),
        max_file_bytes: knowledge.limits().max_file_bytes as u64,
        max_documents: knowledge.limits().max_documents,
        search_method: if knowledge.embed_model().is_some() {
            Method::Hybrid
        } else {
            Method::FullText
        }
        .as_str()
        .to_string(),
    })
}

pub async fn add_faq(
    state: Services,
    staff: StaffUser,
    question: String,
    answer: String,
) -> Result<i64, AppError> {
    require_manager(&staff)?;
    let id = knowledge_base()?
        .add_faq(staff.tenant_id, None, &question, &answer, state.clock.now())
        .await
        .map_err(refusal)?;
    ring();
    Ok(id.0)
}

pub async fn reindex(state: Services, staff: StaffUser, id: i64) -> Result<(), AppError> {
    require_manager(&staff)?;
    if !state
        .store
        .reindex_document(staff.tenant_id, DocumentId(id), state.clock.now())
        .await?
    {
        return Err(AppError::NotFound);
    }
    ring();
    Ok(())
}

pub async fn delete(_state: Services, staff: StaffUser, id: i64) -> Result<(), AppError> {
    require_manager(&staff)?;
    if knowledge_base()?
        .delete(staff.tenant_id, DocumentId(id))
        .await
        .map_err(refusal)?
    {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// The longest question tried (as the API's search).
const MAX_QUESTION: usize = 1_000;

pub async fn try_question(
    _state: Services,
    staff: StaffUser,
    question: String,
) -> Result<TryQuestionDto, AppError> {
    let question = question.trim();
    if question.is_empty() || question.chars().count() > MAX_QUESTION {
        return Err(AppError::Invalid(format!(
            "Type a question of 1 to {MAX_QUESTION} characters."
        )));
    }
    let found = knowledge_base()?
        .search(staff.tenant_id, None, question, 5, Method::Hybrid)
        .await
        .map_err(refusal)?;
    Ok(TryQuestionDto {
        method: found.method.as_str().to_string(),
        note: found.note,
        passages: found
            .passages
            .into_iter()
            .map(|p| PassageDto {
                source: p.citation.label(),
                heading: p.heading,
                text: p.text,
                similarity: p.similarity,
            })
            .collect(),
    })
}
