//! A local OpenAI-compatible server that plays a script, for tests: ours
//! and the server's. It speaks the real wire format of
//! `POST /v1/chat/completions` (the tool call arguments as a JSON string,
//! `usage` with every answer), so the agent is tested through the same
//! client code that talks to OpenAI, and it records every request so a
//! test can check what the model was shown.

use std::collections::VecDeque;
use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};

/// Prompt tokens reported with every scripted completion.
pub const PROMPT_TOKENS: u64 = 11;
/// Completion tokens reported with every scripted completion.
pub const COMPLETION_TOKENS: u64 = 7;

/// What the stand-in answers to one request. Steps are used in order, one
/// per request; when they run out it answers 500.
pub enum Step {
    /// A text reply (`finish_reason` "stop").
    Text(String),
    /// Tool calls, each `(name, raw arguments string)`, with ids
    /// `call_{request}_{index}` (`finish_reason` "tool_calls").
    ToolCalls(Vec<(String, String)>),
    /// This status with this body.
    Status(u16, String),
    /// This body with status 200, as is (malformed on purpose, or a
    /// completion shaped by hand).
    Raw(String),
    /// The step, answered after a pause.
    Delay(Duration, Box<Step>),
    /// The step, for this request and every later one (it is never used
    /// up): a model stuck in a loop.
    Repeat(Box<Step>),
    /// The step the closure picks after reading the request's JSON body,
    /// e.g. a reply quoting the tool results it received.
    Respond(Box<dyn Fn(&Value) -> Step + Send + Sync>),
}

impl Step {
    /// A text reply.
    pub fn text(text: impl Into<String>) -> Step {
        Step::Text(text.into())
    }

    /// One tool call.
    pub fn tool(name: &str, arguments: &str) -> Step {
        Step::ToolCalls(vec![(name.to_owned(), arguments.to_owned())])
    }

    /// A step picked by reading the request.
    pub fn respond(pick: impl Fn(&Value) -> Step + Send + Sync + 'static) -> Step {
        Step::Respond(Box::new(pick))
    }

    /// This step after a pause.
    pub fn delayed(self, pause: Duration) -> Step {
        Step::Delay(pause, Box::new(self))
    }

    /// This step for every request from now on.
    pub fn forever(self) -> Step {
        Step::Repeat(Box::new(self))
    }
}

impl fmt::Debug for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Text(text) => f.debug_tuple("Text").field(text).finish(),
            Step::ToolCalls(calls) => f.debug_tuple("ToolCalls").field(calls).finish(),
            Step::Status(status, body) => {
                f.debug_tuple("Status").field(status).field(body).finish()
            }
            Step::Raw(body) => f.debug_tuple("Raw").field(body).finish(),
            Step::Delay(pause, step) => f.debug_tuple("Delay").field(pause).field(step).finish(),
            Step::Repeat(step) => f.debug_tuple("Repeat").field(step).finish(),
            Step::Respond(_) => f.write_str("Respond(..)"),
        }
    }
}

/// A running stand-in on `127.0.0.1`; stops when dropped.
pub struct Standin {
    addr: SocketAddr,
    shared: Shared,
    server: tokio::task::JoinHandle<()>,
}

type Shared = Arc<Mutex<Script>>;

struct Script {
    steps: VecDeque<Step>,
    requests: Vec<(Value, Option<String>)>,
}

impl Standin {
    /// Starts serving `script` on a free port.
    ///
    /// # Panics
    /// When no local port can be bound (a test cannot run then anyway).
    pub async fn start(script: Vec<Step>) -> Standin {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("the bound address");
        let shared: Shared = Arc::new(Mutex::new(Script {
            steps: script.into(),
            requests: Vec::new(),
        }));
        let app = Router::new()
            .route("/v1/chat/completions", post(completions))
            .fallback(|| async {
                (
                    StatusCode::NOT_FOUND,
                    "the stand-in serves POST /v1/chat/completions only",
                )
            })
            .with_state(shared.clone());
        let server = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, app).await {
                tracing::error!(%error, "the LLM stand-in stopped");
            }
        });
        Standin {
            addr,
            shared,
            server,
        }
    }

    /// The API base to configure: `http://127.0.0.1:PORT/v1`.
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// The JSON bodies received, in order.
    pub fn requests(&self) -> Vec<Value> {
        lock(&self.shared)
            .requests
            .iter()
            .map(|(body, _)| body.clone())
            .collect()
    }

    /// The `Authorization` header of each request, in order.
    pub fn authorizations(&self) -> Vec<Option<String>> {
        lock(&self.shared)
            .requests
            .iter()
            .map(|(_, auth)| auth.clone())
            .collect()
    }

    /// Steps not used yet (a `Repeat` stays).
    pub fn steps_left(&self) -> usize {
        lock(&self.shared).steps.len()
    }

    /// An API base where nothing listens: a port bound and released.
    pub async fn unreachable_base_url() -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("the bound address");
        drop(listener);
        format!("http://{addr}/v1")
    }
}

impl Drop for Standin {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// The messages of a request body.
pub fn messages(request: &Value) -> &[Value] {
    request["messages"].as_array().map_or(&[], Vec::as_slice)
}

/// The tool messages of a request: `(tool_call_id, content)`, in order.
pub fn tool_results(request: &Value) -> Vec<(String, String)> {
    messages(request)
        .iter()
        .filter(|message| message["role"] == "tool")
        .map(|message| {
            let text = |key: &str| message[key].as_str().unwrap_or_default().to_owned();
            (text("tool_call_id"), text("content"))
        })
        .collect()
}

fn lock(shared: &Shared) -> MutexGuard<'_, Script> {
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

/// An answer decided, before its pause.
struct Plan {
    pause: Duration,
    status: u16,
    body: String,
}

async fn completions(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let request: Value = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(error) => {
            return (
                StatusCode::BAD_REQUEST,
                format!("the body is not JSON: {error}"),
            )
                .into_response()
        }
    };
    let plan = {
        let mut script = lock(&shared);
        let auth = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        script.requests.push((request.clone(), auth));
        let number = script.requests.len();
        if let Some(Step::Repeat(step)) = script.steps.front() {
            plan(step, &request, number)
        } else if let Some(step) = script.steps.pop_front() {
            plan(&step, &request, number)
        } else {
            let body = format!("the stand-in's script ran out at request {number}");
            Plan {
                pause: Duration::ZERO,
                status: 500,
                body: json!({"error": {"message": body}}).to_string(),
            }
        }
    };
    tokio::time::sleep(plan.pause).await;
    let status = StatusCode::from_u16(plan.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        plan.body,
    )
        .into_response()
}

fn plan(step: &Step, request: &Value, number: usize) -> Plan {
    let ok = |body: String| Plan {
        pause: Duration::ZERO,
        status: 200,
        body,
    };
    match step {
        Step::Text(text) => ok(completion(
            request,
            number,
            json!({"role": "assistant", "content": text}),
            "stop",
        )),
        Step::ToolCalls(calls) => {
            let tool_calls: Vec<Value> = calls
                .iter()
                .enumerate()
                .map(|(i, (name, arguments))| {
                    json!({"id": format!("call_{number}_{i}"), "type": "function",
                           "function": {"name": name, "arguments": arguments}})
                })
                .collect();
            let message = json!({"role": "assistant", "content": null, "tool_calls": tool_calls});
            ok(completion(request, number, message, "tool_calls"))
        }
        Step::Status(status, body) => Plan {
            pause: Duration::ZERO,
            status: *status,
            body: body.clone(),
        },
        Step::Raw(body) => ok(body.clone()),
        Step::Delay(pause, step) => {
            let inner = plan(step, request, number);
            Plan {
                pause: *pause + inner.pause,
                ..inner
            }
        }
        Step::Repeat(step) => plan(step, request, number),
        Step::Respond(pick) => plan(&pick(request), request, number),
    }
}

/// A `chat.completion` object with one choice.
fn completion(request: &Value, number: usize, message: Value, finish_reason: &str) -> String {
    json!({
        "id": format!("chatcmpl-standin-{number}"),
        "object": "chat.completion",
        "created": 1_764_547_200u64,
        "model": request["model"],
        "choices": [{"index": 0, "message": message, "logprobs": null, "finish_reason": finish_reason}],
        "usage": {
            "prompt_tokens": PROMPT_TOKENS,
            "completion_tokens": COMPLETION_TOKENS,
            "total_tokens": PROMPT_TOKENS + COMPLETION_TOKENS
        }
    })
    .to_string()
}
