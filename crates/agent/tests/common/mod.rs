//! A venue's toolbox in memory, and an agent pointed at a stand-in.

#![allow(dead_code)] // each test file uses a part

use std::sync::Mutex;
use std::time::Duration;

use agent::standin::Standin;
use agent::{Agent, Limits, LlmSettings, Said, ToolOutcome, ToolSpec, Toolbox, TurnInput};
use serde_json::{json, Value};

/// The price list, one booking rule and a handoff, recording every call.
#[derive(Default)]
pub struct Venue {
    pub calls: Mutex<Vec<(String, Value)>>,
}

impl Venue {
    pub fn calls(&self) -> Vec<(String, Value)> {
        self.calls.lock().expect("calls").clone()
    }
}

impl Toolbox for Venue {
    fn specs(&self) -> Vec<ToolSpec> {
        let object = |properties: Value| json!({"type": "object", "properties": properties});
        vec![
            ToolSpec {
                name: "price",
                description: "The price of a court at a time.",
                parameters: object(json!({"court": {"type": "integer"}})),
            },
            ToolSpec {
                name: "book",
                description: "Books a court; returns the booking code.",
                parameters: object(json!({"start": {"type": "string"}})),
            },
            ToolSpec {
                name: "handoff",
                description: "Hands the conversation to the staff.",
                parameters: object(json!({"reason": {"type": "string"}})),
            },
        ]
    }

    async fn call(&self, name: &str, arguments: Value) -> ToolOutcome {
        self.calls
            .lock()
            .expect("calls")
            .push((name.to_owned(), arguments.clone()));
        match name {
            "price" => ToolOutcome::Done(
                json!({"price_idr": 150000, "price": "Rp 150.000", "start": "19:00"}),
            ),
            "book" => match arguments["start"].as_str() {
                None => ToolOutcome::Invalid("start is required, as HH:MM".into()),
                Some("20:00") => {
                    ToolOutcome::Failed("the slot at 20:00 is taken; 21:00 is free".into())
                }
                Some(start) => ToolOutcome::Done(json!({"code": "K7P2QX", "start": start})),
            },
            "handoff" => {
                ToolOutcome::Handoff(json!({"reason": arguments["reason"], "notify": "staff"}))
            }
            _ => ToolOutcome::Failed("no such tool".into()),
        }
    }
}

pub fn limits() -> Limits {
    Limits {
        deadline: Duration::from_secs(5),
        ..Limits::default()
    }
}

pub fn agent_for(standin: &Standin, limits: Limits) -> Agent {
    Agent::new(
        LlmSettings {
            base_url: standin.base_url(),
            model: "standin-small".into(),
            api_key: None,
        },
        limits,
    )
}

pub fn input(message: &str) -> TurnInput {
    TurnInput {
        venue: "Arena Padel Kemang".into(),
        now_local: "Tuesday 2026-12-01 19:05 (Asia/Jakarta)".into(),
        lang_hint: Some("id".into()),
        instructions: None,
        state_summary: "Nothing being booked.".into(),
        history: vec![
            Said {
                customer: true,
                text: "Halo".into(),
            },
            Said {
                customer: false,
                text: "Halo kak, ada yang bisa dibantu?".into(),
            },
        ],
        message: message.into(),
    }
}

/// The messages of the `n`-th request the stand-in received.
pub fn messages(standin: &Standin, n: usize) -> Vec<Value> {
    agent::standin::messages(&standin.requests()[n]).to_vec()
}

/// The error text a tool message carries, if it is one.
pub fn error_of(content: &str) -> Option<String> {
    let value: Value = serde_json::from_str(content).ok()?;
    value["error"].as_str().map(str::to_owned)
}
