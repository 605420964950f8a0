//! A venue's own kinds in the conversation: their words for the language
//! engine, and the kind a message named by them.

use domain::language::{Understanding, Vocabulary};

/// The words of the venue's own kinds, for the language engine.
pub(crate) fn vocabulary_of(kinds: &[store::StoredKind]) -> Vocabulary {
    kinds
        .iter()
        .fold(Vocabulary::default(), |vocabulary, kind| {
            let mut words: Vec<&str> = kind.words.iter().map(String::as_str).collect();
            words.push(&kind.kind.name_en);
            words.push(&kind.kind.name_id);
            vocabulary.with_kind(&kind.kind.key, &words)
        })
}

/// The venue's own kind a message named, by its key, with its names.
pub(crate) fn venue_kind(
    key: Option<&str>,
    kinds: &[store::StoredKind],
) -> Option<domain::ResourceKind> {
    let key = key?;
    kinds
        .iter()
        .find(|k| k.kind.key == key)
        .map(|k| domain::ResourceKind::Custom(k.kind.clone()))
}

/// What the engine read, with the venue's own kind (when one was named) as
/// the kind asked for: the venue's words are the more specific ("futsal
/// vinyl" over "futsal"), so the rest of the dialogue sees one kind.
pub(crate) fn with_venue_kind(
    mut understanding: Understanding,
    kinds: &[store::StoredKind],
) -> Understanding {
    if let Some(kind) = venue_kind(understanding.custom_kind.as_deref(), kinds) {
        understanding.kind = Some(kind);
    }
    understanding
}
