//! The tenant's WhatsApp message templates: a copy of Meta's list, so a
//! send outside the 24-hour window can pick an approved template and fill
//! exactly its parameters without asking Meta first. A sync replaces the
//! copy whole; the status webhook keeps it current between syncs.

use crate::db::Store;
use crate::error::{Result, StoreError};
use chrono::{DateTime, TimeZone, Utc};
use domain::TenantId;
use std::collections::HashMap;

/// The status of a template that may be sent.
pub const TEMPLATE_APPROVED: &str = "APPROVED";

/// One template as Meta listed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTemplate {
    /// Meta's id of the template.
    pub template_id: Option<String>,
    pub name: String,
    pub language: String,
    pub category: String,
    pub status: String,
    /// The BODY text, placeholders and all.
    pub body: Option<String>,
    /// Distinct body placeholders: the parameters a send must fill.
    pub parameters: u32,
    /// The header's placeholders, or 1 for a media header.
    pub header_parameters: u32,
    /// Meta's components array, as JSON.
    pub components: String,
}

/// A stored template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTemplate {
    pub id: i64,
    pub tenant_id: TenantId,
    /// The business account the template is in.
    pub waba_id: String,
    pub template_id: Option<String>,
    pub name: String,
    pub language: String,
    pub category: String,
    pub status: String,
    /// Meta's reason with the latest status webhook, if it gave one.
    pub reason: Option<String>,
    pub body: Option<String>,
    pub parameters: u32,
    pub header_parameters: u32,
    pub components: String,
    pub updated_at: DateTime<Utc>,
}

impl StoredTemplate {
    /// Whether the template may be sent now.
    pub fn is_approved(&self) -> bool {
        self.status == TEMPLATE_APPROVED
    }
}

/// What a sync did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TemplateSync {
    /// Templates stored (every one listed, once per name and language).
    pub stored: usize,
    /// Of those, how many are approved.
    pub approved: usize,
    /// Templates stored before and no longer listed, now removed.
    pub removed: usize,
}

/// A `message_template_status_update` webhook, as it applies to storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateStatusUpdate {
    /// The business account the webhook came for (`entry[].id`).
    pub waba_id: String,
    pub template_id: Option<String>,
    pub name: Option<String>,
    pub language: Option<String>,
    /// The new status; `None` for an event that keeps it (a quality flag),
    /// which still records its reason.
    pub status: Option<String>,
    pub reason: Option<String>,
}

const COLUMNS: &str = "id, tenant_id, waba_id, template_id, name, language, category, status, reason, body, parameters, header_parameters, components, updated_at";

type Row = (
    i64,
    i64,
    String,
    Option<String>,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    i64,
    i64,
    String,
    i64,
);

fn template(row: Row) -> StoredTemplate {
    StoredTemplate {
        id: row.0,
        tenant_id: TenantId(row.1),
        waba_id: row.2,
        template_id: row.3,
        name: row.4,
        language: row.5,
        category: row.6,
        status: row.7,
        reason: row.8,
        body: row.9,
        parameters: u32::try_from(row.10).unwrap_or(0),
        header_parameters: u32::try_from(row.11).unwrap_or(0),
        components: row.12,
        updated_at: Utc.timestamp_opt(row.13, 0).single().unwrap_or_default(),
    }
}

impl Store {
    /// Replaces the tenant's templates with `templates`, listed from the
    /// business account `waba_id`, in one transaction: a template no
    /// longer listed is removed, and a list read halfway is never stored.
    /// A name and language listed twice is stored once (the later wins).
    pub async fn sync_templates(
        &self,
        tenant: TenantId,
        waba_id: &str,
        templates: &[NewTemplate],
        now: DateTime<Utc>,
    ) -> Result<TemplateSync> {
        let waba_id = waba_id.trim();
        if waba_id.is_empty() {
            return Err(StoreError::Invalid(
                "templates are listed from a WhatsApp Business Account: its id is needed".into(),
            ));
        }
        if templates
            .iter()
            .any(|t| t.name.trim().is_empty() || t.language.trim().is_empty())
        {
            return Err(StoreError::Invalid(
                "every template has a name and a language".into(),
            ));
        }
        let mut tx = self.begin_write().await?;
        tx.leaves_searches();
        let before: Vec<(String, String)> =
            sqlx::query_as("SELECT name, language FROM whatsapp_templates WHERE tenant_id = $1")
                .bind(tenant.0)
                .fetch_all(&mut **tx)
                .await?;
        sqlx::query("DELETE FROM whatsapp_templates WHERE tenant_id = $1")
            .bind(tenant.0)
            .execute(&mut **tx)
            .await?;
        for new in templates {
            sqlx::query(
                "INSERT INTO whatsapp_templates (tenant_id, waba_id, template_id, name, language, category, status, body, parameters, header_parameters, components, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                 ON CONFLICT (tenant_id, name, language) DO UPDATE SET
                     template_id = excluded.template_id, category = excluded.category,
                     status = excluded.status, body = excluded.body,
                     parameters = excluded.parameters,
                     header_parameters = excluded.header_parameters,
                     components = excluded.components, updated_at = excluded.updated_at",
            )
            .bind(tenant.0)
            .bind(waba_id)
            .bind(new.template_id.as_deref())
            .bind(&new.name)
            .bind(&new.language)
            .bind(&new.category)
            .bind(&new.status)
            .bind(new.body.as_deref())
            .bind(i64::from(new.parameters))
            .bind(i64::from(new.header_parameters))
            .bind(&new.components)
            .bind(now.timestamp())
            .execute(&mut **tx)
            .await?;
        }
        tx.commit().await?;
        // The later of a repeated name and language is the one kept.
        let listed: HashMap<(&str, &str), &str> = templates
            .iter()
            .map(|t| ((t.name.as_str(), t.language.as_str()), t.status.as_str()))
            .collect();
        Ok(TemplateSync {
            stored: listed.len(),
            approved: listed
                .values()
                .filter(|status| **status == TEMPLATE_APPROVED)
                .count(),
            removed: before
                .iter()
                .filter(|(name, language)| {
                    !listed.contains_key(&(name.as_str(), language.as_str()))
                })
                .count(),
        })
    }

    /// Applies a template status webhook to the templates of the tenants
    /// whose numbers are in `update.waba_id`, found by name and language
    /// (or by Meta's id when the webhook names neither). Whether a stored
    /// template was changed: an account no number is in, or a template no
    /// sync has stored yet, changes nothing (the next sync lists it with
    /// its status).
    pub async fn set_template_status(
        &self,
        update: &TemplateStatusUpdate,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let waba_id = update.waba_id.trim();
        let by_name = update.name.as_deref().zip(update.language.as_deref());
        if waba_id.is_empty() || (by_name.is_none() && update.template_id.is_none()) {
            return Ok(false);
        }
        let _turn = self.writer_turn().await;
        let changed = sqlx::query(
            "UPDATE whatsapp_templates SET status = COALESCE($1, status), reason = $2, updated_at = $3
             WHERE waba_id = $4
               AND tenant_id IN (SELECT tenant_id FROM whatsapp_numbers WHERE waba_id = $4)
               AND ((name = $5 AND language = $6) OR template_id = $7)",
        )
        .bind(update.status.as_deref())
        .bind(update.reason.as_deref())
        .bind(now.timestamp())
        .bind(waba_id)
        .bind(by_name.map(|(name, _)| name))
        .bind(by_name.map(|(_, language)| language))
        .bind(update.template_id.as_deref())
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(changed > 0)
    }

    /// The tenant's templates, by name and language.
    pub async fn templates(&self, tenant: TenantId) -> Result<Vec<StoredTemplate>> {
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM whatsapp_templates WHERE tenant_id = $1 ORDER BY name, language"
        ))
        .bind(tenant.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(template).collect())
    }

    /// The tenant's template `name` in `language`, if it is approved: the
    /// only kind Meta sends.
    pub async fn approved_template(
        &self,
        tenant: TenantId,
        name: &str,
        language: &str,
    ) -> Result<Option<StoredTemplate>> {
        let row: Option<Row> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM whatsapp_templates
             WHERE tenant_id = $1 AND name = $2 AND language = $3 AND status = $4"
        ))
        .bind(tenant.0)
        .bind(name)
        .bind(language)
        .bind(TEMPLATE_APPROVED)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(template))
    }
}
