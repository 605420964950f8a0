//! Vectors kept in the database and searched exactly, per tenant, in
//! memory: a venue's few thousand passages are a few megabytes, and an
//! exact scan of them takes well under a millisecond.
//!
//! Each process keeps a copy of the tenants' vectors it searched lately,
//! and reads them again when the tenant's knowledge generation (bumped in
//! the same transaction as every change, by whichever replica) moved.

use domain::{ChunkId, OutletId, TenantId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use store::{Store, StoreError, StoredVectors};

/// Tenants whose vectors one process keeps at once (about 7 MB each at
/// 5,000 passages of 384 dimensions).
const MAX_TENANTS: usize = 64;

struct Loaded {
    generation: i64,
    vectors: StoredVectors,
    /// The length of each vector, for cosine similarity.
    norms: Vec<f32>,
    used: std::time::Instant,
}

/// Loaded vectors by tenant and model.
type LoadedMap = HashMap<(TenantId, String), Arc<Loaded>>;

/// The in-memory copies, shared by clones.
#[derive(Default, Clone)]
pub struct MemoryVectors {
    loaded: Arc<Mutex<LoadedMap>>,
}

impl std::fmt::Debug for MemoryVectors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MemoryVectors")
    }
}

impl MemoryVectors {
    /// The `k` passages of the tenant (of `outlet` or the whole tenant)
    /// nearest to `query`, with their cosine similarity, best first.
    pub async fn search(
        &self,
        store: &Store,
        tenant: TenantId,
        model: &str,
        outlet: Option<OutletId>,
        query: &[f32],
        k: usize,
    ) -> Result<Vec<(ChunkId, f32)>, StoreError> {
        let loaded = self.load(store, tenant, model).await?;
        Ok(nearest(&loaded, outlet, query, k))
    }

    async fn load(
        &self,
        store: &Store,
        tenant: TenantId,
        model: &str,
    ) -> Result<Arc<Loaded>, StoreError> {
        let generation = store.knowledge_generation(tenant).await?;
        let key = (tenant, model.to_string());
        if let Some(found) = self.lock().get(&key) {
            if found.generation == generation {
                return Ok(Arc::clone(found));
            }
        }
        // Read outside the lock; two searches may both read, which is
        // harmless.
        let vectors = store.tenant_vectors(tenant, model).await?;
        let norms = vectors
            .values
            .chunks(vectors.dimensions.max(1))
            .map(|v| v.iter().map(|x| x * x).sum::<f32>().sqrt())
            .collect();
        let loaded = Arc::new(Loaded {
            generation,
            vectors,
            norms,
            used: std::time::Instant::now(),
        });
        let mut map = self.lock();
        if map.len() >= MAX_TENANTS && !map.contains_key(&key) {
            if let Some(oldest) = map
                .iter()
                .min_by_key(|(_, l)| l.used)
                .map(|(k, _)| k.clone())
            {
                map.remove(&oldest);
            }
        }
        map.insert(key, Arc::clone(&loaded));
        Ok(loaded)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LoadedMap> {
        self.loaded
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn nearest(
    loaded: &Loaded,
    outlet: Option<OutletId>,
    query: &[f32],
    k: usize,
) -> Vec<(ChunkId, f32)> {
    let vectors = &loaded.vectors;
    if vectors.dimensions == 0 || query.len() != vectors.dimensions || k == 0 {
        return Vec::new();
    }
    let query_norm = query.iter().map(|x| x * x).sum::<f32>().sqrt();
    if query_norm == 0.0 {
        return Vec::new();
    }
    let mut scored: Vec<(ChunkId, f32)> = vectors
        .values
        .chunks_exact(vectors.dimensions)
        .zip(&vectors.chunks)
        .zip(&vectors.outlets)
        .zip(&loaded.norms)
        .filter(|(((_, _), o), _)| o.is_none() || outlet.is_none() || **o == outlet)
        .map(|(((v, id), _), norm)| {
            let dot: f32 = v.iter().zip(query).map(|(a, b)| a * b).sum();
            let similarity = if *norm == 0.0 {
                0.0
            } else {
                dot / (norm * query_norm)
            };
            (*id, similarity)
        })
        .collect();
    let k = k.min(scored.len());
    if k == 0 {
        return Vec::new();
    }
    scored.select_nth_unstable_by(k - 1, |a, b| b.1.total_cmp(&a.1));
    scored.truncate(k);
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    scored
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loaded(rows: &[(i64, Option<i64>, [f32; 2])]) -> Loaded {
        let vectors = StoredVectors {
            chunks: rows.iter().map(|r| ChunkId(r.0)).collect(),
            outlets: rows.iter().map(|r| r.1.map(OutletId)).collect(),
            values: rows.iter().flat_map(|r| r.2).collect(),
            dimensions: 2,
        };
        let norms = vectors
            .values
            .chunks(2)
            .map(|v| v.iter().map(|x| x * x).sum::<f32>().sqrt())
            .collect();
        Loaded {
            generation: 0,
            vectors,
            norms,
            used: std::time::Instant::now(),
        }
    }

    #[test]
    fn nearest_first_and_outlets_filter() {
        let l = loaded(&[
            (1, None, [1.0, 0.0]),
            (2, Some(7), [0.0, 1.0]),
            (3, Some(8), [0.6, 0.8]),
        ]);
        let hits = nearest(&l, None, &[0.0, 2.0], 2);
        assert_eq!(hits[0].0, ChunkId(2));
        assert!((hits[0].1 - 1.0).abs() < 1e-6);
        assert_eq!(hits[1].0, ChunkId(3));
        let hits = nearest(&l, Some(OutletId(8)), &[0.0, 1.0], 5);
        assert_eq!(
            hits.iter().map(|h| h.0).collect::<Vec<_>>(),
            vec![ChunkId(3), ChunkId(1)]
        );
        assert!(
            nearest(&l, None, &[1.0, 0.0, 0.0], 3).is_empty(),
            "wrong length"
        );
        assert!(nearest(&l, None, &[0.0, 0.0], 3).is_empty(), "zero query");
    }
}
