//! Scores the language engine on the hand-labelled messages in `tests/nlu`
//! (see its README): prints the share exactly right per field and per
//! language, and fails if a share falls below the floor recorded here.
//! The floors are the engine's measured level; work on the engine raises
//! them (the goal is 95 % on intent, date, start and duration together).
//!
//! `cargo test -p domain --test nlu_score -- --nocapture` prints the table;
//! with `PESAN_NLU_MISREAD=1` also every message with any field read wrong.

use chrono::NaiveDate;
use domain::language::{understand, Lang};
use serde_json::Value;

/// Shares (in %) that must not drop: per set, in the order of [`FIELDS`],
/// then all four of intent, date, start and duration together. A point
/// below the measured share, so one new misread is a signal, not a failure.
///
/// `id`/`en` were written before the engine and tuned against; `heldout_*`
/// and `fresh_*` were written by others who never saw the engine, scored
/// once unseen (all four: 96.2 / 90.0 % and 90.0 / 84.0 %) and then used to
/// fix what they showed; `unseen_*` likewise (89.0 / 84.0 % at first
/// sight). A new unseen set is the honest measure.
const FLOORS: [(&str, [f64; 7]); 8] = [
    ("id", [99.0, 99.0, 99.0, 99.0, 99.0, 96.0, 99.0]),
    ("en", [99.0, 99.0, 99.0, 99.0, 99.0, 98.0, 99.0]),
    ("heldout_id", [99.0, 99.0, 99.0, 99.0, 99.0, 95.0, 99.0]),
    ("heldout_en", [99.0, 99.0, 99.0, 99.0, 99.0, 97.0, 99.0]),
    ("fresh_id", [99.0, 99.0, 99.0, 99.0, 99.0, 98.0, 99.0]),
    ("fresh_en", [99.0, 99.0, 99.0, 99.0, 99.0, 98.0, 99.0]),
    ("unseen_id", [99.0, 99.0, 99.0, 99.0, 99.0, 98.0, 99.0]),
    ("unseen_en", [99.0, 99.0, 99.0, 99.0, 99.0, 98.0, 99.0]),
];

const FIELDS: [&str; 6] = [
    "intent",
    "date",
    "start",
    "duration_min",
    "resource_hint",
    "language",
];

/// What the engine read from `text`, in the labels' form.
fn read(text: &str) -> Value {
    let now = NaiveDate::from_ymd_opt(2026, 11, 25)
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .expect("now");
    let u = understand(text, now);
    serde_json::json!({
        "intent": serde_json::to_value(u.intent).expect("intent"),
        "date": u.date.map(|d| d.format("%Y-%m-%d").to_string()),
        "start": u.start.map(|t| t.format("%H:%M").to_string()),
        "duration_min": u.duration_minutes,
        "resource_hint": u.kind.map(|k| serde_json::to_value(k).expect("kind")),
        "language": match u.lang {
            Some(Lang::Id) => "id",
            Some(Lang::En) | None => "en",
        },
    })
}

#[test]
fn the_engine_reads_the_labelled_messages() {
    let sets = [
        ("id", include_str!("nlu/messages_id.jsonl")),
        ("en", include_str!("nlu/messages_en.jsonl")),
        ("heldout_id", include_str!("nlu/heldout_id.jsonl")),
        ("heldout_en", include_str!("nlu/heldout_en.jsonl")),
        ("fresh_id", include_str!("nlu/fresh_id.jsonl")),
        ("fresh_en", include_str!("nlu/fresh_en.jsonl")),
        ("unseen_id", include_str!("nlu/unseen_id.jsonl")),
        ("unseen_en", include_str!("nlu/unseen_en.jsonl")),
    ];
    for (language, lines) in sets {
        let labelled: Vec<Value> = lines
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).expect("a labelled line"))
            .collect();
        assert!(labelled.len() >= 100, "{language}: {}", labelled.len());
        let mut right = [0usize; 7];
        let mut misread = Vec::new();
        for label in &labelled {
            let text = label["text"].as_str().expect("text");
            let got = read(text);
            let mut all = true;
            for (i, field) in FIELDS.iter().enumerate() {
                let same = got[field] == label[field];
                right[i] += usize::from(same);
                if i < 4 {
                    all &= same;
                }
            }
            right[6] += usize::from(all);
            if FIELDS.iter().any(|f| got[f] != label[f]) {
                misread.push(format!("  {text}\n    want {label}\n    got  {got}"));
            }
        }
        let share = |n: usize| 100.0 * n as f64 / labelled.len() as f64;
        println!("{language}: {} messages", labelled.len());
        for (i, field) in FIELDS.iter().enumerate() {
            println!("  {field:<14} {:5.1} %", share(right[i]));
        }
        println!("  all four       {:5.1} %", share(right[6]));
        if std::env::var_os("PESAN_NLU_MISREAD").is_some() {
            println!("{}", misread.join("\n"));
        }
        let floors = FLOORS
            .iter()
            .find(|(l, _)| *l == language)
            .map(|(_, f)| f)
            .expect("floors");
        for (i, floor) in floors.iter().enumerate() {
            assert!(
                // As printed: rounded to a tenth.
                (share(right[i]) * 10.0).round() / 10.0 >= *floor,
                "{language} {}: {:.1} % is below the floor {floor:.1} %",
                FIELDS.get(i).copied().unwrap_or("all four"),
                share(right[i])
            );
        }
    }
}
