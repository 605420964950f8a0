//! The payloads Meta posts to the webhook, read into typed events.
//!
//! Reading is lenient by design: Meta adds message types and fields over
//! time, and one message Pesan does not understand must not cost the
//! others in the same delivery. A message that cannot be read into a
//! known kind becomes [`InboundKind::Unsupported`] with its type name, and
//! every message keeps its raw JSON for the record; only a body that is
//! not a JSON object at all is refused.

use crate::errors::GraphError;
use serde_json::Value;

/// Everything one webhook delivery carried.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Delivery {
    pub changes: Vec<Change>,
}

/// One `entry[].changes[]` item.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// `field: "messages"`: messages from customers and statuses of ours,
    /// for one of the business's numbers.
    Messages(MessagesChange),
    /// `field: "message_template_status_update"`.
    TemplateStatus(TemplateStatus),
    /// Any other field (account updates, quality…): acknowledged, ignored.
    Other { field: String },
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct MessagesChange {
    /// The business number the messages came to (routes to the tenant).
    pub phone_number_id: String,
    pub display_phone_number: Option<String>,
    /// `contacts[]`: the customers' profile names by WhatsApp id.
    pub contacts: Vec<Contact>,
    pub messages: Vec<InboundMessage>,
    pub statuses: Vec<StatusUpdate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    /// International digits without `+` (`6281255550001`), when Meta gives
    /// a phone.
    pub wa_id: Option<String>,
    /// Meta's business-scoped user id, for customers known without a phone.
    pub user_id: Option<String>,
    pub profile_name: Option<String>,
}

/// One inbound message.
#[derive(Debug, Clone, PartialEq)]
pub struct InboundMessage {
    /// `wamid.…`: unique per message; a redelivery carries the same one.
    pub id: String,
    /// The sender's international digits, never to be read against the
    /// venue's region.
    pub from: Option<String>,
    /// The sender's business-scoped user id, when Meta sends one.
    pub from_user_id: Option<String>,
    /// Meta's Unix time of the message: orders a conversation's messages
    /// and starts the 24-hour customer-service window.
    pub timestamp: i64,
    /// The message this one answers (a tapped button's offer, a quoted
    /// reply), as `context.id`.
    pub context_id: Option<String>,
    pub kind: InboundKind,
    /// The message as Meta sent it.
    pub raw: Value,
}

/// What a customer sent.
#[derive(Debug, Clone, PartialEq)]
pub enum InboundKind {
    Text {
        body: String,
    },
    /// A tap on an interactive message's reply button.
    ButtonReply {
        id: String,
        title: String,
    },
    /// A choice from an interactive list.
    ListReply {
        id: String,
        title: String,
        description: Option<String>,
    },
    /// A tap on a template's quick-reply button.
    TemplateButton {
        payload: String,
        text: String,
    },
    Location {
        latitude: f64,
        longitude: f64,
        name: Option<String>,
        address: Option<String>,
    },
    /// An image, video, document, audio or sticker: a reference Meta keeps
    /// for a while, to download with the number's token.
    Media {
        media_type: String,
        media_id: String,
        mime_type: Option<String>,
        caption: Option<String>,
        filename: Option<String>,
    },
    Reaction {
        message_id: String,
        /// Empty when a reaction is removed.
        emoji: String,
    },
    Contacts {
        count: usize,
    },
    /// `system`: for example the customer changed number.
    System {
        body: Option<String>,
        new_wa_id: Option<String>,
    },
    /// An edit of an earlier message: stored, never re-run.
    Edit {
        message_id: Option<String>,
        body: Option<String>,
    },
    /// The customer deleted an earlier message.
    Revoke {
        message_id: Option<String>,
    },
    /// A type Meta could not render for us, or one we do not know.
    Unsupported {
        type_name: String,
    },
}

impl InboundKind {
    /// The text the bot reads: a typed body, a button's or list row's
    /// title; None for kinds the bot does not read.
    pub fn text(&self) -> Option<&str> {
        match self {
            InboundKind::Text { body } => Some(body),
            InboundKind::ButtonReply { title, .. } | InboundKind::ListReply { title, .. } => {
                Some(title)
            }
            InboundKind::TemplateButton { text, .. } => Some(text),
            _ => None,
        }
    }

    /// A short type name for storage and listing (`text`, `image`…).
    pub fn name(&self) -> &str {
        match self {
            InboundKind::Text { .. } => "text",
            InboundKind::ButtonReply { .. } => "button_reply",
            InboundKind::ListReply { .. } => "list_reply",
            InboundKind::TemplateButton { .. } => "button",
            InboundKind::Location { .. } => "location",
            InboundKind::Media { media_type, .. } => media_type,
            InboundKind::Reaction { .. } => "reaction",
            InboundKind::Contacts { .. } => "contacts",
            InboundKind::System { .. } => "system",
            InboundKind::Edit { .. } => "edit",
            InboundKind::Revoke { .. } => "revoke",
            InboundKind::Unsupported { type_name } => type_name,
        }
    }
}

/// The id of what a customer tapped, read from Meta's stored message: a
/// reply button's or list row's id, or a template quick reply's payload.
pub fn tapped_id(message: &Value) -> Option<&str> {
    let id = match message.get("type")?.as_str()? {
        "interactive" => {
            let interactive = message.get("interactive")?;
            interactive
                .get("button_reply")
                .or_else(|| interactive.get("list_reply"))?
                .get("id")?
        }
        "button" => message.get("button")?.get("payload")?,
        _ => return None,
    };
    id.as_str().filter(|id| !id.is_empty())
}

/// Where one of our messages got to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DeliveryState {
    Sent,
    Delivered,
    Read,
    Failed,
}

impl DeliveryState {
    fn parse(text: &str) -> Option<DeliveryState> {
        match text {
            "sent" => Some(DeliveryState::Sent),
            "delivered" => Some(DeliveryState::Delivered),
            "read" => Some(DeliveryState::Read),
            "failed" => Some(DeliveryState::Failed),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Sent => "sent",
            DeliveryState::Delivered => "delivered",
            DeliveryState::Read => "read",
            DeliveryState::Failed => "failed",
        }
    }
}

/// A `statuses[]` item.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusUpdate {
    /// The `wamid` Meta gave our message when it accepted the send.
    pub message_id: String,
    pub state: DeliveryState,
    pub timestamp: i64,
    pub recipient_id: Option<String>,
    /// What we sent as `biz_opaque_callback_data`: the outbox row's id.
    pub callback_data: Option<String>,
    pub errors: Vec<GraphError>,
}

/// A template's review outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateStatus {
    /// The business account the template is in (`entry[].id`): routes the
    /// update to the tenants whose numbers are in that account.
    pub waba_id: Option<String>,
    /// `APPROVED`, `REJECTED`, `PAUSED`, `DISABLED`…
    pub event: String,
    pub template_id: Option<String>,
    pub name: Option<String>,
    pub language: Option<String>,
    pub reason: Option<String>,
}

/// Why a body was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayloadError {
    #[error("the body is not JSON: {0}")]
    NotJson(String),
    #[error("the body is not a JSON object")]
    NotAnObject,
}

/// Reads a webhook body (already verified as Meta's).
pub fn parse(body: &[u8]) -> Result<Delivery, PayloadError> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| PayloadError::NotJson(e.to_string()))?;
    let Value::Object(root) = value else {
        return Err(PayloadError::NotAnObject);
    };
    let mut delivery = Delivery::default();
    for entry in array(root.get("entry")) {
        let entry_id = text(entry, "id");
        for change in array(entry.get("changes")) {
            delivery
                .changes
                .push(read_change(change, entry_id.as_deref()));
        }
    }
    Ok(delivery)
}

fn array(value: Option<&Value>) -> &[Value] {
    value.and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

fn text(value: &Value, key: &str) -> Option<String> {
    match value.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Meta writes Unix times as strings of digits.
fn unix_time(value: &Value, key: &str) -> i64 {
    match value.get(key) {
        Some(Value::String(s)) => s.trim().parse().unwrap_or(0),
        Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
        _ => 0,
    }
}

fn read_change(change: &Value, entry_id: Option<&str>) -> Change {
    let field = text(change, "field").unwrap_or_default();
    let value = change.get("value").unwrap_or(&Value::Null);
    match field.as_str() {
        "messages" => {
            let metadata = value.get("metadata").unwrap_or(&Value::Null);
            Change::Messages(MessagesChange {
                phone_number_id: text(metadata, "phone_number_id").unwrap_or_default(),
                display_phone_number: text(metadata, "display_phone_number"),
                contacts: array(value.get("contacts"))
                    .iter()
                    .map(|c| Contact {
                        wa_id: text(c, "wa_id"),
                        user_id: text(c, "user_id"),
                        profile_name: c.get("profile").and_then(|p| text(p, "name")),
                    })
                    .collect(),
                messages: array(value.get("messages"))
                    .iter()
                    .filter_map(read_message)
                    .collect(),
                statuses: array(value.get("statuses"))
                    .iter()
                    .filter_map(read_status)
                    .collect(),
            })
        }
        "message_template_status_update" => Change::TemplateStatus(TemplateStatus {
            waba_id: entry_id.map(str::to_string),
            event: text(value, "event").unwrap_or_default(),
            template_id: text(value, "message_template_id"),
            name: text(value, "message_template_name"),
            language: text(value, "message_template_language"),
            reason: text(value, "reason"),
        }),
        _ => Change::Other { field },
    }
}

/// A message without an id cannot be stored once; Meta always sends one.
fn read_message(message: &Value) -> Option<InboundMessage> {
    let id = text(message, "id").filter(|id| !id.is_empty())?;
    let type_name = text(message, "type").unwrap_or_default();
    let kind = read_kind(message, &type_name).unwrap_or(InboundKind::Unsupported {
        type_name: if type_name.is_empty() {
            "unknown".to_string()
        } else {
            type_name
        },
    });
    Some(InboundMessage {
        id,
        from: text(message, "from"),
        from_user_id: text(message, "from_user_id"),
        timestamp: unix_time(message, "timestamp"),
        context_id: message.get("context").and_then(|c| text(c, "id")),
        kind,
        raw: message.clone(),
    })
}

fn read_kind(message: &Value, type_name: &str) -> Option<InboundKind> {
    let part = message.get(type_name);
    Some(match type_name {
        "text" => InboundKind::Text {
            body: text(part?, "body")?,
        },
        "interactive" => {
            let interactive = part?;
            match text(interactive, "type")?.as_str() {
                "button_reply" => {
                    let reply = interactive.get("button_reply")?;
                    InboundKind::ButtonReply {
                        id: text(reply, "id")?,
                        title: text(reply, "title").unwrap_or_default(),
                    }
                }
                "list_reply" => {
                    let reply = interactive.get("list_reply")?;
                    InboundKind::ListReply {
                        id: text(reply, "id")?,
                        title: text(reply, "title").unwrap_or_default(),
                        description: text(reply, "description"),
                    }
                }
                _ => return None,
            }
        }
        "button" => InboundKind::TemplateButton {
            payload: text(part?, "payload").unwrap_or_default(),
            text: text(part?, "text").unwrap_or_default(),
        },
        "location" => {
            let location = part?;
            InboundKind::Location {
                latitude: location.get("latitude")?.as_f64()?,
                longitude: location.get("longitude")?.as_f64()?,
                name: text(location, "name"),
                address: text(location, "address"),
            }
        }
        "image" | "video" | "document" | "audio" | "sticker" | "voice" => {
            let media = part?;
            InboundKind::Media {
                media_type: type_name.to_string(),
                media_id: text(media, "id")?,
                mime_type: text(media, "mime_type"),
                caption: text(media, "caption"),
                filename: text(media, "filename"),
            }
        }
        "reaction" => {
            let reaction = part?;
            InboundKind::Reaction {
                message_id: text(reaction, "message_id").unwrap_or_default(),
                emoji: text(reaction, "emoji").unwrap_or_default(),
            }
        }
        "contacts" => InboundKind::Contacts {
            count: part.and_then(Value::as_array).map_or(0, Vec::len),
        },
        "system" => {
            let system = part?;
            InboundKind::System {
                body: text(system, "body"),
                new_wa_id: text(system, "new_wa_id").or_else(|| text(system, "wa_id")),
            }
        }
        "edit" => {
            let edit = part.unwrap_or(&Value::Null);
            InboundKind::Edit {
                message_id: text(edit, "original_message_id")
                    .or_else(|| message.get("context").and_then(|c| text(c, "id"))),
                body: edit
                    .get("message")
                    .and_then(|m| m.get("text"))
                    .and_then(|t| text(t, "body")),
            }
        }
        "revoke" => {
            let revoke = part.unwrap_or(&Value::Null);
            InboundKind::Revoke {
                message_id: text(revoke, "original_message_id")
                    .or_else(|| message.get("context").and_then(|c| text(c, "id"))),
            }
        }
        _ => return None,
    })
}

fn read_status(status: &Value) -> Option<StatusUpdate> {
    Some(StatusUpdate {
        message_id: text(status, "id")?,
        state: DeliveryState::parse(&text(status, "status")?)?,
        timestamp: unix_time(status, "timestamp"),
        recipient_id: text(status, "recipient_id"),
        callback_data: text(status, "biz_opaque_callback_data"),
        errors: array(status.get("errors"))
            .iter()
            .filter_map(|e| serde_json::from_value(e.clone()).ok())
            .collect(),
    })
}

#[cfg(test)]
mod tests;
