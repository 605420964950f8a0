//! Where passage vectors live: in the database, searched exactly in
//! memory (the default), or in Qdrant (for scale). Both answer the same
//! calls and pass the same conformance tests.

mod memory;
mod qdrant;

pub use memory::MemoryVectors;
pub use qdrant::{QdrantVectors, WHOLE_TENANT};

use domain::{ChunkId, DocumentId, OutletId, TenantId};
use store::Store;

/// Why a vector store call failed.
#[derive(Debug, thiserror::Error)]
pub enum VectorError {
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error("the vector store failed: {0}")]
    Remote(String),
}

/// One passage's vector, to store.
#[derive(Debug, Clone, PartialEq)]
pub struct PassageVector {
    pub chunk: ChunkId,
    pub outlet: Option<OutletId>,
    pub vector: Vec<f32>,
}

/// The vector store in use.
#[derive(Debug, Clone)]
pub enum Vectors {
    /// Vectors in the passages' own rows, scanned in memory.
    Database(MemoryVectors),
    /// Vectors in a Qdrant server, stored after the passages' rows.
    Qdrant(QdrantVectors),
}

impl Default for Vectors {
    fn default() -> Self {
        Vectors::Database(MemoryVectors::default())
    }
}

impl Vectors {
    /// True when vectors are written with the passages' rows (in the same
    /// transaction) rather than stored here afterwards.
    pub fn in_database(&self) -> bool {
        matches!(self, Vectors::Database(_))
    }

    /// Stores a document's vectors, replacing any it had (a no-op for the
    /// database store, which wrote them with the passages).
    pub async fn replace_document(
        &self,
        tenant: TenantId,
        document: DocumentId,
        model: &str,
        vectors: &[PassageVector],
    ) -> Result<(), VectorError> {
        match self {
            Vectors::Database(_) => Ok(()),
            Vectors::Qdrant(qdrant) => {
                qdrant
                    .replace_document(tenant, document, model, vectors)
                    .await
            }
        }
    }

    /// Deletes a document's vectors (a no-op for the database store,
    /// whose rows go with the passages).
    pub async fn delete_document(
        &self,
        tenant: TenantId,
        document: DocumentId,
    ) -> Result<(), VectorError> {
        match self {
            Vectors::Database(_) => Ok(()),
            Vectors::Qdrant(qdrant) => qdrant.delete_document(tenant, document).await,
        }
    }

    /// The `k` nearest passages of the tenant (of `outlet` and the whole
    /// tenant; all when `None`), with cosine similarity, best first; the
    /// database store reads `store`, Qdrant does not.
    pub async fn search(
        &self,
        store: &Store,
        tenant: TenantId,
        model: &str,
        outlet: Option<OutletId>,
        query: &[f32],
        k: usize,
    ) -> Result<Vec<(ChunkId, f32)>, VectorError> {
        match self {
            Vectors::Database(memory) => Ok(memory
                .search(store, tenant, model, outlet, query, k)
                .await?),
            Vectors::Qdrant(qdrant) => qdrant.search(tenant, model, outlet, query, k).await,
        }
    }
}
