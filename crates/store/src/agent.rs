//! The agent's settings per tenant, what each agent turn did, and usage of
//! the LLM and embedding endpoints per tenant and day.

use crate::db::Store;
use crate::error::Result;
use chrono::{DateTime, NaiveDate, Utc};
use domain::{ConversationId, TenantId};

/// The longest instructions an owner can give the agent (they are sent
/// with every turn, so they cost tokens every time).
pub const MAX_INSTRUCTIONS_CHARS: usize = 4000;

/// A tenant's agent settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentSettings {
    /// On unless the tenant switched it off (it only runs when an LLM is
    /// configured at all).
    pub enabled: bool,
    /// The owner's instructions ("answer in formal Indonesian").
    pub instructions: String,
}

impl Default for AgentSettings {
    fn default() -> Self {
        AgentSettings {
            enabled: true,
            instructions: String::new(),
        }
    }
}

/// Usage to add to a tenant's day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UsageDelta {
    pub model_calls: i64,
    pub tokens_in: i64,
    pub tokens_out: i64,
    pub embedding_tokens: i64,
    pub fallbacks: i64,
}

/// One tenant's usage on one day (UTC).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageDay {
    pub day: NaiveDate,
    pub usage: UsageDelta,
}

/// How an agent turn ended, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentTurnRecord<'a> {
    pub conversation: ConversationId,
    /// `answered`, `handed_off` or `fallback`.
    pub outcome: &'a str,
    /// Why it fell back (`deadline`, `endpoint`…), for a fallback.
    pub reason: Option<&'a str>,
    pub model_calls: i64,
    pub tokens_in: i64,
    pub tokens_out: i64,
    /// The tool calls, as JSON.
    pub tools: &'a str,
}

impl Store {
    /// The tenant's agent settings (the defaults when never set).
    pub async fn agent_settings(&self, tenant: TenantId) -> Result<AgentSettings> {
        let row: Option<(i64, String)> =
            sqlx::query_as("SELECT enabled, instructions FROM agent_settings WHERE tenant_id = $1")
                .bind(tenant.0)
                .fetch_optional(&self.pool)
                .await?;
        Ok(
            row.map_or_else(AgentSettings::default, |(enabled, instructions)| {
                AgentSettings {
                    enabled: enabled != 0,
                    instructions,
                }
            }),
        )
    }

    /// Switches the tenant's agent on or off.
    pub async fn set_agent_enabled(
        &self,
        tenant: TenantId,
        enabled: bool,
        now: DateTime<Utc>,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO agent_settings (tenant_id, enabled, updated_at) VALUES ($1, $2, $3)
             ON CONFLICT (tenant_id) DO UPDATE SET enabled = $2, updated_at = $3",
        )
        .bind(tenant.0)
        .bind(i64::from(enabled))
        .bind(now.timestamp())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Sets the owner's instructions (at most [`MAX_INSTRUCTIONS_CHARS`]).
    pub async fn set_agent_instructions(
        &self,
        tenant: TenantId,
        instructions: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let instructions = instructions.replace('\0', "");
        let instructions = instructions.trim();
        if instructions.chars().count() > MAX_INSTRUCTIONS_CHARS {
            return Err(crate::StoreError::Invalid(format!(
                "the instructions are too long ({} characters, at most {MAX_INSTRUCTIONS_CHARS})",
                instructions.chars().count()
            )));
        }
        sqlx::query(
            "INSERT INTO agent_settings (tenant_id, instructions, updated_at) VALUES ($1, $2, $3)
             ON CONFLICT (tenant_id) DO UPDATE SET instructions = $2, updated_at = $3",
        )
        .bind(tenant.0)
        .bind(instructions)
        .bind(now.timestamp())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Adds usage to the tenant's day (UTC) of `at`.
    pub async fn add_usage(
        &self,
        tenant: TenantId,
        at: DateTime<Utc>,
        delta: UsageDelta,
    ) -> Result<()> {
        if delta == UsageDelta::default() {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO usage_daily
                 (tenant_id, day, model_calls, tokens_in, tokens_out, embedding_tokens, fallbacks)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (tenant_id, day) DO UPDATE SET
                 model_calls = usage_daily.model_calls + $3,
                 tokens_in = usage_daily.tokens_in + $4,
                 tokens_out = usage_daily.tokens_out + $5,
                 embedding_tokens = usage_daily.embedding_tokens + $6,
                 fallbacks = usage_daily.fallbacks + $7",
        )
        .bind(tenant.0)
        .bind(at.date_naive().to_string())
        .bind(delta.model_calls)
        .bind(delta.tokens_in)
        .bind(delta.tokens_out)
        .bind(delta.embedding_tokens)
        .bind(delta.fallbacks)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The tenant's usage per day from `from` to `to` (inclusive), oldest
    /// first; days without usage are left out.
    pub async fn usage(
        &self,
        tenant: TenantId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<UsageDay>> {
        type Row = (String, i64, i64, i64, i64, i64);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT day, model_calls, tokens_in, tokens_out, embedding_tokens, fallbacks
             FROM usage_daily WHERE tenant_id = $1 AND day >= $2 AND day <= $3 ORDER BY day",
        )
        .bind(tenant.0)
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(
                |(day, model_calls, tokens_in, tokens_out, embedding_tokens, fallbacks)| {
                    Some(UsageDay {
                        day: day.parse().ok()?,
                        usage: UsageDelta {
                            model_calls,
                            tokens_in,
                            tokens_out,
                            embedding_tokens,
                            fallbacks,
                        },
                    })
                },
            )
            .collect())
    }

    /// Records how an agent turn ended.
    pub async fn record_agent_turn(
        &self,
        tenant: TenantId,
        record: AgentTurnRecord<'_>,
        at: DateTime<Utc>,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO agent_turns
                 (tenant_id, conversation_id, outcome, reason, model_calls, tokens_in, tokens_out, tools, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(tenant.0)
        .bind(record.conversation.0)
        .bind(record.outcome)
        .bind(record.reason)
        .bind(record.model_calls)
        .bind(record.tokens_in)
        .bind(record.tokens_out)
        .bind(record.tools)
        .bind(at.timestamp())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The outcomes of a conversation's agent turns, oldest first, as
    /// `(outcome, reason)`.
    pub async fn agent_turns(
        &self,
        tenant: TenantId,
        conversation: ConversationId,
    ) -> Result<Vec<(String, Option<String>)>> {
        Ok(sqlx::query_as(
            "SELECT outcome, reason FROM agent_turns
             WHERE tenant_id = $1 AND conversation_id = $2 ORDER BY id",
        )
        .bind(tenant.0)
        .bind(conversation.0)
        .fetch_all(&self.pool)
        .await?)
    }
}
