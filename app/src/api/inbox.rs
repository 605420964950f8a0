//! Server functions of the inbox (see [`super::ssr::inbox`]).

use crate::dto::{ConversationDto, InboxPage};
use crate::error::AppError;
use domain::ConversationId;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::ssr;

/// The tenant's conversations, newest first; `with_person` keeps those a
/// person has; `search` matches the customer's name or number; `before`
/// is the cursor of the page before.
#[server(prefix = "/rpc", endpoint = "list_conversations")]
pub async fn list_conversations(
    #[server(default)] with_person: bool,
    #[server(default)] search: Option<String>,
    #[server(default)] before: Option<i64>,
) -> Result<InboxPage, AppError> {
    ssr::with_staff(|state, staff| ssr::inbox::list(state, staff, with_person, search, before))
        .await
}

/// Opens a conversation; with `read`, staff have now read it (a thread
/// refreshed in a tab nobody looks at passes `false`).
#[server(prefix = "/rpc", endpoint = "get_conversation")]
pub async fn get_conversation(
    conversation_id: ConversationId,
    #[server(default)] read: bool,
) -> Result<ConversationDto, AppError> {
    ssr::with_staff(|state, staff| ssr::inbox::open(state, staff, conversation_id, read)).await
}

/// Replaces staff's notes on a customer (at most 2,000 characters).
#[server(prefix = "/rpc", endpoint = "set_customer_notes")]
pub async fn set_customer_notes(customer_id: i64, notes: String) -> Result<(), AppError> {
    ssr::with_staff(|state, staff| ssr::inbox::set_notes(state, staff, customer_id, notes)).await
}

/// Sends an approved WhatsApp template; `values` fill its `{{1}}`, `{{2}}`…
/// one per line. Returns the stored message's id.
#[server(prefix = "/rpc", endpoint = "conversation_send_template")]
pub async fn conversation_send_template(
    conversation_id: ConversationId,
    name: String,
    language: String,
    #[server(default)] values: String,
) -> Result<i64, AppError> {
    ssr::with_staff(|state, staff| {
        ssr::inbox::send_template(state, staff, conversation_id, name, language, values)
    })
    .await
}
