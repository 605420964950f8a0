//! The WhatsApp webhook's figures: a delivery POSTed over HTTP until the
//! message is stored and queued (the answer Meta waits for), against a
//! bare axum handler that checks the same signature and durably inserts
//! the raw body into the same database: latency sequentially, and the
//! sustained rate with 32 concurrent senders. Then the end-to-end rate:
//! stored messages answered by the built-in bot, replies in the outbox.

use super::{percentile, Venue, CLIENTS};
use anyhow::Context;
use axum::body::Bytes;
use axum::extract::State;
use booking::Services;
use domain::clock::Clock;
use pesan_server::whatsapp::WhatsappSettings;
use pesan_server::{app, AppState, HttpOptions};
use std::sync::Arc;
use std::time::Instant;
use store::Store;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const SECRET: &str = "bench-app-secret";
const NUMBER: &str = "1122334455667";
/// Deliveries per phase.
const DELIVERIES: usize = 2000;

/// One text message from one of 500 customers, as Meta delivers it.
fn delivery(i: usize) -> String {
    let customer = 6_281_255_500_000_u64 + (i % 500) as u64;
    format!(
        r#"{{"object":"whatsapp_business_account","entry":[{{"id":"102290129340398","changes":[{{"value":{{"messaging_product":"whatsapp","metadata":{{"display_phone_number":"15550783881","phone_number_id":"{NUMBER}"}},"contacts":[{{"profile":{{"name":"Customer {i}"}},"wa_id":"{customer}"}}],"messages":[{{"from":"{customer}","id":"wamid.BENCH{i:08}","timestamp":"{}","type":"text","text":{{"body":"book futsal tomorrow 7pm"}}}}]}},"field":"messages"}}]}}]}}"#,
        1_795_575_600 + i
    )
}

/// The bare handler: the signature, then one durable insert of the body.
async fn bare(
    State(store): State<Store>,
    headers: http::HeaderMap,
    body: Bytes,
) -> http::StatusCode {
    let signature = headers
        .get("x-hub-signature-256")
        .and_then(|v| v.to_str().ok());
    if !whatsapp::signature::verify(SECRET.as_bytes(), &body, signature) {
        return http::StatusCode::UNAUTHORIZED;
    }
    let text = String::from_utf8_lossy(&body).into_owned();
    match sqlx::query("INSERT INTO bench_webhook_raw (body) VALUES ($1)")
        .bind(text)
        .execute(store.pool())
        .await
    {
        Ok(_) => http::StatusCode::OK,
        Err(_) => http::StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// One POST on a kept-alive connection; the status code.
async fn post(stream: &mut tokio::net::TcpStream, path: &str, body: &str) -> anyhow::Result<u16> {
    let signature = whatsapp::signature::sign(SECRET.as_bytes(), body.as_bytes());
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nX-Hub-Signature-256: {signature}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await?;
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).await?;
        anyhow::ensure!(n > 0, "connection closed");
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buffer[..end]).to_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            while buffer.len() < end + 4 + length {
                let n = stream.read(&mut chunk).await?;
                anyhow::ensure!(n > 0, "connection closed");
                buffer.extend_from_slice(&chunk[..n]);
            }
            let status = head
                .split_whitespace()
                .nth(1)
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            return Ok(status);
        }
    }
}

struct Figures {
    p50: f64,
    p95: f64,
    sequential: f64,
    concurrent: f64,
}

/// Posts `DELIVERIES` one after another (latency, rate), then as many
/// from 32 concurrent connections (rate); `first` numbers the messages.
async fn measure(
    address: std::net::SocketAddr,
    path: &str,
    first: usize,
) -> anyhow::Result<Figures> {
    let mut stream = tokio::net::TcpStream::connect(address).await?;
    let mut samples = Vec::with_capacity(DELIVERIES);
    let started = Instant::now();
    for i in first..first + DELIVERIES {
        let body = delivery(i);
        let began = Instant::now();
        let status = post(&mut stream, path, &body).await?;
        samples.push(began.elapsed().as_secs_f64() * 1000.0);
        anyhow::ensure!(status == 200, "{path} answered {status}");
    }
    let sequential = DELIVERIES as f64 / started.elapsed().as_secs_f64();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for client in 0..CLIENTS {
        let path = path.to_string();
        tasks.push(tokio::spawn(async move {
            let mut stream = tokio::net::TcpStream::connect(address).await?;
            for j in 0..DELIVERIES / CLIENTS {
                let i = first + DELIVERIES + client * (DELIVERIES / CLIENTS) + j;
                let status = post(&mut stream, &path, &delivery(i)).await?;
                anyhow::ensure!(status == 200, "{path} answered {status}");
            }
            Ok::<_, anyhow::Error>(())
        }));
    }
    for task in tasks {
        task.await??;
    }
    let concurrent = ((DELIVERIES / CLIENTS) * CLIENTS) as f64 / started.elapsed().as_secs_f64();
    Ok(Figures {
        p50: percentile(&mut samples, 0.50),
        p95: percentile(&mut samples, 0.95),
        sequential,
        concurrent,
    })
}

/// Where a delivery's time goes, in process (no HTTP): microseconds per
/// delivery for each step alone. Run instead of the figures above with
/// `PESAN_BENCH_PARTS=1`, to see which step a change moved.
async fn parts(store: &Store, services: &Services) -> anyhow::Result<()> {
    const N: usize = 20000;
    let bodies: Vec<String> = (0..N).map(|i| delivery(500_000 + i)).collect();
    let signatures: Vec<String> = bodies
        .iter()
        .map(|b| whatsapp::signature::sign(SECRET.as_bytes(), b.as_bytes()))
        .collect();
    let each = |started: Instant| started.elapsed().as_secs_f64() * 1e6 / N as f64;
    let started = Instant::now();
    for (body, signature) in bodies.iter().zip(&signatures) {
        anyhow::ensure!(whatsapp::signature::verify(
            SECRET.as_bytes(),
            body.as_bytes(),
            Some(signature)
        ));
    }
    println!("  parts: signature {:.1} us", each(started));
    let started = Instant::now();
    for body in &bodies {
        whatsapp::webhook::parse(body.as_bytes())?;
    }
    println!("  parts: parse {:.1} us", each(started));
    let started = Instant::now();
    for body in &bodies {
        let text = body.clone();
        sqlx::query("INSERT INTO bench_webhook_raw (body) VALUES ($1)")
            .bind(text)
            .execute(store.pool())
            .await?;
    }
    println!("  parts: bare insert {:.1} us", each(started));
    let number = store
        .whatsapp_number(NUMBER)
        .await?
        .context("the bench's number")?;
    let now = chrono::DateTime::from_timestamp(1_795_575_600, 0).context("a time")?;
    let started = Instant::now();
    for (i, body) in bodies.iter().enumerate() {
        let message = store::NewInbound {
            external_id: format!("wamid.STORE{i:08}"),
            phone: domain::PhoneE164::parse(&format!("+62812555{:05}", i % 500))?,
            profile_name: Some("Customer".into()),
            sent_at: now,
            kind: "text".into(),
            body: "book futsal tomorrow 7pm".into(),
            payload: body[200..].to_string(),
            queue: true,
            effect: store::InboundEffect::None,
        };
        store
            .record_whatsapp_inbound(&number, &[message], &[], now)
            .await?;
    }
    println!("  parts: store insert {:.1} us", each(started));
    let settings = WhatsappSettings {
        app_secret: Some(pesan_server::config::Secret::new(SECRET)),
        ..WhatsappSettings::default()
    };
    let started = Instant::now();
    for body in &bodies {
        let mut headers = http::HeaderMap::new();
        // A fresh message id: the bodies above are stored by now.
        let body = body.replace("wamid.BENCH", "wamid.PARTS");
        let signature = whatsapp::signature::sign(SECRET.as_bytes(), body.as_bytes());
        headers.insert("x-hub-signature-256", signature.parse()?);
        let response = pesan_server::whatsapp::webhook::receive(
            State(services.clone()),
            axum::Extension(settings.clone()),
            headers,
            axum::extract::Request::new(axum::body::Body::from(body)),
        )
        .await;
        anyhow::ensure!(response.status() == 200);
    }
    println!(
        "  parts: webhook handler (incl. one signing) {:.1} us",
        each(started)
    );
    Ok(())
}

pub async fn webhook(
    store: &Store,
    venue: &Venue,
    clock: domain::clock::FixedClock,
) -> anyhow::Result<()> {
    sqlx::query("CREATE TABLE IF NOT EXISTS bench_webhook_raw (body TEXT NOT NULL)")
        .execute(store.pool())
        .await?;
    store
        .connect_whatsapp_number(
            venue.tenant,
            &store::NewWhatsappNumber {
                phone_number_id: NUMBER.into(),
                waba_id: None,
                display_phone: None,
                token_sealed: "v1:bench".into(),
                token_hint: "…".into(),
            },
            clock.now(),
        )
        .await?;
    let services = Services::new(store.clone(), Arc::new(clock));
    let state = AppState::new(
        services.clone(),
        leptos::config::LeptosOptions::builder()
            .output_name("pesan")
            .build(),
    );
    let router = app(
        state,
        HttpOptions {
            whatsapp: WhatsappSettings {
                app_secret: Some(pesan_server::config::Secret::new(SECRET)),
                ..WhatsappSettings::default()
            },
            ..HttpOptions::default()
        },
    )
    .route(
        "/bench/bare",
        axum::routing::post(bare).with_state(store.clone()),
    );
    if std::env::var("PESAN_BENCH_PARTS").is_ok() {
        return parts(store, &services).await;
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let server =
        tokio::spawn(async move { axum::serve(listener, router.into_make_service()).await });
    // Alternating, so a noisy moment does not fall on one side only.
    let mut bare_runs = Vec::new();
    let mut hook_runs = Vec::new();
    for round in 0..3 {
        bare_runs.push(measure(address, "/bench/bare", round * 2 * DELIVERIES).await?);
        hook_runs.push(
            measure(
                address,
                "/webhooks/whatsapp",
                100_000 + round * 2 * DELIVERIES,
            )
            .await?,
        );
    }
    let best =
        |runs: &[Figures], f: fn(&Figures) -> f64| runs.iter().map(f).fold(f64::NAN, f64::max);
    let low =
        |runs: &[Figures], f: fn(&Figures) -> f64| runs.iter().map(f).fold(f64::NAN, f64::min);
    let (bare_seq, hook_seq) = (
        best(&bare_runs, |f| f.sequential),
        best(&hook_runs, |f| f.sequential),
    );
    let (bare_con, hook_con) = (
        best(&bare_runs, |f| f.concurrent),
        best(&hook_runs, |f| f.concurrent),
    );
    println!(
        "bare handler (signature + durable insert): p50 {:.2} ms, p95 {:.2} ms, {bare_seq:.0}/s sequential, {bare_con:.0}/s with {CLIENTS} clients",
        low(&bare_runs, |f| f.p50),
        low(&bare_runs, |f| f.p95)
    );
    println!(
        "webhook POST -> stored and queued: p50 {:.2} ms, p95 {:.2} ms, {hook_seq:.0}/s sequential = {:.2} x bare, {hook_con:.0}/s with {CLIENTS} clients = {:.2} x bare",
        low(&hook_runs, |f| f.p50),
        low(&hook_runs, |f| f.p95),
        hook_seq / bare_seq,
        hook_con / bare_con
    );
    // End to end: the stored messages answered by the bot.
    let waiting = store.inbound_waiting().await?;
    let started = Instant::now();
    let mut answered = 0;
    while pesan_server::whatsapp::worker::answer_next(&services).await? {
        answered += 1;
        if answered >= 500 {
            break;
        }
    }
    println!(
        "webhook to reply in the outbox (built-in bot, one worker): {:.0} messages/s ({answered} of {waiting} waiting)",
        f64::from(answered) / started.elapsed().as_secs_f64()
    );
    // As the server runs them: several workers side by side.
    let workers = pesan_server::whatsapp::worker::WORKERS;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..workers {
        let services = services.clone();
        tasks.push(tokio::spawn(async move {
            let mut answered = 0u32;
            while answered < 1000 / workers as u32
                && pesan_server::whatsapp::worker::answer_next(&services).await?
            {
                answered += 1;
            }
            Ok::<_, anyhow::Error>(answered)
        }));
    }
    let mut answered = 0;
    for task in tasks {
        answered += task.await??;
    }
    println!(
        "webhook to reply in the outbox (built-in bot, {workers} workers): {:.0} messages/s ({answered} answered)",
        f64::from(answered) / started.elapsed().as_secs_f64()
    );
    server.abort();
    Ok(())
}
