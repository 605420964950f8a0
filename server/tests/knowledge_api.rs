//! `/api/v1/knowledge/…` end to end: a multipart upload is accepted (202),
//! indexed, found with its citation, kept from other tenants, re-indexed
//! and deleted; bad uploads get clear JSON errors; a FAQ entry joins the
//! search; customer-policy keys may search but not change anything.

mod common;

use axum::body::Body;
use common::{call, code, key_for, staff_key_for, TestApp};
use http::{header, Request, StatusCode};
use knowledge::Knowledge;

const BOUNDARY: &str = "pesan-test-boundary";

fn multipart(file_name: &str, bytes: &[u8], extra: &[(&str, &str)]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in extra {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn upload(app: &TestApp, key: &str, body: Vec<u8>) -> common::Reply {
    let request = Request::builder()
        .method("POST")
        .uri("/api/v1/knowledge/documents")
        .header(header::AUTHORIZATION, format!("Bearer {key}"))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(body))
        .expect("request");
    app.send(request).await
}

async fn index_all(app: &TestApp) {
    let k = Knowledge::full_text_only(app.store.clone());
    while k.index_next().await.expect("index").is_some() {}
}

const RULES: &[u8] = b"# House rules\n\n## Parking\nParking is free for guests; motorbikes park at the back gate.\n\n## Payment\nWe take QRIS, bank transfer and cash.\n";

#[tokio::test]
async fn a_document_is_uploaded_indexed_searched_and_deleted() {
    let app = TestApp::new().await;
    let staff = staff_key_for(&app, "demo").await;
    let reply = upload(&app, &staff, multipart("rules.md", RULES, &[])).await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.body);
    let id = reply.json()["id"].as_i64().expect("id");
    assert_eq!(reply.json()["state"], "queued");
    index_all(&app).await;
    let path = format!("/api/v1/knowledge/documents/{id}");
    let doc = call(&app, "GET", &path, Some(&staff), None, None)
        .await
        .json();
    assert_eq!(doc["state"], "ready", "{doc}");
    assert_eq!(doc["progress"], 100);
    assert_eq!(doc["format"], "markdown");
    let found = call(
        &app,
        "GET",
        "/api/v1/knowledge/search?q=where%20do%20motorbikes%20park%3F&k=3",
        Some(&staff),
        None,
        None,
    )
    .await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    let found = found.json();
    assert_eq!(found["method"], "full_text");
    assert!(found["note"].is_string());
    let top = &found["passages"][0];
    assert!(top["text"].as_str().expect("text").contains("motorbikes"));
    assert_eq!(top["citation"]["document_id"], id);
    assert_eq!(top["citation"]["document_name"], "rules.md");
    assert_eq!(top["heading"], "Parking");
    // A customer-policy key searches, but changes nothing.
    let customer = key_for(&app, "demo").await;
    let searched = call(
        &app,
        "GET",
        "/api/v1/knowledge/search?q=parking",
        Some(&customer),
        None,
        None,
    )
    .await;
    assert_eq!(searched.status, StatusCode::OK);
    let refused = call(&app, "DELETE", &path, Some(&customer), None, None).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let refused = upload(&app, &customer, multipart("x.txt", b"x", &[])).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // Re-index, then delete.
    let again = call(
        &app,
        "POST",
        &format!("{path}/reindex"),
        Some(&staff),
        None,
        None,
    )
    .await;
    assert_eq!(again.status, StatusCode::ACCEPTED, "{}", again.body);
    index_all(&app).await;
    let gone = call(&app, "DELETE", &path, Some(&staff), None, None).await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    let missing = call(&app, "GET", &path, Some(&staff), None, None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(code(&missing), "unknown_document");
    let empty = call(
        &app,
        "GET",
        "/api/v1/knowledge/search?q=parking",
        Some(&staff),
        None,
        None,
    )
    .await;
    assert_eq!(empty.json()["passages"].as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn another_tenant_sees_nothing_of_it() {
    let app = TestApp::new().await;
    pesan_server::cli::create_tenant(
        &app.store,
        &pesan_server::cli::CreateTenant {
            slug: "rival".into(),
            name: "Rival Arena".into(),
            owner_email: "owner@rival.test".into(),
            owner_name: "Owner".into(),
            timezone: "Asia/Jakarta".into(),
            country: "ID".into(),
        },
    )
    .await
    .expect("rival");
    let staff = staff_key_for(&app, "demo").await;
    let rival = staff_key_for(&app, "rival").await;
    let id = upload(&app, &staff, multipart("rules.md", RULES, &[]))
        .await
        .json()["id"]
        .as_i64()
        .expect("id");
    index_all(&app).await;
    let path = format!("/api/v1/knowledge/documents/{id}");
    for (method, uri) in [
        ("GET", path.clone()),
        ("DELETE", path.clone()),
        ("POST", format!("{path}/reindex")),
    ] {
        let reply = call(&app, method, &uri, Some(&rival), None, None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{method} {uri}");
    }
    let listed = call(
        &app,
        "GET",
        "/api/v1/knowledge/documents",
        Some(&rival),
        None,
        None,
    )
    .await;
    assert_eq!(listed.json()["documents"].as_array().map(Vec::len), Some(0));
    let found = call(
        &app,
        "GET",
        "/api/v1/knowledge/search?q=parking%20motorbikes",
        Some(&rival),
        None,
        None,
    )
    .await;
    assert_eq!(found.json()["passages"].as_array().map(Vec::len), Some(0));
    // An upload naming the other tenant's outlet is refused.
    let outlet = app
        .store
        .outlets(
            app.store
                .tenant_by_slug("demo")
                .await
                .expect("q")
                .expect("t")
                .id,
        )
        .await
        .expect("outlets")[0]
        .id;
    let reply = upload(
        &app,
        &rival,
        multipart("x.md", RULES, &[("outlet_id", &outlet.to_string())]),
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
}

#[tokio::test]
async fn bad_uploads_and_queries_get_clear_errors() {
    let app = TestApp::new().await;
    let staff = staff_key_for(&app, "demo").await;
    let unsupported = upload(
        &app,
        &staff,
        multipart("photo.jpg", &[0xFF, 0xD8, 0xFF, 0xE0, 0, 1], &[]),
    )
    .await;
    assert_eq!(
        unsupported.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "{}",
        unsupported.body
    );
    assert_eq!(code(&unsupported), "unsupported_file");
    let empty = upload(&app, &staff, multipart("empty.txt", b"", &[])).await;
    assert_eq!(code(&empty), "empty_file");
    let big = vec![b'a'; 10 * 1024 * 1024 + 1];
    let too_big = upload(&app, &staff, multipart("big.txt", &big, &[])).await;
    assert_eq!(
        too_big.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        too_big.body
    );
    let no_file = upload(&app, &staff, b"--pesan-test-boundary--\r\n".to_vec()).await;
    assert_eq!(no_file.status, StatusCode::BAD_REQUEST, "{}", no_file.body);
    // A binary file with NUL bytes is a file, not an attack on text.
    let nul = upload(
        &app,
        &staff,
        multipart("notes.txt", b"Parking\0is free", &[]),
    )
    .await;
    assert_eq!(nul.status, StatusCode::ACCEPTED, "{}", nul.body);
    for query in ["q=", "q=x&k=0", "q=x&k=21", "q=x&method=magic", "k=3"] {
        let reply = call(
            &app,
            "GET",
            &format!("/api/v1/knowledge/search?{query}"),
            Some(&staff),
            None,
            None,
        )
        .await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{query}: {}",
            reply.body
        );
        assert_eq!(code(&reply), "invalid_query");
    }
    // Full-text syntax in a question is only words.
    for q in [
        "%22parking%22%20NEAR%20*",
        "body%3Aparking%20OR%20%5E",
        "%22%22%22",
    ] {
        let reply = call(
            &app,
            "GET",
            &format!("/api/v1/knowledge/search?q={q}"),
            Some(&staff),
            None,
            None,
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{q}: {}", reply.body);
    }
    let faq = call(
        &app,
        "POST",
        "/api/v1/knowledge/faq",
        Some(&staff),
        Some(r#"{"question": "Is there wifi?", "answer": "Yes, ask at reception."}"#),
        None,
    )
    .await;
    assert_eq!(faq.status, StatusCode::ACCEPTED, "{}", faq.body);
    let bad_faq = call(
        &app,
        "POST",
        "/api/v1/knowledge/faq",
        Some(&staff),
        Some(r#"{"question": " ", "answer": "x"}"#),
        None,
    )
    .await;
    assert_eq!(bad_faq.status, StatusCode::BAD_REQUEST);
    index_all(&app).await;
    let found = call(
        &app,
        "GET",
        "/api/v1/knowledge/search?q=wifi",
        Some(&staff),
        None,
        None,
    )
    .await
    .json();
    assert_eq!(
        found["passages"][0]["citation"]["document_name"],
        "Is there wifi?"
    );
}

/// A PDF from its objects (numbered from 1; object 1 is the catalog), with
/// a correct cross-reference table.
fn pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(object);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn stream(dictionary: &str, content: &str) -> Vec<u8> {
    format!(
        "<< {dictionary} /Length {} >>\nstream\n{content}\nendstream",
        content.len()
    )
    .into_bytes()
}

/// One page whose resources are `resources` and whose content is `content`.
fn one_page_pdf(resources: &str, content: &str, extra: &[Vec<u8>]) -> Vec<u8> {
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << {resources} >> /Contents 5 0 R >>").into_bytes(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        stream("", content),
    ];
    objects.extend_from_slice(extra);
    pdf(&objects)
}

/// Indexes with uploads read the way the server reads them: by the `pesan`
/// executable's `extract` subcommand, in a confined child process.
async fn index_all_in_child(app: &TestApp) -> Vec<knowledge::index::Indexed> {
    let k = Knowledge::full_text_only(app.store.clone()).with_child_extraction(
        knowledge::extract::child::ChildCommand {
            program: env!("CARGO_BIN_EXE_pesan").into(),
            args: vec!["extract".into()],
        },
    );
    let mut outcomes = Vec::new();
    while let Some(outcome) = k.index_next().await.expect("index") {
        outcomes.push(outcome);
    }
    outcomes
}

#[tokio::test]
async fn a_pdf_that_crashes_its_reader_fails_alone_and_the_server_reads_the_next() {
    let app = TestApp::new().await;
    let staff = staff_key_for(&app, "demo").await;
    let good = one_page_pdf(
        "/Font << /F1 4 0 R >>",
        "BT /F1 12 Tf 72 720 Td (Parking is free for guests) Tj ET",
        &[],
    );
    // A form XObject that draws itself: pdf-extract follows it until the
    // stack overflows, which aborts the process that reads it.
    let self_drawing = one_page_pdf(
        "/Font << /F1 4 0 R >> /XObject << /X0 6 0 R >>",
        "/X0 Do",
        &[stream(
            "/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X0 6 0 R >> >>",
            "/X0 Do",
        )],
    );
    let mut ids = Vec::new();
    for (name, bytes) in [
        ("loop.pdf", self_drawing),
        ("rules.pdf", good),
        ("junk.pdf", b"%PDF-1.4 nothing else".to_vec()),
    ] {
        let reply = upload(&app, &staff, multipart(name, &bytes, &[])).await;
        assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.body);
        ids.push(reply.json()["id"].as_i64().expect("id"));
    }
    let outcomes = index_all_in_child(&app).await;
    assert_eq!(outcomes.len(), 3, "{outcomes:?}");
    let state = |id: i64| {
        let app = &app;
        let staff = &staff;
        async move {
            call(
                app,
                "GET",
                &format!("/api/v1/knowledge/documents/{id}"),
                Some(staff),
                None,
                None,
            )
            .await
            .json()
        }
    };
    let crashed = state(ids[0]).await;
    assert_eq!(crashed["state"], "failed", "{crashed}");
    assert_eq!(
        crashed["error"], "the file could not be read (the reader failed on it)",
        "{crashed}"
    );
    let read = state(ids[1]).await;
    assert_eq!(read["state"], "ready", "{read}");
    let junk = state(ids[2]).await;
    assert_eq!(junk["state"], "failed", "{junk}");
    assert!(
        junk["error"]
            .as_str()
            .is_some_and(|e| e.contains("damaged")),
        "{junk}"
    );
    let found = call(
        &app,
        "GET",
        "/api/v1/knowledge/search?q=parking%20free&k=3&method=full_text",
        Some(&staff),
        None,
        None,
    )
    .await
    .json();
    assert!(found.to_string().contains("rules.pdf"), "{found}");
}

#[tokio::test]
async fn a_file_far_over_the_limit_is_too_large_not_a_bad_form() {
    let app = TestApp::new().await;
    let staff = staff_key_for(&app, "demo").await;
    let max = knowledge::Limits::default().max_file_bytes;
    for size in [max + 1, max + 600_000] {
        let reply = upload(&app, &staff, multipart("big.txt", &vec![b'a'; size], &[])).await;
        assert_eq!(
            reply.status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{size}: {}",
            reply.body
        );
        assert_eq!(
            reply.json()["error"]["code"],
            "file_too_large",
            "{}",
            reply.body
        );
    }
}
