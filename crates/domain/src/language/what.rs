//! What is asked for: a kind of space (built in or the venue's own), a
//! numbered resource ("court 2", "lapangan 3"), how many courts, how many
//! people.

use super::text::{edit_distance, Tokens};
use crate::resource::ResourceKind;

/// The words a venue's customers use for its own kinds of space (padel,
/// mini soccer, pickleball…), read like the built-in kinds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vocabulary {
    kinds: Vec<CustomKind>,
}

/// One venue-defined kind: its key and the words (one or more tokens each)
/// customers use for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomKind {
    pub key: String,
    pub words: Vec<Vec<String>>,
}

impl Vocabulary {
    /// Adds a kind with the words for it ("mini soccer", "minsoc"); words are
    /// read as the engine reads messages (lower case, chat spellings).
    pub fn with_kind(mut self, key: &str, words: &[&str]) -> Self {
        // The key is not a word: after a rename it is the old name, and
        // would answer for a kind staff no longer call that.
        let words = words
            .iter()
            .map(|w| Tokens::new(w).words().to_vec())
            .filter(|w| !w.is_empty())
            .collect();
        self.kinds.push(CustomKind {
            key: key.to_string(),
            words,
        });
        self
    }

    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
    }
}

const KIND_WORDS: &[(&str, ResourceKind)] = &[
    ("futsal", ResourceKind::Futsal),
    ("futsall", ResourceKind::Futsal),
    ("futsl", ResourceKind::Futsal),
    ("fustal", ResourceKind::Futsal),
    ("footsal", ResourceKind::Futsal),
    ("badminton", ResourceKind::Badminton),
    ("badmin", ResourceKind::Badminton),
    ("badmintn", ResourceKind::Badminton),
    ("bulutangkis", ResourceKind::Badminton),
    ("bultang", ResourceKind::Badminton),
    ("bulu", ResourceKind::Badminton),
    ("tennis", ResourceKind::Tennis),
    ("tenis", ResourceKind::Tennis),
    ("basketball", ResourceKind::Basketball),
    ("basket", ResourceKind::Basketball),
    ("bball", ResourceKind::Basketball),
    ("studio", ResourceKind::Studio),
    ("karaoke", ResourceKind::Karaoke),
    ("karoke", ResourceKind::Karaoke),
    ("ktv", ResourceKind::Karaoke),
    ("rapat", ResourceKind::MeetingRoom),
    ("meeting", ResourceKind::MeetingRoom),
    ("boardroom", ResourceKind::MeetingRoom),
    ("meetingroom", ResourceKind::MeetingRoom),
];

/// The kind of space asked for, forgiving one typo in longer words.
pub fn resource_kind(tokens: &Tokens) -> Option<ResourceKind> {
    for word in tokens.words() {
        // "futsalnya", "tenisnya": the kind with a suffix.
        let word = word
            .strip_suffix("nya")
            .filter(|w| w.len() >= 4)
            .unwrap_or(word);
        for (name, kind) in KIND_WORDS {
            let exact = word == *name;
            let typo = word.len() >= 6 && name.len() >= 6 && edit_distance(word, name) <= 1;
            if exact || typo {
                return Some(kind.clone());
            }
        }
    }
    None
}

/// The venue's own kind named in the message, if any, by its key.
pub fn custom_kind(tokens: &Tokens, vocabulary: &Vocabulary) -> Option<String> {
    // The best reading wins, not the first kind listed: an exact phrase
    // over a typo, then the longest phrase ("padel pro" over "padel").
    let words = tokens.words();
    let mut best: Option<(Said, &str)> = None;
    for kind in &vocabulary.kinds {
        for at in 0..words.len() {
            if let Some(said) = said_at(words, at, kind) {
                if best.is_none_or(|(known, _)| said > known) {
                    best = Some((said, &kind.key));
                }
            }
        }
    }
    best.map(|(_, key)| key.to_string())
}

/// How a kind was named at one place: exactly or with a typo, and over
/// how many words. Ordered from weakest to strongest reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Said {
    exact: bool,
    len: usize,
}

/// How `kind` is named from `at` on, its strongest phrase there (one of
/// its phrases, or a single word of five letters or more with one typo,
/// unless the word is a built-in kind's own: "futsal" is never a typo of a
/// venue's "futsa").
fn said_at(words: &[String], at: usize, kind: &CustomKind) -> Option<Said> {
    let word = &words[at];
    kind.words
        .iter()
        .filter_map(|phrase| {
            let exact = words
                .get(at..at + phrase.len())
                .is_some_and(|here| here == phrase.as_slice());
            // Lengths first: the distance is only worth computing for words
            // that could be one typo apart.
            let typo = !exact
                && phrase.len() == 1
                && phrase[0].len() >= 5
                && word.len() >= 5
                && word.len().abs_diff(phrase[0].len()) <= 1
                && !KIND_WORDS.iter().any(|(name, _)| name == word)
                && edit_distance(word, &phrase[0]) <= 1;
            (exact || typo).then_some(Said {
                exact,
                len: phrase.len(),
            })
        })
        .max()
}

/// Short chat words that carry no kind: a venue's word for its kind must
/// not be one of them, or it would take over every message.
const GLUE_WORDS: &[&str] = &[
    "jam", "mau", "main", "ada", "yang", "yg", "dan", "atau", "untuk", "buat", "utk", "the", "and",
    "for", "with", "kak", "kaka", "sih", "dong", "aja", "saja", "bisa", "sewa", "rent", "play",
    "hari", "ini", "itu", "sama", "pukul", "lagi", "please", "tolong", "saya", "aku", "gue",
    "kami", "kita", "you", "your", "our", "mas", "mbak", "bang", "pak", "bu", "halo", "hello",
    "hai", "pagi", "siang", "sore", "malam", "book", "booking", "pesan", "game",
];

/// Whether one canonical word already means something to the engine (a
/// built-in kind or one typo from one, a unit, a head count, chat glue, a
/// number) or is too short to tell apart.
pub(crate) fn generic_word(word: &str) -> bool {
    word.chars().count() < 3
        || word.chars().all(|c| c.is_ascii_digit())
        || GLUE_WORDS.contains(&word)
        || UNIT_WORDS.contains(&word)
        || PEOPLE_WORDS.contains(&word)
        || KIND_WORDS.iter().any(|(name, _)| {
            word == *name || (word.len() >= 5 && name.len() >= 5 && edit_distance(word, name) <= 1)
        })
}

/// The tokens with the venue kind `key`'s words replaced by a plain
/// "lapangan", for reading the intent: a venue that rents padel courts is
/// asked to book one, while elsewhere "padel" is a question about what the
/// venue has.
pub fn masked(tokens: &Tokens, vocabulary: &Vocabulary, key: &str) -> Tokens {
    let Some(kind) = vocabulary.kinds.iter().find(|k| k.key == key) else {
        return tokens.clone();
    };
    let words = tokens.words();
    let mut out = Vec::with_capacity(words.len());
    let mut at = 0;
    while at < words.len() {
        match said_at(words, at, kind) {
            Some(said) => {
                out.push("lapangan".to_string());
                at += said.len.max(1);
            }
            None => {
                out.push(words[at].clone());
                at += 1;
            }
        }
    }
    Tokens::from_words(out)
}

/// Words for one unit of space.
const UNIT_WORDS: &[&str] = &[
    "court", "courts", "lapangan", "room", "rooms", "ruang", "ruangan", "studio", "kamar", "field",
    "lantai", "floor", "no", "nomor", "nomer", "number", "#",
];
const PEOPLE_WORDS: &[&str] = &[
    "orang", "people", "pax", "persons", "person", "players", "pemain", "peserta", "ppl", "guys",
    "anak",
];

/// Counts and names found in a message, with the tokens they took.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// "court 2", "lapangan 3".
    pub resource_number: Option<u32>,
    /// "2 lapangan", "2 badminton courts".
    pub courts: Option<u32>,
    /// "8 orang", "10 people", "12 pax".
    pub people: Option<u32>,
    pub used: Vec<bool>,
}

fn count_value(word: &str) -> Option<u32> {
    let named = match word {
        "two" | "dua" => Some(2),
        "three" | "tiga" => Some(3),
        "four" | "empat" => Some(4),
        _ => None,
    };
    named.or_else(|| {
        (word.len() <= 3 && word.chars().all(|c| c.is_ascii_digit()))
            .then(|| word.parse().ok())
            .flatten()
    })
}

pub fn counts(tokens: &Tokens) -> Counts {
    let n = tokens.len();
    let mut c = Counts {
        used: vec![false; n],
        ..Counts::default()
    };
    for i in 0..n {
        let w = tokens.at(i);
        let next = tokens.at(i + 1);
        if let Some(value) = count_value(w) {
            // "8 orang", "10 people".
            if PEOPLE_WORDS.contains(&next) && value > 0 {
                c.people.get_or_insert(value);
                c.used[i] = true;
                continue;
            }
            // "2 lapangan", "2 courts", "2 badminton courts".
            let unit_after_kind = resource_kind(&Tokens::new(next)).is_some()
                && matches!(tokens.at(i + 2), "court" | "courts" | "lapangan" | "rooms");
            let plural = matches!(next, "courts" | "lapangan" | "rooms" | "ruang" | "fields")
                || unit_after_kind;
            if plural && (1..=20).contains(&value) && !matches!(tokens.before(i), "tgl" | "jam") {
                c.courts.get_or_insert(value);
                c.used[i] = true;
                continue;
            }
        }
        // "court 2", "lapangan 3", "no 2": not when an hour unit follows
        // ("lapangan 2 jam" is two hours).
        if UNIT_WORDS.contains(&w) {
            if let Some(value) = count_value(next) {
                let month_next = super::when::is_month(tokens.at(i + 2));
                let unit_next = month_next
                    || matches!(
                        tokens.at(i + 2),
                        "jam"
                            | "hours"
                            | "hour"
                            | "hrs"
                            | "h"
                            | "menit"
                            | "min"
                            | "pm"
                            | "am"
                            | "malam"
                            | "pagi"
                            | "sore"
                            | "siang"
                            | "orang"
                            | "people"
                    );
                if !unit_next && (1..=99).contains(&value) {
                    if w == "lantai" || w == "floor" {
                        c.used[i + 1] = true;
                        continue;
                    }
                    c.resource_number.get_or_insert(value);
                    c.used[i + 1] = true;
                }
            }
        }
    }
    c
}
