//! The grounding guardrail: a reply may state a price, a clock time or a
//! booking code only if a tool returned it this turn. A model that invents
//! "Rp 100.000" or "kode ABC123" sounds exactly as sure as one that read
//! it, and a customer acts on it; an ungrounded reply is not sent, the
//! built-in engine answers instead.
//!
//! Values are compared normalised (rupiah as an integer, times as minutes
//! of the day, codes without dashes), so "150rb" is grounded by
//! `{"price_idr": 150000}` and "7pm" by `"2026-12-01T19:00:00+07:00"`.
//! Dates are not checked: they are written too many ways to tell a stated
//! date from a weekday mentioned in passing.

mod scan;
#[cfg(test)]
mod tests;

use std::collections::HashSet;

use serde_json::Value;

use scan::{facts, Claim, Fact, Reading};

/// The first price, time or code in `reply` that none of `tool_results`
/// contains, described for the logs (`price "Rp 200.000" (200000)`);
/// `None` when everything stated is grounded.
///
/// Tool results are searched in every string and number leaf (and object
/// key), amounts and times inside strings included.
pub fn ungrounded(reply: &str, tool_results: &[Value]) -> Option<String> {
    let claims = facts(reply, Reading::Strict);
    if claims.is_empty() {
        return None;
    }
    let mut known = Known::default();
    for value in tool_results {
        known.add(value);
    }
    claims
        .into_iter()
        .find(|claim| !known.grounds(&claim.fact))
        .map(describe)
}

fn describe(claim: Claim) -> String {
    match claim.fact {
        Fact::Amount(amount) => format!("price {:?} ({amount})", claim.raw),
        Fact::Time(minutes) => {
            format!(
                "time {:?} ({:02}:{:02})",
                claim.raw,
                minutes / 60,
                minutes % 60
            )
        }
        Fact::Code(_) => format!("code {:?}", claim.raw),
    }
}

/// Everything the tools returned, normalised.
#[derive(Default)]
struct Known {
    amounts: HashSet<u64>,
    times: HashSet<u16>,
    /// Every string, upper-cased, without dashes and spaces, for codes.
    text: String,
}

impl Known {
    fn add(&mut self, value: &Value) {
        match value {
            Value::Number(number) => {
                if let Some(amount) = number.as_u64() {
                    self.amounts.insert(amount);
                } else if let Some(amount) = number.as_f64().filter(|a| (0.0..1e15).contains(a)) {
                    self.amounts.insert(amount.round() as u64);
                }
            }
            Value::String(text) => self.add_text(text),
            Value::Array(items) => items.iter().for_each(|item| self.add(item)),
            Value::Object(fields) => {
                for (key, item) in fields {
                    self.add_text(key);
                    self.add(item);
                }
            }
            Value::Bool(_) | Value::Null => {}
        }
    }

    fn add_text(&mut self, text: &str) {
        for claim in facts(text, Reading::Generous) {
            match claim.fact {
                Fact::Amount(amount) => self.amounts.insert(amount),
                Fact::Time(minutes) => self.times.insert(minutes),
                Fact::Code(_) => false,
            };
        }
        self.text.extend(
            text.chars()
                .filter(|c| !matches!(c, '-' | ' '))
                .map(|c| c.to_ascii_uppercase()),
        );
        self.text.push('\n');
    }

    fn grounds(&self, fact: &Fact) -> bool {
        match fact {
            Fact::Amount(amount) => self.amounts.contains(amount),
            Fact::Time(minutes) => self.times.contains(minutes),
            Fact::Code(code) => self.text.contains(code.as_str()),
        }
    }
}
