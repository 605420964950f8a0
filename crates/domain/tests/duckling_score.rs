//! Scores the engine's starts on the public English time corpus of Duckling
//! (flattened in the shared data as `duckling_en_time.jsonl`): the share of
//! phrases whose start (day at Day grain, day and time at Hour and Minute
//! grain) the engine reads the same. Month-first numeric dates ("2/15",
//! "10-31-74") are left out: Pesan reads day/month, as its customers write.
//!
//! A development signal, not a spec: Duckling reads past expressions ("last
//! week"), time zones and Duckling's own quirks that a booking bot does not
//! need. The corpus lives outside the repository; set
//! `PESAN_DUCKLING_CORPUS` to its path, or keep the shared data next to the
//! repository. `PESAN_NLU_MISREAD=1` lists the phrases read differently.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use domain::language::understand;
use serde_json::Value;

/// Shares (in %) that must not drop once measured: strict (a bare hour the
/// engine leaves open counts as wrong) and with the dialogue's reading of
/// a bare hour (its next occurrence).
const FLOOR_STRICT: f64 = 46.5;
const FLOOR_RESOLVED: f64 = 51.5;

fn corpus() -> Option<String> {
    let path = std::env::var("PESAN_DUCKLING_CORPUS").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/nlu/duckling_en_time.jsonl"
        )
        .to_string()
    });
    std::fs::read_to_string(path).ok()
}

/// "2/15", "on 2/15", "2 - 15", "10.31.1974", "4/25 at 4pm": month first.
fn month_first(text: &str) -> bool {
    let t = text.trim_start_matches("on ").trim();
    let mut parts = Vec::new();
    let mut rest = t;
    for _ in 0..3 {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty() {
            break;
        }
        parts.push(digits.parse::<u32>().unwrap_or(0));
        rest = rest[digits.len()..].trim_start();
        match rest.chars().next() {
            Some('/' | '-' | '.') => rest = rest[1..].trim_start(),
            _ => break,
        }
    }
    let slash = text.contains('/');
    parts.len() >= 2 && parts[0] <= 12 && (slash || parts[1] > 12 || parts.len() == 3)
}

fn local(text: &str) -> Option<NaiveDateTime> {
    // "2013-02-12T04:30:00-02:00" or "2013-02-15T00:00:00".
    NaiveDateTime::parse_from_str(text.get(..19)?, "%Y-%m-%dT%H:%M:%S").ok()
}

/// The day a time with no day falls on: today if still ahead, else tomorrow.
fn next_day_for(now: NaiveDateTime, time: NaiveTime) -> NaiveDate {
    if time >= now.time() {
        now.date()
    } else {
        now.date().succ_opt().unwrap_or(now.date())
    }
}

#[test]
fn starts_on_the_duckling_corpus() {
    let Some(corpus) = corpus() else {
        println!("duckling corpus not found: set PESAN_DUCKLING_CORPUS to score it");
        return;
    };
    let show = std::env::var_os("PESAN_NLU_MISREAD").is_some();
    let (mut total, mut strict, mut resolved) = (0usize, 0usize, 0usize);
    for line in corpus.lines().filter(|l| !l.trim().is_empty()) {
        let row: Value = serde_json::from_str(line).expect("a corpus line");
        let text = row["text"].as_str().expect("text");
        if month_first(text) {
            continue;
        }
        let (Some(now), Some(want)) = (
            row["now"].as_str().and_then(local),
            row["start"].as_str().and_then(local),
        ) else {
            continue;
        };
        total += 1;
        let u = understand(text, now);
        let day_grain = row["grain"] == "Day";
        let right = |time: Option<NaiveTime>| -> bool {
            if day_grain {
                return u.date == Some(want.date()) && time.is_none();
            }
            let Some(time) = time else {
                return false;
            };
            let date = u.date.unwrap_or_else(|| next_day_for(now, time));
            date.and_time(time) == want
        };
        let strict_ok = right(u.start);
        let resolved_ok = strict_ok
            || u.ambiguous_start.is_some_and(|morning| {
                let evening = morning + chrono::Duration::hours(12);
                // The dialogue offers the next of the two readings.
                let date = |t: NaiveTime| u.date.unwrap_or_else(|| next_day_for(now, t));
                let first = [morning, evening]
                    .into_iter()
                    .min_by_key(|t| date(*t).and_time(*t))
                    .unwrap_or(morning);
                right(Some(first))
            });
        strict += usize::from(strict_ok);
        resolved += usize::from(resolved_ok);
        if show && !resolved_ok {
            println!(
                "  {text:<40} want {want}  got {:?} {:?} ({:?})",
                u.date, u.start, u.ambiguous_start
            );
        }
    }
    let share = |n: usize| 100.0 * n as f64 / total as f64;
    println!(
        "duckling EN corpus, {total} phrases (month-first dates left out): starts right {:.1} % strict, {:.1} % with bare hours read as their next occurrence",
        share(strict),
        share(resolved)
    );
    assert!(
        share(strict) >= FLOOR_STRICT,
        "strict {:.1} %",
        share(strict)
    );
    assert!(
        share(resolved) >= FLOOR_RESOLVED,
        "resolved {:.1} %",
        share(resolved)
    );
}
