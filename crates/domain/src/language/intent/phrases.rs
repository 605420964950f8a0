//! Readings that take more than a word list: a person asked for in other
//! words, a booking that is the customer's own, plain refusals, "hours"
//! as opening hours, fillers, and questions about the venue itself.

use super::cues::*;
use crate::language::text::Tokens;

/// Requests for a person the phrase matcher leaves out: "is there a human",
/// "pls call me", "stop bot", "mau telpon adminnya", "ada orang?".
pub(super) fn asks_for_person_more(t: &Tokens) -> bool {
    let any = |list: &[&str]| t.has_any(list);
    let phrase = |p: &[&str]| t.has_phrase(p);
    let staff = any(&["cs", "staff", "manager", "human", "person", "owner"])
        || t.has_root(&[
            "admin",
            "petugas",
            "manusia",
            "pengelola",
            "pemilik",
            "staf",
        ])
        // "orangnya", but not "10 orang" (a count of players).
        || t.words().iter().enumerate().any(|(i, w)| {
            crate::language::text::has_root(w, &["orang"])
                && !t.before(i).chars().all(|c| c.is_ascii_digit())
                && !matches!(
                    t.before(i),
                    "dua" | "tiga" | "empat" | "lima" | "enam" | "tujuh" | "delapan" | "sembilan"
                        | "sepuluh" | "belas" | "puluh" | "banyak" | "beberapa" | "rame"
                )
        });
    phrase(&["call", "me"])
        || phrase(&["telpon", "saya"])
        || (any(&["telpon", "telepon", "telp", "nelpon", "call"]) && staff)
        || (any(&["bot"]) && (any(&["stop", "bukan", "orang", "manusia", "human"])))
        || phrase(&["ada", "orang"])
        || (staff
            && any(&[
                "reply",
                "balas",
                "bales",
                "respond",
                "chat",
                "langsung",
                "need",
                "butuh",
                "ama",
                "sama",
                "sambungin",
                "sambungkan",
                "pls",
                "please",
                "dong",
            ]))
        || phrase(&["someone", "from"])
        || (any(&["bot"]) && any(&["isnt", "not", "gak", "tidak", "ga"]))
        || (staff
            && t.len() <= 3
            && any(&["admin", "cs", "human", "manusia"])
            && !t.has_any(GREETING_WORDS))
        || any(&["complaint", "komplain", "complain", "managers"])
}

/// "booking saya", "bookingan ku", "reservasi kami", "bookingku": a booking
/// that is the customer's own, not "saya booking" (I book).
pub(super) fn possessive_booking(t: &Tokens) -> bool {
    let words = t.words();
    words.iter().enumerate().any(|(i, w)| {
        let booking = BOOKING_WORDS.contains(&w.as_str()) || w == "book";
        if w.starts_with("booking") && w.ends_with("ku")
            || w.starts_with("jadwal") && w.ends_with("ku")
        {
            return true;
        }
        booking
            && (1..=3).any(|k| {
                matches!(t.at(i + k), "saya" | "ku" | "kami" | "kita")
                    && !(1..k).any(|j| matches!(t.at(i + j), "mau" | "untuk" | "buat"))
            })
    })
}

/// A period word in a greeting is not a slot detail; anything more is.
pub(super) fn has_slot_beyond_period(has_slot: bool) -> bool {
    has_slot
}

/// Phrases that turn down what was offered, whatever else is said.
pub(super) fn deny_phrase(t: &Tokens) -> bool {
    let phrase = |p: &[&str]| t.has_phrase(p);
    let wrong = t.has_root(&["salah", "keliru", "wrong"])
        && t.has_root(&[
            "tanggal", "jam", "hari", "day", "time", "date", "court", "lapangan", "one", "tuh",
        ]);
    let first_no = matches!(t.at(0), "no" | "nope" | "bukan" | "nah")
        && t.len() <= 5
        && !t.has_any(FACILITY_WORDS);
    wrong
        || first_no
        || phrase(&["bukan", "yang", "itu"])
        || phrase(&["bukan", "itu"])
        || phrase(&["not", "that"])
        || phrase(&["wrong", "one"])
        || phrase(&["dont", "book"])
        || phrase(&["something", "else"])
}

/// "hours" as in opening hours, not "2 hours".
pub(super) fn hours_word(t: &Tokens) -> bool {
    t.words().iter().enumerate().any(|(i, w)| {
        w == "hours"
            && !t
                .before(i)
                .chars()
                .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
            && !matches!(t.before(i), "two" | "three" | "four" | "few" | "couple")
    })
}

/// Laughter and fillers that carry no request: "wkwk", "haha", "lol", 🙏.
pub(super) fn is_filler(word: &str) -> bool {
    matches!(
        word,
        "wkwk" | "wkwkwk" | "haha" | "hahaha" | "hehe" | "hihi" | "lol" | "🙏"
    ) || word.starts_with("wkwk")
        || word.starts_with("haha")
}

/// A question about the venue itself (facilities, payment, rules): the
/// knowledge base's to answer, not a booking.
pub fn venue_question(t: &Tokens) -> bool {
    let any = |list: &[&str]| t.has_any(list);
    let phrase = |p: &[&str]| t.has_phrase(p);
    any(FACILITY_WORDS)
        || phrase(&["can", "we", "use"])
        || phrase(&["max", "people"])
        || phrase(&["boleh", "ikut"])
        || phrase(&["wrong", "chat"])
        || any(&["rules", "aturan", "peraturan", "studs", "wear", "indoor", "outdoor"])
        // "wajib pake sepatu?" is a rule; "ada yg pake?" asks if it is free.
        || (any(&["pakai", "pake"]) && any(&["wajib", "boleh", "harus", "must"]))
}
