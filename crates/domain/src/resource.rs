//! Kinds of bookable space, the words customers use for them.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a resource is, as a customer would ask for it ("futsal", "ruang rapat"):
/// one of the kinds every venue knows, or one the venue defined itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = ResourceType))]
#[serde(rename_all = "snake_case")]
pub enum ResourceKind {
    Futsal,
    Badminton,
    Tennis,
    Basketball,
    MeetingRoom,
    Studio,
    Karaoke,
    /// A kind the venue defined (padel, mini soccer), carried with its names
    /// so a reply or a page can name it without another lookup.
    Custom(VenueKind),
}

/// A kind of space one venue defined for itself. The key is made once from
/// the English name and never changes, because resources point at it; the
/// names can be edited. Two values are the same kind when their keys are
/// equal, so a kind remembered in a conversation before a rename still
/// matches its resources after it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VenueKind {
    pub key: String,
    pub name_en: String,
    pub name_id: String,
}

impl VenueKind {
    /// A kind known only by its key (a tapped button's id); its names are
    /// filled in from the venue's resources before anything is said.
    pub fn keyed(key: &str) -> VenueKind {
        VenueKind {
            key: key.to_string(),
            name_en: key.replace('_', " "),
            name_id: key.replace('_', " "),
        }
    }
}

impl PartialEq for VenueKind {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Eq for VenueKind {}

impl std::hash::Hash for VenueKind {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.key.hash(state);
    }
}

impl ResourceKind {
    pub const ALL: [ResourceKind; 7] = [
        ResourceKind::Futsal,
        ResourceKind::Badminton,
        ResourceKind::Tennis,
        ResourceKind::Basketball,
        ResourceKind::MeetingRoom,
        ResourceKind::Studio,
        ResourceKind::Karaoke,
    ];

    /// The stable name stored and sent over the API: a built-in name or the
    /// venue kind's key.
    pub fn as_str(&self) -> &str {
        match self {
            ResourceKind::Custom(kind) => &kind.key,
            ResourceKind::Futsal => "futsal",
            ResourceKind::Badminton => "badminton",
            ResourceKind::Tennis => "tennis",
            ResourceKind::Basketball => "basketball",
            ResourceKind::MeetingRoom => "meeting_room",
            ResourceKind::Studio => "studio",
            ResourceKind::Karaoke => "karaoke",
        }
    }

    /// How to name it in a reply, in English or Indonesian.
    pub fn label(&self, indonesian: bool) -> &str {
        match (self, indonesian) {
            (ResourceKind::Custom(kind), false) => &kind.name_en,
            (ResourceKind::Custom(kind), true) => &kind.name_id,
            (ResourceKind::Futsal, false) => "futsal court",
            (ResourceKind::Futsal, true) => "lapangan futsal",
            (ResourceKind::Badminton, false) => "badminton court",
            (ResourceKind::Badminton, true) => "lapangan badminton",
            (ResourceKind::Tennis, false) => "tennis court",
            (ResourceKind::Tennis, true) => "lapangan tenis",
            (ResourceKind::Basketball, false) => "basketball court",
            (ResourceKind::Basketball, true) => "lapangan basket",
            (ResourceKind::MeetingRoom, false) => "meeting room",
            (ResourceKind::MeetingRoom, true) => "ruang rapat",
            (ResourceKind::Studio, false) => "studio",
            (ResourceKind::Studio, true) => "studio",
            (ResourceKind::Karaoke, false) => "karaoke room",
            (ResourceKind::Karaoke, true) => "ruang karaoke",
        }
    }
}

impl ResourceKind {
    /// How a reply names it mid-sentence: a venue's "Padel" or "Mini
    /// Soccer" reads "padel", "mini soccer", as built-in kinds do; a word
    /// with more capitals ("VIP", "PS5") keeps them. Staff type names as
    /// titles; customers should not read "…or Padel" in a sentence.
    pub fn in_sentence(&self, indonesian: bool) -> std::borrow::Cow<'_, str> {
        let label = self.label(indonesian);
        if !matches!(self, ResourceKind::Custom(_)) {
            return label.into();
        }
        label
            .split(' ')
            .map(|word| {
                // Only a plain title word ("Padel", "Soccer"): one letter
                // ("Lounge B"), more capitals ("VIP", "PS5") and letters
                // outside a–z ("İzmir", "Ωmega") stay as staff wrote them.
                let mut chars = word.chars();
                let title = word.len() > 1
                    && chars.next().is_some_and(|c| c.is_ascii_uppercase())
                    && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
                if title {
                    word.to_lowercase()
                } else {
                    word.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
            .into()
    }
}

impl fmt::Display for ResourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A resource kind name that is not one of the built-in kinds (a venue's
/// own kind is found in its list, not parsed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown resource type {0:?}")]
pub struct UnknownKind(pub String);

impl FromStr for ResourceKind {
    type Err = UnknownKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .iter()
            .find(|kind| kind.as_str() == s.trim())
            .cloned()
            .ok_or_else(|| UnknownKind(s.to_string()))
    }
}

/// At most this many kinds of its own per venue: the bot's kind menu and
/// the resource form list them all.
pub const MAX_VENUE_KINDS: usize = 30;
/// At most this many words customers use for one kind.
pub const MAX_KIND_WORDS: usize = 20;
const MAX_KIND_NAME: usize = 40;
const MAX_KIND_WORD: usize = 40;

/// What staff type to define a kind: its names and the words customers use
/// for it ("minsoc", "mini soccer").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindDefinition {
    pub name_en: String,
    /// Empty: the English name is used in Indonesian too ("Padel").
    pub name_id: String,
    pub words: Vec<String>,
}

/// Why a kind definition was refused, by a code the dashboard translates.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KindError {
    #[error("a kind needs a name")]
    NameRequired,
    #[error("a kind's name has at most 40 characters")]
    NameTooLong,
    #[error("a kind's name cannot contain control or invisible characters")]
    NameInvisible,
    #[error("a kind's name needs at least one letter or digit from a to z or 0 to 9")]
    NameNeedsLetters,
    #[error("this kind is built in; pick it from the list")]
    BuiltIn,
    #[error("a kind has at most 20 words")]
    TooManyWords,
    #[error("a word has at most 40 characters")]
    WordTooLong,
    #[error("a word cannot contain control or invisible characters")]
    WordInvisible,
    #[error("a name needs a word of its own: one the bot does not already read as a kind, a unit, a day or a time")]
    NameGeneric,
    /// The word is named, so staff see which of twenty to change.
    #[error("each word needs to be one the bot does not already read as a kind, a unit (court, lapangan), a day, a time or a common chat word: “{0}”")]
    WordGeneric(String),
}

impl KindError {
    pub fn code(&self) -> &'static str {
        match self {
            KindError::NameRequired => "name_required",
            KindError::NameTooLong => "name_too_long",
            KindError::NameInvisible => "name_invisible",
            KindError::NameNeedsLetters => "name_needs_letters",
            KindError::BuiltIn => "built_in",
            KindError::TooManyWords => "too_many_words",
            KindError::WordTooLong => "word_too_long",
            KindError::WordInvisible => "word_invisible",
            KindError::NameGeneric => "name_generic",
            KindError::WordGeneric(_) => "word_generic",
        }
    }
}

/// Characters that would let two names look alike in a WhatsApp reply:
/// controls, direction marks, joiners and blank-looking fillers.
pub fn invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2069}'
                | '\u{FEFF}'
                | '\u{00AD}'
                | '\u{061C}'
                | '\u{034F}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{180E}'
                | '\u{2800}'
                | '\u{3164}'
                | '\u{FFA0}'
        )
}

/// The key a kind gets from its English name: lower-case a–z and 0–9 with
/// `_` between words ("Mini Soccer" → `mini_soccer`).
pub fn kind_key(name: &str) -> String {
    let mut key = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        // ASCII only, and at most as long as a name: "İ" lowers to "i" and
        // a combining dot, which must not make a key longer than its name.
        if key.len() >= MAX_KIND_NAME {
            break;
        }
        if c.is_ascii_alphanumeric() {
            key.push(c);
        } else if !key.is_empty() && !key.ends_with('_') {
            key.push('_');
        }
    }
    key.trim_end_matches('_').to_string()
}

/// Whether `text` has the shape of a kind's key (what [`kind_key`] makes),
/// so a forged button id cannot carry anything else.
pub fn is_kind_key(text: &str) -> bool {
    (1..=MAX_KIND_NAME).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// A checked definition: trimmed names, its key, and words without blanks
/// or repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedKind {
    pub kind: VenueKind,
    pub words: Vec<String>,
}

impl KindDefinition {
    /// Checks the definition; `key` is the kind's existing key when editing
    /// (it stays, whatever the new name).
    pub fn check(&self, key: Option<&str>) -> Result<CheckedKind, KindError> {
        let name_en = checked_name(&self.name_en)?;
        let name_id = if self.name_id.trim().is_empty() {
            name_en.clone()
        } else {
            checked_name(&self.name_id)?
        };
        let key = match key {
            Some(key) => key.to_string(),
            None => kind_key(&name_en),
        };
        if key.is_empty() {
            return Err(KindError::NameNeedsLetters);
        }
        let built_in = |word: &str| {
            ResourceKind::ALL
                .iter()
                .any(|k| k.as_str() == word || k.label(false) == word || k.label(true) == word)
        };
        // Both names are words customers use for the kind, so neither may
        // name a built-in kind or be a word the bot reads another way.
        // A built-in kind word with a word of the venue's own is fine
        // ("Tenis meja", "Futsal vinyl"): the longer phrase wins in a message.
        for name in [&name_en, &name_id] {
            if built_in(&name.to_lowercase()) {
                return Err(KindError::BuiltIn);
            }
            if crate::language::is_generic_phrase(name) {
                return Err(if crate::language::names_builtin_kind(name) {
                    KindError::BuiltIn
                } else {
                    KindError::NameGeneric
                });
            }
        }
        if built_in(&key) {
            return Err(KindError::BuiltIn);
        }
        let mut words: Vec<String> = Vec::new();
        for word in &self.words {
            let word = word.split_whitespace().collect::<Vec<_>>().join(" ");
            if word.is_empty() {
                continue;
            }
            if word.chars().any(invisible) {
                return Err(KindError::WordInvisible);
            }
            if word.chars().count() > MAX_KIND_WORD {
                return Err(KindError::WordTooLong);
            }
            let word = word.to_lowercase();
            if crate::language::is_generic_phrase(&word) {
                return Err(KindError::WordGeneric(word));
            }
            if !words.contains(&word) {
                words.push(word);
            }
        }
        if words.len() > MAX_KIND_WORDS {
            return Err(KindError::TooManyWords);
        }
        Ok(CheckedKind {
            kind: VenueKind {
                key,
                name_en,
                name_id,
            },
            words,
        })
    }
}

/// Every phrase that means a kind to the bot: its names and its words, as
/// the engine reads them (its words, lowercased, punctuation and
/// apostrophes gone, stretched letters shortened: "Padel!" and "padelll"
/// both read "padel").
pub fn kind_phrases(kind: &VenueKind, words: &[String]) -> Vec<String> {
    let mut phrases: Vec<String> = [&kind.name_en, &kind.name_id]
        .into_iter()
        .chain(words)
        .map(|phrase| crate::language::Tokens::new(phrase).words().join(" "))
        .filter(|phrase| !phrase.is_empty())
        .collect();
    phrases.sort();
    phrases.dedup();
    phrases
}

/// The first phrase of `kind` that another of the venue's kinds already
/// answers to, with that kind. Why: the engine gives a shared word to
/// whichever kind it meets first, so the second kind would silently never
/// be booked by it.
pub fn shared_phrase<'a>(
    kind: &CheckedKind,
    others: impl IntoIterator<Item = (&'a VenueKind, &'a [String])>,
) -> Option<(String, &'a VenueKind)> {
    let mine = kind_phrases(&kind.kind, &kind.words);
    others
        .into_iter()
        .filter(|(other, _)| other.key != kind.kind.key)
        .find_map(|(other, words)| {
            let theirs = kind_phrases(other, words);
            mine.iter()
                .find(|phrase| theirs.contains(phrase))
                .map(|phrase| (phrase.clone(), other))
        })
}

fn checked_name(name: &str) -> Result<String, KindError> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(KindError::NameRequired);
    }
    if name.chars().any(invisible) {
        return Err(KindError::NameInvisible);
    }
    if name.chars().count() > MAX_KIND_NAME {
        return Err(KindError::NameTooLong);
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn define(name_en: &str, name_id: &str, words: &[&str]) -> Result<CheckedKind, KindError> {
        KindDefinition {
            name_en: name_en.into(),
            name_id: name_id.into(),
            words: words.iter().map(|w| w.to_string()).collect(),
        }
        .check(None)
    }

    #[test]
    fn a_kind_gets_its_key_from_the_english_name() {
        let kind = define(
            "  Mini   Soccer ",
            "",
            &["minsoc", " Mini  Soccer ", "minsoc", ""],
        )
        .expect("valid");
        assert_eq!(kind.kind.key, "mini_soccer");
        assert_eq!(kind.kind.name_en, "Mini Soccer");
        assert_eq!(kind.kind.name_id, "Mini Soccer");
        assert_eq!(kind.words, ["minsoc", "mini soccer"]);
        assert_eq!(kind_key("Padel (indoor) #2"), "padel_indoor_2");
        assert_eq!(kind_key("Lapangan ñandú"), "lapangan_and");
    }

    #[test]
    fn an_edited_kind_keeps_its_key() {
        let kind = KindDefinition {
            name_en: "Padel court".into(),
            name_id: "Lapangan padel".into(),
            words: vec![],
        }
        .check(Some("padel"))
        .expect("valid");
        assert_eq!(kind.kind.key, "padel");
        assert_eq!(kind.kind.name_id, "Lapangan padel");
    }

    #[test]
    fn bad_definitions_are_refused_with_a_code() {
        assert_eq!(define(" ", "", &[]), Err(KindError::NameRequired));
        assert_eq!(
            define(&"x".repeat(41), "", &[]),
            Err(KindError::NameTooLong)
        );
        assert_eq!(
            define("Pa\u{202E}del", "", &[]),
            Err(KindError::NameInvisible)
        );
        assert_eq!(
            define("Padel", "Pa\u{0}del", &[]),
            Err(KindError::NameInvisible)
        );
        assert_eq!(define("パデル", "", &[]), Err(KindError::NameNeedsLetters));
        assert_eq!(define("Futsal", "", &[]), Err(KindError::BuiltIn));
        assert_eq!(define("Meeting room", "", &[]), Err(KindError::BuiltIn));
        let many: Vec<String> = (0..21).map(|i| format!("padel{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(define("Padel", "", &many), Err(KindError::TooManyWords));
        assert_eq!(
            define("Padel", "", &[&"w".repeat(41)]),
            Err(KindError::WordTooLong)
        );
        assert_eq!(
            define("Padel", "", &["pa\u{200B}del"]),
            Err(KindError::WordInvisible)
        );
        assert_eq!(KindError::BuiltIn.code(), "built_in");
        // Names and words the bot already reads another way.
        for name in ["Futsal court.", "Tenis", "Lapangan futsal"] {
            assert_eq!(define(name, "", &[]), Err(KindError::BuiltIn), "{name}");
        }
        assert_eq!(
            define("Indoor soccer", "Futsal", &[]),
            Err(KindError::BuiltIn)
        );
        for name in ["A", "1", "Court", "Ruang", "Lapangan 1", "Futsa"] {
            assert_eq!(define(name, "", &[]), Err(KindError::NameGeneric), "{name}");
        }
        for word in [
            "futsal", "futsa", "lapangan", "court", "jam", "besok", "7", "tomorrow", "book", "7pm",
            "sore", "2 jam", "orang",
        ] {
            assert_eq!(
                define("Padel", "", &[word]),
                Err(KindError::WordGeneric(word.to_string())),
                "{word}"
            );
        }
        assert!(define("Padel", "", &["padel", "padle", "mini soccer", "pdl"]).is_ok());
        assert!(define("Table tennis", "Tenis meja", &["tenis meja", "ping pong"]).is_ok());
        assert!(define("Futsal vinyl", "", &["futsal vinyl"]).is_ok());
        let named = |name: &str| ResourceKind::Custom(define(name, "", &[]).expect("valid").kind);
        assert_eq!(named("Mini Soccer").in_sentence(false), "mini soccer");
        assert_eq!(named("VIP Room").in_sentence(false), "VIP room");
        assert_eq!(named("PS5 Lounge").in_sentence(true), "PS5 lounge");
        assert_eq!(named("iPad corner").in_sentence(false), "iPad corner");
        assert_eq!(named("Lounge B").in_sentence(false), "lounge B");
        assert_eq!(named("Izmir Ωmega").in_sentence(false), "izmir Ωmega");
        assert_eq!(ResourceKind::Futsal.in_sentence(true), "lapangan futsal");
        let padel = define("Padel", "", &["padle", "raket"]).expect("valid");
        let stored = [(padel.kind.clone(), padel.words.clone())];
        let others = || stored.iter().map(|(k, w)| (k, w.as_slice()));
        let pickle = define("Pickleball", "", &["Raket"]).expect("valid");
        let (word, with) = shared_phrase(&pickle, others()).expect("shared");
        assert_eq!((word.as_str(), with.key.as_str()), ("raket", "padel"));
        let named = define("Pickleball", "", &["PADEL"]).expect("valid");
        assert_eq!(shared_phrase(&named, others()).expect("shared").0, "padel");
        // Compared as the engine reads them, punctuation and chat
        // spellings included.
        for word in ["padel!", "pa'del", "padelll", "RAKET", "Raket."] {
            let sly = define("Pickleball", "", &[word]).expect("valid");
            assert!(shared_phrase(&sly, others()).is_some(), "{word}");
        }
        assert!(
            shared_phrase(&padel, others()).is_none(),
            "a kind does not clash with itself"
        );
        assert!(shared_phrase(
            &define("Squash", "", &["squashy"]).expect("valid"),
            others()
        )
        .is_none());
        assert_eq!(
            define("Pa\u{061C}del", "", &[]),
            Err(KindError::NameInvisible)
        );
        assert_eq!(
            define("Padel", "\u{3164}", &[]),
            Err(KindError::NameInvisible)
        );
        let long = kind_key(&"İ".repeat(40));
        assert!(is_kind_key(&long), "{long}");
    }

    #[test]
    fn a_venue_kind_names_itself() {
        let kind = ResourceKind::Custom(VenueKind {
            key: "padel".into(),
            name_en: "Padel court".into(),
            name_id: "Lapangan padel".into(),
        });
        assert_eq!(kind.as_str(), "padel");
        assert_eq!(kind.label(true), "Lapangan padel");
        assert!("padel".parse::<ResourceKind>().is_err());
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for kind in ResourceKind::ALL {
            assert_eq!(kind.as_str().parse::<ResourceKind>(), Ok(kind.clone()));
        }
        assert!("swimming".parse::<ResourceKind>().is_err());
    }
}
