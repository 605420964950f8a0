//! The knowledge page's functions and its upload route: owners and admins
//! add, re-index and delete; anyone on the team reads and tries a question;
//! the upload is signed in by the session, bounded and refused clearly.

mod common;

use axum::body::Body;
use common::TestApp;
use http::{header, Request, StatusCode};
use knowledge::Knowledge;

const BOUNDARY: &str = "pesan-page-boundary";
const UPLOAD: &str = "/dashboard/knowledge/upload";

fn multipart(file_name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn upload(app: &TestApp, cookie: Option<&str>, body: Vec<u8>) -> common::Reply {
    let mut request = Request::post(UPLOAD).header(
        header::CONTENT_TYPE,
        format!("multipart/form-data; boundary={BOUNDARY}"),
    );
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    app.send(request.body(Body::from(body)).expect("request"))
        .await
}

async fn index_all(app: &TestApp) {
    let k = Knowledge::full_text_only(app.store.clone());
    while k.index_next().await.expect("index").is_some() {}
}

const RULES: &[u8] =
    b"# House rules\n\n## Parking\nParking is free for guests; motorbikes park at the back gate.\n";

#[tokio::test]
async fn an_owner_uploads_adds_a_faq_tries_a_question_and_deletes() {
    let app = TestApp::new().await;
    let owner = app.login_demo().await;
    let before = app.rpc("get_knowledge", "", &owner).await.json();
    assert_eq!(before["can_edit"], true);
    let known = before["documents"].as_array().map_or(0, Vec::len);

    let sent = upload(&app, Some(&owner), multipart("rules.md", RULES)).await;
    assert_eq!(sent.status, StatusCode::ACCEPTED, "{}", sent.body);
    let id = sent.json()["id"].as_i64().expect("id");
    let faq = app
        .rpc(
            "add_faq_entry",
            "question=Do+you+rent+rackets%3F&answer=Yes%2C+Rp+20.000+a+session.",
            &owner,
        )
        .await;
    assert_eq!(faq.status, StatusCode::OK, "{}", faq.body);
    let listed = app.rpc("get_knowledge", "", &owner).await.json();
    let docs = listed["documents"].as_array().expect("documents");
    assert_eq!(docs.len(), known + 2);
    assert!(docs
        .iter()
        .any(|d| d["id"] == id && d["state"] == "queued" && d["format"] == "markdown"));

    index_all(&app).await;
    let found = app
        .rpc(
            "try_question",
            "question=where+do+motorbikes+park%3F",
            &owner,
        )
        .await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    let passages = &found.json()["passages"];
    assert!(
        passages[0]["text"]
            .as_str()
            .is_some_and(|t| t.contains("back gate")),
        "{passages}"
    );
    assert!(passages[0]["source"]
        .as_str()
        .is_some_and(|s| s.contains("rules.md")));
    let rackets = app
        .rpc("try_question", "question=rackets", &owner)
        .await
        .json();
    assert!(
        rackets["passages"].to_string().contains("Rp 20.000"),
        "{rackets}"
    );

    let again = app
        .rpc("reindex_document", &format!("id={id}"), &owner)
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    let gone = app
        .rpc("delete_document", &format!("id={id}"), &owner)
        .await;
    assert_eq!(gone.status, StatusCode::OK, "{}", gone.body);
    let twice = app
        .rpc("delete_document", &format!("id={id}"), &owner)
        .await;
    assert_eq!(twice.status, StatusCode::NOT_FOUND, "{}", twice.body);
    let after = app
        .rpc(
            "try_question",
            "question=where+do+motorbikes+park%3F",
            &owner,
        )
        .await;
    assert!(!after.body.contains("back gate"), "{}", after.body);
}

#[tokio::test]
async fn the_front_desk_reads_and_tries_but_changes_nothing() {
    let app = TestApp::new().await;
    let desk = app.login_front_desk().await;
    let list = app.rpc("get_knowledge", "", &desk).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert_eq!(list.json()["can_edit"], false);
    let tried = app.rpc("try_question", "question=parking", &desk).await;
    assert_eq!(tried.status, StatusCode::OK, "{}", tried.body);
    for (name, form) in [
        ("add_faq_entry", "question=q&answer=a"),
        ("reindex_document", "id=1"),
        ("delete_document", "id=1"),
    ] {
        let r = app.rpc(name, form, &desk).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{name}: {}", r.body);
    }
    let refused = upload(&app, Some(&desk), multipart("rules.md", RULES)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
}

#[tokio::test]
async fn bad_uploads_and_questions_get_clear_errors() {
    let app = TestApp::new().await;
    let owner = app.login_demo().await;
    let anonymous = upload(&app, None, multipart("rules.md", RULES)).await;
    assert_eq!(
        anonymous.status,
        StatusCode::UNAUTHORIZED,
        "{}",
        anonymous.body
    );

    let huge = vec![b'a'; 11 * 1024 * 1024];
    let too_big = upload(&app, Some(&owner), multipart("big.txt", &huge)).await;
    assert_eq!(
        too_big.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        too_big.body
    );
    assert!(too_big.body.contains("file_too_large"), "{}", too_big.body);

    let empty = upload(&app, Some(&owner), multipart("empty.txt", b"")).await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST, "{}", empty.body);
    let exe = upload(
        &app,
        Some(&owner),
        multipart("tool.exe", b"MZ\x90\x00binary"),
    )
    .await;
    assert_eq!(
        exe.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "{}",
        exe.body
    );
    let not_multipart = app.post_form(UPLOAD, "file=hello", Some(&owner)).await;
    assert_eq!(
        not_multipart.status,
        StatusCode::BAD_REQUEST,
        "{}",
        not_multipart.body
    );

    for (form, why) in [
        ("question=", "empty"),
        (&*format!("question={}", "x".repeat(1001)), "too long"),
    ] {
        let r = app.rpc("try_question", form, &owner).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{why}: {}", r.body);
    }
    let long_faq = app
        .rpc(
            "add_faq_entry",
            &format!("question=q&answer={}", "a".repeat(4001)),
            &owner,
        )
        .await;
    assert_eq!(
        long_faq.status,
        StatusCode::BAD_REQUEST,
        "{}",
        long_faq.body
    );
}

#[tokio::test]
async fn a_plain_form_post_comes_back_to_the_page_with_its_outcome() {
    let app = TestApp::new().await;
    let owner = app.login_demo().await;
    let post = |file: &'static str, bytes: &'static [u8]| {
        Request::post(UPLOAD)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .header(header::ACCEPT, "text/html,application/xhtml+xml")
            .header(header::COOKIE, owner.clone())
            .body(Body::from(multipart(file, bytes)))
            .expect("request")
    };
    let ok = app.send(post("rules.md", RULES)).await;
    assert!(ok.status.is_redirection(), "{}", ok.status);
    assert_eq!(ok.location.as_deref(), Some("/knowledge?uploaded=1"));
    let refused = app.send(post("tool.exe", b"MZ\x90\x00binary")).await;
    assert_eq!(
        refused.location.as_deref(),
        Some("/knowledge?upload_error=unsupported_file")
    );
}
