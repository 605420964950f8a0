//! What Pesan posts to `POST {graph}/{version}/{phone_number_id}/messages`
//! and what it reads back. Every send carries `biz_opaque_callback_data`
//! naming the outbox row, which Meta echoes in that message's status
//! webhooks: how a sender that crashed after posting finds out whether
//! its post arrived.

use serde_json::Value;

/// The callback data of an outbox row.
pub fn callback_data(outbox_id: i64) -> String {
    format!("outbox:{outbox_id}")
}

/// The outbox row a status's callback data names.
pub fn outbox_id(callback_data: &str) -> Option<i64> {
    callback_data.strip_prefix("outbox:")?.parse().ok()
}

/// The message id Meta gave an accepted send (`messages[0].id`).
pub fn accepted_id(body: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let id = value.get("messages")?.get(0)?.get("id")?.as_str()?;
    (!id.is_empty()).then(|| id.to_string())
}

/// The URL a number's sends go to.
pub fn messages_url(graph_url: &str, version: &str, phone_number_id: &str) -> String {
    format!(
        "{}/{}/{}/messages",
        graph_url.trim_end_matches('/'),
        version,
        phone_number_id
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callback_data_names_the_outbox_row() {
        assert_eq!(callback_data(42), "outbox:42");
        assert_eq!(outbox_id("outbox:42"), Some(42));
        assert_eq!(outbox_id("outbox:x"), None);
        assert_eq!(outbox_id("42"), None);
    }

    #[test]
    fn accepted_ids_are_read_from_meta_answers() {
        let body = br#"{"messaging_product":"whatsapp","contacts":[{"input":"6281255550001","wa_id":"6281255550001"}],"messages":[{"id":"wamid.HBgLMTY0NjcwNDM1OTUVAgARGBI1RjQyNUE3NEYxMzAzMzQ5MkEA"}]}"#;
        assert_eq!(
            accepted_id(body).as_deref(),
            Some("wamid.HBgLMTY0NjcwNDM1OTUVAgARGBI1RjQyNUE3NEYxMzAzMzQ5MkEA")
        );
        assert_eq!(accepted_id(b"{}"), None);
        assert_eq!(accepted_id(br#"{"messages":[{"id":""}]}"#), None);
        assert_eq!(accepted_id(b"nonsense"), None);
        assert_eq!(
            messages_url("http://127.0.0.1:9/", "v23.0", "1122334455667"),
            "http://127.0.0.1:9/v23.0/1122334455667/messages"
        );
    }
}
