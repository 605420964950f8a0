//! The passages of knowledge documents and the two searches over them:
//! full text (SQLite FTS5 with trigrams; PostgreSQL `simple` tsvector plus
//! pg_trgm) and, when vectors live in the database, the tenant's vectors
//! for an exact scan in memory.

use crate::db::{Backend, Store, WriteTx};
use crate::error::Result;
use domain::{ChunkId, DocumentId, OutletId, TenantId};

/// A passage to store: where it sits in its file, the heading above it,
/// its text and (when vectors live in the database) its vector.
#[derive(Debug, Clone, PartialEq)]
pub struct NewChunk {
    /// Where the passage sits, as JSON (a page, a sheet, the whole file).
    pub locator: String,
    pub heading: String,
    pub text: String,
    pub embedding: Option<Vec<f32>>,
}

/// A stored passage with what a citation needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredChunk {
    pub id: ChunkId,
    pub document: DocumentId,
    pub document_name: String,
    pub format: String,
    pub outlet: Option<OutletId>,
    pub seq: i64,
    pub locator: String,
    pub heading: String,
    pub text: String,
}

/// The tenant's stored vectors of one model, for an exact scan.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoredVectors {
    pub chunks: Vec<ChunkId>,
    pub outlets: Vec<Option<OutletId>>,
    /// All vectors, one after another (`dimensions` floats each).
    pub values: Vec<f32>,
    pub dimensions: usize,
}

/// Most query terms a full-text search uses (the rest are dropped).
pub const MAX_QUERY_TERMS: usize = 12;

/// Counts one more change to a tenant's passages or vectors (see
/// `knowledge_generations` in the migration).
pub(crate) async fn bump_generation(tx: &mut WriteTx, tenant: TenantId) -> Result<()> {
    sqlx::query(
        "INSERT INTO knowledge_generations (tenant_id, generation) VALUES ($1, 1)
         ON CONFLICT (tenant_id) DO UPDATE SET generation = knowledge_generations.generation + 1",
    )
    .bind(tenant.0)
    .execute(&mut ***tx)
    .await?;
    Ok(())
}

fn to_bytes(vector: &[f32]) -> Vec<u8> {
    vector.iter().flat_map(|v| v.to_le_bytes()).collect()
}

impl Store {
    /// Replaces a claimed document's passages in one transaction (search
    /// sees the old ones or the new ones, never a mix), returning the new
    /// passages' ids in order; `None` when the claim no longer holds.
    pub async fn replace_chunks(
        &self,
        id: DocumentId,
        claim: &str,
        chunks: &[NewChunk],
        embed_model: Option<&str>,
    ) -> Result<Option<Vec<ChunkId>>> {
        let mut tx = self.begin_write().await?;
        tx.leaves_searches();
        let tenant: Option<i64> = sqlx::query_scalar(&format!(
            "SELECT tenant_id FROM knowledge_documents WHERE id = $1 AND claim = $2{}",
            self.backend().for_update("")
        ))
        .bind(id.0)
        .bind(claim)
        .fetch_optional(&mut **tx)
        .await?;
        let Some(tenant) = tenant else {
            return Ok(None);
        };
        sqlx::query("DELETE FROM knowledge_chunks WHERE document_id = $1")
            .bind(id.0)
            .execute(&mut **tx)
            .await?;
        let mut ids = Vec::with_capacity(chunks.len());
        for (seq, chunk) in chunks.iter().enumerate() {
            let chunk_id: i64 = sqlx::query_scalar(
                "INSERT INTO knowledge_chunks
                     (tenant_id, document_id, seq, locator, heading, text, embedding, embed_model)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(tenant)
            .bind(id.0)
            .bind(i64::try_from(seq).unwrap_or(i64::MAX))
            .bind(&chunk.locator)
            .bind(&chunk.heading)
            .bind(&chunk.text)
            .bind(chunk.embedding.as_deref().map(to_bytes))
            .bind(chunk.embedding.as_ref().and(embed_model))
            .fetch_one(&mut **tx)
            .await?;
            ids.push(ChunkId(chunk_id));
        }
        bump_generation(&mut tx, TenantId(tenant)).await?;
        tx.commit().await?;
        Ok(Some(ids))
    }

    /// A number that changes whenever the tenant's passages or vectors
    /// change, so a copy of them kept in memory knows it is stale.
    pub async fn knowledge_generation(&self, tenant: TenantId) -> Result<i64> {
        let generation: Option<i64> =
            sqlx::query_scalar("SELECT generation FROM knowledge_generations WHERE tenant_id = $1")
                .bind(tenant.0)
                .fetch_optional(&self.pool)
                .await?;
        Ok(generation.unwrap_or(0))
    }

    /// The tenant's vectors of `model` stored in the database. Vectors of
    /// another length than the first (a corrupt row) are skipped.
    pub async fn tenant_vectors(&self, tenant: TenantId, model: &str) -> Result<StoredVectors> {
        let rows: Vec<(i64, Option<i64>, Vec<u8>)> = sqlx::query_as(
            "SELECT c.id, d.outlet_id, c.embedding
             FROM knowledge_chunks c JOIN knowledge_documents d ON d.id = c.document_id
             WHERE c.tenant_id = $1 AND c.embed_model = $2 AND c.embedding IS NOT NULL
             ORDER BY c.id",
        )
        .bind(tenant.0)
        .bind(model)
        .fetch_all(&self.pool)
        .await?;
        let mut vectors = StoredVectors::default();
        for (id, outlet, bytes) in rows {
            if bytes.is_empty() || bytes.len() % 4 != 0 {
                continue;
            }
            let dimensions = bytes.len() / 4;
            if vectors.dimensions == 0 {
                vectors.dimensions = dimensions;
            }
            if dimensions != vectors.dimensions {
                continue;
            }
            vectors.chunks.push(ChunkId(id));
            vectors.outlets.push(outlet.map(OutletId));
            vectors.values.extend(
                bytes
                    .chunks_exact(4)
                    .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])),
            );
        }
        Ok(vectors)
    }

    /// The tenant's passages with these ids (ids of another tenant, or
    /// deleted meanwhile, are left out), in the order asked.
    pub async fn chunks(&self, tenant: TenantId, ids: &[ChunkId]) -> Result<Vec<StoredChunk>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = ids
            .iter()
            .map(|id| id.0.to_string())
            .collect::<Vec<_>>()
            .join(",");
        type Row = (
            i64,
            i64,
            String,
            String,
            Option<i64>,
            i64,
            String,
            String,
            String,
        );
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "SELECT c.id, c.document_id, d.name, d.format, d.outlet_id, c.seq, c.locator, c.heading, c.text
             FROM knowledge_chunks c JOIN knowledge_documents d ON d.id = c.document_id
             WHERE c.tenant_id = $1 AND c.id IN ({list})"
        ))
        .bind(tenant.0)
        .fetch_all(&self.pool)
        .await?;
        let mut found: Vec<StoredChunk> = rows
            .into_iter()
            .map(
                |(id, document, document_name, format, outlet, seq, locator, heading, text)| {
                    StoredChunk {
                        id: ChunkId(id),
                        document: DocumentId(document),
                        document_name,
                        format,
                        outlet: outlet.map(OutletId),
                        seq,
                        locator,
                        heading,
                        text,
                    }
                },
            )
            .collect();
        found.sort_by_key(|c| ids.iter().position(|id| *id == c.id));
        Ok(found)
    }

    /// The ids of a document's passages (to delete its vectors elsewhere).
    pub async fn document_chunk_ids(&self, id: DocumentId) -> Result<Vec<ChunkId>> {
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM knowledge_chunks WHERE document_id = $1")
                .bind(id.0)
                .fetch_all(&self.pool)
                .await?;
        Ok(ids.into_iter().map(ChunkId).collect())
    }

    /// Full-text search over the tenant's passages (with an outlet, those
    /// of the outlet and of the whole tenant; without, all), best first, with the engine's score (higher
    /// is better; only comparable within one search). `terms` are words
    /// already lower-cased and cleaned by the caller: letters and digits
    /// only, at least three characters (the trigram index's minimum).
    pub async fn text_search(
        &self,
        tenant: TenantId,
        outlet: Option<OutletId>,
        terms: &[String],
        limit: usize,
    ) -> Result<Vec<(ChunkId, f64)>> {
        let terms: Vec<&String> = terms
            .iter()
            .filter(|t| t.chars().count() >= 3 && t.chars().all(char::is_alphanumeric))
            .take(MAX_QUERY_TERMS)
            .collect();
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let limit = i64::try_from(limit.clamp(1, 100)).unwrap_or(100);
        let rows: Vec<(i64, f64)> = match self.backend() {
            Backend::Sqlite => {
                let query = terms
                    .iter()
                    .map(|t| format!("\"{t}\""))
                    .collect::<Vec<_>>()
                    .join(" OR ");
                sqlx::query_as(
                    "SELECT c.id, -bm25(knowledge_fts) AS score
                     FROM knowledge_fts
                     JOIN knowledge_chunks c ON c.id = knowledge_fts.rowid
                     JOIN knowledge_documents d ON d.id = c.document_id
                     WHERE knowledge_fts MATCH $1 AND c.tenant_id = $2
                       AND ($3 < 0 OR d.outlet_id IS NULL OR d.outlet_id = $3)
                     ORDER BY score DESC, c.id LIMIT $4",
                )
                .bind(query)
                .bind(tenant.0)
                .bind(outlet.map_or(-1, |o| o.0))
                .bind(limit)
                .fetch_all(&self.pool)
                .await?
            }
            Backend::Postgres => {
                // Words by prefix ("bayar" finds "bayarnya"), and trigram
                // similarity for affixes ("bayar" in "pembayaran").
                let tsquery = terms
                    .iter()
                    .map(|t| format!("{t}:*"))
                    .collect::<Vec<_>>()
                    .join(" | ");
                let first = 5;
                let similar: Vec<String> = (0..terms.len())
                    .map(|i| format!("${}", first + i))
                    .collect();
                let sql = format!(
                    "SELECT c.id, (ts_rank(c.words, q.query) + ({sum}) / {n})::float8 AS score
                     FROM knowledge_chunks c
                     JOIN knowledge_documents d ON d.id = c.document_id,
                          (SELECT to_tsquery('simple', $1) AS query) q
                     WHERE c.tenant_id = $2 AND ($3 < 0 OR d.outlet_id IS NULL OR d.outlet_id = $3)
                       AND (c.words @@ q.query OR {any})
                     ORDER BY score DESC, c.id LIMIT $4",
                    sum = similar
                        .iter()
                        .map(|p| format!("word_similarity({p}, c.body)"))
                        .collect::<Vec<_>>()
                        .join(" + "),
                    n = terms.len(),
                    any = similar
                        .iter()
                        .map(|p| format!("{p} <% c.body"))
                        .collect::<Vec<_>>()
                        .join(" OR "),
                );
                let mut query = sqlx::query_as(&sql)
                    .bind(tsquery)
                    .bind(tenant.0)
                    .bind(outlet.map_or(-1, |o| o.0))
                    .bind(limit);
                for term in &terms {
                    query = query.bind(term.as_str());
                }
                query.fetch_all(&self.pool).await?
            }
        };
        Ok(rows
            .into_iter()
            .map(|(id, score)| (ChunkId(id), score))
            .collect())
    }
}
