//! WhatsApp numbers and messages as the webhook stores them, for the
//! tests of the inbound queue and its batches.

use super::now;
use chrono::{TimeZone, Utc};
use domain::PhoneE164;
use store::{InboundEffect, NewInbound, NewWhatsappNumber, Store, WhatsappNumber};

pub fn new_number(id: &str) -> NewWhatsappNumber {
    NewWhatsappNumber {
        phone_number_id: id.into(),
        waba_id: Some("102290129340398".into()),
        display_phone: Some("+62 21 555 0100".into()),
        token_sealed: "v1:sealed".into(),
        token_hint: "…abcd".into(),
    }
}

pub fn text(id: &str, body: &str, seconds: i64) -> NewInbound {
    NewInbound {
        external_id: id.into(),
        phone: PhoneE164::parse("+6281255550001").expect("phone"),
        profile_name: Some("Sheena".into()),
        sent_at: Utc
            .timestamp_opt(1_764_000_000 + seconds, 0)
            .single()
            .expect("t"),
        kind: "text".into(),
        body: body.into(),
        payload: format!(r#"{{"id":"{id}","type":"text","text":{{"body":"{body}"}}}}"#),
        queue: true,
        effect: InboundEffect::None,
    }
}

pub async fn connected(store: &Store) -> WhatsappNumber {
    let tenant = store::demo::seed_demo(store).await.expect("seed").tenant_id;
    store
        .connect_whatsapp_number(tenant, &new_number("1122334455667"), now())
        .await
        .expect("connected")
}

pub async fn count(store: &Store, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(store.pool())
        .await
        .expect("count")
}

/// Admits every queued message, as the worker does; a message the bot
/// answers leaves the queue as a recorded turn would take it.
pub async fn admit_all(store: &Store) -> usize {
    let mut admitted = 0;
    while let Some(queued) = store.claim_inbound(now()).await.expect("claim") {
        if store
            .admit_inbound(&queued, now())
            .await
            .expect("admit")
            .is_some()
        {
            admitted += 1;
        }
        sqlx::query("DELETE FROM inbound_queue WHERE id = $1")
            .bind(queued.id)
            .execute(store.pool())
            .await
            .expect("done");
    }
    admitted
}

pub fn from(phone: &str, id: &str, seconds: i64) -> NewInbound {
    NewInbound {
        phone: PhoneE164::parse(phone).expect("phone"),
        ..text(id, "halo", seconds)
    }
}
