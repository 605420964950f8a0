//! Turns the model cannot be trusted with: each falls back with a reason,
//! quickly, and says what it cost.
#![cfg(feature = "standin")]

mod common;

use std::time::Duration;

use agent::standin::{Standin, Step};
use agent::{Agent, CallKind, FallbackReason, Limits, LlmSettings, Outcome};
use common::{agent_for, input, limits, Venue};

fn fell_back(outcome: &Outcome) -> &FallbackReason {
    match outcome {
        Outcome::Fallback(reason) => reason,
        other => panic!("expected a fallback, got {other:?}"),
    }
}

#[tokio::test]
async fn a_model_that_keeps_calling_tools_falls_back_after_max_rounds() {
    let standin = Standin::start(vec![Step::tool("price", r#"{"court":1}"#).forever()]).await;
    let venue = Venue::default();
    let limits = Limits {
        max_rounds: 3,
        ..limits()
    };
    let report = agent_for(&standin, limits)
        .run(&input("harga?"), &venue)
        .await;

    assert_eq!(
        report.outcome,
        Outcome::Fallback(FallbackReason::TooManyRounds)
    );
    assert_eq!(report.usage.model_calls, 3);
    assert_eq!(standin.requests().len(), 3);
    assert_eq!(
        venue.calls().len(),
        2,
        "the last round's calls do not run: no model call would read them"
    );
    let kinds: Vec<CallKind> = report.calls.iter().map(|c| c.kind).collect();
    assert_eq!(kinds, [CallKind::Done, CallKind::Done, CallKind::Skipped]);
    assert_eq!(fell_back(&report.outcome).code(), "too_many_rounds");
}

#[tokio::test]
async fn a_slow_model_falls_back_at_the_deadline() {
    let standin =
        Standin::start(vec![Step::text("Halo kak").delayed(Duration::from_secs(5))]).await;
    let limits = Limits {
        deadline: Duration::from_millis(300),
        ..limits()
    };
    let report = agent_for(&standin, limits)
        .run(&input("halo"), &Venue::default())
        .await;

    assert_eq!(report.outcome, Outcome::Fallback(FallbackReason::Deadline));
    assert_eq!(
        report.usage.model_calls, 1,
        "the request reached the server"
    );
    assert_eq!(fell_back(&report.outcome).code(), "deadline");
}

#[tokio::test]
async fn the_deadline_covers_tool_rounds_too() {
    let standin = Standin::start(vec![
        Step::tool("price", "{}"),
        Step::text("Rp 150.000").delayed(Duration::from_secs(5)),
    ])
    .await;
    let limits = Limits {
        deadline: Duration::from_millis(300),
        ..limits()
    };
    let report = agent_for(&standin, limits)
        .run(&input("harga?"), &Venue::default())
        .await;

    assert_eq!(report.outcome, Outcome::Fallback(FallbackReason::Deadline));
    assert_eq!(
        report.calls.len(),
        1,
        "a call made before the deadline is reported"
    );
    assert_eq!(report.usage.model_calls, 2);
    assert_eq!(report.usage.tokens_in, agent::standin::PROMPT_TOKENS);
}

#[tokio::test]
async fn a_server_error_falls_back_without_retrying() {
    let standin = Standin::start(vec![
        Step::Status(500, "upstream exploded".into()),
        Step::text("a retry would get this"),
    ])
    .await;
    let report = agent_for(&standin, limits())
        .run(&input("halo"), &Venue::default())
        .await;

    assert_eq!(
        report.outcome,
        Outcome::Fallback(FallbackReason::Endpoint(
            "HTTP 500: upstream exploded".into()
        ))
    );
    assert_eq!(standin.requests().len(), 1);
    assert_eq!(report.usage.model_calls, 1);
}

#[tokio::test]
async fn a_rate_limit_falls_back_without_retrying() {
    let body = r#"{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}"#;
    let standin = Standin::start(vec![
        Step::Status(429, body.into()),
        Step::text("a retry would get this"),
    ])
    .await;
    let report = agent_for(&standin, limits())
        .run(&input("halo"), &Venue::default())
        .await;

    assert_eq!(
        report.outcome,
        Outcome::Fallback(FallbackReason::Endpoint(
            "HTTP 429: Rate limit reached".into()
        ))
    );
    assert_eq!(standin.requests().len(), 1);
}

#[tokio::test]
async fn a_client_error_with_an_html_body_is_the_endpoint_not_malformed() {
    let standin = Standin::start(vec![Step::Status(
        404,
        "<html><body>Not Found</body></html>".into(),
    )])
    .await;
    let report = agent_for(&standin, limits())
        .run(&input("halo"), &Venue::default())
        .await;

    let reason = fell_back(&report.outcome);
    assert_eq!(reason.code(), "endpoint");
    assert!(reason.to_string().contains("HTTP 404"), "{reason}");
}

#[tokio::test]
async fn a_body_that_is_not_a_completion_is_malformed() {
    let standin = Standin::start(vec![Step::Raw("<html>gateway says hi".into())]).await;
    let report = agent_for(&standin, limits())
        .run(&input("halo"), &Venue::default())
        .await;
    assert_eq!(fell_back(&report.outcome).code(), "malformed");
    assert_eq!(report.usage.model_calls, 1);

    let standin = Standin::start(vec![Step::Raw(r#"{"choices":[{"message":"hi"}]}"#.into())]).await;
    let report = agent_for(&standin, limits())
        .run(&input("halo"), &Venue::default())
        .await;
    assert_eq!(fell_back(&report.outcome).code(), "malformed");

    let standin = Standin::start(vec![Step::Raw(r#"{"id":"x","choices":[]}"#.into())]).await;
    let report = agent_for(&standin, limits())
        .run(&input("halo"), &Venue::default())
        .await;
    assert_eq!(
        report.outcome,
        Outcome::Fallback(FallbackReason::Malformed("no choices".into()))
    );
}

#[tokio::test]
async fn a_price_no_tool_returned_is_not_sent() {
    let standin = Standin::start(vec![
        Step::tool("price", r#"{"court":1}"#),
        Step::text("Harganya Rp 200.000 per jam kak"),
    ])
    .await;
    let report = agent_for(&standin, limits())
        .run(&input("harga?"), &Venue::default())
        .await;

    assert_eq!(
        report.outcome,
        Outcome::Fallback(FallbackReason::Ungrounded(
            r#"price "Rp 200.000" (200000)"#.into()
        ))
    );
    assert_eq!(report.calls.len(), 1, "the price call is still reported");
}

#[tokio::test]
async fn a_price_stated_without_asking_a_tool_is_not_sent() {
    let standin = Standin::start(vec![Step::text("Court kosong jam 7pm, harganya 150rb")]).await;
    let report = agent_for(&standin, limits())
        .run(&input("harga?"), &Venue::default())
        .await;
    assert_eq!(fell_back(&report.outcome).code(), "ungrounded");
}

#[tokio::test]
async fn a_reply_without_text_falls_back() {
    let standin = Standin::start(vec![Step::text("  \n ")]).await;
    let report = agent_for(&standin, limits())
        .run(&input("halo"), &Venue::default())
        .await;
    assert_eq!(report.outcome, Outcome::Fallback(FallbackReason::Empty));
}

#[tokio::test]
async fn a_refused_connection_falls_back_and_costs_no_model_call() {
    let settings = LlmSettings {
        base_url: Standin::unreachable_base_url().await,
        model: "m".into(),
        api_key: Some("sk-test".into()),
    };
    let report = Agent::new(settings, limits())
        .run(&input("halo"), &Venue::default())
        .await;

    let reason = fell_back(&report.outcome);
    assert!(
        reason.to_string().starts_with("endpoint: cannot connect"),
        "{reason}"
    );
    assert_eq!(report.usage.model_calls, 0);
}

#[tokio::test]
async fn a_script_that_ran_out_answers_500() {
    let standin = Standin::start(vec![]).await;
    let report = agent_for(&standin, limits())
        .run(&input("halo"), &Venue::default())
        .await;
    let reason = fell_back(&report.outcome).to_string();
    assert!(
        reason.contains("HTTP 500") && reason.contains("script ran out"),
        "{reason}"
    );
}
