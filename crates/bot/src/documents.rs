//! Questions about the venue answered from its own documents by the
//! built-in engine (no LLM): which messages are such questions, and what
//! the knowledge base makes of them.

use crate::replies;
use crate::Assist;
use domain::language::{Intent, Lang, Understanding};
use domain::TenantId;

/// What the documents say to a message.
pub(crate) enum Found {
    /// The best passage, quoted with its source.
    Answer(String),
    /// A question about the venue nothing answers: a person should.
    ToPerson,
    /// Not for the documents (or none to search): the engine goes on.
    Nothing,
}

/// Whether the documents may answer `text`: a message the engine cannot
/// place, or a price question about something it does not sell, with no
/// day or time that would make it a booking request.
pub(crate) fn may_answer(understanding: &Understanding, text: &str) -> bool {
    let about_something_else = understanding.intent == Intent::Other
        || (understanding.intent == Intent::Price
            && understanding.kind.is_none()
            && understanding.custom_kind.is_none()
            && prices_something_else(text));
    // "Is there parking at 8pm?" is still a question about the venue.
    about_something_else && (!understanding.has_slot_details() || understanding.about_venue)
}

/// Looks `text` up in the tenant's documents. A search that fails is
/// logged and leaves the turn to the engine.
pub(crate) async fn look_up(
    assist: &Assist,
    tenant: TenantId,
    lang: Lang,
    text: &str,
    about_venue: bool,
) -> Found {
    let Some(knowledge) = &assist.knowledge else {
        return Found::Nothing;
    };
    match knowledge.answer(tenant, None, text).await {
        Ok(Some(passage)) => Found::Answer(replies::from_knowledge(lang, &passage)),
        Ok(None) if about_venue => Found::ToPerson,
        Ok(None) => Found::Nothing,
        Err(error) => {
            tracing::warn!(%error, "the knowledge base could not be searched");
            Found::Nothing
        }
    }
}

/// Words of a price question that say nothing about what is priced.
const PRICE_WORDS: &[&str] = &[
    "harga",
    "harganya",
    "hrg",
    "price",
    "prices",
    "pricing",
    "cost",
    "costs",
    "biaya",
    "biayanya",
    "tarif",
    "tarifnya",
    "rate",
    "rates",
    "sewa",
    "sewanya",
    "rent",
    "rental",
    "bayar",
    "per",
    "jam",
    "hour",
    "hours",
    "hourly",
    "total",
    "fee",
    "fees",
    "kena",
    "charge",
    "charged",
    "dong",
    "kira",
    "kira2",
    "kisaran",
    "murah",
    "mahal",
    "cheap",
    "expensive",
    // What the engine sells, said generically.
    "lapangan",
    "lap",
    "court",
    "courts",
    "field",
    "ruang",
    "ruangan",
    "room",
    "main",
    "booking",
    "book",
    "slot",
];

/// "Parkir mobil berapa?" asks a price, but of something the booking
/// engine does not sell: a price question naming no kind and some other
/// thing is looked up in the venue's documents first.
fn prices_something_else(text: &str) -> bool {
    knowledge::query::terms(text)
        .iter()
        .any(|t| !PRICE_WORDS.contains(&t.as_str()) && !t.chars().all(|c| c.is_ascii_digit()))
}
