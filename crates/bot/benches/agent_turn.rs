//! The latency an LLM agent adds to a customer's turn, against the
//! stand-in model (a local server answering at once, so what is measured
//! is Pesan's own cost: the prompt, the HTTP round trips, the tools, the
//! metering), as a ratio to the built-in engine's turn measured in the
//! same run on the same venue.
//!
//! `cargo bench -p bot --bench agent_turn`

use agent::standin::{tool_results, Standin, Step};
use agent::{Agent, Limits, LlmSettings};
use booking::BookingService;
use bot::{handle_message_with, Assist, Inbound};
use chrono::{TimeZone, Utc};
use domain::clock::SystemClock;
use domain::PhoneE164;
use std::sync::Arc;
use std::time::{Duration, Instant};
use store::{demo::seed_demo, Channel, Store};

const TURNS: usize = 200;

fn percentile(samples: &mut [f64], p: f64) -> f64 {
    samples.sort_by(|a, b| a.total_cmp(b));
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[index]
}

struct Figures {
    p50: f64,
    p95: f64,
}

async fn turns(store: &Store, tenant: domain::TenantId, assist: &Assist, label: &str) -> Figures {
    let bookings = BookingService::new(store.clone(), Arc::new(SystemClock));
    let now = Utc
        .with_ymd_and_hms(2026, 11, 25, 3, 0, 0)
        .single()
        .expect("valid");
    let mut samples = Vec::with_capacity(TURNS);
    for i in 0..TURNS {
        // A new customer each time: every turn starts a conversation.
        let phone = PhoneE164::parse(&format!("+62812{:08}", 10_000_000 + i)).expect("phone");
        let inbound = Inbound {
            tenant,
            phone,
            text: "is futsal free tomorrow evening?".into(),
            tap: None,
            channel: Channel::Simulator,
            external_id: None,
            answering: None,
            said_at: None,
            now,
        };
        let started = Instant::now();
        let out = handle_message_with(&bookings, assist, inbound)
            .await
            .expect("turn");
        samples.push(started.elapsed().as_secs_f64() * 1000.0);
        assert!(!out.replies.is_empty());
    }
    let figures = Figures {
        p50: percentile(&mut samples, 0.50),
        p95: percentile(&mut samples, 0.95),
    };
    println!(
        "{label}: p50 {:.2} ms, p95 {:.2} ms ({TURNS} turns)",
        figures.p50, figures.p95
    );
    figures
}

async fn venue() -> (Store, domain::TenantId, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::connect(&format!("sqlite:{}", dir.path().join("bench.db").display()))
        .await
        .expect("connect");
    store.migrate().await.expect("migrate");
    let tenant = seed_demo(&store).await.expect("seed").tenant_id;
    (store, tenant, dir)
}

fn agent_at(standin: &Standin) -> Agent {
    Agent::new(
        LlmSettings {
            base_url: standin.base_url(),
            model: "standin".into(),
            api_key: None,
        },
        Limits {
            deadline: Duration::from_secs(10),
            ..Limits::default()
        },
    )
}

#[tokio::main]
async fn main() {
    println!("== an agent turn against the stand-in model, vs the built-in engine (SQLite)");
    let (store, tenant, _dir) = venue().await;
    let engine = turns(&store, tenant, &Assist::default(), "built-in engine turn").await;

    let (store, tenant, _dir2) = venue().await;
    let answer = Standin::start(vec![Step::text("Which time would you like?").forever()]).await;
    let assist = Assist::default().with_agent(agent_at(&answer));
    let direct = turns(&store, tenant, &assist, "agent turn, 1 model call").await;

    let (store, tenant, _dir3) = venue().await;
    let with_tool = Standin::start(vec![Step::respond(|request| {
        if tool_results(request).is_empty() {
            Step::tool(
                "check_availability",
                r#"{"date": "2026-11-26", "resource": "futsal"}"#,
            )
        } else {
            Step::text("Here is what is free tomorrow evening. Which time would you like?")
        }
    })
    .forever()])
    .await;
    let assist = Assist::default().with_agent(agent_at(&with_tool));
    let tooled = turns(
        &store,
        tenant,
        &assist,
        "agent turn, availability tool + 2 model calls",
    )
    .await;
    for (label, f) in [("1 model call", &direct), ("tool + 2 calls", &tooled)] {
        println!(
            "added by the agent ({label}): p50 +{:.2} ms ({:.1}x the engine), p95 +{:.2} ms ({:.1}x)",
            f.p50 - engine.p50,
            f.p50 / engine.p50,
            f.p95 - engine.p95,
            f.p95 / engine.p95
        );
    }
}
