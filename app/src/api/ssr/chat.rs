//! A stored message drawn as WhatsApp draws it: a reply with buttons or a
//! list shows them apart from its text; an attachment says what it is.
//! Shared by the simulator and the inbox, so staff see in both what the
//! customer saw.

use crate::dto::{ChatBubble, ChoiceDto};
use bot::Reply;

/// What a bubble is made from.
pub struct Stored<'a> {
    pub id: i64,
    pub from_customer: bool,
    pub body: String,
    pub kind: &'a str,
    pub payload: Option<&'a str>,
    /// Already in the reader's zone ("19:05").
    pub time: String,
}

/// Kinds of inbound message that carry a file.
const MEDIA_KINDS: [&str; 5] = ["image", "document", "audio", "video", "sticker"];

pub fn bubble(message: Stored<'_>) -> ChatBubble {
    let media = (message.from_customer && MEDIA_KINDS.contains(&message.kind))
        .then(|| message.kind.to_string());
    let typed = (!message.from_customer)
        .then_some(message.payload)
        .flatten()
        .and_then(|payload| serde_json::from_str(payload).ok())
        .and_then(|payload| Reply::from_stored(message.kind, &payload).ok());
    let plain = |body: String| ChatBubble {
        id: message.id,
        from_customer: message.from_customer,
        body,
        time: message.time.clone(),
        choices: Vec::new(),
        menu: None,
        author: None,
        delivery: None,
        failure: None,
        media: media.clone(),
    };
    let Some(reply) = typed else {
        return plain(message.body.clone());
    };
    let choices = match &reply {
        Reply::Buttons { buttons, .. } => buttons
            .iter()
            .map(|b| ChoiceDto {
                id: b.id().to_string(),
                title: b.title().to_string(),
                description: None,
            })
            .collect(),
        Reply::List { sections, .. } => sections
            .iter()
            .flat_map(|s| s.rows())
            .map(|r| ChoiceDto {
                id: r.id().to_string(),
                title: r.title().to_string(),
                description: r.description().map(str::to_string),
            })
            .collect(),
        Reply::Text(_) | Reply::Template(_) => Vec::new(),
    };
    ChatBubble {
        choices,
        menu: reply.menu_label().map(str::to_string),
        ..plain(reply.message_text())
    }
}
