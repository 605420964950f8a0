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
/// its body's `{{1}}`, `{{2}}`… filled with `parameters` in order, sent by
/// staff member `author` (`None`: by Pesan itself).
#[allow(clippy::too_many_arguments)]
pub async fn send_template(
    store: &Store,
    tenant: TenantId,
    phone: &PhoneE164,
    name: &str,
    language: &str,
    parameters: &[&str],
    author: Option<i64>,
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
    Ok(store
        .queue_message(tenant, phone, &outgoing, author, now)
        .await?)
}

/// The template's body as the customer reads it: each `{{n}}` of the body
/// replaced by the n-th parameter, in one pass over the body (a parameter
/// that itself contains `{{2}}` stays as written), within WhatsApp's
/// 4,096 characters.
fn filled(body: &str, parameters: &[&str]) -> String {
    let mut text = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(open) = rest.find("{{") {
        text.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let parameter = after.find("}}").and_then(|close| {
            let index: usize = after[..close].trim().parse().ok()?;
            let value = parameters.get(index.checked_sub(1)?)?;
            Some((value, close))
        });
        match parameter {
            Some((value, close)) => {
                text.push_str(value);
                rest = &after[close + 2..];
            }
            None => {
                text.push_str("{{");
                rest = after;
            }
        }
    }
    text.push_str(rest);
    whatsapp::reply::clip(&text, whatsapp::reply::limits::TEXT_BODY)
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
        assert_eq!(super::filled("{{1}} {{2}}", &["{{2}}", "x"]), "{{2}} x");
        assert_eq!(super::filled("{{9}} {{ 1 }} {{", &["a"]), "{{9}} a {{");
        let huge = "{{2}}".repeat(300);
        assert!(
            super::filled("{{1}}{{1}}{{1}}", &[&huge, "y"])
                .chars()
                .count()
                <= 4096
        );
    }
}
