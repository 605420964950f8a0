//! Turning a chat message into tokens the rules can match (the language is
//! guessed from them in `detect.rs`).
//!
//! Chat spelling varies far more than words do ("bsk", "besuk", "bsok" are
//! all *besok*; "2moro", "tmrw" are *tomorrow*), so every token is mapped to
//! one canonical spelling first and the rules only know the canonical ones.

/// A message split into lower-case, canonically spelled words. Numbers keep
/// their separators ("19.00", "1,5", "1/12", "7pm") so times and dates
/// survive; a dash between numbers or around words is a token of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tokens(Vec<String>);

/// Longest message the engine reads, in characters: WhatsApp's own limit.
/// Anything longer is cut, so the work per message is bounded.
pub const MAX_CHARS: usize = 4096;

impl Tokens {
    pub fn new(message: &str) -> Self {
        let lower: String = message
            .chars()
            .take(MAX_CHARS)
            .collect::<String>()
            .to_lowercase();
        let chars: Vec<char> = lower.chars().collect();
        let mut cleaned = String::with_capacity(lower.len() + 8);
        for (i, &ch) in chars.iter().enumerate() {
            let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
            let next = chars.get(i + 1).copied();
            let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
            let letter = |c: Option<char>| c.is_some_and(char::is_alphabetic);
            match ch {
                c if c.is_alphanumeric() => cleaned.push(c),
                // Replies that are only an emoji: a thumbs up is a yes,
                // folded hands are thanks (or please).
                '👍' | '👌' | '🆗' | '✅' => cleaned.push_str(" ok "),
                '🙏' => cleaned.push_str(" 🙏 "),
                '\'' | '’' => {}
                '.' | ',' | ':' | '/' if digit(prev) && digit(next) => cleaned.push(ch),
                // "s/d" (sampai dengan): one word.
                '/' if prev == Some('s') && next == Some('d') => {}
                '-' | '–' | '—' if letter(prev) && letter(next) => cleaned.push(' '),
                '-' | '–' | '—' | '~' => cleaned.push_str(" - "),
                '@' => cleaned.push_str(" at "),
                _ => cleaned.push(' '),
            }
        }
        let mut words: Vec<String> = Vec::new();
        for word in cleaned.split_whitespace() {
            for part in split_number_and_word(word) {
                let part = unstretched(part);
                let part = canonical(&part);
                // "di-book", "di book": one passive verb, as "dibook".
                if words.last().is_some_and(|w| w == "di")
                    && matches!(
                        part,
                        "book" | "booking" | "pesan" | "pesen" | "cancel" | "reschedule"
                    )
                {
                    words.pop();
                    words.push(format!("di{part}"));
                    continue;
                }
                words.push(part.to_string());
            }
        }
        Tokens(words)
    }

    /// Tokens already split and spelled canonically.
    pub(crate) fn from_words(words: Vec<String>) -> Self {
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

    /// The word at `index`, or "" past either end.
    pub fn at(&self, index: usize) -> &str {
        self.0.get(index).map_or("", String::as_str)
    }

    /// The word before `index`, or "" at the start.
    pub fn before(&self, index: usize) -> &str {
        index.checked_sub(1).map_or("", |i| self.at(i))
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
        self.find_phrase(phrase).is_some()
    }

    /// Where the words `phrase` first appear next to each other.
    pub fn find_phrase(&self, phrase: &[&str]) -> Option<usize> {
        if phrase.is_empty() {
            return None;
        }
        self.0
            .windows(phrase.len())
            .position(|window| window.iter().zip(phrase).all(|(a, b)| a == b))
    }

    /// Whether any word is one of `roots`, bare or with Indonesian affixes
    /// ("batal", "batalin", "dibatalkan", "pembatalan").
    pub fn has_root(&self, roots: &[&str]) -> bool {
        self.0.iter().any(|w| has_root(w, roots))
    }
}

/// Whether `word` is one of `roots` with Indonesian affixes around it.
pub fn has_root(word: &str, roots: &[&str]) -> bool {
    const PREFIXES: &[&str] = &[
        "", "di", "me", "mem", "men", "meng", "ter", "ke", "pem", "pen", "pe", "ber", "nge", "ng",
        "se",
    ];
    const SUFFIXES: &[&str] = &[
        "", "in", "kan", "nya", "an", "lah", "kah", "innya", "kannya", "annya", "ny",
    ];
    roots.iter().any(|root| {
        PREFIXES.iter().any(|prefix| {
            word.strip_prefix(prefix)
                .and_then(|rest| rest.strip_prefix(root))
                .is_some_and(|rest| SUFFIXES.contains(&rest))
        })
    })
}

/// "2jam" → "2", "jam"; "90min" → "90", "min"; "jam7" → "jam", "7". Clock
/// and ordinal suffixes stay on their number ("7pm", "30th", "2moro").
fn split_number_and_word(word: &str) -> Vec<&str> {
    const KEEP: &[&str] = &[
        "am", "pm", "a", "p", "st", "nd", "rd", "th", "moro", "morrow", "mrw", "mr", "nite", "an",
        "x",
    ];
    let numeric = |c: char| c.is_ascii_digit() || matches!(c, '.' | ',' | ':' | '/');
    let Some(first) = word.chars().next() else {
        return Vec::new();
    };
    if first.is_ascii_digit() {
        let split = word.find(|c: char| !numeric(c)).unwrap_or(word.len());
        let (number, rest) = word.split_at(split);
        if rest.is_empty() || KEEP.contains(&rest) || !rest.chars().all(char::is_alphabetic) {
            return vec![word];
        }
        // "15h", "19h": a 24-hour clock, not fifteen hours.
        let hour = number.parse::<u32>().unwrap_or(0);
        if rest == "h" && (13..=24).contains(&hour) {
            return vec![word];
        }
        return vec![number, rest];
    }
    let split = word
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(word.len());
    let (letters, rest) = word.split_at(split);
    let known_lead = matches!(letters, "jam" | "jm" | "tgl" | "tanggal" | "pukul" | "pkl");
    if known_lead && !rest.is_empty() && rest.chars().all(numeric) {
        return vec![letters, rest];
    }
    vec![word]
}

/// "halooo" → "halo", "pagiii" → "pagi", "yesss" → "yes": the last letter
/// drawn out for friendliness.
fn unstretched(word: &str) -> std::borrow::Cow<'_, str> {
    let chars: Vec<char> = word.chars().collect();
    let n = chars.len();
    if n >= 4
        && chars[n - 1].is_alphabetic()
        && chars[n - 1] == chars[n - 2]
        && chars[n - 2] == chars[n - 3]
    {
        let last = chars[n - 1];
        let keep = chars.iter().rev().skip_while(|c| **c == last).count();
        let mut out: String = chars[..keep].iter().collect();
        out.push(last);
        return std::borrow::Cow::Owned(out);
    }
    std::borrow::Cow::Borrowed(word)
}

/// One spelling for the many ways a word is typed in chat.
fn canonical(word: &str) -> &str {
    match word {
        "bsk" | "besuk" | "bsok" | "bsog" | "besoq" | "esok" | "bsek" | "bso" | "besk" => "besok",
        "tmrw" | "tmr" | "tmrow" | "tmorrow" | "tomorow" | "tommorow" | "tommorrow" | "2moro"
        | "2morrow" | "2mrw" | "tmw" | "tomoro" | "tomrw" | "2mr" | "tmro" => "tomorrow",
        "tonite" | "2nite" | "tnite" | "2night" => "tonight",
        "nite" | "nyt" => "night",
        "malem" | "mlm" | "malm" | "mlem" | "malem2" | "mlam" => "malam",
        "sre" | "soree" => "sore",
        "pgi" | "pagii" => "pagi",
        "jm" => "jam",
        "ntar" | "entar" | "ntr" | "nnti" | "nanti2" => "nanti",
        "hiya" | "hii" | "hai2" | "hallo" | "haloo" | "halo2" | "heyyo" | "heyo" | "hiyo" => "halo",
        "wassup" | "whatsup" | "wasup" | "sup" => "sup",
        "pkl" => "pukul",
        "tanggal" | "tg" | "tgll" | "tggl" => "tgl",
        "lap" | "lapang" | "lapngan" | "lpngan" | "lapangn" | "lpangan" => "lapangan",
        "brp" | "brapa" | "berapaan" | "brapaan" | "brpa" | "berapakah" | "brpan" => "berapa",
        "hrg" | "hrga" => "harga",
        "bokking" | "bookng" | "boking" | "bookin" | "bukin" | "buking" | "bkg" => "booking",
        "yg" => "yang",
        "utk" | "untk" => "untuk",
        "ga" | "gk" | "nggak" | "ngga" | "enggak" | "engga" | "kagak" | "ndak" | "gak" | "g"
        | "nda" | "gaa" => "gak",
        "tdk" => "tidak",
        "sy" | "aku" | "ak" | "gue" | "gw" | "gua" | "ane" | "aq" | "sya" => "saya",
        "kalo" | "klo" | "kl" | "klu" | "kalau" => "kalau",
        "udah" | "udh" | "sdh" | "dah" | "sudah" => "sudah",
        "msh" | "masi" | "masihh" => "masih",
        "pls" | "plz" | "plis" | "pliss" | "plss" | "plzz" | "pleasee" => "please",
        "u" | "yu" => "you",
        "r" => "are",
        "ur" => "your",
        "wat" | "wht" | "whats" => "what",
        "avail" | "availble" | "avl" | "availabe" | "avaiable" | "availble?" => "available",
        "thx" | "tq" | "ty" | "tks" | "thanx" | "thnx" | "thanks" | "tqs" | "tx" | "thankyou"
        | "tysm" | "tengkyu" | "tenkyu" | "thenkyu" | "makaci" | "tengs" | "thks" => "thanks",
        "makasih" | "mksh" | "makasi" | "maksih" | "trimakasih" | "terimakasih" | "trims"
        | "mksih" | "makasiih" | "mkasih" => "makasih",
        "gmn" | "gmna" | "gimana" | "bagaimana" | "gmana" => "gimana",
        "dmn" | "dimana" | "dmana" => "dimana",
        "org" | "orng" => "orang",
        "bgt" => "banget",
        "kak" | "ka" | "kakak" | "kk" => "kak",
        "hr" | "hrs" => "hrs",
        "mnt" | "mins" | "minute" | "minutes" => "menit",
        other => other,
    }
}

/// Levenshtein distance, for forgiving typos in longer words ("futsall").
/// Words longer than 32 characters are never typos of a known word, and
/// are not compared (bounded work on hostile input).
pub fn edit_distance(a: &str, b: &str) -> usize {
    if a.len() > 32 || b.len() > 32 {
        return usize::MAX;
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_split_from_units_but_not_from_clock_suffixes() {
        let t = Tokens::new("2jam 90min jam7 7pm 30th 2moro 19.00-22.00 4pm-6pm");
        assert_eq!(
            t.words(),
            [
                "2", "jam", "90", "min", "jam", "7", "7pm", "30th", "tomorrow", "19.00", "-",
                "22.00", "4pm", "-", "6pm"
            ]
        );
    }

    #[test]
    fn affixed_roots() {
        assert!(has_root("dibatalkan", &["batal"]));
        assert!(has_root("batalin", &["batal"]));
        assert!(has_root("pindahin", &["pindah"]));
        assert!(!has_root("batalyon", &["batal"]));
    }
}
