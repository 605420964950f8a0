//! Sending an approved message template: the one kind of message WhatsApp
//! lets a business start, or send more than 24 hours after the customer's
//! latest message. Reminders and waitlist offers come through here. The
//! template must be one `pesan whatsapp templates sync` stored as approved
//! (a template paused or rejected since, by its status webhook, is not),
//! with exactly the body parameters it declares.

use chrono::{DateTime, Utc};
use domain::{PhoneE164, TenantId};
use store::{Outgoing, Queued, Store, StoreError};
use whatsapp::reply::{Reply, ReplyError, Template};

/// Why a template was not sent.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("no approved template {name:?} in language {language:?}; run `pesan whatsapp templates sync`")]
    NotApproved { name: String, language: String },
    #[error("template {name:?} takes {expected} body parameters, {given} given")]
    Parameters {
        name: String,
        expected: u32,
        given: usize,
    },
    #[error("template {0:?} has parameters in its header, which Pesan does not fill yet")]
    HeaderParameters(String),
    #[error(transparent)]
    Invalid(#[from] ReplyError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Queues template `name` in `language` to the customer with `phone`,
/// its body's `{{1}}`, `{{2}}`… filled with `parameters` in order.
pub async fn send_template(
    store: &Store,
    tenant: TenantId,
    phone: &PhoneE164,
    name: &str,
    language: &str,
    parameters: &[&str],
    now: DateTime<Utc>,
) -> Result<Queued, TemplateError> {
    let stored = store
        .approved_template(tenant, name, language)
        .await?
        .ok_or_else(|| TemplateError::NotApproved {
            name: name.to_string(),
            language: language.to_string(),
        })?;
    if stored.header_parameters > 0 {
        return Err(TemplateError::HeaderParameters(stored.name));
    }
    if usize::try_from(stored.parameters).ok() != Some(parameters.len()) {
        return Err(TemplateError::Parameters {
            name: stored.name,
            expected: stored.parameters,
            given: parameters.len(),
        });
    }
    let reply = Reply::Template(Template::new(&stored.name, &stored.language, parameters)?);
    let body = match &stored.body {
        Some(text) => filled(text, parameters),
        None => reply.plain_text(),
    };
    let outgoing = Outgoing {
        body,
        kind: reply.kind().to_string(),
        payload: Some(reply.payload().to_string()),
    };
    Ok(store.queue_message(tenant, phone, &outgoing, now).await?)
}

/// The template's body as the customer reads it: `{{n}}` replaced by the
/// n-th parameter.
fn filled(body: &str, parameters: &[&str]) -> String {
    let mut text = body.to_string();
    for (i, value) in parameters.iter().enumerate() {
        text = text.replace(&format!("{{{{{}}}}}", i + 1), value);
    }
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_are_filled_in_order() {
        assert_eq!(
            super::filled(
                "Hi {{1}}, see you {{2}} at {{1}}'s court",
                &["Sheena", "19.00"]
            ),
            "Hi Sheena, see you 19.00 at Sheena's court"
        );
        assert_eq!(super::filled("No parameters", &[]), "No parameters");
    }
}
