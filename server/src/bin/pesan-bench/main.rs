//! `pesan-bench`: the booking engine's figures on a busy tenant.
//!
//! Seeds 1 outlet, 20 courts and 50,000+ bookings over a year, then measures
//! in one run: availability of all 20 courts over 7 days (in process and
//! over HTTP through the real app; warm, as a repeated search finds the
//! search cache, and cold, as the first search after a write does), and booking creation throughput through
//! the booking service (rules, price rules, customer upsert, code, history:
//! what every API or bot booking does), sequential and with 32 concurrent
//! clients, as a ratio to the raw rate of single-row transactional inserts
//! into the same database — the physical limit. SQLite always; PostgreSQL too when `PESAN_BENCH_POSTGRES_URL`
//! names a server (a fresh database is created on it).
//!
//! Last, the WhatsApp webhook against a bare handler (see `webhook`).
//! The knowledge base's figures come first, on their own stores (see
//! `knowledge`; `PESAN_BENCH_ONLY=knowledge`).
//!
//! `cargo run --release -p server --bin pesan-bench`

mod knowledge;
mod nlu;
mod webhook;

use anyhow::Context;
use booking::{BookRequest, BookingService, Caller, CustomerRef, Services};
use chrono::{Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use domain::availability::Policy;
use domain::clock::{Clock, FixedClock};
use domain::opening_hours::local_to_utc;
use domain::{
    Actor, LocalInterval, Money, OutletId, PhoneE164, ResourceId, ResourceKind, TenantId,
    TimeRange, WeeklyHours,
};
use pesan_server::{app, AppState, HttpOptions};
use std::sync::Arc;
use std::time::Instant;
use store::{BookingSource, BookingWindow, NewResource, Store};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const RESOURCES: usize = 20;
const DAYS: i64 = 365;
const PER_DAY: [u32; 7] = [8, 10, 12, 14, 16, 18, 20];
const QUERIES: usize = 200;
const CREATES: usize = 2000;
const CLIENTS: usize = 32;

fn percentile(samples: &mut [f64], p: f64) -> f64 {
    samples.sort_by(|a, b| a.total_cmp(b));
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[index]
}

fn report(label: &str, samples: &mut [f64]) {
    println!(
        "{label}: p50 {:.2} ms, p95 {:.2} ms ({} runs)",
        percentile(samples, 0.50),
        percentile(samples, 0.95),
        samples.len()
    );
}

struct Venue {
    tenant: TenantId,
    outlet: i64,
}

async fn seed(store: &Store, start: NaiveDate) -> anyhow::Result<Venue> {
    let tenant = store.create_tenant("busy", "Busy Arena").await?;
    let tz = chrono_tz::Asia::Jakarta;
    let outlet = store.create_outlet(tenant.id, "Main", "", tz).await?;
    let courts: Vec<ResourceId> = courts(
        store,
        tenant.id,
        outlet.id,
        "Court",
        ResourceKind::Futsal,
        Money::idr(150_000),
        "07:00-23:00",
    )
    .await?;
    let mut tx = store.pool().begin().await?;
    let mut count = 0;
    for day in 0..DAYS {
        let date = start + Duration::days(day);
        for court in &courts {
            for hour in PER_DAY {
                let begin = local_to_utc(
                    date.and_time(NaiveTime::from_hms_opt(hour, 0, 0).context("time")?),
                    tz,
                );
                sqlx::query(
                    "INSERT INTO bookings (tenant_id, resource_id, starts_at, ends_at, status, price_minor, currency, source, created_at)
                     VALUES ($1, $2, $3, $4, 'confirmed', 150000, 'IDR', 'api', 0)",
                )
                .bind(tenant.id.0)
                .bind(court.0)
                .bind(begin.timestamp())
                .bind((begin + Duration::hours(1)).timestamp())
                .execute(&mut *tx)
                .await?;
                count += 1;
            }
        }
    }
    tx.commit().await?;
    println!("seeded {count} bookings on {RESOURCES} courts over {DAYS} days");
    Ok(Venue {
        tenant: tenant.id,
        outlet: outlet.id.0,
    })
}

async fn availability_in_process(
    store: &Store,
    venue: &Venue,
    first: NaiveDate,
    now: chrono::DateTime<Utc>,
) -> anyhow::Result<()> {
    let resources = store.resources(venue.tenant).await?;
    for cold in [false, true] {
        let mut samples = Vec::new();
        for _ in 0..QUERIES {
            if cold {
                store.forget_searches();
            }
            let started = Instant::now();
            let slots: usize = store
                .free_slots_of(
                    venue.tenant,
                    &resources,
                    first,
                    first + Duration::days(6),
                    60,
                    now,
                )
                .await?
                .iter()
                .map(Vec::len)
                .sum();
            samples.push(started.elapsed().as_secs_f64() * 1000.0);
            anyhow::ensure!(slots > 0, "no free slots found");
        }
        report(
            &format!(
                "availability, 20 courts x 7 days, in process{}",
                phase(cold)
            ),
            &mut samples,
        );
    }
    Ok(())
}

/// How a search found the search cache: warm (searched before, nothing
/// written since: the common case of a repeated search) or cold (a write
/// came in between, so everything is read again).
fn phase(cold: bool) -> &'static str {
    if cold {
        ", cold (after a write)"
    } else {
        ""
    }
}

/// One GET on a kept-alive HTTP/1.1 connection; returns the body.
async fn get(stream: &mut tokio::net::TcpStream, path: &str, key: &str) -> anyhow::Result<String> {
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {key}\r\n\r\n");
    stream.write_all(request.as_bytes()).await?;
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 65536];
    let (header_end, length) = loop {
        let n = stream.read(&mut chunk).await?;
        anyhow::ensure!(n > 0, "connection closed");
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buffer[..end]).to_lowercase();
            anyhow::ensure!(
                head.starts_with("http/1.1 200"),
                "unexpected response: {head}"
            );
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .context("no content-length")?;
            break (end + 4, length);
        }
    };
    buffer.reserve((header_end + length).saturating_sub(buffer.len()));
    while buffer.len() < header_end + length {
        let n = stream.read(&mut chunk).await?;
        anyhow::ensure!(n > 0, "connection closed");
        buffer.extend_from_slice(&chunk[..n]);
    }
    buffer.truncate(header_end + length);
    Ok(String::from_utf8(buffer.split_off(header_end))?)
}

async fn availability_over_http(
    store: &Store,
    venue: &Venue,
    first: NaiveDate,
    clock: FixedClock,
) -> anyhow::Result<()> {
    let (_, key) = store
        .create_api_key(
            venue.tenant,
            "bench",
            domain::availability::Policy::Customer,
            clock.now(),
        )
        .await?;
    let options = leptos::config::LeptosOptions::builder()
        .output_name("pesan")
        .build();
    let state = AppState::new(Services::new(store.clone(), Arc::new(clock)), options);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    // The bench measures latency, not the per-key limit.
    let options = HttpOptions {
        api_limit: pesan_server::api::limits::RateLimit {
            per_second: 1e9,
            burst: 1e9,
        },
        ..HttpOptions::default()
    };
    let router = app(state, options);
    let server =
        tokio::spawn(async move { axum::serve(listener, router.into_make_service()).await });
    let mut stream = tokio::net::TcpStream::connect(address).await?;
    let path = format!(
        "/api/v1/availability?resource_type=futsal&outlet_id={}&from={first}&to={}&minutes=60",
        venue.outlet,
        first + Duration::days(6)
    );
    for cold in [false, true] {
        let mut samples = Vec::new();
        for _ in 0..QUERIES {
            if cold {
                store.forget_searches();
            }
            let started = Instant::now();
            let body = get(&mut stream, &path, &key).await?;
            samples.push(started.elapsed().as_secs_f64() * 1000.0);
            anyhow::ensure!(body.contains("\"slots\""), "unexpected body");
        }
        report(
            &format!("availability, 20 courts x 7 days, over HTTP{}", phase(cold)),
            &mut samples,
        );
    }
    server.abort();
    Ok(())
}

/// Courts open around the clock and bookable two years ahead, so creation
/// is measured on free slots through every rule, not refused early.
async fn creation_courts(store: &Store, venue: &Venue) -> anyhow::Result<Vec<ResourceId>> {
    let courts = courts(
        store,
        venue.tenant,
        OutletId(venue.outlet),
        "Creation court",
        ResourceKind::Badminton,
        Money::idr(80_000),
        "00:00-24:00",
    )
    .await?;
    for court in &courts {
        store
            .set_booking_window(
                venue.tenant,
                *court,
                BookingWindow {
                    horizon_days: Some(730),
                    ..BookingWindow::default()
                },
            )
            .await?;
    }
    Ok(courts)
}

/// [`RESOURCES`] courts named `name 1`, `name 2`… open `hours` every day.
async fn courts(
    store: &Store,
    tenant: TenantId,
    outlet: OutletId,
    name: &str,
    kind: ResourceKind,
    rate: Money,
    hours: &str,
) -> anyhow::Result<Vec<ResourceId>> {
    let mut courts = Vec::new();
    for i in 0..RESOURCES {
        let resource = store
            .create_resource(
                tenant,
                NewResource {
                    outlet_id: outlet,
                    name: format!("{name} {}", i + 1),
                    kind: kind.clone(),
                    capacity: 4,
                    slot_minutes: 60,
                    min_minutes: 60,
                    max_minutes: 180,
                    hourly_rate: rate,
                    hours: WeeklyHours::every_day(vec![LocalInterval::parse(hours)?]),
                },
            )
            .await?;
        courts.push(resource.id);
    }
    Ok(courts)
}

/// One booking as an integrator makes it: a customer by phone, checked
/// against the rules, priced, written with its code and history.
fn request(court: ResourceId, i: usize, base: chrono::DateTime<Utc>) -> BookRequest {
    // Distinct, non-overlapping hours.
    let start = base + Duration::hours(i64::try_from(i).unwrap_or(0));
    let phone = PhoneE164::parse(&format!("+62812555{:05}", i % 500)).expect("a valid phone");
    BookRequest {
        resources: vec![court],
        range: TimeRange::new(start, start + Duration::hours(1)).expect("an hour after its start"),
        customer: Some(CustomerRef::Phone { phone, name: None }),
        hold_minutes: None,
    }
}

fn bench_caller(tenant: TenantId) -> Caller {
    Caller {
        tenant,
        policy: Policy::Customer,
        actor: Actor::System,
        source: BookingSource::Api,
    }
}

/// The rate of single-row transactional inserts into `bench_raw`, ids
/// from `first` on.
async fn raw_rate(store: &Store, first: usize) -> anyhow::Result<f64> {
    let started = Instant::now();
    for i in first..first + CREATES {
        let mut tx = match store.backend() {
            store::Backend::Sqlite => store.pool().begin_with("BEGIN IMMEDIATE").await?,
            store::Backend::Postgres => store.pool().begin().await?,
        };
        sqlx::query("INSERT INTO bench_raw (id, v) VALUES ($1, $2)")
            .bind(i64::try_from(i)?)
            .bind(1_i64)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    Ok(CREATES as f64 / started.elapsed().as_secs_f64())
}

async fn creation(store: &Store, venue: &Venue, now: chrono::DateTime<Utc>) -> anyhow::Result<()> {
    sqlx::query("CREATE TABLE IF NOT EXISTS bench_raw (id BIGINT PRIMARY KEY, v BIGINT NOT NULL)")
        .execute(store.pool())
        .await?;
    // The median of three short runs: one run of the baseline moved by a
    // fifth between runs on a busy machine, and every ratio with it.
    let mut raws = Vec::new();
    for run in 0..3 {
        raws.push(raw_rate(store, run * CREATES).await?);
    }
    let raw = percentile(&mut raws, 0.5);
    println!(
        "raw single-row transactional inserts: {raw:.0}/s (the physical limit; median of {:.0}, {:.0}, {:.0})",
        raws[0], raws[1], raws[2]
    );

    let courts = creation_courts(store, venue).await?;
    let service = BookingService::new(store.clone(), Arc::new(FixedClock::at(now)));
    let caller = bench_caller(venue.tenant);
    let base = Utc
        .with_ymd_and_hms(2027, 1, 1, 0, 0, 0)
        .single()
        .context("date")?;
    let started = Instant::now();
    for i in 0..CREATES {
        let court = courts[i % RESOURCES];
        service
            .book(&caller, request(court, i / RESOURCES, base), None)
            .await?;
    }
    let sequential = CREATES as f64 / started.elapsed().as_secs_f64();
    println!(
        "booking creation, sequential: {sequential:.0}/s = {:.2} x raw",
        sequential / raw
    );

    let base = base + Duration::days(60);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for client in 0..CLIENTS {
        let service = service.clone();
        let caller = caller.clone();
        let courts = courts.clone();
        tasks.push(tokio::spawn(async move {
            for j in 0..CREATES / CLIENTS {
                let i = client * (CREATES / CLIENTS) + j;
                service
                    .book(
                        &caller,
                        request(courts[i % RESOURCES], i / RESOURCES, base),
                        None,
                    )
                    .await?;
            }
            Ok::<_, booking::BookingError>(())
        }));
    }
    for task in tasks {
        task.await??;
    }
    let made = (CREATES / CLIENTS) * CLIENTS;
    let concurrent = made as f64 / started.elapsed().as_secs_f64();
    println!(
        "booking creation, {CLIENTS} concurrent clients: {concurrent:.0}/s = {:.2} x raw",
        concurrent / raw
    );
    Ok(())
}

async fn run(label: &str, url: &str) -> anyhow::Result<()> {
    println!("== {label}");
    let store = Store::connect(url).await?;
    store.migrate().await?;
    let first = NaiveDate::from_ymd_opt(2026, 12, 1).context("date")?;
    let venue = seed(&store, first).await?;
    let now = Utc
        .with_ymd_and_hms(2026, 11, 25, 3, 0, 0)
        .single()
        .context("date")?;
    let query_day = first + Duration::days(30); // inside the 90-day booking horizon
                                                // `PESAN_BENCH_ONLY=webhook` (or availability, creation, nlu) runs one part,
                                                // for profiling it alone.
    let only = std::env::var("PESAN_BENCH_ONLY").unwrap_or_default();
    let part = |name: &str| only.is_empty() || only == name;
    if part("availability") {
        availability_in_process(&store, &venue, query_day, now).await?;
        availability_over_http(&store, &venue, query_day, FixedClock::at(now)).await?;
    }
    if part("creation") {
        creation(&store, &venue, now).await?;
    }
    if part("webhook") {
        webhook::webhook(&store, &venue, FixedClock::at(now)).await?;
    }
    store.close().await;
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // The engine needs no database: measured first, alone with `nlu`.
    let only = std::env::var("PESAN_BENCH_ONLY").unwrap_or_default();
    if only.is_empty() || only == "nlu" {
        nlu::nlu();
        if only == "nlu" {
            return Ok(());
        }
    }
    if only.is_empty() || only == "knowledge" {
        knowledge::knowledge().await?;
        if only == "knowledge" {
            return Ok(());
        }
    }
    let dir = tempfile::tempdir()?;
    run(
        "SQLite",
        &format!("sqlite:{}", dir.path().join("bench.db").display()),
    )
    .await?;
    if let Ok(admin) = std::env::var("PESAN_BENCH_POSTGRES_URL") {
        let name = format!("pesan_bench_{}", std::process::id());
        let admin_store = Store::connect(&admin).await?;
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(admin_store.pool())
            .await?;
        admin_store.close().await;
        let base = admin
            .rsplit_once('/')
            .map(|(b, _)| b)
            .context("a URL with a database name")?;
        let measured = run("PostgreSQL", &format!("{base}/{name}")).await;
        // The bench's database goes with it (a run leaves about 50 MB).
        let admin_store = Store::connect(&admin).await?;
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
            .execute(admin_store.pool())
            .await?;
        admin_store.close().await;
        measured?;
    } else {
        println!("(set PESAN_BENCH_POSTGRES_URL to measure PostgreSQL too)");
    }
    Ok(())
}
