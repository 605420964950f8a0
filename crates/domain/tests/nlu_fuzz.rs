//! Arbitrary text never panics the language engine, and its work is
//! bounded: a message is cut at WhatsApp's 4,096 characters and every rule
//! looks a fixed number of words around each word. (Its speed is measured
//! by `pesan-bench`, not asserted here.)

use chrono::NaiveDate;
use domain::language::{understand, understand_with, Vocabulary, MAX_CHARS};
use proptest::prelude::*;

fn now() -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 25)
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .expect("now")
}

/// Words the rules react to, so random messages hit the rules' corners
/// (ranges with no end, shifts with no amount, dates at the year's end).
const WORDS: &[&str] = &[
    "jam",
    "besok",
    "lusa",
    "tgl",
    "30",
    "31",
    "29",
    "2",
    "12",
    "0",
    "24",
    "25",
    "99",
    "-",
    "to",
    "sampai",
    "malam",
    "pagi",
    "siang",
    "sore",
    "setengah",
    "sejam",
    "lagi",
    "in",
    "hours",
    "menit",
    "mundur",
    "later",
    "earlier",
    "half",
    "past",
    "quarter",
    "noon",
    "midnight",
    "7pm",
    "19.00",
    "07:00",
    "1/12",
    "31/2",
    "29/2/2027",
    "december",
    "des",
    "1st",
    "the",
    "next",
    "week",
    "minggu",
    "depan",
    "sabtu",
    "malming",
    "cancel",
    "batal",
    "move",
    "pindah",
    "harga",
    "berapa",
    "kosong",
    "book",
    "booking",
    "saya",
    "my",
    "admin",
    "waitlist",
    "if",
    "kalau",
    "ada",
    "yang",
    "ok",
    "no",
    "thanks",
    "halo",
    "court",
    "lapangan",
    "orang",
    "h",
    "2015",
    "2026",
    "-",
    "-",
    "from",
    "oh",
    "twenty",
    "eight",
    "fifteen",
    "minutes",
    "p",
    "m",
    "tengah",
    "dua",
    "belas",
    "🙏",
    "\u{0}",
    "٣",
    "ⅻ",
    "ǅ",
    "İ",
    "ß",
];

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 0..40).prop_map(|w| w.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn any_text_is_read_without_panicking(text in "\\PC{0,300}") {
        let _ = understand(&text, now());
    }

    #[test]
    fn any_soup_of_rule_words_is_read_without_panicking(text in soup(), day in 0i64..800) {
        let at = now() + chrono::Duration::days(day - 400);
        let u = understand(&text, at);
        // Whatever was read is a real slot: a length is believable.
        if let Some(minutes) = u.duration_minutes {
            prop_assert!(minutes > 0 && minutes <= 12 * 60, "{text}: {minutes}");
        }
        let vocabulary = Vocabulary::default().with_kind("padel", &["padel", "padle"]);
        let _ = understand_with(&text, at, &vocabulary);
    }
}

#[test]
fn the_longest_and_oddest_messages_are_read() {
    let now = now();
    for unit in [
        "jam ",
        "9",
        "-",
        "tgl 30 ",
        "besok jam 7 malam sampai ",
        "🙏",
        "a",
        " ",
    ] {
        let text = unit.repeat(20_000);
        let _ = understand(&text, now);
    }
    // Past the cut, nothing is read.
    let text = format!("{}besok jam 7 malam", " ".repeat(MAX_CHARS));
    assert_eq!(understand(&text, now).date, None);
    // The last day there is.
    let end = chrono::NaiveDate::MAX.and_hms_opt(23, 0, 0).expect("max");
    let _ = understand(
        "besok lusa in 3 days 2 jam lagi tgl 31 next week saturday",
        end,
    );
    let start = chrono::NaiveDate::MIN.and_hms_opt(0, 0, 0).expect("min");
    let _ = understand("kemarin tgl 1 jam 7 malam mundur sejam", start);
}
