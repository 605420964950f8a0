//! The kinds of space a venue defines for itself, and the words its
//! customers use for them (the bot reads them as it reads "futsal").

use crate::db::{Backend, Store};
use crate::error::{Result, StoreError};
use domain::resource::{
    is_kind_key, kind_key, shared_phrase, CheckedKind, VenueKind, MAX_VENUE_KINDS,
};
use domain::{ResourceKind, TenantId};

/// A venue kind with its words and how many resources (archived ones too)
/// are of it: a kind in use cannot be deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredKind {
    pub kind: VenueKind,
    pub words: Vec<String>,
    pub resources: i64,
}

type KindRow = (String, String, String, String, i64);

fn stored(row: KindRow) -> StoredKind {
    let (key, name_en, name_id, words, resources) = row;
    StoredKind {
        kind: VenueKind {
            key,
            name_en,
            name_id,
        },
        words: words
            .lines()
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect(),
        resources,
    }
}

const KIND_SELECT: &str = "SELECT k.key, k.name_en, k.name_id, k.words,
        (SELECT COUNT(*) FROM resources r WHERE r.tenant_id = k.tenant_id AND r.kind = k.key)
     FROM resource_kinds k WHERE k.tenant_id = $1";

impl Store {
    /// The venue's own kinds, by name.
    pub async fn resource_kinds(&self, tenant: TenantId) -> Result<Vec<StoredKind>> {
        let rows: Vec<KindRow> =
            sqlx::query_as(&format!("{KIND_SELECT} ORDER BY k.name_en, k.key"))
                .bind(tenant.0)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(stored).collect())
    }

    /// The kind a resource form names: a built-in one, or one of the
    /// venue's own by its key (`Invalid` when it has none by that key).
    pub async fn resolve_kind(&self, tenant: TenantId, name: &str) -> Result<ResourceKind> {
        if let Ok(kind) = name.parse::<ResourceKind>() {
            return Ok(kind);
        }
        // Only the shape of a key reaches the database (no NUL, no 1 MB).
        if !is_kind_key(name.trim()) {
            return Err(StoreError::Invalid(format!(
                "unknown resource type {:?}",
                name.chars().take(40).collect::<String>()
            )));
        }
        let row: Option<KindRow> = sqlx::query_as(&format!("{KIND_SELECT} AND k.key = $2"))
            .bind(tenant.0)
            .bind(name.trim())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| ResourceKind::Custom(stored(row).kind))
            .ok_or_else(|| StoreError::Invalid(format!("unknown resource type {name:?}")))
    }

    /// Adds a kind. Its key comes from its English name, so two kinds
    /// cannot share a name (`Duplicate`); at most [`MAX_VENUE_KINDS`].
    pub async fn create_resource_kind(
        &self,
        tenant: TenantId,
        kind: &CheckedKind,
    ) -> Result<StoredKind> {
        let mut tx = self.begin_write().await?;
        tx.touches(tenant);
        // One venue's kind writes take turns (the row lock on PostgreSQL,
        // the single writer on SQLite), so racing additions cannot pass
        // the cap together.
        lock_tenant(&mut tx, self.backend(), tenant).await?;
        let count: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM resource_kinds WHERE tenant_id = $1")
                .bind(tenant.0)
                .fetch_one(&mut **tx)
                .await?;
        if count >= MAX_VENUE_KINDS as i64 {
            return Err(StoreError::Invalid(format!(
                "a venue has at most {MAX_VENUE_KINDS} kinds of its own"
            )));
        }
        refuse_shared_words(&mut tx, tenant, kind).await?;
        sqlx::query(
            "INSERT INTO resource_kinds (tenant_id, key, name_en, name_id, words)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(tenant.0)
        .bind(&kind.kind.key)
        .bind(&kind.kind.name_en)
        .bind(&kind.kind.name_id)
        .bind(kind.words.join("\n"))
        .execute(&mut **tx)
        .await
        .map_err(|e| StoreError::from_write(e, "there is already a kind with this name"))?;
        tx.commit().await?;
        Ok(StoredKind {
            kind: kind.kind.clone(),
            words: kind.words.clone(),
            resources: 0,
        })
    }

    /// Renames a kind or changes its words; its key (and so its resources)
    /// stay. The bot reads the new words from its next message on.
    pub async fn update_resource_kind(
        &self,
        tenant: TenantId,
        kind: &CheckedKind,
    ) -> Result<StoredKind> {
        let mut tx = self.begin_write().await?;
        tx.touches(tenant);
        lock_tenant(&mut tx, self.backend(), tenant).await?;
        // A new name may not be another kind's (by name or by the key it
        // would make), or two kinds would read as one.
        let clash: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM resource_kinds
             WHERE tenant_id = $1 AND key <> $2 AND (lower(name_en) = lower($3) OR key = $4)",
        )
        .bind(tenant.0)
        .bind(&kind.kind.key)
        .bind(&kind.kind.name_en)
        .bind(kind_key(&kind.kind.name_en))
        .fetch_one(&mut **tx)
        .await?;
        if clash > 0 {
            return Err(StoreError::Duplicate(
                "there is already a kind with this name".into(),
            ));
        }
        let done = sqlx::query(
            "UPDATE resource_kinds SET name_en = $1, name_id = $2, words = $3
             WHERE tenant_id = $4 AND key = $5",
        )
        .bind(&kind.kind.name_en)
        .bind(&kind.kind.name_id)
        .bind(kind.words.join("\n"))
        .bind(tenant.0)
        .bind(&kind.kind.key)
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        // After the update, so an unknown key is NotFound first; a clash
        // rolls the update back.
        refuse_shared_words(&mut tx, tenant, kind).await?;
        tx.commit().await?;
        // Resource names in replies and on the calendar carry the kind's
        // names: everything showing resources redraws.
        self.bookings_changed(tenant);
        let row: KindRow = sqlx::query_as(&format!("{KIND_SELECT} AND k.key = $2"))
            .bind(tenant.0)
            .bind(&kind.kind.key)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(stored(row))
    }

    /// Deletes a kind no resource is of (archived ones count: they keep
    /// their kind for their history).
    pub async fn delete_resource_kind(&self, tenant: TenantId, key: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        tx.touches(tenant);
        lock_kind(&mut tx, self.backend(), tenant, key).await?;
        // A new statement, so on PostgreSQL it sees a resource committed by
        // a writer that held the kind's row before us.
        let used: Vec<(String, i64)> = sqlx::query_as(
            "SELECT name, CASE WHEN active THEN 0 ELSE 1 END FROM resources
             WHERE tenant_id = $1 AND kind = $2 ORDER BY name",
        )
        .bind(tenant.0)
        .bind(key)
        .fetch_all(&mut **tx)
        .await?;
        let used: Vec<(String, bool)> = used
            .into_iter()
            .map(|(name, archived)| (name, archived == 1))
            .collect();
        if !used.is_empty() {
            return Err(StoreError::Invalid(in_use(&used)));
        }
        sqlx::query("DELETE FROM resource_kinds WHERE tenant_id = $1 AND key = $2")
            .bind(tenant.0)
            .bind(key)
            .execute(&mut **tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Why a kind cannot go yet, naming what is of it (archived resources
/// too, which must be restored to be edited), the names quoted so a
/// translated refusal keeps them.
fn in_use(used: &[(String, bool)]) -> String {
    const NAMED: usize = 3;
    let mut names: Vec<String> = used
        .iter()
        .take(NAMED)
        .map(|(name, archived)| {
            let name: String = name.chars().take(80).collect();
            if *archived {
                format!("“{name}” (archived)")
            } else {
                format!("“{name}”")
            }
        })
        .collect();
    if used.len() > NAMED {
        names.push(format!("{} more", used.len() - NAMED));
    }
    let archived = if used.iter().any(|(_, archived)| *archived) {
        " (restore an archived one to edit it)"
    } else {
        ""
    };
    format!(
        "still of this kind, so give them another kind first{archived}: {}",
        names.join(", ")
    )
}

/// `WordTaken` when a name or word of `kind` is already another kind's.
/// Read inside the write, after the tenant's lock, so two saves cannot
/// both take a word.
async fn refuse_shared_words(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    tenant: TenantId,
    kind: &CheckedKind,
) -> Result<()> {
    let rows: Vec<KindRow> = sqlx::query_as(KIND_SELECT)
        .bind(tenant.0)
        .fetch_all(&mut **tx)
        .await?;
    let others: Vec<StoredKind> = rows.into_iter().map(stored).collect();
    match shared_phrase(kind, others.iter().map(|o| (&o.kind, o.words.as_slice()))) {
        Some((word, other)) => Err(StoreError::WordTaken {
            word,
            kind: other.name_en.clone(),
        }),
        None => Ok(()),
    }
}

async fn lock_tenant(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    backend: Backend,
    tenant: TenantId,
) -> Result<()> {
    let lock = backend.for_update("");
    sqlx::query_scalar::<_, i64>(&format!("SELECT id FROM tenants WHERE id = $1{lock}"))
        .bind(tenant.0)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(())
}

/// Checks, inside a write, that a resource's kind still exists, and on
/// PostgreSQL holds the venue kind's row until commit, so a deletion of the
/// kind waits for this write and then sees the resource.
pub(crate) async fn lock_kind(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    backend: Backend,
    tenant: TenantId,
    key: &str,
) -> Result<()> {
    let lock = backend.for_update("");
    sqlx::query_scalar::<_, String>(&format!(
        "SELECT key FROM resource_kinds WHERE tenant_id = $1 AND key = $2{lock}"
    ))
    .bind(tenant.0)
    .bind(key)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    Ok(())
}

/// [`lock_kind`] for a resource's kind when it is one of the venue's own;
/// `Invalid` when that kind was deleted meanwhile.
pub(crate) async fn ensure_kind(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    backend: Backend,
    tenant: TenantId,
    kind: &ResourceKind,
) -> Result<()> {
    match kind {
        ResourceKind::Custom(kind) => {
            lock_kind(tx, backend, tenant, &kind.key)
                .await
                .map_err(|e| match e {
                    StoreError::NotFound => {
                        StoreError::Invalid(format!("unknown resource type {:?}", kind.key))
                    }
                    other => other,
                })
        }
        _ => Ok(()),
    }
}
