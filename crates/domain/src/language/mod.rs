//! Understanding a customer's WhatsApp message, in English or Indonesian.
//!
//! This is the built-in, deterministic engine: it reads what a booking needs
//! (what, which day, what time, how long) and what the customer wants
//! (book, yes, no…) from one message, resolved against "now" in the outlet's
//! zone. It never guesses a start time it was not given: an hour like "jam 7"
//! with no am/pm or period word stays ambiguous, and the dialogue decides.
//! The rules follow `shared/data/nlu/CONVENTIONS.md`.

mod detect;
mod human;
mod intent;
mod text;
mod what;
mod when;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::resource::ResourceKind;

pub use human::asks_for_person;
pub use text::{Tokens, MAX_CHARS};
pub use what::{CustomKind, Vocabulary};
pub use when::Period;

/// The language a reply should be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Id,
}

/// What the customer wants from this message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    /// Asks to book, or gives details of a booking.
    Book,
    /// Asks whether something is free, without asking to book it.
    Availability,
    /// Asks what something costs.
    Price,
    /// Cancels an existing booking (declining an offer is [`Intent::Deny`]).
    Cancel,
    /// Moves an existing booking; the day and time given are the new slot.
    Reschedule,
    /// Asks about their own bookings.
    MyBookings,
    /// Asks when the venue is open or how to get there.
    HoursLocation,
    /// Asks to be told when a taken slot frees up.
    Waitlist,
    /// Asks for a person.
    Human,
    Greeting,
    Thanks,
    /// "yes", "ya", "ok": agrees to what the bot proposed.
    Affirm,
    /// "no", "tidak", "bukan itu": declines what the bot proposed.
    Deny,
    /// Anything else, including questions about facilities, payment and
    /// rules, which the knowledge base answers.
    Other,
}

impl Intent {
    pub const ALL: [Intent; 14] = [
        Intent::Book,
        Intent::Availability,
        Intent::Price,
        Intent::Cancel,
        Intent::Reschedule,
        Intent::MyBookings,
        Intent::HoursLocation,
        Intent::Waitlist,
        Intent::Human,
        Intent::Greeting,
        Intent::Thanks,
        Intent::Affirm,
        Intent::Deny,
        Intent::Other,
    ];

    /// The name `pesan nlu` prints.
    pub fn as_str(self) -> &'static str {
        match self {
            Intent::Book => "book",
            Intent::Availability => "availability",
            Intent::Price => "price",
            Intent::Cancel => "cancel",
            Intent::Reschedule => "reschedule",
            Intent::MyBookings => "my_bookings",
            Intent::HoursLocation => "hours_location",
            Intent::Waitlist => "waitlist",
            Intent::Human => "human",
            Intent::Greeting => "greeting",
            Intent::Thanks => "thanks",
            Intent::Affirm => "affirm",
            Intent::Deny => "deny",
            Intent::Other => "other",
        }
    }
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
    /// The venue's own kind named ("padel"), by its key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_kind: Option<String>,
    /// "court 2", "lapangan 3": a resource named by its number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_number: Option<u32>,
    /// "2 lapangan", "two courts".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub courts: Option<u32>,
    /// "8 orang", "10 people".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub people: Option<u32>,
    /// A period of the day named with no clock time ("besok sore").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// "mundur sejam" = +60 minutes: moves an existing booking.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shift_minutes: Option<i32>,
    /// Two clock times offered as alternatives or old and new ("7pm or 8pm").
    #[serde(default, skip_serializing_if = "is_false")]
    pub several_times: bool,
    /// An `Other` message that asks about the venue itself (parking,
    /// payment, rules): a fair question the bot cannot answer yet, not a
    /// message it failed to read.
    #[serde(default, skip_serializing_if = "is_false")]
    pub about_venue: bool,
}

fn is_false(value: &bool) -> bool {
    !*value
}

impl Understanding {
    /// Whether the message carries any detail of a slot.
    pub fn has_slot_details(&self) -> bool {
        self.date.is_some()
            || self.start.is_some()
            || self.ambiguous_start.is_some()
            || self.duration_minutes.is_some()
            || self.kind.is_some()
            || self.custom_kind.is_some()
            || self.resource_number.is_some()
    }

    /// Whether the message names a day or a time.
    pub fn has_when(&self) -> bool {
        self.date.is_some()
            || self.start.is_some()
            || self.ambiguous_start.is_some()
            || self.duration_minutes.is_some()
    }
}

/// Reads `message`, resolving relative days and times against `now`, the
/// local date and time at the outlet.
pub fn understand(message: &str, now: NaiveDateTime) -> Understanding {
    understand_with(message, now, &Vocabulary::default())
}

/// [`understand`], also knowing the venue's own kinds of space.
pub fn understand_with(
    message: &str,
    now: NaiveDateTime,
    vocabulary: &Vocabulary,
) -> Understanding {
    let tokens = Tokens::new(message);
    let lang = detect::detect_language(&tokens);
    let counts = what::counts(&tokens);
    let mentions = when::mentions(&tokens, now, counts.used.clone());
    let kind = what::resource_kind(&tokens);
    let custom_kind = what::custom_kind(&tokens, vocabulary);
    let has_slot = mentions.any()
        || kind.is_some()
        || custom_kind.is_some()
        || counts.resource_number.is_some();
    // The venue's own kind reads as any court would ("book padel" books).
    let intent_tokens = match &custom_kind {
        Some(key) => what::masked(&tokens, vocabulary, key),
        None => tokens.clone(),
    };
    let intent = intent::intent(&intent_tokens, has_slot, mentions.clock_count());
    let mut when = mentions.select(intent == Intent::Reschedule);
    let several_times = mentions.clock_count() > 1 && intent != Intent::Reschedule;
    if intent == Intent::Reschedule {
        if let (Some(shift), Some(start)) = (when.shift_minutes, when.start) {
            when.start = Some(start + chrono::Duration::minutes(i64::from(shift)));
        }
    } else if when.shift_minutes.is_some() && !mentions.any() {
        when.shift_minutes = None;
    }
    if intent == Intent::HoursLocation {
        // "open till midnight", "buka 24 jam": the venue's hours, not a slot.
        when.start = None;
        when.ambiguous_start = None;
        when.duration_minutes = None;
    }
    if several_times && matches!(intent, Intent::MyBookings) {
        when.start = None;
        when.ambiguous_start = None;
    }
    Understanding {
        intent,
        lang,
        date: when.date,
        start: when.start,
        ambiguous_start: when.ambiguous_start,
        duration_minutes: when.duration_minutes,
        kind,
        custom_kind,
        resource_number: counts.resource_number,
        courts: counts.courts,
        people: counts.people,
        period: mentions.period,
        shift_minutes: when.shift_minutes,
        several_times,
        about_venue: intent == Intent::Other && intent::venue_question(&intent_tokens),
    }
}

/// Whether `phrase`, offered as a venue's word for one of its kinds, is
/// something the engine already reads another way: every word of it is a
/// built-in kind, a unit ("court", "lapangan"), chat glue ("jam", "mau"), a
/// number, or on its own a day, a time or a request ("besok", "7pm",
/// "book"). Such a word would take over messages about everything else.
pub fn is_generic_phrase(phrase: &str) -> bool {
    let tokens = Tokens::new(phrase);
    let noon = chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .unwrap_or_default();
    tokens.words().iter().all(|word| {
        what::generic_word(word) || {
            let alone = understand(word, noon);
            alone.intent != Intent::Other || alone.has_slot_details() || alone.period.is_some()
        }
    })
}

/// Whether `name` names a built-in kind ("Tenis", "Lapangan futsal").
pub fn names_builtin_kind(name: &str) -> bool {
    what::resource_kind(&Tokens::new(name)).is_some()
}

/// The kind of space a message names, without reading anything else: picks
/// the outlet (and so the time zone) before the rest is read.
pub fn kind_hint(
    message: &str,
    vocabulary: &Vocabulary,
) -> (Option<ResourceKind>, Option<String>, Option<u32>) {
    let tokens = Tokens::new(message);
    let counts = what::counts(&tokens);
    (
        what::resource_kind(&tokens),
        what::custom_kind(&tokens, vocabulary),
        counts.resource_number,
    )
}

#[cfg(test)]
mod tests;
