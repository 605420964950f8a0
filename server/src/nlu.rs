//! `pesan nlu`: the built-in language engine on JSON lines, for scoring it
//! against any labelled set without a server or a database.
//!
//! Reads `{"text": "...", "now": "..."?}` per line and prints one line per
//! input: `{"intent", "date", "start", "duration_min", "resource_hint",
//! "language"}`, in that order. A line that is not such an object (a blank
//! one too) gets `{"error": ...}`, so output line N always answers input
//! line N. A line is read up to 64 KiB; the rest of a longer one is skipped
//! without being held in memory.

use anyhow::Context;
use chrono::{DateTime, FixedOffset, NaiveDateTime};
use chrono_tz::Tz;
use domain::language::{understand, Lang, Understanding};
use serde_json::{json, Value};
use std::io::{BufRead, Read, Write};

/// `pesan nlu`.
#[derive(clap::Args, Debug, Clone)]
pub struct NluArgs {
    /// "Now" for relative days and times, RFC 3339 (e.g.
    /// 2026-11-25T10:00:00+07:00); default: the current time. A line's own
    /// "now" overrides it.
    #[arg(long)]
    pub now: Option<String>,
    /// The outlet's IANA time zone: "now" is read as local time there.
    #[arg(long, default_value = "Asia/Jakarta")]
    pub tz: String,
}

/// Longest input line read, in bytes; a longer one is answered with an error.
const MAX_LINE_BYTES: usize = 64 * 1024;

/// Reads JSON lines from `input` and writes one answer per line to `output`.
pub fn run(args: &NluArgs, input: impl BufRead, mut output: impl Write) -> anyhow::Result<()> {
    let zone: Tz = args
        .tz
        .parse()
        .map_err(|_| anyhow::anyhow!("unknown time zone {:?}", args.tz))?;
    let default_now = match &args.now {
        Some(text) => parse_now(text, zone).with_context(|| format!("--now {text:?}"))?,
        None => chrono::Utc::now().with_timezone(&zone).naive_local(),
    };
    let mut input = input;
    let mut line = Vec::with_capacity(1024);
    loop {
        line.clear();
        let read = input
            .by_ref()
            .take(MAX_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut line)
            .context("reading stdin")?;
        if read == 0 {
            break;
        }
        let ended = line.last() == Some(&b'\n');
        let answer = if line.len() > MAX_LINE_BYTES && !ended {
            skip_rest_of_line(&mut input)?;
            json!({"error": format!("line longer than {MAX_LINE_BYTES} bytes")}).to_string()
        } else {
            answer(&String::from_utf8_lossy(&line), default_now, zone)
        };
        writeln!(output, "{answer}")?;
    }
    output.flush()?;
    Ok(())
}

/// Reads and drops the rest of an over-long line, a buffer at a time.
fn skip_rest_of_line(input: &mut impl BufRead) -> anyhow::Result<()> {
    loop {
        let buffer = input.fill_buf().context("reading stdin")?;
        if buffer.is_empty() {
            return Ok(());
        }
        match buffer.iter().position(|b| *b == b'\n') {
            Some(at) => {
                input.consume(at + 1);
                return Ok(());
            }
            None => {
                let all = buffer.len();
                input.consume(all);
            }
        }
    }
}

/// The answer to one input line, as one line of JSON.
fn answer(line: &str, default_now: NaiveDateTime, zone: Tz) -> String {
    let error = |message: String| json!({ "error": message }).to_string();
    let line = line.trim();
    if line.is_empty() {
        return error("empty line".to_string());
    }
    let input: Value = match serde_json::from_str(line) {
        Ok(value) => value,
        Err(e) => return error(format!("not JSON: {e}")),
    };
    let Some(text) = input.get("text").and_then(Value::as_str) else {
        return error("expected an object with a \"text\" string".to_string());
    };
    let now = match input.get("now").and_then(Value::as_str) {
        Some(own) => match parse_now(own, zone) {
            Ok(now) => now,
            Err(e) => return error(format!("\"now\": {e}")),
        },
        None => default_now,
    };
    labels(&understand(text, now))
}

/// "2026-11-25T10:00:00+07:00" (any offset, converted to the zone's local
/// time) or "2026-11-25T10:00:00" (already local).
fn parse_now(text: &str, zone: Tz) -> anyhow::Result<NaiveDateTime> {
    if let Ok(at) = DateTime::<FixedOffset>::parse_from_rfc3339(text) {
        return Ok(at.with_timezone(&zone).naive_local());
    }
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M"))
        .map_err(|_| anyhow::anyhow!("expected RFC 3339, e.g. 2026-11-25T10:00:00+07:00"))
}

/// What the engine read, in the labels' form and field order.
#[derive(serde::Serialize)]
struct Labels<'a> {
    intent: &'static str,
    date: Option<String>,
    start: Option<String>,
    duration_min: Option<u32>,
    resource_hint: Option<&'a str>,
    language: &'static str,
}

/// What the engine read, in the labels' form, as one line of JSON with the
/// fields in the documented order.
pub fn labels(u: &Understanding) -> String {
    let labels = Labels {
        intent: u.intent.as_str(),
        date: u.date.map(|d| d.format("%Y-%m-%d").to_string()),
        start: u.start.map(|t| t.format("%H:%M").to_string()),
        duration_min: u.duration_minutes,
        resource_hint: u.kind.as_ref().map(|k| k.as_str()),
        language: match u.lang {
            Some(Lang::Id) => "id",
            Some(Lang::En) | None => "en",
        },
    };
    serde_json::to_string(&labels).unwrap_or_else(|e| json!({ "error": e.to_string() }).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_on(input: &str) -> Vec<Value> {
        let args = NluArgs {
            now: Some("2026-11-25T10:00:00+07:00".into()),
            tz: "Asia/Jakarta".into(),
        };
        let mut out = Vec::new();
        run(&args, input.as_bytes(), &mut out).expect("runs");
        String::from_utf8(out)
            .expect("utf-8")
            .lines()
            .map(|l| serde_json::from_str(l).expect("json"))
            .collect()
    }

    #[test]
    fn one_answer_per_line_with_per_line_now() {
        let out = run_on(concat!(
            "{\"text\": \"besok jam 7 malam futsal 2 jam\"}\n",
            "{\"text\": \"besok jam 7 malam\", \"now\": \"2026-12-31T23:30:00+07:00\"}\n",
            "\n",
            "not json\n",
            "{\"txt\": 1}\n",
            "{\"text\": \"tomorrow 8pm\", \"now\": \"2026-11-25T20:00:00Z\"}\n",
        ));
        assert_eq!(out.len(), 6, "one answer per line, the blank one too");
        assert_eq!(
            out[0],
            json!({"intent": "book", "date": "2026-11-26", "start": "19:00",
                   "duration_min": 120, "resource_hint": "futsal", "language": "id"})
        );
        assert_eq!(out[1]["date"], "2027-01-01");
        assert!(out[2]["error"].is_string());
        assert!(out[3]["error"].is_string());
        assert!(out[4]["error"].is_string());
        // 20:00 UTC is 03:00 on the 26th in Jakarta: tomorrow is the 27th.
        assert_eq!(out[5]["date"], "2026-11-27");
    }

    #[test]
    fn fields_come_in_the_documented_order_and_long_lines_are_skipped() {
        let args = NluArgs {
            now: Some("2026-11-25T10:00:00+07:00".into()),
            tz: "Asia/Jakarta".into(),
        };
        let long = "x".repeat(MAX_LINE_BYTES * 3);
        let input = format!("{{\"text\": \"ya\"}}\n{long}\n{{\"text\": \"no\"}}\n");
        let mut out = Vec::new();
        run(&args, input.as_bytes(), &mut out).expect("runs");
        let text = String::from_utf8(out).expect("utf-8");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("{\"intent\":\"affirm\",\"date\":null,\"start\":null,\"duration_min\":null,\"resource_hint\":null,\"language\""), "{}", lines[0]);
        assert!(lines[1].contains("error"));
        assert!(lines[2].contains("\"deny\""));
    }

    #[test]
    fn a_bad_zone_or_now_is_refused() {
        let bad_zone = NluArgs {
            now: None,
            tz: "Mars/Olympus".into(),
        };
        assert!(run(&bad_zone, &b""[..], Vec::new()).is_err());
        let bad_now = NluArgs {
            now: Some("yesterday".into()),
            tz: "Asia/Jakarta".into(),
        };
        assert!(run(&bad_now, &b""[..], Vec::new()).is_err());
    }
}
