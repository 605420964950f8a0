//! The words of a question that full-text search looks for: lower-cased,
//! letters and digits only, at least three characters (the trigram
//! index's minimum), without the words every question has in English and
//! Indonesian ("apakah ada", "do you have", "kak", "dong"), which would
//! otherwise find every passage.

/// Question words, pronouns, particles and chat fillers of both languages.
const STOPWORDS: &[&str] = &[
    // English
    "the",
    "and",
    "are",
    "any",
    "can",
    "could",
    "does",
    "did",
    "for",
    "from",
    "have",
    "has",
    "how",
    "what",
    "when",
    "where",
    "which",
    "who",
    "why",
    "will",
    "would",
    "with",
    "you",
    "your",
    "yours",
    "our",
    "ours",
    "there",
    "this",
    "that",
    "these",
    "those",
    "its",
    "was",
    "were",
    "been",
    "being",
    "into",
    "about",
    "please",
    "pls",
    "plz",
    "hello",
    "thanks",
    "thank",
    "also",
    "some",
    "much",
    "many",
    "get",
    "got",
    "not",
    "but",
    "just",
    "let",
    "may",
    "might",
    "should",
    "shall",
    "tell",
    "know",
    "want",
    "need",
    "like",
    "okay",
    "yes",
    "yeah",
    "there's",
    "here",
    "then",
    "than",
    "them",
    "they",
    "she",
    "him",
    "her",
    "his",
    "hers",
    "mine",
    // Indonesian
    "apa",
    "apakah",
    "ada",
    "adakah",
    "bisa",
    "bisakah",
    "boleh",
    "bolehkah",
    "yang",
    "dari",
    "untuk",
    "utk",
    "buat",
    "dan",
    "atau",
    "saya",
    "aku",
    "gue",
    "gua",
    "kami",
    "kita",
    "kamu",
    "anda",
    "kak",
    "kakak",
    "min",
    "mimin",
    "admin",
    "mas",
    "mbak",
    "bang",
    "pak",
    "bu",
    "gak",
    "nggak",
    "ngga",
    "enggak",
    "tidak",
    "tdk",
    "gk",
    "dong",
    "deh",
    "sih",
    "kah",
    "nya",
    "berapa",
    "brp",
    "bagaimana",
    "gimana",
    "gmn",
    "gmana",
    "mau",
    "ingin",
    "pengen",
    "tolong",
    "tanya",
    "nanya",
    "mohon",
    "info",
    "pakai",
    "pake",
    "dengan",
    "dgn",
    "ini",
    "itu",
    "juga",
    "jg",
    "sudah",
    "udah",
    "belum",
    "blm",
    "kalau",
    "kalo",
    "klo",
    "kapan",
    "dimana",
    "mana",
    "siapa",
    "kenapa",
    "mengapa",
    "halo",
    "hai",
    "terima",
    "kasih",
    "makasih",
    "thx",
    "tempat",
    "disini",
    "sini",
    "situ",
    "nih",
    "kok",
    "lah",
    "pun",
    "oke",
    "iya",
    "yaa",
    "saja",
    "aja",
    "lagi",
    "tuh",
    "punya",
    "dapat",
    "dapet",
];

/// The searchable words of a question, in order, without repeats.
pub fn terms(question: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in question
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
    {
        let word = unstretch(&word);
        if word.chars().count() < 3 || STOPWORDS.contains(&word.as_str()) || out.contains(&word) {
            continue;
        }
        out.push(word);
    }
    out
}

/// "parkirrr" → "parkir", "bisaaa" → "bisa": chat stretches letters; a
/// run of three or more is one letter (a double, as in "jeep", stays).
fn unstretch(word: &str) -> String {
    let letters: Vec<char> = word.chars().collect();
    let mut out = String::with_capacity(word.len());
    let mut i = 0;
    while i < letters.len() {
        let run = letters[i..]
            .iter()
            .take_while(|c| **c == letters[i])
            .count();
        let keep = if run >= 3 { 1 } else { run };
        out.extend(std::iter::repeat_n(letters[i], keep));
        i += run;
    }
    out
}

/// The share of `terms` found in `text` (case-insensitively, inside words
/// too, as the trigram index matches): how well a passage found by full
/// text alone covers the question. Fused ranks say nothing about that.
pub fn coverage(terms: &[String], text: &str) -> f32 {
    if terms.is_empty() {
        return 0.0;
    }
    let text = text.to_lowercase();
    let found = terms.iter().filter(|t| text.contains(t.as_str())).count();
    found as f32 / terms.len() as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_words_and_fillers_go() {
        assert_eq!(terms("Apakah ada tempat parkir, kak?"), vec!["parkir"]);
        assert_eq!(terms("bs bayar pakai QRIS gk"), vec!["bayar", "qris"]);
        assert_eq!(terms("Do you rent rackets?"), vec!["rent", "rackets"]);
        assert_eq!(terms("parkirrr dmn"), vec!["parkir", "dmn"]);
        assert!(terms("?? !!").is_empty());
    }

    #[test]
    fn coverage_counts_words_inside_words() {
        let t = terms("bisa bayar pakai qris?");
        assert_eq!(coverage(&t, "Pembayaran lewat QRIS dan transfer"), 1.0);
        assert_eq!(coverage(&t, "Pembayaran tunai"), 0.5);
        assert_eq!(coverage(&[], "anything"), 0.0);
    }
}
