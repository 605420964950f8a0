//! The knowledge base on both databases, full text only: uploads and FAQ
//! entries are indexed by the job, found with citations, kept apart per
//! tenant and outlet, deleted with their passages; bad files fail alone;
//! limits hold; a lapsed or superseded indexing pass cannot overwrite.

mod common;

use common::{index_all, knowledge, now, tenant};
use knowledge::index::Indexed;
use knowledge::search::Method;
use knowledge::{Knowledge, KnowledgeError, Limits};
use store::{DocumentState, Store};

const RULES: &str = "# House rules\n\n## Parking\nParking is free for guests. Motorbikes park \
at the back gate; cars in the basement.\n\n## Shoes\nNon-marking soles only on the badminton \
courts. No studs on the futsal turf.\n";
const ATURAN: &str = "# Peraturan\n\n## Pembayaran\nPembayaran bisa lewat QRIS, transfer BCA \
atau tunai di kasir. DP 50% untuk booking turnamen.\n\n## Mushola\nMushola ada di lantai 2, \
dekat kamar mandi.\n";

async fn upload(
    k: &Knowledge,
    tenant: domain::TenantId,
    name: &str,
    text: &str,
) -> domain::DocumentId {
    k.upload(tenant, None, name, text.as_bytes(), now())
        .await
        .expect("upload")
}

async fn uploads_are_indexed_and_found_with_citations(store: Store) {
    let (tenant, _) = tenant(&store, "alpha").await;
    let k = knowledge(&store, None);
    let rules = upload(&k, tenant, "house-rules.md", RULES).await;
    let aturan = upload(&k, tenant, "peraturan.md", ATURAN).await;
    let faq = k
        .add_faq(
            tenant,
            None,
            "Ada wifi?",
            "Ada, password di meja kasir.",
            now(),
        )
        .await
        .expect("faq");
    let queued = store
        .document(tenant, rules)
        .await
        .expect("read")
        .expect("doc");
    assert_eq!(queued.state, DocumentState::Queued);
    assert_eq!(index_all(&k).await, 3);
    for id in [rules, aturan, faq] {
        let doc = store
            .document(tenant, id)
            .await
            .expect("read")
            .expect("doc");
        assert_eq!(doc.state, DocumentState::Ready, "{doc:?}");
        assert_eq!(doc.progress, 100);
        assert!(doc.chunks >= 1);
        assert_eq!(doc.embed_model, None, "full text only");
    }
    // Inside words: "bayar" finds "Pembayaran".
    let found = k
        .search(tenant, None, "bisa bayar pakai qris?", 5, Method::Hybrid)
        .await
        .expect("search");
    assert!(!found.vectors_used);
    assert!(found.note.is_some(), "says it is full text only");
    let top = &found.passages[0];
    assert!(top.text.contains("QRIS"), "{top:?}");
    assert_eq!(top.heading, "Pembayaran");
    assert_eq!(top.citation.document, aturan);
    assert_eq!(top.citation.document_name, "peraturan.md");
    assert!(top.coverage >= 0.99);
    let answer = k
        .answer(tenant, None, "where do motorbikes park?")
        .await
        .expect("answer")
        .expect("an answer");
    assert_eq!(answer.citation.document, rules);
    assert!(answer.text.contains("Motorbikes"));
    let wifi = k.answer(tenant, None, "wifi ada?").await.expect("answer");
    assert_eq!(wifi.expect("faq found").citation.document, faq);
    // Nothing fits: no answer rather than a wrong one.
    assert!(k
        .answer(tenant, None, "do you have a swimming pool?")
        .await
        .expect("answer")
        .is_none());
}

async fn tenants_and_outlets_are_kept_apart(store: Store) {
    let (a, _) = tenant(&store, "alpha").await;
    let (b, b_main) = tenant(&store, "bravo").await;
    let kemang = store
        .create_outlet(b, "Kemang", "", chrono_tz::Asia::Jakarta)
        .await
        .expect("outlet")
        .id;
    let k = knowledge(&store, None);
    let secret = upload(&k, a, "alpha.md", "The alpha locker code is 4711.").await;
    k.upload(
        b,
        Some(kemang),
        "kemang.md",
        b"Kemang locker code is 1234.",
        now(),
    )
    .await
    .expect("outlet doc");
    index_all(&k).await;
    let found = k
        .search(b, None, "locker code", 5, Method::Hybrid)
        .await
        .expect("search");
    assert!(found.passages.iter().all(|p| !p.text.contains("4711")));
    assert!(found.passages.iter().any(|p| p.text.contains("1234")));
    // Another outlet of the same tenant does not see Kemang's document.
    let found = k
        .search(b, Some(b_main), "locker code", 5, Method::Hybrid)
        .await
        .expect("search");
    assert!(found.passages.is_empty(), "{found:?}");
    // Tenant b cannot read, re-index or delete tenant a's document.
    assert!(store.document(b, secret).await.expect("read").is_none());
    assert!(!k.delete(b, secret).await.expect("delete"));
    assert!(!store
        .reindex_document(b, secret, now())
        .await
        .expect("reindex"));
    assert!(store.document(a, secret).await.expect("read").is_some());
}

async fn deleting_takes_the_passages_and_reindexing_replaces_them(store: Store) {
    let (tenant, _) = tenant(&store, "alpha").await;
    let k = knowledge(&store, None);
    let id = upload(&k, tenant, "rules.md", RULES).await;
    index_all(&k).await;
    let before = store
        .document(tenant, id)
        .await
        .expect("read")
        .expect("doc");
    assert!(store
        .reindex_document(tenant, id, now())
        .await
        .expect("reindex"));
    // The old passages stay searchable until the new ones are in.
    let found = k
        .search(tenant, None, "parking", 3, Method::FullText)
        .await
        .expect("search");
    assert!(!found.passages.is_empty());
    index_all(&k).await;
    let after = store
        .document(tenant, id)
        .await
        .expect("read")
        .expect("doc");
    assert_eq!(after.state, DocumentState::Ready);
    assert_eq!(after.chunks, before.chunks);
    assert_eq!(
        store.document_chunk_ids(id).await.expect("ids").len() as i64,
        after.chunks
    );
    assert!(k.delete(tenant, id).await.expect("delete"));
    assert!(store.document_chunk_ids(id).await.expect("ids").is_empty());
    let found = k
        .search(tenant, None, "parking", 3, Method::FullText)
        .await
        .expect("search");
    assert!(found.passages.is_empty());
    assert!(store.document(tenant, id).await.expect("read").is_none());
}

async fn a_bad_file_fails_alone_with_a_reason(store: Store) {
    let (tenant, _) = tenant(&store, "alpha").await;
    let k = knowledge(&store, None);
    let good = upload(&k, tenant, "rules.md", RULES).await;
    let broken = k
        .upload(
            tenant,
            None,
            "scan.pdf",
            b"%PDF-1.4 this is not really a pdf",
            now(),
        )
        .await
        .expect("stored: the format is checked by the job");
    let blank = upload(&k, tenant, "blank.txt", "   \n\n  ").await;
    index_all(&k).await;
    let doc = store
        .document(tenant, broken)
        .await
        .expect("read")
        .expect("doc");
    assert_eq!(doc.state, DocumentState::Failed);
    let reason = doc.error.expect("a reason");
    assert!(!reason.is_empty() && reason.len() < 300, "{reason}");
    let doc = store
        .document(tenant, blank)
        .await
        .expect("read")
        .expect("doc");
    assert_eq!(doc.state, DocumentState::Failed);
    assert!(doc.error.expect("reason").contains("no text"));
    let doc = store
        .document(tenant, good)
        .await
        .expect("read")
        .expect("doc");
    assert_eq!(doc.state, DocumentState::Ready);
    // Refused at the door: unknown formats, empty and oversized files.
    let refused = k
        .upload(tenant, None, "photo.jpg", &[0xFF, 0xD8, 0xFF, 0xE0], now())
        .await;
    assert!(
        matches!(refused, Err(KnowledgeError::Unsupported(_))),
        "{refused:?}"
    );
    assert!(matches!(
        k.upload(tenant, None, "x.txt", b"", now()).await,
        Err(KnowledgeError::Empty)
    ));
    let small = Knowledge::new(
        store.clone(),
        None,
        knowledge::vectors::Vectors::default(),
        Limits {
            max_file_bytes: 100,
            max_documents: 4,
            ..Limits::default()
        },
    );
    assert!(matches!(
        small
            .upload(tenant, None, "big.txt", &[b'a'; 101], now())
            .await,
        Err(KnowledgeError::TooLarge { .. })
    ));
    // Three documents exist; the fourth fits, the fifth does not.
    small
        .upload(tenant, None, "four.txt", b"four", now())
        .await
        .expect("fourth");
    let full = small.upload(tenant, None, "five.txt", b"five", now()).await;
    assert!(
        matches!(&full, Err(KnowledgeError::Store(store::StoreError::Invalid(m))) if m.contains("full")),
        "{full:?}"
    );
}

async fn a_superseded_pass_cannot_overwrite(store: Store) {
    let (tenant, _) = tenant(&store, "alpha").await;
    let k = knowledge(&store, None);
    let id = upload(&k, tenant, "rules.md", RULES).await;
    // A worker claims it, then stalls; the document is deleted meanwhile.
    let claimed = store
        .claim_document("stalled", now())
        .await
        .expect("claim")
        .expect("queued");
    assert_eq!(claimed.id, id);
    assert!(k.delete(tenant, id).await.expect("delete"));
    let chunk = store::NewChunk {
        locator: "null".into(),
        heading: String::new(),
        text: "ghost".into(),
        embedding: None,
    };
    assert_eq!(
        store
            .replace_chunks(id, "stalled", std::slice::from_ref(&chunk), None)
            .await
            .expect("write"),
        None,
        "the stalled worker's passages are refused"
    );
    assert!(!store
        .finish_document(id, "stalled", 1, None, now())
        .await
        .expect("finish"));
    // A claim that lapsed is taken over, and the first worker's writes no
    // longer count.
    let id = upload(&k, tenant, "again.md", RULES).await;
    let first = store
        .claim_document("first", now())
        .await
        .expect("claim")
        .expect("doc");
    assert_eq!(first.id, id);
    assert!(store
        .claim_document("second", now())
        .await
        .expect("claim")
        .is_none());
    let later = now() + chrono::Duration::seconds(store::INDEX_LEASE_SECONDS + 1);
    let second = store
        .claim_document("second", later)
        .await
        .expect("claim")
        .expect("lapsed");
    assert_eq!(second.id, id);
    assert_eq!(second.attempts, 2);
    assert_eq!(
        store
            .replace_chunks(id, "first", &[chunk], None)
            .await
            .expect("write"),
        None
    );
    // A document that keeps killing its worker is given up with a reason.
    let much_later = later + chrono::Duration::seconds(store::INDEX_LEASE_SECONDS + 1);
    let third = store
        .claim_document("third", much_later)
        .await
        .expect("claim")
        .expect("doc");
    assert_eq!(third.attempts, store::MAX_INDEX_ATTEMPTS);
    let last = much_later + chrono::Duration::seconds(store::INDEX_LEASE_SECONDS + 1);
    assert!(store
        .claim_document("fourth", last)
        .await
        .expect("claim")
        .is_none());
    let doc = store
        .document(tenant, id)
        .await
        .expect("read")
        .expect("doc");
    assert_eq!(doc.state, DocumentState::Failed);
    assert!(doc.error.expect("reason").contains("stopped"));
}

async fn the_indexer_reports_each_outcome(store: Store) {
    let (tenant, _) = tenant(&store, "alpha").await;
    let k = knowledge(&store, None);
    upload(&k, tenant, "rules.md", RULES).await;
    let outcome = k.index_next().await.expect("index");
    assert!(
        matches!(outcome, Some(Indexed::Ready { vectors: false, .. })),
        "{outcome:?}"
    );
    assert_eq!(k.index_next().await.expect("index"), None);
}

/// One tenant's pile of uploads does not hold another's first file back:
/// the queue is served round robin across tenants.
async fn the_queue_takes_turns_across_tenants(store: Store) {
    let (busy, _) = tenant(&store, "alpha").await;
    let (quiet, _) = tenant(&store, "beta").await;
    let k = knowledge(&store, None);
    let mut busy_docs = Vec::new();
    for n in 0..3 {
        busy_docs.push(upload(&k, busy, &format!("pile-{n}.md"), RULES).await);
    }
    let quiet_doc = upload(&k, quiet, "one.md", ATURAN).await;
    let mut order = Vec::new();
    while let Some(claimed) = store
        .claim_document(&format!("test-{}", order.len()), now())
        .await
        .expect("claim")
    {
        order.push(claimed.id);
        store
            .fail_document(claimed.id, &claimed.claim, "test", now())
            .await
            .expect("settle");
    }
    assert_eq!(
        order,
        vec![busy_docs[0], quiet_doc, busy_docs[1], busy_docs[2]],
        "round robin"
    );
}

conformance!(
    the_queue_takes_turns_across_tenants,
    uploads_are_indexed_and_found_with_citations,
    tenants_and_outlets_are_kept_apart,
    deleting_takes_the_passages_and_reindexing_replaces_them,
    a_bad_file_fails_alone_with_a_reason,
    a_superseded_pass_cannot_overwrite,
    the_indexer_reports_each_outcome,
);
