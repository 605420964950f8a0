//! Understanding a customer's WhatsApp message, in English or Indonesian.
//!
//! This is the built-in, deterministic engine: it reads what a booking needs
//! (what, which day, what time, how long) and what the customer wants
//! (book, yes, no…) from one message, resolved against "now" in the outlet's
//! zone. It never guesses a start time it was not given: an hour like "jam 7"
//! with no am/pm or period word stays ambiguous, and the dialogue decides.
//! The rules follow `shared/data/nlu/CONVENTIONS.md`.

mod human;
mod text;
mod what;
mod when;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::resource::ResourceKind;

pub use human::asks_for_person;
pub use text::Tokens;

/// The language a reply should be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Id,
}

/// What the customer wants from this message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    /// Asks to book, or gives details of a booking.
    Book,
    /// "yes", "ya", "ok": agrees to what the bot proposed.
    Affirm,
    /// "no", "tidak", "batal": declines what the bot proposed.
    Deny,
    Greeting,
    Thanks,
    /// Anything the engine does not recognise.
    Other,
}

/// What one message says, as far as the engine can tell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Understanding {
    pub intent: Intent,
    /// `None` when the message has no word that tells the language.
    pub lang: Option<Lang>,
    pub date: Option<NaiveDate>,
    pub start: Option<NaiveTime>,
    /// The morning reading of a bare hour 1–11 with no am/pm or period word
    /// ("besok jam 7" → 07:00): it could as well be 12 hours later, so it is
    /// not a `start`.
    pub ambiguous_start: Option<NaiveTime>,
    pub duration_minutes: Option<u32>,
    pub kind: Option<ResourceKind>,
}

impl Understanding {
    /// Whether the message carries any detail of a slot.
    pub fn has_slot_details(&self) -> bool {
        self.date.is_some()
            || self.start.is_some()
            || self.ambiguous_start.is_some()
            || self.duration_minutes.is_some()
            || self.kind.is_some()
    }
}

/// Reads `message`, resolving relative days and times against `now`, the
/// local date and time at the outlet.
pub fn understand(message: &str, now: NaiveDateTime) -> Understanding {
    let tokens = Tokens::new(message);
    let lang = text::detect_language(&tokens);
    let when = when::read(&tokens, now);
    let kind = what::resource_kind(&tokens);
    let mut understanding = Understanding {
        intent: Intent::Other,
        lang,
        date: when.date,
        start: when.start,
        ambiguous_start: when.ambiguous_start,
        duration_minutes: when.duration_minutes,
        kind,
    };
    understanding.intent = what::intent(&tokens, &understanding);
    understanding
}

#[cfg(test)]
mod tests;
