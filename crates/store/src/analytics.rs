//! What the analytics page reads besides bookings: how many conversations
//! the bot finished on its own.

use crate::db::Store;
use crate::error::Result;
use chrono::{DateTime, Utc};
use domain::TenantId;

/// Conversations in which a customer wrote during a range, and how many
/// of them a person stepped into.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ConversationOutcomes {
    pub total: i64,
    /// A staff member wrote in it during the range, or it is handed to a
    /// person since a moment in the range.
    pub with_person: i64,
}

impl ConversationOutcomes {
    /// Finished by the bot alone.
    pub fn bot_only(&self) -> i64 {
        self.total - self.with_person
    }
}

impl Store {
    /// Counts the tenant's conversations with a customer message in
    /// `from..to`, and those a person took part in over the same range.
    pub async fn conversation_outcomes(
        &self,
        tenant: TenantId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<ConversationOutcomes> {
        let (total, with_person): (i64, Option<i64>) = sqlx::query_as(
            "SELECT COUNT(*),
                    SUM(CASE WHEN (c.handoff_at >= $2 AND c.handoff_at < $3)
                               OR EXISTS (SELECT 1 FROM messages s
                                          WHERE s.conversation_id = c.id AND s.tenant_id = c.tenant_id
                                            AND s.author_user_id IS NOT NULL
                                            AND s.created_at >= $2 AND s.created_at < $3)
                             THEN 1 ELSE 0 END)
             FROM conversations c
             WHERE c.tenant_id = $1
               AND EXISTS (SELECT 1 FROM messages m
                           WHERE m.conversation_id = c.id AND m.tenant_id = c.tenant_id
                             AND m.direction = 'in'
                             AND m.created_at >= $2 AND m.created_at < $3)",
        )
        .bind(tenant.0)
        .bind(from.timestamp())
        .bind(to.timestamp())
        .fetch_one(&self.pool)
        .await?;
        Ok(ConversationOutcomes {
            total,
            with_person: with_person.unwrap_or(0),
        })
    }
}
