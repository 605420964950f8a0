//! Turning a chat message into tokens the rules can match, and guessing its
//! language.

use super::Lang;

/// A message split into lower-case words. Numbers keep their separators
/// ("19.00", "1,5", "1/12", "7pm") so times and dates survive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tokens(Vec<String>);

impl Tokens {
    pub fn new(message: &str) -> Self {
        let lower = message.to_lowercase();
        let chars: Vec<char> = lower.chars().collect();
        let mut cleaned = String::with_capacity(lower.len());
        for (i, &ch) in chars.iter().enumerate() {
            let prev_digit = i > 0 && chars[i - 1].is_ascii_digit();
            let next_digit = chars.get(i + 1).is_some_and(char::is_ascii_digit);
            let keep = ch.is_alphanumeric()
                || ch == '\''
                || (matches!(ch, '.' | ',' | ':' | '/') && prev_digit && next_digit)
                || (matches!(ch, '-' | '–') && (prev_digit || next_digit));
            cleaned.push(if keep { ch } else { ' ' });
        }
        let words = cleaned
            .split_whitespace()
            .map(|word| word.replace('\'', "").replace('–', "-"))
            .filter(|word| !word.is_empty())
            .collect();
        Tokens(words)
    }

    pub fn words(&self) -> &[String] {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, index: usize) -> Option<&str> {
        self.0.get(index).map(String::as_str)
    }

    /// Whether any word is one of `words`.
    pub fn has_any(&self, words: &[&str]) -> bool {
        self.0.iter().any(|w| words.contains(&w.as_str()))
    }

    /// Whether the words `phrase` appear next to each other.
    pub fn has_phrase(&self, phrase: &[&str]) -> bool {
        !phrase.is_empty()
            && self
                .0
                .windows(phrase.len())
                .any(|window| window.iter().zip(phrase).all(|(a, b)| a == b))
    }
}

const INDONESIAN: &[&str] = &[
    "besok", "bsk", "besuk", "lusa", "hari", "ini", "jam", "pukul", "malam", "malem", "mlm",
    "pagi", "siang", "sore", "ya", "iya", "yaa", "mau", "pesan", "pesen", "lapangan", "lap",
    "tolong", "bisa", "untuk", "utk", "tidak", "gak", "ga", "nggak", "enggak", "kak", "min",
    "dong", "sabtu", "minggu", "senin", "selasa", "rabu", "kamis", "jumat", "depan", "setengah",
    "sejam", "makasih", "terima", "kasih", "halo", "ruang", "rapat", "sewa", "main", "batal",
    "boleh", "ada", "yg", "yang", "dan", "selamat", "nanti", "lagi", "oke", "sip", "siap", "gas",
    "jadi", "aja", "saja", "tdk", "ngga",
];

const ENGLISH: &[&str] = &[
    "book",
    "tomorrow",
    "today",
    "tonight",
    "pm",
    "am",
    "at",
    "hours",
    "hour",
    "court",
    "please",
    "want",
    "yes",
    "no",
    "next",
    "this",
    "the",
    "for",
    "hi",
    "hello",
    "thanks",
    "thank",
    "room",
    "meeting",
    "would",
    "like",
    "can",
    "i",
    "a",
    "an",
    "morning",
    "evening",
    "afternoon",
    "night",
    "saturday",
    "sunday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "sure",
    "okay",
    "yeah",
    "yep",
    "nope",
    "cancel",
    "reserve",
    "is",
    "there",
    "free",
    "my",
    "me",
    "to",
];

/// Indonesian or English by counting marker words; `None` when neither shows.
pub fn detect_language(tokens: &Tokens) -> Option<Lang> {
    let count = |list: &[&str]| {
        tokens
            .words()
            .iter()
            .filter(|w| list.contains(&w.as_str()))
            .count()
    };
    let (id, en) = (count(INDONESIAN), count(ENGLISH));
    match id.cmp(&en) {
        std::cmp::Ordering::Greater => Some(Lang::Id),
        std::cmp::Ordering::Less => Some(Lang::En),
        std::cmp::Ordering::Equal => None,
    }
}

/// Levenshtein distance, for forgiving typos in longer words ("futsall").
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b_chars: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b_chars.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b_chars.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(row[j]).min(cur)
            };
            prev = cur;
        }
    }
    row[b_chars.len()]
}
