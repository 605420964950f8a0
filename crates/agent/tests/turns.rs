//! Turns that end with an answer or a handoff: the model's tool calls run
//! through the toolbox, and every call id is answered in order.
#![cfg(feature = "standin")]

mod common;

use agent::standin::{tool_results, Standin, Step};
use agent::{CallKind, Limits, Outcome, Toolbox, MAX_CALLS_PER_ROUND};
use common::{agent_for, error_of, input, limits, messages, Venue};
use serde_json::json;

fn answered(outcome: &Outcome) -> &str {
    match outcome {
        Outcome::Answered { reply } => reply,
        other => panic!("expected an answer, got {other:?}"),
    }
}

#[tokio::test]
async fn a_greeting_is_answered_with_the_models_text() {
    let standin = Standin::start(vec![Step::text("  Halo kak! Mau main kapan? 🎾\n")]).await;
    let venue = Venue::default();
    let report = agent_for(&standin, limits())
        .run(&input("halo"), &venue)
        .await;

    assert_eq!(answered(&report.outcome), "Halo kak! Mau main kapan? 🎾");
    assert_eq!(report.usage.model_calls, 1);
    assert!(report.calls.is_empty() && venue.calls().is_empty());
    let request = &standin.requests()[0];
    assert_eq!(request["model"], "standin-small");
    assert_eq!(request["tool_choice"], "auto");
    let tools: Vec<&str> = request["tools"]
        .as_array()
        .expect("tools")
        .iter()
        .map(|t| t["function"]["name"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(tools, ["price", "book", "handoff"]);
    assert_eq!(request["tools"][0]["type"], "function");
    assert_eq!(
        request["tools"][0]["function"]["parameters"]["type"],
        "object"
    );
}

#[tokio::test]
async fn a_price_question_runs_the_tool_and_the_answer_quotes_it() {
    let standin = Standin::start(vec![
        Step::tool("price", r#"{"court": 2}"#),
        // The model reads the tool message it was sent.
        Step::respond(|request| {
            let (_, content) = tool_results(request).pop().unwrap_or_default();
            let result: serde_json::Value = serde_json::from_str(&content).unwrap_or_default();
            Step::text(format!(
                "Court 2 jam {}: {} per jam",
                result["start"].as_str().unwrap_or("?"),
                result["price"].as_str().unwrap_or("?")
            ))
        }),
    ])
    .await;
    let venue = Venue::default();
    let report = agent_for(&standin, limits())
        .run(&input("berapa harga court 2 jam 7 malam?"), &venue)
        .await;

    assert_eq!(
        answered(&report.outcome),
        "Court 2 jam 19:00: Rp 150.000 per jam"
    );
    assert_eq!(venue.calls(), [("price".to_owned(), json!({"court": 2}))]);
    assert_eq!(report.calls.len(), 1);
    assert_eq!(
        (report.calls[0].kind, report.calls[0].ok),
        (CallKind::Done, true)
    );
    assert_eq!(report.calls[0].arguments, r#"{"court": 2}"#);

    let second = messages(&standin, 1);
    let roles: Vec<&str> = second
        .iter()
        .map(|m| m["role"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        roles,
        ["system", "user", "assistant", "user", "assistant", "tool"]
    );
    let asked = &second[4]["tool_calls"][0];
    assert_eq!(asked["id"], "call_1_0");
    assert_eq!(asked["type"], "function");
    assert_eq!(asked["function"]["arguments"], r#"{"court": 2}"#);
    assert_eq!(second[5]["tool_call_id"], "call_1_0");
    let result: serde_json::Value =
        serde_json::from_str(second[5]["content"].as_str().unwrap_or("")).expect("JSON");
    assert_eq!(result["price_idr"], 150000);
}

#[tokio::test]
async fn two_calls_in_one_round_are_answered_in_order() {
    let standin = Standin::start(vec![
        Step::ToolCalls(vec![
            ("price".into(), r#"{"court":1}"#.into()),
            ("book".into(), r#"{"start":"19:00"}"#.into()),
        ]),
        Step::text("Sudah dibooking jam 19:00, kodenya K7P2QX. Harganya Rp 150.000."),
    ])
    .await;
    let venue = Venue::default();
    let report = agent_for(&standin, limits())
        .run(&input("book court 1 jam 7 malam"), &venue)
        .await;

    assert_eq!(
        answered(&report.outcome),
        "Sudah dibooking jam 19:00, kodenya K7P2QX. Harganya Rp 150.000."
    );
    let answers = tool_results(&standin.requests()[1]);
    let ids: Vec<&str> = answers.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["call_1_0", "call_1_1"]);
    assert!(answers[1].1.contains("K7P2QX"));
    let names: Vec<String> = venue.calls().into_iter().map(|(name, _)| name).collect();
    assert_eq!(names, ["price", "book"]);
}

#[tokio::test]
async fn malformed_arguments_go_back_as_an_error_without_reaching_the_toolbox() {
    let standin = Standin::start(vec![
        Step::ToolCalls(vec![
            ("price".into(), "{court: 2".into()),
            ("price".into(), "[2]".into()),
        ]),
        Step::tool("price", r#"{"court":2}"#),
        Step::text("Rp 150.000 per jam ya kak"),
    ])
    .await;
    let venue = Venue::default();
    let report = agent_for(&standin, limits())
        .run(&input("harga?"), &venue)
        .await;

    assert_eq!(answered(&report.outcome), "Rp 150.000 per jam ya kak");
    let answers = tool_results(&standin.requests()[1]);
    assert_eq!(answers.len(), 2);
    assert!(error_of(&answers[0].1)
        .expect("an error")
        .contains("not valid JSON"));
    assert!(error_of(&answers[1].1)
        .expect("an error")
        .contains("JSON object"));
    assert_eq!(venue.calls().len(), 1, "only the well-formed call ran");
    let kinds: Vec<CallKind> = report.calls.iter().map(|c| c.kind).collect();
    assert_eq!(
        kinds,
        [
            CallKind::BadArguments,
            CallKind::BadArguments,
            CallKind::Done
        ]
    );
}

#[tokio::test]
async fn an_unknown_tool_goes_back_as_an_error_naming_the_tools() {
    let standin = Standin::start(vec![
        Step::tool("delete_all_bookings", "{}"),
        Step::text("Maaf kak, saya tidak bisa melakukan itu."),
    ])
    .await;
    let venue = Venue::default();
    let report = agent_for(&standin, limits())
        .run(&input("hapus semua booking"), &venue)
        .await;

    assert_eq!(
        answered(&report.outcome),
        "Maaf kak, saya tidak bisa melakukan itu."
    );
    let error = error_of(&tool_results(&standin.requests()[1])[0].1).expect("an error");
    assert!(
        error.contains("unknown tool") && error.contains("price, book, handoff"),
        "{error}"
    );
    assert_eq!(
        (report.calls[0].kind, report.calls[0].ok),
        (CallKind::UnknownTool, false)
    );
    assert!(venue.calls().is_empty());
}

#[tokio::test]
async fn invalid_and_failed_outcomes_go_back_and_a_failure_may_be_quoted() {
    let standin = Standin::start(vec![
        Step::tool("book", "{}"),
        Step::tool("book", r#"{"start":"20:00"}"#),
        Step::text("Jam 20.00 sudah terisi kak, jam 21.00 masih kosong. Mau yang itu?"),
    ])
    .await;
    let venue = Venue::default();
    let report = agent_for(&standin, limits())
        .run(&input("book jam 8 malam"), &venue)
        .await;

    assert_eq!(
        answered(&report.outcome),
        "Jam 20.00 sudah terisi kak, jam 21.00 masih kosong. Mau yang itu?"
    );
    let first = tool_results(&standin.requests()[1]);
    assert_eq!(
        error_of(&first[0].1).as_deref(),
        Some("start is required, as HH:MM")
    );
    let second = tool_results(&standin.requests()[2]);
    assert_eq!(
        error_of(&second[1].1).as_deref(),
        Some("the slot at 20:00 is taken; 21:00 is free")
    );
    let kinds: Vec<CallKind> = report.calls.iter().map(|c| c.kind).collect();
    assert_eq!(kinds, [CallKind::Invalid, CallKind::Failed]);
    assert_eq!(report.usage.model_calls, 3);
}

#[tokio::test]
async fn a_handoff_ends_the_turn_for_the_caller_to_answer() {
    let standin = Standin::start(vec![
        Step::ToolCalls(vec![
            ("handoff".into(), r#"{"reason":"wants the owner"}"#.into()),
            ("price".into(), "{}".into()),
        ]),
        Step::text("never asked for"),
    ])
    .await;
    let venue = Venue::default();
    let report = agent_for(&standin, limits())
        .run(&input("saya mau bicara dengan pemilik"), &venue)
        .await;

    assert_eq!(
        report.outcome,
        Outcome::HandedOff(json!({"reason": "wants the owner", "notify": "staff"}))
    );
    assert_eq!(report.usage.model_calls, 1);
    assert_eq!(
        venue.calls().len(),
        1,
        "the calls after the handoff do not run"
    );
    assert_eq!(
        (report.calls[0].kind, report.calls[0].ok),
        (CallKind::Handoff, true)
    );
    assert_eq!(standin.steps_left(), 1);
}

#[tokio::test]
async fn only_a_few_calls_run_per_round() {
    let many: Vec<(String, String)> = (0..7)
        .map(|court| ("price".into(), format!(r#"{{"court":{court}}}"#)))
        .collect();
    let standin = Standin::start(vec![
        Step::ToolCalls(many),
        Step::text("Semua court Rp 150.000 per jam."),
    ])
    .await;
    let venue = Venue::default();
    let report = agent_for(&standin, limits())
        .run(&input("harga semua court?"), &venue)
        .await;

    assert_eq!(answered(&report.outcome), "Semua court Rp 150.000 per jam.");
    assert_eq!(venue.calls().len(), MAX_CALLS_PER_ROUND);
    let answers = tool_results(&standin.requests()[1]);
    assert_eq!(answers.len(), 7, "every call id is answered");
    assert!(error_of(&answers[6].1)
        .expect("an error")
        .contains("too many tool calls at once"));
    assert_eq!(report.calls[5].kind, CallKind::Skipped);
}

/// A toolbox with one tool whose result is long.
struct Chatty;

impl Toolbox for Chatty {
    fn specs(&self) -> Vec<agent::ToolSpec> {
        vec![agent::ToolSpec {
            name: "rules",
            description: "House rules.",
            parameters: json!({"type": "object"}),
        }]
    }

    async fn call(&self, _name: &str, _arguments: serde_json::Value) -> agent::ToolOutcome {
        agent::ToolOutcome::Done(json!({"text": "Bawa sepatu olahraga. ".repeat(500)}))
    }
}

#[tokio::test]
async fn long_tool_results_and_long_replies_are_cut() {
    let standin = Standin::start(vec![
        Step::tool("rules", ""),
        Step::text("Bawa sepatu ya kak. ".repeat(200)),
    ])
    .await;
    let limits = Limits {
        max_tool_result_chars: 300,
        max_reply_chars: 100,
        ..limits()
    };
    let report = agent_for(&standin, limits)
        .run(&input("aturannya apa?"), &Chatty)
        .await;

    let reply = answered(&report.outcome);
    assert_eq!(reply.chars().count(), 100);
    assert!(reply.ends_with('…'));
    let content = &tool_results(&standin.requests()[1])[0].1;
    assert_eq!(content.chars().count(), 300);
    assert!(content.starts_with(r#"{"text":"Bawa sepatu"#));
    assert_eq!(
        report.calls[0].arguments, "",
        "an empty arguments string means no arguments"
    );
}

#[test]
fn a_turn_can_run_on_a_spawned_task() {
    fn spawnable<F: std::future::Future + Send + 'static>(_: F) {}
    let agent = agent::Agent::new(
        agent::LlmSettings {
            base_url: "http://127.0.0.1:9/v1".into(),
            model: "m".into(),
            api_key: None,
        },
        Limits::default(),
    );
    spawnable(async move { agent.run(&input("halo"), &Venue::default()).await });
}
