//! The dashboard's inbox: every conversation of a tenant with its newest
//! message, what staff have not read, and who answers it; one
//! conversation's messages with where each reply's delivery stands; the
//! customer's notes. Reads are scoped to the tenant like every other.

use crate::conversations::Channel;
use crate::handoff::{channel as channel_of, handoff_of, time, Handoff};
use crate::{Result, Store, StoreError};
use chrono::{DateTime, Utc};
use domain::{ConversationId, CustomerId, TenantId};

/// The most conversations one page of the inbox lists.
pub const INBOX_PAGE: i64 = 100;

/// The longest customer note kept.
pub const MAX_CUSTOMER_NOTES: usize = 2_000;

/// What the inbox lists.
#[derive(Debug, Clone, Default)]
pub struct InboxFilter {
    /// Only conversations a person has (the bot is silent in them).
    pub with_person: bool,
    /// Part of the customer's name or number.
    pub search: Option<String>,
    /// Only conversations whose newest message is older than this one's
    /// (the cursor of the page before).
    pub before_message: Option<i64>,
}

/// One line of the inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxRow {
    pub conversation: ConversationId,
    pub customer: CustomerId,
    pub channel: Channel,
    pub phone: String,
    pub customer_name: Option<String>,
    pub last_message_id: i64,
    pub last_body: String,
    pub last_from_customer: bool,
    pub last_at: DateTime<Utc>,
    /// Messages from the customer newer than what staff read.
    pub unread: i64,
    pub handoff: Option<Handoff>,
    /// The staff member answering, by name.
    pub handler_name: Option<String>,
}

/// A message of the inbox's thread, with its delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxMessage {
    pub id: i64,
    pub from_customer: bool,
    pub body: String,
    pub kind: String,
    pub payload: Option<String>,
    pub at: DateTime<Utc>,
    /// The staff member who wrote it (`None`: the bot, or the customer).
    pub author_name: Option<String>,
    /// Where its sending is: `queued`, `sending`, `sent`, `delivered`,
    /// `read`, `failed`; `None` for the customer's and the simulator's.
    pub delivery: Option<String>,
    /// Why it failed, as Meta (or Pesan) said.
    pub failure: Option<String>,
}

/// One conversation, for its page in the inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxThread {
    pub row: InboxRow,
    /// The newest messages, oldest first (at most `limit`).
    pub messages: Vec<InboxMessage>,
    /// When the customer last wrote (WhatsApp's 24-hour window runs from it).
    pub last_inbound_at: Option<DateTime<Utc>>,
    pub notes: String,
}

/// A hand-off still under way at `$7` (a Unix time): the bot answers again
/// once the quiet period after the later of the hand-off and the last
/// staff reply has passed (see `Handoff::returns_at`).
const HANDOFF_ACTIVE: &str = "v.handoff_at IS NOT NULL
    AND (CASE WHEN COALESCE(v.last_staff_at, 0) > v.handoff_at THEN v.last_staff_at ELSE v.handoff_at END)
        + t.handoff_quiet_minutes * 60 > $7";

/// The columns of [`FlatRow`], for the list and for one conversation.
const ROW_SELECT: &str = "SELECT v.id, c.id, v.channel, c.phone, COALESCE(c.name, c.whatsapp_name),
        m.id, m.body, m.direction, m.created_at,
        (SELECT COUNT(*) FROM messages u
         WHERE u.conversation_id = v.id AND u.direction = 'in' AND u.id > v.staff_read_id),
        v.handoff_at, v.handoff_reason, v.handler_user_id, v.last_staff_at, t.handoff_quiet_minutes,
        h.name
     FROM conversations v
     JOIN customers c ON c.id = v.customer_id AND c.tenant_id = v.tenant_id
     JOIN tenants t ON t.id = v.tenant_id
     JOIN messages m ON m.id = (SELECT MAX(x.id) FROM messages x WHERE x.conversation_id = v.id)
     LEFT JOIN users h ON h.id = v.handler_user_id AND h.tenant_id = v.tenant_id
     WHERE v.tenant_id = $1";

type FlatRow = (
    i64,
    i64,
    String,
    String,
    Option<String>,
    i64,
    String,
    String,
    i64,
    i64,
    Option<i64>,
    Option<String>,
    Option<i64>,
    Option<i64>,
    i64,
    Option<String>,
);

fn row(flat: FlatRow) -> Result<InboxRow> {
    let (id, customer, channel, phone, name, last_id, body, direction, at, unread) = (
        flat.0, flat.1, flat.2, flat.3, flat.4, flat.5, flat.6, flat.7, flat.8, flat.9,
    );
    Ok(InboxRow {
        conversation: ConversationId(id),
        customer: CustomerId(customer),
        channel: channel_of(&channel),
        phone,
        customer_name: name,
        last_message_id: last_id,
        last_body: body,
        last_from_customer: direction == "in",
        last_at: time(at)?,
        unread,
        handoff: handoff_of((flat.10, flat.11, flat.12, flat.13, flat.14))?,
        handler_name: flat.15,
    })
}

/// `%text%` for `LIKE`, its wildcards taken literally.
pub(crate) fn like_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

impl Store {
    /// The tenant's conversations, newest message first, one page of them.
    pub async fn inbox(
        &self,
        tenant: TenantId,
        filter: &InboxFilter,
        now: DateTime<Utc>,
    ) -> Result<Vec<InboxRow>> {
        let search = filter
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| s.chars().take(100).collect::<String>());
        // A number is searched by its digits, however it was typed.
        let digits = search.as_deref().map(|s| {
            s.chars()
                .filter(char::is_ascii_digit)
                .collect::<String>()
                .trim_start_matches('0')
                .to_string()
        });
        let sql = format!(
            "{ROW_SELECT}
               AND ($2 = 0 OR ({HANDOFF_ACTIVE}))
               AND ($3 IS NULL OR LOWER(COALESCE(c.name, '')) LIKE LOWER($3) ESCAPE '\\'
                    OR LOWER(COALESCE(c.whatsapp_name, '')) LIKE LOWER($3) ESCAPE '\\'
                    OR ($4 <> '' AND c.phone LIKE $4))
               AND ($5 IS NULL OR m.id < $5)
             ORDER BY m.id DESC LIMIT $6"
        );
        let rows: Vec<FlatRow> = sqlx::query_as(&sql)
            .bind(tenant.0)
            .bind(i64::from(filter.with_person))
            .bind(search.as_deref().map(like_pattern))
            .bind(
                digits
                    .as_deref()
                    .filter(|d| !d.is_empty())
                    .map_or(String::new(), |d| format!("%{d}%")),
            )
            .bind(filter.before_message)
            .bind(INBOX_PAGE)
            .bind(now.timestamp())
            .fetch_all(&self.pool)
            .await?;
        let mut list = Vec::with_capacity(rows.len());
        for flat in rows {
            let mut found = row(flat)?;
            // A hand-off whose quiet period ran out is the bot's again.
            if found.handoff.as_ref().is_some_and(|h| h.is_over(now)) {
                found.handoff = None;
                found.handler_name = None;
            }
            list.push(found);
        }
        Ok(list)
    }

    /// One conversation of the tenant with its newest `limit` messages.
    pub async fn inbox_thread(
        &self,
        tenant: TenantId,
        conversation: ConversationId,
        limit: i64,
        now: DateTime<Utc>,
    ) -> Result<InboxThread> {
        let flat: Option<FlatRow> = sqlx::query_as(&format!("{ROW_SELECT} AND v.id = $2"))
            .bind(tenant.0)
            .bind(conversation.0)
            .fetch_optional(&self.pool)
            .await?;
        let mut row = row(flat.ok_or(StoreError::NotFound)?)?;
        if row.handoff.as_ref().is_some_and(|h| h.is_over(now)) {
            row.handoff = None;
            row.handler_name = None;
        }
        type Message = (
            i64,
            String,
            String,
            String,
            Option<String>,
            i64,
            Option<String>,
            Option<String>,
            Option<i64>,
            Option<String>,
        );
        let mut messages: Vec<Message> = sqlx::query_as(
            "SELECT m.id, m.direction, m.body, m.kind, m.payload, m.created_at, u.name,
                    o.state, o.error_code, o.error_title
             FROM messages m
             LEFT JOIN users u ON u.id = m.author_user_id AND u.tenant_id = m.tenant_id
             LEFT JOIN outbox o ON o.message_id = m.id AND o.tenant_id = m.tenant_id
             WHERE m.tenant_id = $1 AND m.conversation_id = $2 AND m.deleted_at IS NULL
             ORDER BY m.id DESC LIMIT $3",
        )
        .bind(tenant.0)
        .bind(conversation.0)
        .bind(limit.clamp(1, 500))
        .fetch_all(&self.pool)
        .await?;
        messages.reverse();
        let last_inbound: Option<i64> = sqlx::query_scalar(
            "SELECT MAX(COALESCE(sent_at, created_at)) FROM messages
             WHERE tenant_id = $1 AND conversation_id = $2 AND direction = 'in'",
        )
        .bind(tenant.0)
        .bind(conversation.0)
        .fetch_one(&self.pool)
        .await?;
        let notes: String =
            sqlx::query_scalar("SELECT notes FROM customers WHERE tenant_id = $1 AND id = $2")
                .bind(tenant.0)
                .bind(row.customer.0)
                .fetch_one(&self.pool)
                .await?;
        let messages = messages
            .into_iter()
            .map(
                |(id, direction, body, kind, payload, at, author, state, code, title)| {
                    let failure =
                        (state.as_deref() == Some("failed")).then(|| match (code, title) {
                            (Some(code), Some(title)) => format!("{title} ({code})"),
                            (None, Some(title)) => title,
                            (Some(code), None) => format!("error {code}"),
                            (None, None) => String::new(),
                        });
                    Ok(InboxMessage {
                        id,
                        from_customer: direction == "in",
                        body,
                        kind,
                        payload,
                        at: time(at)?,
                        author_name: author,
                        delivery: state,
                        failure,
                    })
                },
            )
            .collect::<Result<Vec<_>>>()?;
        Ok(InboxThread {
            row,
            messages,
            last_inbound_at: last_inbound.map(time).transpose()?,
            notes,
        })
    }

    /// Staff have read the conversation up to message `up_to` (never
    /// moving the mark back); other screens hear of it.
    pub async fn mark_read(
        &self,
        tenant: TenantId,
        conversation: ConversationId,
        up_to: i64,
    ) -> Result<()> {
        let changed = sqlx::query(
            "UPDATE conversations SET staff_read_id = $1
             WHERE tenant_id = $2 AND id = $3 AND staff_read_id < $1",
        )
        .bind(up_to)
        .bind(tenant.0)
        .bind(conversation.0)
        .execute(&self.pool)
        .await?
        .rows_affected();
        if changed > 0 {
            self.conversations_changed(tenant);
        }
        Ok(())
    }

    /// Replaces what staff noted about a customer.
    pub async fn set_customer_notes(
        &self,
        tenant: TenantId,
        customer: CustomerId,
        notes: &str,
    ) -> Result<()> {
        let notes = notes.replace('\0', "");
        if notes.chars().count() > MAX_CUSTOMER_NOTES {
            return Err(StoreError::Invalid(format!(
                "notes are at most {MAX_CUSTOMER_NOTES} characters"
            )));
        }
        let changed =
            sqlx::query("UPDATE customers SET notes = $1 WHERE tenant_id = $2 AND id = $3")
                .bind(notes.trim())
                .bind(tenant.0)
                .bind(customer.0)
                .execute(&self.pool)
                .await?
                .rows_affected();
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        self.conversations_changed(tenant);
        Ok(())
    }

    /// The names customers gave (or WhatsApp shows) of these customers of
    /// the tenant, for labels; a customer without one is left out.
    pub async fn customer_names(
        &self,
        tenant: TenantId,
        customers: &[CustomerId],
    ) -> Result<std::collections::HashMap<CustomerId, String>> {
        let mut names = std::collections::HashMap::new();
        let mut ids: Vec<i64> = customers.iter().map(|c| c.0).collect();
        ids.sort_unstable();
        ids.dedup();
        // In chunks, so a week of many bookings stays within the bind limit.
        for chunk in ids.chunks(500) {
            let list = chunk
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(",");
            let rows: Vec<(i64, Option<String>)> = sqlx::query_as(&format!(
                "SELECT id, COALESCE(name, whatsapp_name) FROM customers
                 WHERE tenant_id = $1 AND id IN ({list})"
            ))
            .bind(tenant.0)
            .fetch_all(&self.pool)
            .await?;
            for (id, name) in rows {
                if let Some(name) = name.filter(|n| !n.trim().is_empty()) {
                    names.insert(CustomerId(id), name);
                }
            }
        }
        Ok(names)
    }

    /// How many conversations of the tenant wait for a person now: the
    /// badge on the inbox. A hand-off waits until a staff member took it
    /// and, after that, whenever the customer wrote last.
    pub async fn waiting_for_person(&self, tenant: TenantId, now: DateTime<Utc>) -> Result<i64> {
        let active = HANDOFF_ACTIVE.replace("$7", "$2");
        let count: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM conversations v
             JOIN tenants t ON t.id = v.tenant_id
             WHERE v.tenant_id = $1 AND {active}
               AND (v.handler_user_id IS NULL
                    OR (SELECT x.direction FROM messages x
                        WHERE x.conversation_id = v.id ORDER BY x.id DESC LIMIT 1) = 'in')"
        ))
        .bind(tenant.0)
        .bind(now.timestamp())
        .fetch_one(&self.pool)
        .await?;
        Ok(count)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_wildcards_are_literal() {
        assert_eq!(super::like_pattern("50%_a\\"), "%50\\%\\_a\\\\%");
    }
}
