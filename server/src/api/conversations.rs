//! `GET /api/v1/handoffs`, `POST /api/v1/conversations/{id}/messages`,
//! `POST /api/v1/conversations/{id}/takeover`,
//! `POST /api/v1/conversations/{id}/handback`, `GET /api/v1/messages/{id}/media`:
//! people answering customers.
//! A conversation goes to a person when the customer asks for one or the
//! bot could not follow twice; while a person has it the bot is silent.
//! Staff replies go through the same outbox as the bot's (WhatsApp allows
//! free-form messages only within 24 hours of the customer's latest one).

use super::error::{about, path_id, ApiError};
use super::schema::ErrorBody;
use super::ApiCaller;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use booking::Services;
use bot::staff::StaffReplyError;
use chrono::{DateTime, Utc};
use domain::ConversationId;
use serde::{Deserialize, Serialize};
use store::{HandedOff, MediaState};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffMessage {
    /// What to say: 1 to 4,096 characters.
    #[schema(min_length = 1, max_length = 4096)]
    text: String,
}

/// A staff message accepted.
#[derive(Serialize, ToSchema)]
pub struct StaffMessageQueued {
    pub message_id: i64,
}

/// A conversation a person answers.
#[derive(Serialize, ToSchema)]
pub struct HandoffOut {
    pub conversation_id: i64,
    /// `whatsapp` or `simulator`.
    pub channel: String,
    /// The customer's number, E.164.
    pub phone: String,
    pub customer_name: Option<String>,
    /// `asked` (the customer asked for a person), `unclear` (the bot could
    /// not follow twice in a row), `unanswered` (a question the knowledge
    /// base had no answer for), `agent` (the AI agent handed it over) or
    /// `staff` (taken over).
    pub reason: String,
    pub since: DateTime<Utc>,
    pub last_staff_reply_at: Option<DateTime<Utc>>,
    /// When the bot answers again if no staff member replies before.
    pub returns_to_bot_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct HandoffList {
    pub handoffs: Vec<HandoffOut>,
}

impl From<&HandedOff> for HandoffOut {
    fn from(h: &HandedOff) -> Self {
        HandoffOut {
            conversation_id: h.conversation.0,
            channel: h.channel.as_str().to_string(),
            phone: h.phone.clone(),
            customer_name: h.customer_name.clone(),
            reason: h.handoff.reason.as_str().to_string(),
            since: h.handoff.since,
            last_staff_reply_at: h.handoff.last_staff_at,
            returns_to_bot_at: h.handoff.returns_at(),
        }
    }
}

fn unknown_text(id: ConversationId) -> String {
    format!("no conversation {id}")
}

fn unknown(id: ConversationId) -> ApiError {
    ApiError::not_found("unknown_conversation", unknown_text(id))
}

fn conversation_id(text: &str) -> Result<ConversationId, ApiError> {
    path_id(text, "conversation")
}

/// The conversations people answer now, longest waiting first.
#[utoipa::path(get, path = "/handoffs", operation_id = "handoffs_list", tag = "conversations",
    responses(
        (status = 200, description = "Conversations with a person", body = HandoffList),
        (status = 403, description = "`staff_only` (conversations need a staff-policy key)", body = ErrorBody),
    ))]
pub async fn handoffs(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
) -> Result<Json<HandoffList>, ApiError> {
    caller.require_staff()?;
    let list = state.store.handed_off(caller.tenant).await?;
    Ok(Json(HandoffList {
        handoffs: list.iter().map(HandoffOut::from).collect(),
    }))
}

/// Sends a message to the customer as staff: stored in the thread, sent
/// on WhatsApp through the outbox, and the conversation stays with a
/// person (the bot is silent) for the tenant's quiet period.
#[utoipa::path(post, path = "/conversations/{id}/messages", operation_id = "conversations_reply", tag = "conversations",
    params(("id" = i64, Path, description = "The conversation's id")),
    request_body = StaffMessage,
    responses(
        (status = 202, description = "Stored and queued for sending", body = StaffMessageQueued),
        (status = 400, description = "`invalid_text` (empty, over 4,096 characters, or a NUL character), `invalid_json`", body = ErrorBody),
        (status = 403, description = "`staff_only`", body = ErrorBody),
        (status = 404, description = "`unknown_conversation`", body = ErrorBody),
        (status = 409, description = "`outside_window`: the customer's latest message is over 24 hours old; only an approved template may be sent", body = ErrorBody),
    ))]
pub async fn reply(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
    body: Result<Json<StaffMessage>, JsonRejection>,
) -> Result<Response, ApiError> {
    caller.require_staff()?;
    let id = conversation_id(&id)?;
    let Json(input) = body?;
    let sent = bot::staff::reply(
        &state.store,
        caller.tenant,
        id,
        None,
        &input.text,
        state.clock.now(),
    )
    .await;
    match sent {
        Ok(message_id) => Ok((
            StatusCode::ACCEPTED,
            Json(StaffMessageQueued { message_id }),
        )
            .into_response()),
        Err(StaffReplyError::Invalid(error)) => {
            Err(ApiError::bad_request("invalid_text", error.to_string()))
        }
        Err(StaffReplyError::NotFound) => Err(unknown(id)),
        Err(error @ StaffReplyError::OutsideWindow { .. }) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "outside_window",
            error.to_string(),
        )),
        Err(StaffReplyError::Store(error)) => Err(error.into()),
    }
}

/// A person takes the conversation: the bot stays silent from now on.
#[utoipa::path(post, path = "/conversations/{id}/takeover", operation_id = "conversations_take_over", tag = "conversations",
    params(("id" = i64, Path, description = "The conversation's id")),
    responses(
        (status = 204, description = "A person answers it now"),
        (status = 403, description = "`staff_only`", body = ErrorBody),
        (status = 404, description = "`unknown_conversation`", body = ErrorBody),
    ))]
pub async fn take_over(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    caller.require_staff()?;
    let id = conversation_id(&id)?;
    state
        .store
        .take_over(caller.tenant, id, None, state.clock.now())
        .await
        .map_err(|e| about(e, "unknown_conversation", || unknown_text(id)))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Gives the conversation back to the bot, which answers the customer's
/// next message.
#[utoipa::path(post, path = "/conversations/{id}/handback", operation_id = "conversations_hand_back", tag = "conversations",
    params(("id" = i64, Path, description = "The conversation's id")),
    responses(
        (status = 204, description = "The bot answers it again"),
        (status = 403, description = "`staff_only`", body = ErrorBody),
        (status = 404, description = "`unknown_conversation`", body = ErrorBody),
    ))]
pub async fn hand_back(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    caller.require_staff()?;
    let id = conversation_id(&id)?;
    state
        .store
        .hand_back(caller.tenant, id)
        .await
        .map_err(|e| about(e, "unknown_conversation", || unknown_text(id)))?;
    Ok(StatusCode::NO_CONTENT)
}

/// A file's bytes: only describes the answer in the OpenAPI document
/// (`string`, `binary`); the handler answers the bytes themselves.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct FileBytes(#[allow(dead_code)] Vec<u8>);

/// A file a customer sent (a transfer receipt, a photo), as downloaded
/// from Meta: always as an attachment, never rendered by the browser.
#[utoipa::path(get, path = "/messages/{id}/media", operation_id = "messages_media", tag = "conversations",
    params(("id" = i64, Path, description = "The inbound message's id")),
    responses(
        (status = 200, description = "The file, with its type", content_type = "application/octet-stream", body = FileBytes),
        (status = 403, description = "`staff_only`", body = ErrorBody),
        (status = 404, description = "`unknown_media`: no such message, or it carries no file", body = ErrorBody),
        (status = 409, description = "`media_not_ready`: still being downloaded from Meta", body = ErrorBody),
        (status = 410, description = "`media_failed`: it could not be downloaded (too large, gone from Meta), with the reason", body = ErrorBody),
    ))]
pub async fn media(
    State(state): State<Services>,
    Extension(caller): Extension<ApiCaller>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    caller.require_staff()?;
    let id: i64 = path_id(&id, "message")?;
    let found = state
        .store
        .message_media(caller.tenant, id)
        .await
        .map_err(|e| about(e, "unknown_media", || format!("message {id} has no file")))?;
    match found {
        MediaState::Done(file) => {
            let mime = file
                .mime_type
                .as_deref()
                .and_then(|m| http::HeaderValue::from_str(m).ok())
                .unwrap_or(http::HeaderValue::from_static("application/octet-stream"));
            Ok((
                [
                    (http::header::CONTENT_TYPE, mime),
                    (
                        http::header::CONTENT_DISPOSITION,
                        http::HeaderValue::from_static("attachment"),
                    ),
                    (
                        http::header::X_CONTENT_TYPE_OPTIONS,
                        http::HeaderValue::from_static("nosniff"),
                    ),
                ],
                file.content,
            )
                .into_response())
        }
        MediaState::Queued => Err(ApiError::new(
            StatusCode::CONFLICT,
            "media_not_ready",
            "The file is still being downloaded from WhatsApp; try again shortly.",
        )),
        MediaState::Failed(reason) => Err(ApiError::new(
            StatusCode::GONE,
            "media_failed",
            format!("The file could not be downloaded: {reason}"),
        )),
    }
}
