//! Cutting a document's text into passages that are small enough to embed
//! and to quote on WhatsApp, and large enough to answer a question.
//!
//! Cuts fall between paragraphs, then between sentences, never inside a
//! word; a Markdown heading starts a new passage and stays with it (as its
//! heading, so "Parking" is found even when the passage says "motor" and
//! "mobil"); the last sentence of a passage is repeated at the start of
//! the next (the overlap), so an answer cut in two is still whole in one.

use crate::extract::{Locator, Section};

/// Aimed-at passage length in characters (about 200 tokens: well inside
/// multilingual-e5's 512, and a readable WhatsApp quote).
pub const TARGET_CHARS: usize = 800;
/// Longest overlap carried into the next passage.
pub const OVERLAP_CHARS: usize = 200;

/// One passage: where it sits, the heading above it, its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    pub locator: Locator,
    pub heading: String,
    pub text: String,
}

/// Cuts sections into passages (see the module's documentation).
pub fn chunk(sections: &[Section]) -> Vec<Chunk> {
    chunk_with(sections, TARGET_CHARS, OVERLAP_CHARS)
}

/// [`chunk`] with explicit sizes (for tests).
pub fn chunk_with(sections: &[Section], target: usize, overlap: usize) -> Vec<Chunk> {
    let mut out = Vec::new();
    for section in sections {
        let mut packer = Packer {
            locator: section.locator.clone(),
            heading: String::new(),
            current: Vec::new(),
            length: 0,
            fresh: false,
            target: target.max(50),
            overlap,
            out: &mut out,
        };
        for block in blocks(&section.text) {
            if let Some(heading) = heading_of(&block) {
                packer.flush(false);
                packer.heading = heading;
                continue;
            }
            for piece in sentences(&block, packer.target) {
                packer.add(piece);
            }
            packer.end_block();
        }
        packer.flush(false);
    }
    out
}

struct Packer<'a> {
    locator: Locator,
    heading: String,
    /// Pieces of the passage being filled; a `None` is a paragraph break.
    current: Vec<Option<String>>,
    length: usize,
    /// True while `current` holds only the overlap of the last passage.
    fresh: bool,
    target: usize,
    overlap: usize,
    out: &'a mut Vec<Chunk>,
}

impl Packer<'_> {
    fn add(&mut self, piece: String) {
        let length = piece.chars().count();
        if self.length > 0 && self.length + length + 1 > self.target && !self.fresh {
            self.flush(true);
        }
        self.length += length + 1;
        self.current.push(Some(piece));
        self.fresh = false;
    }

    fn end_block(&mut self) {
        if matches!(self.current.last(), Some(Some(_))) {
            self.current.push(None);
        }
    }

    /// Emits the passage; with `carry`, its last sentence (if short
    /// enough) opens the next one.
    fn flush(&mut self, carry: bool) {
        if self.fresh {
            // Only the overlap: it is in the last passage already.
            self.current.clear();
            self.length = 0;
            self.fresh = false;
            return;
        }
        let mut text = String::new();
        for piece in &self.current {
            match piece {
                Some(sentence) => {
                    if !text.is_empty() && !text.ends_with('\n') {
                        text.push(' ');
                    }
                    text.push_str(sentence);
                }
                None => text.push('\n'),
            }
        }
        let text = text.trim().to_string();
        let last = self.current.iter().rev().flatten().next().cloned();
        self.current.clear();
        self.length = 0;
        if text.is_empty() {
            return;
        }
        self.out.push(Chunk {
            locator: self.locator.clone(),
            heading: self.heading.clone(),
            text,
        });
        if let Some(last) = last.filter(|l| carry && l.chars().count() <= self.overlap) {
            self.length = last.chars().count() + 1;
            self.current.push(Some(last));
            self.fresh = true;
        }
    }
}

/// Paragraphs: runs of lines between blank lines. In a table-like text
/// (a sheet, a CSV) every line is its own paragraph, so a row is never
/// split.
fn blocks(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let line = line.trim();
        let starts_own = line.starts_with('#') || line.starts_with("- ") || line.starts_with("* ");
        if line.is_empty() || starts_own || looks_like_row(line) {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            if !line.is_empty() {
                if starts_own && !line.starts_with('#') {
                    current = line.to_string();
                } else {
                    out.push(line.to_string());
                }
            }
            continue;
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(line);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// A rendered spreadsheet row ("Item: Court 1; Price: 150000") or a
/// table row ("a | b").
fn looks_like_row(line: &str) -> bool {
    line.contains(" | ") || (line.contains(": ") && line.contains("; "))
}

/// The heading a Markdown line sets (`## Parking` → "Parking").
fn heading_of(block: &str) -> Option<String> {
    let rest = block.strip_prefix('#')?;
    let title = rest.trim_start_matches('#').trim();
    (!title.is_empty() && !block.contains('\n')).then(|| title.chars().take(200).collect())
}

/// Sentences of a paragraph, each at most `limit` characters (a longer
/// one is cut between words).
fn sentences(block: &str, limit: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = block.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        current.push(c);
        let ends = matches!(c, '.' | '!' | '?' | '。')
            && chars.get(i + 1).is_none_or(|n| n.is_whitespace())
            // "Rp. 150.000", "No. 5", "a.m." are not ends.
            && !ends_with_abbreviation(&current);
        if ends {
            push_cut(&mut out, std::mem::take(&mut current), limit);
        }
    }
    push_cut(&mut out, current, limit);
    out
}

fn ends_with_abbreviation(text: &str) -> bool {
    let word = text
        .trim_end_matches('.')
        .rsplit(|c: char| c.is_whitespace())
        .next()
        .unwrap_or("")
        .to_lowercase();
    matches!(
        word.as_str(),
        "rp" | "no"
            | "tel"
            | "telp"
            | "jl"
            | "dr"
            | "mr"
            | "mrs"
            | "st"
            | "a.m"
            | "p.m"
            | "e.g"
            | "i.e"
            | "dll"
            | "dsb"
            | "ps"
    ) || (word.chars().count() == 1 && word.chars().all(char::is_alphabetic))
}

/// Adds a sentence, cut between words into pieces of at most `limit`.
fn push_cut(out: &mut Vec<String>, sentence: String, limit: usize) {
    let sentence = sentence.trim();
    if sentence.is_empty() {
        return;
    }
    let mut piece = String::new();
    for word in sentence.split_whitespace() {
        if !piece.is_empty() && piece.chars().count() + word.chars().count() + 1 > limit {
            out.push(std::mem::take(&mut piece));
        }
        if !piece.is_empty() {
            piece.push(' ');
        }
        // A "word" longer than the limit (a URL, a run of digits) is cut.
        if word.chars().count() > limit {
            let letters: Vec<char> = word.chars().collect();
            for part in letters.chunks(limit) {
                out.push(part.iter().collect());
            }
            continue;
        }
        piece.push_str(word);
    }
    if !piece.is_empty() {
        out.push(piece);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(text: &str) -> Vec<Section> {
        vec![Section {
            locator: Locator::Whole,
            text: text.to_string(),
        }]
    }

    #[test]
    fn a_short_text_is_one_passage() {
        let chunks = chunk(&section(
            "Parking is free for guests. Motorbikes park at the back.",
        ));
        assert_eq!(chunks.len(), 1);
        assert_eq!(
            chunks[0].text,
            "Parking is free for guests. Motorbikes park at the back."
        );
    }

    #[test]
    fn headings_start_passages_and_travel_with_them() {
        let text = "# Rules\n\n## Parking\nFree for guests.\n\n## Shoes\nNon-marking soles only.";
        let chunks = chunk(&section(text));
        assert_eq!(chunks.len(), 2, "{chunks:#?}");
        assert_eq!(chunks[0].heading, "Parking");
        assert_eq!(chunks[0].text, "Free for guests.");
        assert_eq!(chunks[1].heading, "Shoes");
    }

    #[test]
    fn long_text_is_cut_between_sentences_with_overlap() {
        let sentence = "Bookings can be cancelled for free until a day before.";
        let text = (0..40)
            .map(|i| format!("{sentence} Rule {i}."))
            .collect::<Vec<_>>()
            .join(" ");
        let chunks = chunk_with(&section(&text), 300, 100);
        assert!(chunks.len() > 5);
        for pair in chunks.windows(2) {
            assert!(pair[0].text.chars().count() <= 300 + 100);
            let last = pair[0].text.rsplit(". ").next().unwrap_or_default();
            assert!(
                pair[1].text.starts_with(last.trim_end_matches('.')),
                "no overlap between {:?} and {:?}",
                pair[0].text,
                pair[1].text
            );
        }
        // Every sentence is somewhere whole.
        for i in 0..40 {
            assert!(chunks
                .iter()
                .any(|c| c.text.contains(&format!("Rule {i}."))));
        }
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        let pieces = sentences("Harga Rp. 150.000 per jam. No. 5 ada di Jl. Kemang.", 800);
        assert_eq!(
            pieces,
            vec!["Harga Rp. 150.000 per jam.", "No. 5 ada di Jl. Kemang."]
        );
    }

    #[test]
    fn rows_are_never_split_and_a_giant_word_is_cut() {
        let text = "Item: Futsal peak; Price: 200000\nItem: Raket; Price: 20000";
        let chunks = chunk(&section(text));
        assert_eq!(chunks.len(), 1);
        assert!(chunks[0].text.contains("Item: Raket; Price: 20000"));
        let giant = "x".repeat(2000);
        let chunks = chunk_with(&section(&giant), 300, 50);
        assert!(chunks.iter().all(|c| c.text.chars().count() <= 300));
        assert_eq!(
            chunks.iter().map(|c| c.text.len()).sum::<usize>(),
            2000,
            "nothing lost"
        );
    }

    #[test]
    fn pages_keep_their_locators() {
        let sections = vec![
            Section {
                locator: Locator::Page(1),
                text: "Page one.".into(),
            },
            Section {
                locator: Locator::Page(2),
                text: "Page two.".into(),
            },
        ];
        let chunks = chunk(&sections);
        assert_eq!(chunks.len(), 2);
        assert_eq!(chunks[1].locator, Locator::Page(2));
    }

    #[test]
    fn blank_text_makes_no_passage() {
        assert!(chunk(&section("  \n\n \n")).is_empty());
        assert!(chunk(&section("# Only a heading")).is_empty());
    }
}
