//! What is asked for (a resource kind) and what the customer wants (intent).

use super::text::{edit_distance, Tokens};
use super::{Intent, Understanding};
use crate::resource::ResourceKind;

const KIND_WORDS: &[(&str, ResourceKind)] = &[
    ("futsal", ResourceKind::Futsal),
    ("badminton", ResourceKind::Badminton),
    ("badmin", ResourceKind::Badminton),
    ("bulutangkis", ResourceKind::Badminton),
    ("bultang", ResourceKind::Badminton),
    ("tennis", ResourceKind::Tennis),
    ("tenis", ResourceKind::Tennis),
    ("basketball", ResourceKind::Basketball),
    ("basket", ResourceKind::Basketball),
    ("studio", ResourceKind::Studio),
    ("karaoke", ResourceKind::Karaoke),
    ("rapat", ResourceKind::MeetingRoom),
    ("meeting", ResourceKind::MeetingRoom),
];

/// The kind of space asked for, forgiving one typo in longer words.
pub fn resource_kind(tokens: &Tokens) -> Option<ResourceKind> {
    if tokens.has_phrase(&["bulu", "tangkis"]) {
        return Some(ResourceKind::Badminton);
    }
    for word in tokens.words() {
        for (name, kind) in KIND_WORDS {
            let exact = word == name;
            let typo = word.len() >= 6 && name.len() >= 6 && edit_distance(word, name) <= 1;
            if exact || typo {
                return Some(*kind);
            }
        }
    }
    None
}

const AFFIRM: &[&str] = &[
    "yes",
    "y",
    "ya",
    "yaa",
    "yah",
    "iya",
    "iyaa",
    "iy",
    "yup",
    "yep",
    "yeah",
    "ok",
    "oke",
    "okay",
    "okey",
    "okee",
    "sure",
    "confirm",
    "confirmed",
    "betul",
    "benar",
    "boleh",
    "siap",
    "gas",
    "lanjut",
    "jadi",
    "deal",
    "sip",
    "mantap",
    "setuju",
    "correct",
    "konfirmasi",
];
const DENY: &[&str] = &[
    "no", "nope", "nah", "tidak", "tdk", "gak", "ga", "nggak", "ngga", "enggak", "engga", "jangan",
    "batal", "batalkan", "cancel", "gajadi",
];
const GREETING: &[&str] = &[
    "hi",
    "hello",
    "halo",
    "hallo",
    "hai",
    "hey",
    "selamat",
    "assalamualaikum",
    "pagi",
    "siang",
    "sore",
    "malam",
];
const THANKS: &[&str] = &[
    "thanks", "thank", "thx", "makasih", "terima", "tq", "tks", "trims", "nuhun",
];
const BOOK: &[&str] = &[
    "book",
    "booking",
    "booked",
    "reserve",
    "reservation",
    "pesan",
    "pesen",
    "sewa",
    "main",
    "booking",
    "slot",
    "available",
    "kosong",
    "tersedia",
];

pub fn intent(tokens: &Tokens, understanding: &Understanding) -> Intent {
    let short = tokens.len() <= 4;
    if tokens.has_any(DENY) && (short || !understanding.has_slot_details()) {
        return Intent::Deny;
    }
    if tokens.has_any(AFFIRM) && short && !understanding.has_slot_details() {
        return Intent::Affirm;
    }
    if tokens.has_any(BOOK) || understanding.has_slot_details() {
        return Intent::Book;
    }
    if tokens.has_any(THANKS) {
        return Intent::Thanks;
    }
    if tokens.has_any(GREETING)
        || tokens.has_phrase(&["good", "morning"])
        || tokens.has_phrase(&["good", "evening"])
    {
        return Intent::Greeting;
    }
    Intent::Other
}
