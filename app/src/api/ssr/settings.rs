//! The settings page's work: what the bot, the WhatsApp numbers and the AI
//! services are doing, and a number's access token replaced (sealed by the
//! server; never shown, never sent back). Owners and admins only.

use super::team::refusal;
use super::{require_manager, venue_zone, Services};
use crate::dto::{AgentSettingsDto, NumberStatusDto, SettingsDto};
use crate::error::AppError;
use std::sync::Arc;
use store::StaffUser;

/// Seals an access token for a number (its Meta id), returning the sealed
/// text and the hint (its last characters). Provided by the server when it
/// has the secret key; the app never holds the key itself.
#[derive(Clone)]
pub struct TokenSealer(pub Arc<SealFn>);

/// `(token, phone number id) -> (sealed, hint)`.
pub type SealFn = dyn Fn(&str, &str) -> (String, String) + Send + Sync;

impl std::fmt::Debug for TokenSealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenSealer(***)")
    }
}

/// The longest access token taken (Meta's are a few hundred characters).
const MAX_TOKEN: usize = 4096;

pub async fn get(state: Services, staff: StaffUser) -> Result<SettingsDto, AppError> {
    require_manager(&staff)?;
    let zone = venue_zone(&state, &staff).await?;
    let agent = state.store.agent_settings(staff.tenant_id).await?;
    let local = |t: chrono::DateTime<chrono::Utc>| {
        t.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string()
    };
    let numbers = state
        .store
        .whatsapp_status(staff.tenant_id)
        .await?
        .into_iter()
        .map(|s| NumberStatusDto {
            id: s.number.id,
            phone_number_id: s.number.phone_number_id,
            display_phone: s.number.display_phone,
            token_hint: s.number.token_hint,
            paused_reason: s.number.paused_reason,
            last_inbound: s.last_inbound_at.map(local),
            last_send_state: s.last_send.as_ref().map(|l| l.state.clone()),
            last_send_at: s.last_send.as_ref().map(|l| local(l.at)),
            last_send_error: s.last_send.and_then(|l| l.error),
        })
        .collect();
    let assist = leptos::prelude::use_context::<bot::Assist>().unwrap_or_default();
    let (payment_instructions, payment_instructions_id) = state
        .store
        .payment_instructions_both(staff.tenant_id)
        .await?;
    Ok(SettingsDto {
        agent: AgentSettingsDto {
            enabled: agent.enabled,
            instructions: agent.instructions,
        },
        quiet_minutes: state.store.handoff_quiet_minutes(staff.tenant_id).await?,
        numbers,
        llm_model: assist.agent.as_ref().map(|a| a.model().to_string()),
        embed_model: assist
            .knowledge
            .as_ref()
            .and_then(|k| k.embed_model().map(str::to_string)),
        vector_store: assist
            .knowledge
            .as_ref()
            .map_or("database", |k| k.vector_store())
            .to_string(),
        can_replace_token: leptos::prelude::use_context::<TokenSealer>().is_some(),
        tenant_slug: state.store.tenant(staff.tenant_id).await?.slug,
        payment_instructions,
        payment_instructions_id,
        venue_lang: crate::i18n::code(state.store.venue_language(staff.tenant_id).await?)
            .to_string(),
    })
}

/// Sets the language new conversations start in (owners and admins).
pub async fn set_venue_language(
    state: Services,
    staff: StaffUser,
    lang: String,
) -> Result<(), AppError> {
    require_manager(&staff)?;
    let lang = match lang.trim() {
        "en" => crate::i18n::Lang::En,
        "id" => crate::i18n::Lang::Id,
        _ => return Err(AppError::Invalid("Choose English or Indonesian.".into())),
    };
    Ok(state
        .store
        .set_venue_language(staff.tenant_id, lang)
        .await?)
}

/// Replaces the access token of one of the tenant's numbers and lifts a
/// pause (staff replace a token because Meta refused the old one).
pub async fn replace_token(
    state: Services,
    staff: StaffUser,
    number_id: i64,
    token: String,
) -> Result<(), AppError> {
    require_manager(&staff)?;
    let token = token.trim();
    if token.len() < 16 || token.len() > MAX_TOKEN || !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(AppError::Invalid(
            "That does not look like an access token (printable characters, no spaces).".into(),
        ));
    }
    let sealer = leptos::prelude::use_context::<TokenSealer>().ok_or_else(|| {
        AppError::Invalid(
            "This server has no secret key to seal tokens with (PESAN_SECRET_KEY).".into(),
        )
    })?;
    let number = state
        .store
        .whatsapp_numbers(staff.tenant_id)
        .await?
        .into_iter()
        .find(|n| n.id == number_id)
        .ok_or(AppError::NotFound)?;
    let (sealed, hint) = (sealer.0)(token, &number.phone_number_id);
    state
        .store
        .connect_whatsapp_number(
            staff.tenant_id,
            &store::NewWhatsappNumber {
                phone_number_id: number.phone_number_id.clone(),
                waba_id: None,
                display_phone: None,
                token_sealed: sealed,
                token_hint: hint,
            },
            state.clock.now(),
        )
        .await
        .map_err(refusal)?;
    tracing::info!(by = %staff.id, tenant = %staff.tenant_id, number = number.id, "WhatsApp token replaced");
    Ok(())
}
