//! Vectors in Qdrant, for knowledge bases too large to scan in memory or
//! shared by many replicas.
//!
//! One collection per embedding model and vector length (vectors of two
//! models are not comparable), named `{prefix}{model}_{dimensions}`,
//! created on first use with cosine distance. A point is one passage: its
//! id is the passage's id, its payload the tenant (a keyword, indexed as
//! the tenant key, so Qdrant keeps each tenant's points together), the
//! document and the outlet (indexed integers; [`WHOLE_TENANT`] for a
//! passage of the whole tenant, so an outlet filter is one indexed
//! "any of" match). Every search and delete is filtered by tenant.

use super::{PassageVector, VectorError};
use domain::{ChunkId, DocumentId, OutletId, TenantId};
use qdrant_client::qdrant::point_id::PointIdOptions;
use qdrant_client::qdrant::r#match::MatchValue;
use qdrant_client::qdrant::{
    Condition, CreateCollectionBuilder, CreateFieldIndexCollectionBuilder, DeletePointsBuilder,
    Distance, FieldType, Filter, HnswConfigDiffBuilder, IntegerIndexParamsBuilder,
    KeywordIndexParamsBuilder, PointStruct, QueryPointsBuilder, UpsertPointsBuilder, Value,
    VectorParamsBuilder,
};
use qdrant_client::{Payload, Qdrant, QdrantError};
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The collection prefix unless [`QdrantVectors::with_prefix`] says
/// otherwise.
pub const DEFAULT_PREFIX: &str = "pesan_";
/// The `outlet` payload of a passage that belongs to the whole tenant.
pub const WHOLE_TENANT: i64 = -1;
/// A search answers the customer's turn: give up early.
const SEARCH_TIMEOUT: Duration = Duration::from_secs(5);
/// Writes run in the indexer, which retries a document later.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Points per upsert request.
const BATCH: usize = 256;
/// Most results one search returns (callers ask for a few dozen).
const MAX_K: usize = 1000;
/// Qdrant's longest dense vector.
const MAX_DIMENSIONS: usize = 65_536;
/// The client's minor version (qdrant-client is pinned `~1.19`); Qdrant
/// supports servers within one minor version of the client.
const CLIENT_MINOR: u64 = 19;
/// gRPC's NOT_FOUND: a collection nobody has written to yet.
const GRPC_NOT_FOUND: i32 = 5;

/// A Qdrant server's collections for Pesan. Cloning is cheap and shares
/// the connections.
#[derive(Clone)]
pub struct QdrantVectors {
    client: Qdrant,
    url: String,
    prefix: String,
    /// Collections this process has seen with their payload indexes.
    ready: Arc<Mutex<HashSet<String>>>,
}

impl std::fmt::Debug for QdrantVectors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QdrantVectors")
            .field("url", &self.url)
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl QdrantVectors {
    /// Connects to Qdrant's gRPC port (`http://host:6334`) and checks
    /// that it answers and accepts the key, so a wrong URL or key shows
    /// at startup rather than at the first search.
    pub async fn connect(url: &str, api_key: Option<&str>) -> Result<QdrantVectors, VectorError> {
        let url = url.trim().trim_end_matches('/');
        let host = url
            .strip_prefix("http://")
            .or_else(|| url.strip_prefix("https://"))
            .unwrap_or_default();
        if host.is_empty() || host.starts_with(['/', ':']) {
            return Err(VectorError::Remote(format!(
                "the Qdrant URL must look like http://host:6334 (the gRPC port), not {url:?}"
            )));
        }
        // The client's own version check blocks the calling thread and
        // prints to stdout: check the version here instead.
        let client = Qdrant::from_url(url)
            .api_key(api_key.map(str::to_string))
            .timeout(WRITE_TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            .skip_compatibility_check()
            .build()
            .map_err(|e| remote("connect", &e))?;
        let vectors = QdrantVectors {
            client,
            url: url.to_string(),
            prefix: DEFAULT_PREFIX.to_string(),
            ready: Arc::default(),
        };
        let hint = |error: VectorError| match error {
            VectorError::Remote(message) => VectorError::Remote(format!(
                "{message} (is {url} Qdrant's gRPC port, usually 6334, and the key right?)"
            )),
            other => other,
        };
        let health = call(
            "health check",
            SEARCH_TIMEOUT,
            vectors.client.health_check(),
        )
        .await
        .map_err(hint)?;
        if !supported(&health.version) {
            tracing::warn!(
                server = health.version,
                client = "1.19",
                "the Qdrant server is more than one minor version away from the client"
            );
        }
        vectors.collections().await.map_err(hint)?;
        tracing::info!(url, server = health.version, "connected to Qdrant");
        Ok(vectors)
    }

    /// Uses another collection prefix: deployments (or test runs) sharing
    /// one Qdrant server must not share collections, since tenant and
    /// passage ids repeat across databases.
    pub fn with_prefix(mut self, prefix: &str) -> QdrantVectors {
        self.prefix = sanitise(prefix);
        self.ready = Arc::default();
        self
    }

    /// The collection of `model`'s vectors of `dimensions` floats.
    fn collection(&self, model: &str, dimensions: usize) -> String {
        let model: String = sanitise(model).chars().take(120).collect();
        format!("{}{model}_{dimensions}", self.prefix)
    }

    /// Stores a document's vectors, replacing any it had in any model's
    /// collection.
    pub async fn replace_document(
        &self,
        tenant: TenantId,
        document: DocumentId,
        model: &str,
        vectors: &[PassageVector],
    ) -> Result<(), VectorError> {
        let dimensions = vectors.first().map_or(0, |v| v.vector.len());
        if vectors.iter().any(|v| v.vector.len() != dimensions) || dimensions > MAX_DIMENSIONS {
            return Err(VectorError::Remote(
                "the passages' vectors differ in length or are too long".into(),
            ));
        }
        self.delete_document(tenant, document).await?;
        if dimensions == 0 {
            return Ok(());
        }
        let name = self.collection(model, dimensions);
        self.ensure_collection(&name, dimensions).await?;
        for batch in vectors.chunks(BATCH) {
            let points = batch
                .iter()
                .map(|v| point(tenant, document, v))
                .collect::<Result<Vec<_>, _>>()?;
            let upsert = UpsertPointsBuilder::new(name.as_str(), points).wait(true);
            call("upsert", WRITE_TIMEOUT, self.client.upsert_points(upsert)).await?;
        }
        Ok(())
    }

    /// Deletes a document's vectors from every collection of this prefix
    /// (the caller need not know which model made them).
    pub async fn delete_document(
        &self,
        tenant: TenantId,
        document: DocumentId,
    ) -> Result<(), VectorError> {
        let filter = Filter::must([
            tenant_is(tenant),
            Condition::matches("document", document.0),
        ]);
        for name in self.collections().await? {
            let delete = DeletePointsBuilder::new(name.as_str())
                .points(filter.clone())
                .wait(true);
            call("delete", WRITE_TIMEOUT, self.client.delete_points(delete)).await?;
        }
        Ok(())
    }

    /// The `k` passages of the tenant (of `outlet` and the whole tenant,
    /// or all when `outlet` is `None`) nearest to `query`, with their
    /// cosine similarity, best first. Nothing stored yet is no result.
    pub async fn search(
        &self,
        tenant: TenantId,
        model: &str,
        outlet: Option<OutletId>,
        query: &[f32],
        k: usize,
    ) -> Result<Vec<(ChunkId, f32)>, VectorError> {
        let norm = query.iter().map(|x| x * x).sum::<f32>();
        if k == 0 || query.is_empty() || norm == 0.0 || !norm.is_finite() {
            return Ok(Vec::new());
        }
        let mut filter = vec![tenant_is(tenant)];
        if let Some(outlet) = outlet {
            filter.push(Condition::matches("outlet", vec![outlet.0, WHOLE_TENANT]));
        }
        let request = QueryPointsBuilder::new(self.collection(model, query.len()))
            .query(query.to_vec())
            .filter(Filter::must(filter))
            .limit(k.min(MAX_K) as u64)
            .with_payload(false)
            .timeout(SEARCH_TIMEOUT.as_secs());
        let found = match tokio::time::timeout(SEARCH_TIMEOUT, self.client.query(request)).await {
            Ok(Err(QdrantError::ResponseError { status }))
                if i32::from(status.code()) == GRPC_NOT_FOUND =>
            {
                return Ok(Vec::new());
            }
            other => settle("search", SEARCH_TIMEOUT, other)?,
        };
        let mut hits: Vec<(ChunkId, f32)> = found
            .result
            .into_iter()
            .filter_map(|p| match p.id?.point_id_options? {
                PointIdOptions::Num(id) => Some((ChunkId(i64::try_from(id).ok()?), p.score)),
                PointIdOptions::Uuid(_) => None,
            })
            .collect();
        hits.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        Ok(hits)
    }

    /// Drops every collection of this prefix, the current model's too (a
    /// wipe before re-indexing everything, or a test run's clean-up);
    /// returns how many.
    pub async fn drop_collections(&self) -> Result<usize, VectorError> {
        let names = self.collections().await?;
        for name in &names {
            call(
                "drop collection",
                WRITE_TIMEOUT,
                self.client.delete_collection(name.as_str()),
            )
            .await?;
            self.lock().remove(name);
        }
        Ok(names.len())
    }

    async fn collections(&self) -> Result<Vec<String>, VectorError> {
        let listed = call("list", SEARCH_TIMEOUT, self.client.list_collections()).await?;
        Ok(listed
            .collections
            .into_iter()
            .map(|c| c.name)
            .filter(|n| n.starts_with(&self.prefix))
            .collect())
    }

    /// Creates the collection and its payload indexes unless this process
    /// saw them already; another process creating them meanwhile is fine.
    async fn ensure_collection(&self, name: &str, dimensions: usize) -> Result<(), VectorError> {
        if self.lock().contains(name) {
            return Ok(());
        }
        let exists = |what| call(what, WRITE_TIMEOUT, self.client.collection_exists(name));
        if !exists("collection check").await? {
            // Every query names a tenant: per-tenant graphs (payload_m)
            // serve them, and no graph over all tenants is built (m = 0).
            let create = CreateCollectionBuilder::new(name)
                .vectors_config(VectorParamsBuilder::new(
                    dimensions as u64,
                    Distance::Cosine,
                ))
                .hnsw_config(HnswConfigDiffBuilder::default().payload_m(16).m(0));
            let created = call(
                "create collection",
                WRITE_TIMEOUT,
                self.client.create_collection(create),
            )
            .await;
            if let Err(error) = created {
                if !exists("collection check").await? {
                    return Err(error);
                }
            }
        }
        let indexes = [
            ("tenant", FieldType::Keyword),
            ("document", FieldType::Integer),
            ("outlet", FieldType::Integer),
        ];
        for (field, kind) in indexes {
            let index = CreateFieldIndexCollectionBuilder::new(name, field, kind).wait(true);
            let index = match kind {
                FieldType::Keyword => {
                    index.field_index_params(KeywordIndexParamsBuilder::default().is_tenant(true))
                }
                _ => index.field_index_params(IntegerIndexParamsBuilder::new(true, false)),
            };
            call(
                "create index",
                WRITE_TIMEOUT,
                self.client.create_field_index(index),
            )
            .await?;
        }
        self.lock().insert(name.to_string());
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.ready
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn tenant_is(tenant: TenantId) -> Condition {
    // Explicitly a keyword: a `String` with spaces would become full text.
    Condition::matches("tenant", MatchValue::Keyword(tenant.0.to_string()))
}

fn point(
    tenant: TenantId,
    document: DocumentId,
    v: &PassageVector,
) -> Result<PointStruct, VectorError> {
    let id = u64::try_from(v.chunk.0)
        .map_err(|_| VectorError::Remote(format!("passage id {} is negative", v.chunk.0)))?;
    let payload = Payload::from(HashMap::from([
        ("tenant", Value::from(tenant.0.to_string())),
        ("document", Value::from(document.0)),
        (
            "outlet",
            Value::from(v.outlet.map_or(WHOLE_TENANT, |o| o.0)),
        ),
    ]));
    Ok(PointStruct::new(id, v.vector.clone(), payload))
}

/// Whether Qdrant supports this client with a server of `version`.
fn supported(version: &str) -> bool {
    let mut parts = version.split('.').map(|p| p.parse::<u64>().ok());
    parts.next().flatten() == Some(1)
        && parts
            .next()
            .flatten()
            .is_some_and(|minor| minor.abs_diff(CLIENT_MINOR) <= 1)
}

/// A collection-name part: lower-case ASCII letters, digits and `_`.
fn sanitise(name: &str) -> String {
    name.chars()
        .map(|c| match c.to_ascii_lowercase() {
            c @ ('a'..='z' | '0'..='9' | '_') => c,
            _ => '_',
        })
        .collect()
}

/// Runs one client call under a deadline.
async fn call<T>(
    what: &str,
    limit: Duration,
    request: impl Future<Output = Result<T, QdrantError>>,
) -> Result<T, VectorError> {
    settle(what, limit, tokio::time::timeout(limit, request).await)
}

fn settle<T>(
    what: &str,
    limit: Duration,
    outcome: Result<Result<T, QdrantError>, tokio::time::error::Elapsed>,
) -> Result<T, VectorError> {
    match outcome {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(remote(what, &error)),
        Err(_) => Err(VectorError::Remote(format!(
            "Qdrant {what}: no answer within {} s",
            limit.as_secs()
        ))),
    }
}

/// A short message: the gRPC code and Qdrant's own words, not the
/// response metadata the client's message carries.
fn remote(what: &str, error: &QdrantError) -> VectorError {
    let mut detail = match error {
        QdrantError::ResponseError { status }
        | QdrantError::ResourceExhaustedError { status, .. } => {
            format!("{:?}: {}", status.code(), status.message())
        }
        other => other.to_string(),
    };
    if let Some((cut, _)) = detail.char_indices().nth(300) {
        detail.truncate(cut);
        detail.push('…');
    }
    VectorError::Remote(format!("Qdrant {what}: {detail}"))
}
