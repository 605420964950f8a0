//! What the inbox shows: conversations, one thread with its deliveries,
//! the customer beside it.

use super::{BookingDto, ChatBubble};
use serde::{Deserialize, Serialize};

/// One line of the inbox list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationRowDto {
    pub conversation_id: i64,
    /// `whatsapp` or `simulator`.
    pub channel: String,
    pub phone: String,
    pub customer_name: Option<String>,
    /// The newest message, cut to a line.
    pub last_text: String,
    pub last_from_customer: bool,
    /// "19:05" today, "Thu 26 Nov" before.
    pub last_at: String,
    pub unread: i64,
    /// A person has the conversation (the bot is silent).
    pub with_person: bool,
    /// A person has it and nobody has answered the customer's latest
    /// message yet: what the badge counts.
    pub waiting: bool,
    /// The staff member answering, when one took it.
    pub handler: Option<String>,
    /// Why a person has it: `asked`, `unclear`, `unanswered`, `agent`, `staff`.
    pub reason: Option<String>,
}

/// A page of the inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxPage {
    pub rows: Vec<ConversationRowDto>,
    /// Conversations waiting for a person, over the whole inbox.
    pub waiting: i64,
    /// The cursor of the next page, when there is one.
    pub next: Option<i64>,
}

/// An approved WhatsApp template staff may send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateDto {
    pub name: String,
    pub language: String,
    pub body: Option<String>,
    /// How many `{{n}}` values its body takes.
    pub parameters: u32,
}

/// The customer beside a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerPanelDto {
    pub customer_id: i64,
    pub name: Option<String>,
    pub phone: String,
    pub upcoming: Vec<BookingDto>,
    /// The latest past bookings, newest first.
    pub past: Vec<BookingDto>,
    pub no_shows: i64,
    /// Booked value of bookings that happened (not cancelled, not a no-show).
    pub total_spent: String,
    /// Money collected on all their bookings.
    pub total_paid: String,
    pub notes: String,
}

/// One conversation, opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationDto {
    pub row: ConversationRowDto,
    pub messages: Vec<ChatBubble>,
    /// Free-form replies may go out (WhatsApp's 24 hours since the
    /// customer's latest message; always for the simulator).
    pub window_open: bool,
    pub templates: Vec<TemplateDto>,
    pub customer: CustomerPanelDto,
}
