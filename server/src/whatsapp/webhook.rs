//! `GET /webhooks/whatsapp` (Meta's subscription check) and
//! `POST /webhooks/whatsapp` (messages and statuses).
//!
//! A POST is checked against `X-Hub-Signature-256` over the raw bytes
//! before anything in it is read; then every message and status of the
//! delivery is stored in one transaction per business number (once each,
//! with the messages the bot answers queued) and the answer is 200 — the
//! bot's turn runs later, from the stored row. An error before the commit
//! answers 5xx, and Meta delivers again; after it, a repeat finds the
//! messages stored and changes nothing.

use super::WhatsappSettings;
use ::whatsapp::webhook::{Change, InboundKind, InboundMessage, MessagesChange};
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use booking::Services;
use chrono::{DateTime, TimeZone, Utc};
use domain::PhoneE164;
use http::{HeaderMap, StatusCode};
use serde_json::json;
use store::{InboundEffect, NewInbound, NewStatus, NewUserMessage};

/// The largest delivery taken: far above Meta's (a batch of updates is
/// tens of kilobytes); larger is 413 before the signature is checked.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The header Meta signs with. A NUL in a delivery is not refused (that
/// would only make Meta deliver it again for days): the text stored drops
/// it.
pub const SIGNATURE_HEADER: &str = "x-hub-signature-256";

fn refuse(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(json!({ "error": { "code": code, "message": message } })),
    )
        .into_response()
}

/// Meta's subscription check: `hub.mode=subscribe` with our verify token
/// is answered with `hub.challenge` as the plain body; anything else 403.
pub async fn verify(
    Extension(settings): Extension<WhatsappSettings>,
    RawQuery(query): RawQuery,
) -> Response {
    let forbidden = || (StatusCode::FORBIDDEN, "Forbidden").into_response();
    let Some(expected) = settings.verify_token else {
        return forbidden();
    };
    let mut mode = None;
    let mut token = None;
    let mut challenge = None;
    for (name, value) in form_pairs(query.as_deref().unwrap_or("")) {
        match name.as_str() {
            "hub.mode" => mode = Some(value),
            "hub.verify_token" => token = Some(value),
            "hub.challenge" => challenge = Some(value),
            _ => {}
        }
    }
    let token_matches =
        token.is_some_and(|t| constant_time_eq(t.as_bytes(), expected.expose().as_bytes()));
    // Meta's challenge is a number; anything else is not echoed back.
    let challenge = challenge.filter(|c| {
        !c.is_empty()
            && c.len() <= 128
            && c.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    });
    match (mode.as_deref(), token_matches, challenge) {
        (Some("subscribe"), true, Some(challenge)) => (
            StatusCode::OK,
            [(http::header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            challenge,
        )
            .into_response(),
        _ => forbidden(),
    }
}

/// `a=1&b=2` with `+` and `%XX` decoded; undecodable pairs are skipped.
fn form_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter_map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            Some((decode(name)?, decode(value)?))
        })
        .collect()
}

fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A delivery from Meta.
pub async fn receive(
    State(services): State<Services>,
    Extension(settings): Extension<WhatsappSettings>,
    headers: HeaderMap,
    request: axum::extract::Request,
) -> Response {
    let from = crate::body_guard::peer(request.extensions());
    let body = request.into_body();
    let Some(secret) = settings.app_secret.clone() else {
        tracing::error!("a WhatsApp webhook arrived but whatsapp_app_secret is not set; refused so Meta retries");
        return refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "whatsapp_not_configured",
            "This server has no WhatsApp app secret configured.",
        );
    };
    let signature = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok());
    // Without a signature nothing is read: an anonymous body would only
    // take room. A signed one is read within the budget every body shares,
    // and in time, held while it is handled.
    if signature.is_none_or(|s| !s.trim().starts_with("sha256=")) {
        return refuse(
            StatusCode::UNAUTHORIZED,
            "bad_signature",
            "X-Hub-Signature-256 is missing or does not match the body.",
        );
    }
    let (body, _held) = match crate::body_guard::read_body(body, from, MAX_BODY_BYTES).await {
        Ok(read) => read,
        Err(refused) => return refused,
    };
    if !::whatsapp::signature::verify(secret.expose().as_bytes(), &body, signature) {
        return refuse(
            StatusCode::UNAUTHORIZED,
            "bad_signature",
            "X-Hub-Signature-256 is missing or does not match the body.",
        );
    }
    let delivery = match ::whatsapp::webhook::parse(&body) {
        Ok(delivery) => delivery,
        Err(error) => {
            return refuse(StatusCode::BAD_REQUEST, "invalid_json", &error.to_string());
        }
    };
    let now = services.clock.now();
    for change in delivery.changes {
        let messages = match change {
            Change::Messages(messages) => messages,
            Change::TemplateStatus(update) => {
                if let Err(response) = template_status(&services, &update, now).await {
                    return response;
                }
                continue;
            }
            Change::Other { field } => {
                tracing::debug!(%field, "webhook field ignored");
                continue;
            }
        };
        if let Err(response) = store_change(&services, &settings, &messages, now).await {
            return response;
        }
    }
    (StatusCode::OK, Json(json!({ "ok": true }))).into_response()
}

/// Applies a template's review outcome to the stored copy of it. A status
/// for a template no sync stored (or of an account no number is in) is
/// acknowledged and ignored: the next `pesan whatsapp templates sync`
/// lists the template with its status then. Only a database error answers
/// 5xx, as for messages, so Meta delivers the update again.
async fn template_status(
    services: &Services,
    update: &::whatsapp::webhook::TemplateStatus,
    now: DateTime<Utc>,
) -> Result<(), Response> {
    let Some(waba_id) = update.waba_id.clone().filter(|id| !id.trim().is_empty()) else {
        tracing::warn!(event = %update.event, name = ?update.name, "template status update without an account id; ignored");
        return Ok(());
    };
    let clip = |text: &Option<String>| {
        text.as_deref()
            .map(|t| t.replace('\0', ""))
            .filter(|t| !t.trim().is_empty() && t != "NONE")
            .map(|t| t.chars().take(500).collect::<String>())
    };
    let change = store::TemplateStatusUpdate {
        waba_id,
        template_id: clip(&update.template_id),
        name: clip(&update.name),
        language: clip(&update.language),
        status: ::whatsapp::templates::status_after(&update.event),
        reason: clip(&update.reason),
    };
    match services.store.set_template_status(&change, now).await {
        Ok(true) => {
            tracing::info!(event = %update.event, name = ?update.name, language = ?update.language, "template status updated");
            Ok(())
        }
        Ok(false) => {
            tracing::info!(event = %update.event, name = ?update.name, waba_id = %change.waba_id,
                "status update for a template not stored; ignored until the next templates sync");
            Ok(())
        }
        Err(error) => {
            tracing::error!(%error, "storing a template status failed; Meta will deliver it again");
            Err(refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "The delivery could not be stored; deliver it again.",
            ))
        }
    }
}

/// Stores one change's messages and statuses for the number they came to;
/// a number no tenant connected is acknowledged and ignored.
async fn store_change(
    services: &Services,
    settings: &WhatsappSettings,
    change: &MessagesChange,
    now: DateTime<Utc>,
) -> Result<(), Response> {
    let unavailable = |error: store::StoreError| {
        tracing::error!(%error, "storing a WhatsApp delivery failed; Meta will deliver it again");
        refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "The delivery could not be stored; deliver it again.",
        )
    };
    let number = match services
        .store
        .whatsapp_number(&change.phone_number_id)
        .await
    {
        Ok(Some(number)) => number,
        Ok(None) => {
            tracing::warn!(phone_number_id = %change.phone_number_id, "webhook for a number no venue connected; ignored");
            return Ok(());
        }
        Err(error) => return Err(unavailable(error)),
    };
    let messages: Vec<NewInbound> = change
        .messages
        .iter()
        .filter_map(|message| inbound(change, message, now))
        .collect();
    // Senders Meta names only by their user id: kept apart, never dropped.
    let by_user_id: Vec<NewUserMessage> = change
        .messages
        .iter()
        .filter(|message| phone_of(message).is_none())
        .map(|message| NewUserMessage {
            external_id: message.id.clone(),
            user_id: message.from_user_id.clone(),
            profile_name: change
                .contacts
                .iter()
                .find(|c| c.user_id.is_some() && c.user_id == message.from_user_id)
                .and_then(|c| c.profile_name.clone()),
            sent_at: instant(message.timestamp, now),
            kind: message.kind.name().to_string(),
            payload: message.raw.to_string(),
        })
        .collect();
    if !by_user_id.is_empty() {
        tracing::warn!(
            count = by_user_id.len(),
            "WhatsApp messages from senders without a phone number were kept for staff; the bot does not answer them yet"
        );
        services
            .store
            .record_user_messages(&number, &by_user_id, now)
            .await
            .map_err(unavailable)?;
    }
    let statuses: Vec<NewStatus> = change
        .statuses
        .iter()
        .map(|status| NewStatus {
            wamid: status.message_id.clone(),
            callback_data: status.callback_data.clone(),
            state: status.state.as_str().to_string(),
            at: instant(status.timestamp, now),
            errors: (!status.errors.is_empty()).then(|| {
                serde_json::to_string(
                    &status
                        .errors
                        .iter()
                        .map(|e| json!({ "code": e.code, "title": e.summary() }))
                        .collect::<Vec<_>>(),
                )
                .unwrap_or_default()
            }),
        })
        .collect();
    let stored = services
        .store
        .record_whatsapp_inbound(&number, &messages, &statuses, now)
        .await
        .map_err(unavailable)?;
    bot::fault::point("mid_webhook");
    if stored.stored > 0 {
        settings.wake.notify_one();
    }
    tracing::info!(
        tenant = %number.tenant_id,
        stored = stored.stored,
        duplicates = stored.duplicates,
        statuses = stored.statuses,
        "WhatsApp delivery stored"
    );
    Ok(())
}

/// Meta's Unix time, or our receipt time when it is missing or absurd.
fn instant(seconds: i64, now: DateTime<Utc>) -> DateTime<Utc> {
    Utc.timestamp_opt(seconds, 0)
        .single()
        .filter(|at| (2000..=9999).contains(&chrono::Datelike::year(at)))
        .unwrap_or(now)
}

/// The sender's phone: international digits, never read against the
/// venue's region. `None` for a sender Meta names only by user id.
fn phone_of(message: &InboundMessage) -> Option<PhoneE164> {
    let digits = message.from.as_deref().unwrap_or("").trim();
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| PhoneE164::parse(&format!("+{digits}")).ok())
        .flatten()
}

/// The stored form of one message from a sender with a phone (the others
/// are kept apart, see `store_change`).
fn inbound(
    change: &MessagesChange,
    message: &InboundMessage,
    now: DateTime<Utc>,
) -> Option<NewInbound> {
    let phone = phone_of(message)?;
    let digits = message.from.as_deref().unwrap_or("").trim();
    let profile_name = change
        .contacts
        .iter()
        .find(|c| c.wa_id.as_deref() == Some(digits))
        .and_then(|c| c.profile_name.clone());
    let (queue, effect) = match &message.kind {
        InboundKind::Reaction { .. } | InboundKind::Edit { .. } => (false, InboundEffect::None),
        InboundKind::Revoke { message_id } => (
            false,
            message_id
                .clone()
                .map_or(InboundEffect::None, |external_id| InboundEffect::Revoke {
                    external_id,
                }),
        ),
        InboundKind::System { new_wa_id, .. } => (
            false,
            new_wa_id
                .as_deref()
                .and_then(|d| PhoneE164::parse(&format!("+{}", d.trim())).ok())
                .map_or(InboundEffect::None, |phone| InboundEffect::NumberChanged {
                    phone,
                }),
        ),
        _ => (true, InboundEffect::None),
    };
    Some(NewInbound {
        external_id: message.id.clone(),
        phone,
        profile_name: profile_name.map(|n| n.replace('\0', "")),
        sent_at: instant(message.timestamp, now),
        kind: message.kind.name().to_string(),
        body: thread_text(&message.kind).replace('\0', ""),
        // Serialized JSON writes a NUL as the six characters `\u0000`.
        payload: message.raw.to_string(),
        queue,
        effect,
    })
}

/// What the thread shows for a message.
fn thread_text(kind: &InboundKind) -> String {
    match kind {
        InboundKind::Media { caption, .. } => caption.clone().unwrap_or_default(),
        InboundKind::Location {
            name,
            address,
            latitude,
            longitude,
        } => {
            let place = [name.as_deref(), address.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
            if place.is_empty() {
                format!("{latitude}, {longitude}")
            } else {
                place
            }
        }
        InboundKind::Reaction { emoji, .. } => emoji.clone(),
        InboundKind::Edit { body, .. } => body.clone().unwrap_or_default(),
        InboundKind::System { body, .. } => body.clone().unwrap_or_default(),
        other => other.text().unwrap_or_default().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_decoded_and_garbage_skipped() {
        assert_eq!(
            form_pairs("hub.mode=subscribe&hub.verify_token=a%20b+c&hub.challenge=123&bad=%zz&&x"),
            vec![
                ("hub.mode".into(), "subscribe".into()),
                ("hub.verify_token".into(), "a b c".into()),
                ("hub.challenge".into(), "123".into()),
                ("x".into(), String::new()),
            ]
        );
        assert_eq!(decode("%"), None);
        assert_eq!(decode("%ff"), None);
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
