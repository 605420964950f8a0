//! `/api/v1/knowledge/…`: the knowledge base for integrators and scripts.
//! Upload a file (multipart, field `file`) or a FAQ entry, watch it being
//! indexed, re-index or delete it, and search passages with citations.
//! Changing the knowledge base is the venue's business (a staff-policy
//! key); searching is open to any key of the tenant.

use super::error::{path_id, ApiError};
use super::schema::ErrorBody;
use super::ApiCaller;
use axum::extract::multipart::MultipartRejection;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use chrono::{DateTime, Utc};
use domain::{DocumentId, OutletId};
use knowledge::search::{Method, Passage};
use knowledge::{Knowledge, KnowledgeError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Uploads being received at once by this process: each holds its file in
/// memory (up to the size limit), so their number is capped.
pub const CONCURRENT_UPLOADS: usize = 4;
/// The longest silence within an upload's body.
const UPLOAD_IDLE: std::time::Duration = std::time::Duration::from_secs(5);
/// An upload may take this long, plus a second for every [`MIN_RATE`]
/// bytes received: a slow phone gets through, a trickle does not hold a
/// place for long.
const UPLOAD_GRACE: std::time::Duration = std::time::Duration::from_secs(10);
const MIN_RATE: usize = 32 * 1024;

/// The multipart form of an upload.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct UploadForm {
    /// The file: PDF, DOCX, XLSX, CSV, TXT or Markdown (at most 10 MB by
    /// default).
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// Only for this outlet's customers (the whole venue when absent).
    outlet_id: Option<i64>,
}

/// A FAQ entry to add.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FaqIn {
    #[schema(min_length = 1, max_length = 500)]
    question: String,
    #[schema(min_length = 1, max_length = 4000)]
    answer: String,
    #[schema(value_type = Option<i64>)]
    outlet_id: Option<OutletId>,
}

/// A document accepted for indexing.
#[derive(Serialize, ToSchema)]
pub struct Accepted {
    pub id: i64,
    /// `queued`: follow it with `GET /knowledge/documents/{id}`.
    pub state: String,
}

/// A document and where its indexing stands.
#[derive(Serialize, ToSchema)]
pub struct DocumentOut {
    pub id: i64,
    pub name: String,
    /// `pdf`, `docx`, `xlsx`, `csv`, `txt`, `markdown` or `faq`.
    pub format: String,
    pub size: i64,
    pub outlet_id: Option<i64>,
    /// `queued`, `extracting`, `indexing`, `ready` or `failed`.
    pub state: String,
    /// 0–100.
    pub progress: i64,
    /// Why it failed.
    pub error: Option<String>,
    /// Passages it was cut into.
    pub chunks: i64,
    /// The embedding model of its vectors; absent when it is searched by
    /// full text only.
    pub embed_model: Option<String>,
    pub question: Option<String>,
    pub answer: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<store::Document> for DocumentOut {
    fn from(d: store::Document) -> Self {
        DocumentOut {
            id: d.id.0,
            name: d.name,
            format: d.format,
            size: d.size,
            outlet_id: d.outlet.map(|o| o.0),
            state: d.state.as_str().to_string(),
            progress: d.progress,
            error: d.error,
            chunks: d.chunks,
            embed_model: d.embed_model,
            question: d.question,
            answer: d.answer,
            created_at: d.created_at,
            updated_at: d.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DocumentList {
    pub documents: Vec<DocumentOut>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// The question, 1 to 1,000 characters.
    q: String,
    /// Passages wanted, 1–20 (5 by default).
    k: Option<usize>,
    /// Search as this outlet's customers would (its documents and the
    /// venue's).
    #[param(value_type = Option<i64>)]
    outlet_id: Option<OutletId>,
    /// `hybrid` (default), `full_text` or `vectors`.
    method: Option<String>,
}

/// Where a passage comes from.
#[derive(Serialize, ToSchema)]
pub struct CitationOut {
    pub document_id: i64,
    pub document_name: String,
    pub page: Option<u32>,
    pub sheet: Option<String>,
    /// The passage's place in its document, from 1.
    pub chunk: i64,
    /// "Rules.pdf, page 2".
    pub label: String,
}

/// A passage found.
#[derive(Serialize, ToSchema)]
pub struct PassageOut {
    pub heading: String,
    pub text: String,
    /// Reciprocal-rank score: orders this answer's passages only.
    pub score: f32,
    /// Cosine similarity to the question, when vectors found it.
    pub similarity: Option<f32>,
    pub citation: CitationOut,
}

impl From<Passage> for PassageOut {
    fn from(p: Passage) -> Self {
        let (page, sheet) = match &p.citation.locator {
            knowledge::extract::Locator::Page(n) => (Some(*n), None),
            knowledge::extract::Locator::Sheet(name) => (None, Some(name.clone())),
            knowledge::extract::Locator::Whole => (None, None),
        };
        PassageOut {
            citation: CitationOut {
                document_id: p.citation.document.0,
                label: p.citation.label(),
                document_name: p.citation.document_name,
                page,
                sheet,
                chunk: p.citation.chunk,
            },
            heading: p.heading,
            text: p.text,
            score: p.score,
            similarity: p.similarity,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SearchResult {
    pub passages: Vec<PassageOut>,
    /// How they were found: `hybrid`, `full_text` or `vectors`.
    pub method: String,
    /// Why vectors took no part, when they did not.
    pub note: Option<String>,
}

impl From<KnowledgeError> for ApiError {
    fn from(error: KnowledgeError) -> Self {
        match error {
            KnowledgeError::TooLarge { .. } => ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "file_too_large",
                error.to_string(),
            ),
            KnowledgeError::Empty => ApiError::bad_request("empty_file", error.to_string()),
            KnowledgeError::Unsupported(message) => ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_file",
                message,
            ),
            KnowledgeError::Invalid(message) => ApiError::bad_request("invalid", message),
            KnowledgeError::Store(error) => error.into(),
            KnowledgeError::Vectors(error) => {
                tracing::error!(%error, "vector store failed");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "vector_store_unavailable",
                    "The vector store did not answer; try again.",
                )
            }
        }
    }
}

fn document_id(text: &str) -> Result<DocumentId, ApiError> {
    path_id(text, "document")
}

fn unknown(id: DocumentId) -> ApiError {
    ApiError::not_found("unknown_document", format!("no document {id}"))
}

/// Reads the upload's fields, keeping at most `max` bytes of the file.
async fn read_form(
    mut form: Multipart,
    max: usize,
) -> Result<(String, Vec<u8>, Option<OutletId>), ApiError> {
    let bad = |message: &str| ApiError::bad_request("invalid_form", message.to_string());
    // The body limit (the file limit plus room for the form) stops a far
    // larger body before the file's own check: that is still "too large".
    let unreadable = |what: &str, e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "file_too_large",
                format!("the file is larger than the limit of {max} bytes"),
            )
        } else {
            bad(&format!("{what} could not be read: {}", e.body_text()))
        }
    };
    let stalled = || bad("the upload stalled; send the file again");
    let started = tokio::time::Instant::now();
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut seen_file = false;
    let mut outlet = None;
    while let Some(mut field) = tokio::time::timeout(UPLOAD_IDLE, form.next_field())
        .await
        .map_err(|_| stalled())?
        .map_err(|e| unreadable("the form", e))?
    {
        match field.name() {
            Some("file") => {
                if std::mem::replace(&mut seen_file, true) {
                    return Err(bad("send one file per upload"));
                }
                let name = field.file_name().unwrap_or("upload.txt").to_string();
                let mut bytes = Vec::new();
                loop {
                    // A client that stops sending holds an upload place:
                    // a silence this long ends the upload.
                    let piece = tokio::time::timeout(UPLOAD_IDLE, field.chunk())
                        .await
                        .map_err(|_| stalled())?
                        .map_err(|e| unreadable("the file", e))?;
                    let allowed = UPLOAD_GRACE
                        + std::time::Duration::from_secs((bytes.len() / MIN_RATE) as u64);
                    if started.elapsed() > allowed {
                        return Err(stalled());
                    }
                    let Some(piece) = piece else { break };
                    if bytes.len() + piece.len() > max {
                        return Err(KnowledgeError::TooLarge {
                            size: bytes.len() + piece.len(),
                            max,
                        }
                        .into());
                    }
                    bytes.extend_from_slice(&piece);
                }
                file = Some((name, bytes));
            }
            Some("outlet_id") => {
                let text = tokio::time::timeout(UPLOAD_IDLE, field.text())
                    .await
                    .map_err(|_| stalled())?
                    .map_err(|_| bad("outlet_id is a number"))?;
                outlet = Some(path_id::<OutletId>(&text, "outlet")?);
            }
            _ => return Err(bad("the form takes the fields `file` and `outlet_id`")),
        }
    }
    let (name, bytes) = file.ok_or_else(|| bad("send the file in the field `file`"))?;
    Ok((name, bytes, outlet))
}

/// Uploads a file to index. Answers at once; indexing runs in the
/// background (follow it with `GET /knowledge/documents/{id}`).
#[utoipa::path(post, path = "/knowledge/documents", operation_id = "knowledge_upload", tag = "knowledge",
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 202, description = "Stored and queued for indexing", body = Accepted),
        (status = 400, description = "`invalid_form`, `empty_file`, `invalid` (the knowledge base is full, no such outlet)", body = ErrorBody),
        (status = 403, description = "`staff_only`", body = ErrorBody),
        (status = 413, description = "`file_too_large`", body = ErrorBody),
        (status = 415, description = "`unsupported_file`", body = ErrorBody),
        (status = 429, description = "`busy`: too many uploads at once; retry", body = ErrorBody),
    ))]
pub async fn upload(
    State(state): State<crate::AppState>,
    Extension(caller): Extension<ApiCaller>,
    form: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    caller.require_staff()?;
    Ok(accepted(receive_upload(&state, caller.tenant, form).await?))
}

/// Receives one upload for `tenant` (the API's and the dashboard's): a
/// place among the uploads in flight, the file read piece by piece within
/// its limits, stored and queued, the indexer woken.
pub(crate) async fn receive_upload(
    state: &crate::AppState,
    tenant: domain::TenantId,
    form: Result<Multipart, MultipartRejection>,
) -> Result<DocumentId, ApiError> {
    let form = form.map_err(|e| {
        ApiError::bad_request(
            "invalid_form",
            format!(
                "send multipart/form-data with the field `file`: {}",
                e.body_text()
            ),
        )
    })?;
    let Some(_slot) = state.uploads.try_take(tenant) else {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "busy",
            "Too many uploads at once; try again in a moment.",
        ));
    };
    let knowledge = &state.knowledge;
    let (name, bytes, outlet) = read_form(form, knowledge.limits().max_file_bytes).await?;
    let now = state.services.clock.now();
    let id = knowledge.upload(tenant, outlet, &name, &bytes, now).await?;
    state.wake_indexer.notify_one();
    Ok(id)
}

/// 202 with the queued document's id (the API's and the dashboard's uploads).
pub(crate) fn accepted(id: DocumentId) -> Response {
    (
        StatusCode::ACCEPTED,
        Json(Accepted {
            id: id.0,
            state: "queued".into(),
        }),
    )
        .into_response()
}

/// Adds a FAQ entry (indexed in the background like a file).
#[utoipa::path(post, path = "/knowledge/faq", operation_id = "knowledge_add_faq", tag = "knowledge",
    request_body = FaqIn,
    responses(
        (status = 202, description = "Stored and queued for indexing", body = Accepted),
        (status = 400, description = "`invalid`, `invalid_json`", body = ErrorBody),
        (status = 403, description = "`staff_only`", body = ErrorBody),
    ))]
pub async fn add_faq(
    State(state): State<crate::AppState>,
    Extension(caller): Extension<ApiCaller>,
    body: Result<Json<FaqIn>, JsonRejection>,
) -> Result<Response, ApiError> {
    caller.require_staff()?;
    let Json(faq) = body?;
    let now = state.services.clock.now();
    let id = state
        .knowledge
        .add_faq(
            caller.tenant,
            faq.outlet_id,
            &faq.question,
            &faq.answer,
            now,
        )
        .await?;
    state.wake_indexer.notify_one();
    Ok(accepted(id))
}

/// The tenant's documents, newest first.
#[utoipa::path(get, path = "/knowledge/documents", operation_id = "knowledge_list", tag = "knowledge",
    responses((status = 200, description = "Documents", body = DocumentList)))]
pub async fn list(
    State(knowledge): State<Knowledge>,
    Extension(caller): Extension<ApiCaller>,
) -> Result<Json<DocumentList>, ApiError> {
    let documents = knowledge.store().documents(caller.tenant).await?;
    Ok(Json(DocumentList {
        documents: documents.into_iter().map(DocumentOut::from).collect(),
    }))
}

/// One document and where its indexing stands.
#[utoipa::path(get, path = "/knowledge/documents/{id}", operation_id = "knowledge_get", tag = "knowledge",
    params(("id" = i64, Path, description = "The document's id")),
    responses(
        (status = 200, description = "The document", body = DocumentOut),
        (status = 404, description = "`unknown_document`", body = ErrorBody),
    ))]
pub async fn get_one(
    State(knowledge): State<Knowledge>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
) -> Result<Json<DocumentOut>, ApiError> {
    let id = document_id(&id)?;
    let document = knowledge
        .store()
        .document(caller.tenant, id)
        .await?
        .ok_or_else(|| unknown(id))?;
    Ok(Json(document.into()))
}

/// Deletes a document with its passages and vectors.
#[utoipa::path(delete, path = "/knowledge/documents/{id}", operation_id = "knowledge_delete", tag = "knowledge",
    params(("id" = i64, Path, description = "The document's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "`staff_only`", body = ErrorBody),
        (status = 404, description = "`unknown_document`", body = ErrorBody),
    ))]
pub async fn delete(
    State(knowledge): State<Knowledge>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    caller.require_staff()?;
    let id = document_id(&id)?;
    if knowledge.delete(caller.tenant, id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(unknown(id))
    }
}

/// Indexes a document again (after a failure, or to pick up a better
/// extractor).
#[utoipa::path(post, path = "/knowledge/documents/{id}/reindex", operation_id = "knowledge_reindex", tag = "knowledge",
    params(("id" = i64, Path, description = "The document's id")),
    responses(
        (status = 202, description = "Queued", body = Accepted),
        (status = 403, description = "`staff_only`", body = ErrorBody),
        (status = 404, description = "`unknown_document`", body = ErrorBody),
    ))]
pub async fn reindex(
    State(state): State<crate::AppState>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    caller.require_staff()?;
    let id = document_id(&id)?;
    let now = state.services.clock.now();
    if !state
        .knowledge
        .store()
        .reindex_document(caller.tenant, id, now)
        .await?
    {
        return Err(unknown(id));
    }
    state.wake_indexer.notify_one();
    Ok(accepted(id))
}

/// Passages that answer a question, best first, with their sources.
#[utoipa::path(get, path = "/knowledge/search", operation_id = "knowledge_search", tag = "knowledge",
    params(SearchQuery),
    responses(
        (status = 200, description = "Passages", body = SearchResult),
        (status = 400, description = "`invalid_query`", body = ErrorBody),
    ))]
pub async fn search(
    State(knowledge): State<Knowledge>,
    Extension(caller): Extension<ApiCaller>,
    query: Result<Query<SearchQuery>, QueryRejection>,
) -> Result<Json<SearchResult>, ApiError> {
    let Query(q) = query?;
    let question = q.q.trim();
    if question.is_empty() || question.chars().count() > 1000 {
        return Err(ApiError::bad_request(
            "invalid_query",
            "q is a question of 1 to 1,000 characters",
        ));
    }
    let k = q.k.unwrap_or(5);
    if !(1..=20).contains(&k) {
        return Err(ApiError::bad_request("invalid_query", "k is from 1 to 20"));
    }
    let method = match q.method.as_deref().unwrap_or("hybrid") {
        "hybrid" => Method::Hybrid,
        "full_text" => Method::FullText,
        "vectors" => Method::Vectors,
        _ => {
            return Err(ApiError::bad_request(
                "invalid_query",
                "method is hybrid, full_text or vectors",
            ))
        }
    };
    let found = knowledge
        .search(caller.tenant, q.outlet_id, question, k, method)
        .await?;
    Ok(Json(SearchResult {
        method: found.method.as_str().into(),
        note: found.note,
        passages: found.passages.into_iter().map(PassageOut::from).collect(),
    }))
}
