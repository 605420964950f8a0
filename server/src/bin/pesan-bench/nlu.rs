//! The language engine's speed: every hand-labelled message read many
//! times (latency per message, messages a second on one core), against the
//! bare cost of splitting the same text into tokens, and the slowest
//! messages the engine accepts (4,096 characters of what its rules react to).

use chrono::NaiveDate;
use domain::language::{understand, Tokens, MAX_CHARS};
use std::time::{Duration, Instant};

const SETS: [&str; 8] = [
    include_str!("../../../../crates/domain/tests/nlu/messages_id.jsonl"),
    include_str!("../../../../crates/domain/tests/nlu/messages_en.jsonl"),
    include_str!("../../../../crates/domain/tests/nlu/heldout_id.jsonl"),
    include_str!("../../../../crates/domain/tests/nlu/heldout_en.jsonl"),
    include_str!("../../../../crates/domain/tests/nlu/fresh_id.jsonl"),
    include_str!("../../../../crates/domain/tests/nlu/fresh_en.jsonl"),
    include_str!("../../../../crates/domain/tests/nlu/unseen_id.jsonl"),
    include_str!("../../../../crates/domain/tests/nlu/unseen_en.jsonl"),
];

/// How many times every message is read.
const PASSES: usize = 50;

fn texts() -> Vec<String> {
    SETS.iter()
        .flat_map(|set| set.lines())
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_string))
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

pub fn nlu() {
    println!("== language engine (one core)");
    let now = NaiveDate::from_ymd_opt(2026, 11, 25)
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .unwrap_or_default();
    let texts = texts();
    let mut each = Vec::with_capacity(texts.len() * PASSES);
    let mut bare = Duration::ZERO;
    let mut read = Duration::ZERO;
    for _ in 0..PASSES {
        let started = Instant::now();
        for text in &texts {
            std::hint::black_box(Tokens::new(std::hint::black_box(text)));
        }
        bare += started.elapsed();
        for text in &texts {
            let one = Instant::now();
            std::hint::black_box(understand(std::hint::black_box(text), now));
            let took = one.elapsed();
            read += took;
            each.push(took);
        }
    }
    each.sort();
    let count = texts.len() * PASSES;
    println!(
        "  {} labelled messages × {PASSES}: p50 {:.1} µs, p99 {:.1} µs, max {:.1} µs; {:.0} messages/s",
        texts.len(),
        percentile(&each, 0.5).as_secs_f64() * 1e6,
        percentile(&each, 0.99).as_secs_f64() * 1e6,
        each.last().copied().unwrap_or_default().as_secs_f64() * 1e6,
        count as f64 / read.as_secs_f64()
    );
    println!(
        "  understanding costs {:.1}× splitting the same text into tokens ({:.1} µs vs {:.1} µs a message)",
        read.as_secs_f64() / bare.as_secs_f64(),
        read.as_secs_f64() / count as f64 * 1e6,
        bare.as_secs_f64() / count as f64 * 1e6
    );
    for (name, unit) in [
        ("numbers and dashes", "9-"),
        ("clock words", "jam 7 malam sampai "),
        ("dates", "tgl 30 besok lusa "),
        ("emoji", "🙏"),
        ("one long word", "a"),
    ] {
        let text: String = unit.repeat(MAX_CHARS).chars().take(MAX_CHARS).collect();
        let started = Instant::now();
        std::hint::black_box(understand(&text, now));
        println!(
            "  4,096 characters of {name}: {:.2} ms",
            started.elapsed().as_secs_f64() * 1e3
        );
    }
}
