//! Finding prices, clock times and booking codes in text, the way
//! Indonesian and English WhatsApp messages write them: `Rp 150.000`,
//! `Rp150,000`, `IDR 150000`, `150rb`, `150k`, `1,5 juta`; `19:00`,
//! `19.00`, `7pm`, `7.30 PM`; `K7P2QX`, `K7P-2QX`.
//!
//! Two readings: a reply is read strictly (only what is clearly a price or
//! a time: "2 jam", "court 2", "10 orang" and a bare "jam 7" are not),
//! while tool results are read generously (every number may be a price,
//! every `H:MM` a time, ISO timestamps included), so a reply quoting a tool
//! in other words still finds its ground.

/// A price in whole rupiah, a time of day, or a booking-code-like token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Fact {
    Amount(u64),
    /// Minutes since midnight (`24:00` is 1440).
    Time(u16),
    /// Upper-case letters and digits, dashes removed.
    Code(String),
}

/// A fact with where it was found and how it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Claim {
    pub fact: Fact,
    pub raw: String,
    /// Position (in characters) in the text, to report the first one.
    pub at: usize,
}

/// How generously to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reading {
    /// A reply: only what is clearly a price, a time or a code.
    Strict,
    /// A tool result: every interpretation counts.
    Generous,
}

/// The facts in `text`, in order of position.
pub(crate) fn facts(text: &str, reading: Reading) -> Vec<Claim> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    if reading == Reading::Strict {
        codes(&chars, &mut out);
    }
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        while end < chars.len() {
            let separator = matches!(chars[end], '.' | ',' | ':')
                && chars.get(end + 1).is_some_and(char::is_ascii_digit);
            if chars[end].is_ascii_digit() || (separator && end > start) {
                end += 1;
            } else {
                break;
            }
        }
        numbers(&chars, start, end, reading, &mut out);
        i = end;
    }
    out.sort_by_key(|claim| claim.at);
    out
}

/// Booking-code-like tokens: 6–10 upper-case letters and digits with both,
/// possibly split by dashes (`K7P-2QX`).
fn codes(chars: &[char], out: &mut Vec<Claim>) {
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        loop {
            while end < chars.len() && chars[end].is_ascii_alphanumeric() {
                end += 1;
            }
            if chars.get(end) == Some(&'-')
                && chars.get(end + 1).is_some_and(char::is_ascii_alphanumeric)
            {
                end += 1;
            } else {
                break;
            }
        }
        let code: String = chars[start..end].iter().filter(|c| **c != '-').collect();
        let shaped = (6..=10).contains(&code.len())
            && code
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            && code.chars().any(|c| c.is_ascii_digit())
            && code.chars().any(|c| c.is_ascii_uppercase());
        if shaped && !labelled_number(&code) {
            let raw = chars[start..end].iter().collect();
            out.push(Claim {
                fact: Fact::Code(code),
                raw,
                at: start,
            });
        }
        i = end;
    }
}

/// A number with a currency or a time zone glued on (`IDR150000`,
/// `150000K`, `1900WIB`): a price or a time, not a code.
fn labelled_number(token: &str) -> bool {
    let token = token
        .strip_prefix("IDR")
        .or_else(|| token.strip_prefix("RP"))
        .unwrap_or(token);
    let token = ["IDR", "RB", "JT", "K", "WIB", "WITA", "WIT", "AM", "PM"]
        .iter()
        .find_map(|label| token.strip_suffix(label))
        .unwrap_or(token);
    token.chars().all(|c| c.is_ascii_digit())
}

/// What one run of digits and separators (`150.000`, `19:00`, `7`) is,
/// given the words around it.
fn numbers(chars: &[char], start: usize, end: usize, reading: Reading, out: &mut Vec<Claim>) {
    let run = Run::new(&chars[start..end]);
    let before = Before::of(chars, start);
    let after = After::of(chars, end);
    let mut push = |fact: Fact, from: usize, to: usize| {
        let raw = chars[from..to].iter().collect::<String>().trim().to_owned();
        out.push(Claim {
            fact,
            raw,
            at: from,
        });
    };
    let half = match after.suffix {
        Suffix::Half(pm) => Some(pm),
        _ => None,
    };
    if reading == Reading::Generous {
        let times = run.minutes(half).into_iter().chain(run.minutes(None));
        let multiplier = after.suffix.multiplier().unwrap_or(1);
        let amounts = run.amount(multiplier).into_iter().chain(run.amount(1));
        for fact in times.map(Fact::Time).chain(amounts.map(Fact::Amount)) {
            push(fact, start, end);
        }
        return;
    }
    let money_prefix = before.money;
    if (before.letter && money_prefix.is_none())
        || (after.glued && after.suffix == Suffix::Other)
        || after.suffix == Suffix::Unit
    {
        return; // inside a word or a code (`court2`, `8K2Q`), or a count
    }
    if money_prefix.is_some() || after.suffix.multiplier().is_some() {
        let multiplier = after.suffix.multiplier().unwrap_or(1);
        if let Some(amount) = run.amount(multiplier) {
            let to = if after.suffix.multiplier().is_some() {
                after.end
            } else {
                end
            };
            push(Fact::Amount(amount), money_prefix.unwrap_or(start), to);
        }
    } else if let Some(minutes) = run.minutes(half) {
        push(
            Fact::Time(minutes),
            start,
            if half.is_some() { after.end } else { end },
        );
    } else if run.thousands() {
        if let Some(amount) = run.amount(1) {
            push(Fact::Amount(amount), start, end);
        }
    }
}

/// Digit groups and the separators between them.
struct Run {
    groups: Vec<String>,
    separators: Vec<char>,
}

impl Run {
    fn new(chars: &[char]) -> Run {
        let mut groups = vec![String::new()];
        let mut separators = Vec::new();
        for &c in chars {
            if c.is_ascii_digit() {
                if let Some(group) = groups.last_mut() {
                    group.push(c);
                }
            } else {
                separators.push(c);
                groups.push(String::new());
            }
        }
        Run { groups, separators }
    }

    /// `19:00`, `7:30:00`, `19.00`, or `7` with am/pm, as minutes.
    fn minutes(&self, half: Option<bool>) -> Option<u16> {
        let g = &self.groups;
        let clock = match self.separators.as_slice() {
            [':'] | [':', ':'] | ['.'] => g[1].len() == 2 && g.get(2).is_none_or(|s| s.len() == 2),
            [] => half.is_some(),
            _ => false,
        };
        if !clock || g[0].is_empty() || g[0].len() > 2 {
            return None;
        }
        let mut hour: u16 = g[0].parse().ok()?;
        let minute: u16 = g.get(1).map_or(Some(0), |m| m.parse().ok())?;
        let bare = self.separators.is_empty();
        match half {
            Some(_) if (hour == 0 || hour > 12) && bare => return None, // "0pm", "19pm"
            Some(true) if (1..12).contains(&hour) => hour += 12,
            Some(false) if hour == 12 => hour = 0,
            _ => {}
        }
        (minute < 60 && (hour < 24 || (hour == 24 && minute == 0))).then_some(hour * 60 + minute)
    }

    /// Grouped by thousands with one kind of separator: `150.000`, `1,500,000`.
    fn thousands(&self) -> bool {
        self.groups.len() >= 2
            && (1..=3).contains(&self.groups[0].len())
            && self.groups[1..].iter().all(|g| g.len() == 3)
            && self
                .separators
                .iter()
                .all(|&s| s != ':' && s == self.separators[0])
    }

    /// The amount in rupiah: thousands separators either way, an optional
    /// decimal part of one or two digits (`150.000,00`, `1,5` juta).
    fn amount(&self, multiplier: u64) -> Option<u64> {
        let (g, s) = (&self.groups, &self.separators);
        if s.contains(&':') {
            return None;
        }
        let n = g.len();
        let decimal = n >= 2 && (g[n - 1].len() != 3 || (n >= 3 && s[n - 2] != s[0]));
        let whole = if decimal { &g[..n - 1] } else { &g[..] };
        let grouped_well = whole
            .iter()
            .enumerate()
            .skip(1)
            .all(|(k, group)| group.len() == 3 && s[k - 1] == s[0]);
        if !grouped_well || (whole.len() > 1 && whole[0].len() > 3) {
            return None;
        }
        let mut value = whole
            .concat()
            .parse::<u64>()
            .ok()?
            .checked_mul(multiplier)?;
        if decimal {
            let fraction = &g[n - 1];
            if fraction.len() > 2 {
                return None;
            }
            let scale = 10u64.pow(fraction.len() as u32);
            value = value
                .checked_add(fraction.parse::<u64>().ok()?.checked_mul(multiplier)? / scale)?;
        }
        Some(value)
    }
}

/// What precedes a run: a currency (`Rp`, `Rp.`, `IDR`), or a letter glued
/// to it.
struct Before {
    /// Where the currency word starts.
    money: Option<usize>,
    letter: bool,
}

impl Before {
    fn of(chars: &[char], start: usize) -> Before {
        let letter = start > 0 && chars[start - 1].is_alphabetic();
        let mut j = start;
        let spaces = |j: &mut usize| {
            let from = *j;
            while *j > 0 && from - *j < 2 && matches!(chars[*j - 1], ' ' | '\u{a0}') {
                *j -= 1;
            }
        };
        spaces(&mut j);
        if j > 0 && chars[j - 1] == '.' {
            j -= 1;
            spaces(&mut j);
        }
        let word_end = j;
        while j > 0 && chars[j - 1].is_alphabetic() {
            j -= 1;
        }
        let word: String = chars[j..word_end].iter().collect::<String>().to_lowercase();
        let boundary = j == 0 || !chars[j - 1].is_alphanumeric();
        let money = (boundary && (word == "rp" || word == "idr")).then_some(j);
        Before { money, letter }
    }
}

/// The word after a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Suffix {
    None,
    /// am (`false`) or pm (`true`).
    Half(bool),
    /// `rb`, `ribu`, `k`: 1,000; `jt`, `juta`: 1,000,000; `rupiah`: 1.
    Money(u64),
    /// A count or a duration: `2 jam`, `10 orang`, `3 courts`.
    Unit,
    /// Says nothing about the number (`WIB`, or any spaced word).
    Neutral,
    /// Glued letters that make it part of a code (`8K2Q`).
    Other,
}

impl Suffix {
    fn multiplier(self) -> Option<u64> {
        match self {
            Suffix::Money(multiplier) => Some(multiplier),
            _ => None,
        }
    }

    fn of_word(word: &str, glued: bool) -> Suffix {
        const UNITS: &[&str] = &[
            "jam", "jm", "hour", "hours", "hr", "hrs", "menit", "mnt", "minute", "minutes", "min",
            "mins", "orang", "org", "people", "person", "persons", "pax", "hari", "day", "days",
            "minggu", "week", "weeks", "bulan", "month", "months", "tahun", "year", "years",
            "kali", "times", "x", "sesi", "session", "sessions", "slot", "slots", "lapangan",
            "court", "courts", "meja", "table", "tables", "tiket", "ticket", "tickets", "anak",
            "dewasa", "kursi", "seat", "seats", "kamar", "room", "rooms", "peserta", "pemain",
            "player", "players", "set", "sets", "game", "games", "unit", "units",
        ];
        match word {
            "rb" | "ribu" | "ribuan" => Suffix::Money(1_000),
            "k" if glued => Suffix::Money(1_000),
            "jt" | "juta" => Suffix::Money(1_000_000),
            "rupiah" | "idr" | "rp" => Suffix::Money(1),
            "wib" | "wita" | "wit" | "an" => Suffix::Neutral,
            _ if UNITS.contains(&word) => Suffix::Unit,
            _ if glued => Suffix::Other,
            _ => Suffix::Neutral,
        }
    }
}

/// What follows a run, and where that ends.
struct After {
    suffix: Suffix,
    glued: bool,
    end: usize,
}

impl After {
    fn of(chars: &[char], end: usize) -> After {
        let mut j = end;
        while j < chars.len() && j - end < 2 && matches!(chars[j], ' ' | '\u{a0}') {
            j += 1;
        }
        let glued = j == end;
        let ends_word = |at: usize| !chars.get(at).is_some_and(|c| c.is_alphanumeric());
        let ahead: String = chars[j..chars.len().min(j + 4)]
            .iter()
            .collect::<String>()
            .to_lowercase();
        for (half, pm) in [("a.m.", false), ("p.m.", true), ("am", false), ("pm", true)] {
            if ahead.starts_with(half) && ends_word(j + half.len()) {
                return After {
                    suffix: Suffix::Half(pm),
                    glued,
                    end: j + half.len(),
                };
            }
        }
        let word_end = j + chars[j..].iter().take_while(|c| c.is_alphabetic()).count();
        if word_end == j {
            return After {
                suffix: Suffix::None,
                glued,
                end,
            };
        }
        let word: String = chars[j..word_end].iter().collect::<String>().to_lowercase();
        let suffix = if glued && !ends_word(word_end) {
            Suffix::Other
        } else {
            Suffix::of_word(&word, glued)
        };
        After {
            suffix,
            glued,
            end: word_end,
        }
    }
}
