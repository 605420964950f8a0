//! Whether a customer asks to talk to a person ("talk to a human", "mau
//! bicara dengan admin", "sambungkan ke CS"). A phrase matcher for now; the
//! full engine reads it as an intent later. It errs on the side of asking
//! for a verb next to the person word, so "admin, besok futsal jam 7" or
//! "booking untuk 5 orang" stay with the bot.

use super::text::Tokens;

/// Words for the people behind the venue.
const STAFF_WORDS: &[&str] = &[
    "admin",
    "cs",
    "staff",
    "staf",
    "petugas",
    "operator",
    "human",
    "person",
    "agent",
    "representative",
    "manager",
    "someone",
    "somebody",
    "pengelola",
    "pemilik",
    "owner",
];

/// Words that ask to reach someone.
const VERBS: &[&str] = &[
    "talk",
    "speak",
    "chat",
    "connect",
    "contact",
    "reach",
    "call",
    "transfer",
    "want",
    "need",
    "get",
    "bicara",
    "berbicara",
    "ngomong",
    "ngobrol",
    "omong",
    "hubungi",
    "menghubungi",
    "sambungkan",
    "sambungin",
    "disambungkan",
    "minta",
    "mau",
    "pengen",
    "pingin",
    "ingin",
    "tolong",
    "panggil",
    "panggilkan",
    "chatting",
];

/// "orang"/"manusia" mean a person only after "with"/"to" or before "real".
const PEOPLE: &[&str] = &["orang", "manusia"];
const WITH: &[&str] = &["dengan", "dgn", "sama", "sm", "ama", "ke", "kpd", "kepada"];
const REAL: &[&str] = &["asli", "beneran", "langsung", "sungguhan", "nyata"];

/// Messages that are nothing but a request for a person.
const ALONE: &[&str] = &[
    "admin", "cs", "human", "agent", "operator", "staff", "manusia",
];

pub fn asks_for_person(message: &str) -> bool {
    asks_for_person_tokens(&Tokens::new(message))
}

/// [`asks_for_person`] on a message already split into tokens.
pub fn asks_for_person_tokens(tokens: &Tokens) -> bool {
    let words = tokens.words();
    if words.is_empty() || words.len() > 40 {
        return false;
    }
    if words.len() <= 2
        && words
            .iter()
            .all(|w| ALONE.contains(&w.as_str()) || w == "please" || w == "dong" || w == "pls")
    {
        return words.iter().any(|w| ALONE.contains(&w.as_str()));
    }
    if tokens.has_phrase(&["customer", "service"])
        || tokens.has_phrase(&["real", "person"])
        || tokens.has_phrase(&["real", "human"])
        || tokens.has_phrase(&["live", "agent"])
        || tokens.has_phrase(&["live", "chat"])
    {
        return true;
    }
    for (i, word) in words.iter().enumerate() {
        let word = word.as_str();
        let before = &words[i.saturating_sub(4)..i];
        let numbered = i > 0 && words[i - 1].chars().all(|c| c.is_ascii_digit());
        if STAFF_WORDS.contains(&word)
            && !numbered
            && before.iter().any(|w| VERBS.contains(&w.as_str()))
        {
            return true;
        }
        if PEOPLE.contains(&word) && !numbered {
            let after_with = i > 0 && WITH.contains(&words[i - 1].as_str());
            let real = words.get(i + 1).is_some_and(|w| REAL.contains(&w.as_str()));
            if (after_with && before.iter().any(|w| VERBS.contains(&w.as_str()))) || real {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::asks_for_person;

    #[test]
    fn requests_for_a_person_in_both_languages() {
        for text in [
            "talk to a person",
            "Can I speak to a human please?",
            "I want to talk to someone",
            "connect me to an agent",
            "customer service please",
            "is there a real person there",
            "human",
            "Admin!",
            "cs dong",
            "mau bicara dengan admin",
            "mau bicara dengan CS",
            "mau bicara dengan orang",
            "pengen ngomong sama orang asli",
            "bisa sambungkan ke cs?",
            "tolong hubungi admin kak",
            "min, saya mau ngobrol sama admin aja",
            "minta nomor admin dong",
            "bisa bicara dengan pemilik?",
        ] {
            assert!(asks_for_person(text), "{text}");
        }
    }

    #[test]
    fn bookings_and_questions_stay_with_the_bot() {
        for text in [
            "admin, besok futsal jam 7",
            "halo min mau booking futsal",
            "booking untuk 5 orang",
            "mau booking lapangan untuk 10 orang besok",
            "book futsal tomorrow 7pm",
            "how much is it per person",
            "for 4 person",
            "yes",
            "",
            "terima kasih admin",
            "is there parking?",
        ] {
            assert!(!asks_for_person(text), "{text}");
        }
    }
}
