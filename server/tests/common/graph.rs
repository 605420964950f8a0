//! A local stand-in for Meta's Graph API, speaking its wire format: it
//! records every post to `/{version}/{phone_number_id}/messages` and
//! answers as scripted (accept with a `wamid`, refuse with Meta's error
//! JSON, or hang), so the sender's retries and "never twice" can be held
//! to what Meta does.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

/// What the stand-in answers to the next post.
pub enum Answer {
    Accept,
    Refuse(u16, &'static str),
    /// Takes the message and never answers (the sender times out).
    Hang,
}

/// One recorded post: the path, the Authorization header, the body.
pub type Post = (String, String, serde_json::Value);

/// Files by media id: (mime type, bytes, the size the metadata claims).
pub type MediaStore = std::collections::HashMap<String, (String, Vec<u8>, usize)>;

#[derive(Clone, Default)]
pub struct Graph {
    pub posts: Arc<Mutex<Vec<Post>>>,
    pub script: Arc<Mutex<VecDeque<Answer>>>,
    pub media: Arc<Mutex<MediaStore>>,
    /// Where the stand-in listens (the media URLs point back at it).
    pub base: Arc<Mutex<String>>,
    /// Media requests seen: (path, Authorization).
    pub media_gets: Arc<Mutex<Vec<(String, String)>>>,
}

impl Graph {
    pub fn then(&self, answer: Answer) {
        self.script.lock().expect("lock").push_back(answer);
    }

    pub fn posts(&self) -> Vec<Post> {
        self.posts.lock().expect("lock").clone()
    }

    /// Keeps a file under `media_id`, as Meta does for a customer's upload.
    pub fn keep_media(&self, media_id: &str, mime: &str, bytes: Vec<u8>) {
        let size = bytes.len();
        self.media
            .lock()
            .expect("lock")
            .insert(media_id.into(), (mime.into(), bytes, size));
    }
}

fn auth(headers: &http::HeaderMap) -> String {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// `GET /{version}/{media_id}`: the file's short-lived URL, type and size,
/// or Meta's error for an id it does not have.
async fn media_info(
    State(graph): State<Graph>,
    Path((version, id)): Path<(String, String)>,
    headers: http::HeaderMap,
) -> Response {
    graph
        .media_gets
        .lock()
        .expect("lock")
        .push((format!("/{version}/{id}"), auth(&headers)));
    let found = graph.media.lock().expect("lock").get(&id).cloned();
    match found {
        Some((mime, _, size)) => axum::Json(serde_json::json!({
            "messaging_product": "whatsapp",
            "url": format!("{}/lookaside/{id}", graph.base.lock().expect("lock")),
            "mime_type": mime,
            "sha256": "ignored",
            "file_size": size,
            "id": id,
        }))
        .into_response(),
        None => (
            http::StatusCode::BAD_REQUEST,
            [("content-type", "application/json")],
            r#"{"error":{"message":"Unsupported get request.","type":"GraphMethodException","code":100,"error_subcode":33}}"#,
        )
            .into_response(),
    }
}

/// The file itself, behind the URL `media_info` gave.
async fn media_bytes(
    State(graph): State<Graph>,
    Path(id): Path<String>,
    headers: http::HeaderMap,
) -> Response {
    graph
        .media_gets
        .lock()
        .expect("lock")
        .push((format!("/lookaside/{id}"), auth(&headers)));
    let found = graph.media.lock().expect("lock").get(&id).cloned();
    match found {
        Some((mime, bytes, _)) => ([("content-type", mime)], bytes).into_response(),
        None => http::StatusCode::NOT_FOUND.into_response(),
    }
}

async fn messages(
    State(graph): State<Graph>,
    Path((version, phone)): Path<(String, String)>,
    headers: http::HeaderMap,
    body: String,
) -> Response {
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let json: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
    let n = {
        let mut posts = graph.posts.lock().expect("lock");
        posts.push((format!("/{version}/{phone}/messages"), auth, json.clone()));
        posts.len()
    };
    let answer = graph.script.lock().expect("lock").pop_front();
    match answer.unwrap_or(Answer::Accept) {
        Answer::Accept => axum::Json(serde_json::json!({
            "messaging_product": "whatsapp",
            "contacts": [{"input": json["to"], "wa_id": json["to"]}],
            "messages": [{"id": format!("wamid.SENT{n}")}],
        }))
        .into_response(),
        Answer::Refuse(status, body) => (
            http::StatusCode::from_u16(status).expect("status"),
            [("content-type", "application/json")],
            body,
        )
            .into_response(),
        Answer::Hang => {
            tokio::time::sleep(std::time::Duration::from_secs(30)).await;
            http::StatusCode::OK.into_response()
        }
    }
}

/// Serves the stand-in on a free local port; returns its base URL.
pub async fn start() -> (String, Graph) {
    let graph = Graph::default();
    let router = axum::Router::new()
        .route("/{version}/{phone}/messages", axum::routing::post(messages))
        .route("/{version}/{id}", axum::routing::get(media_info))
        .route("/lookaside/{id}", axum::routing::get(media_bytes))
        .with_state(graph.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    *graph.base.lock().expect("lock") = url.clone();
    tokio::spawn(async move { axum::serve(listener, router).await });
    (url, graph)
}
