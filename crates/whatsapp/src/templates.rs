//! The business account's message templates, as Meta lists them at
//! `GET {graph}/{version}/{waba_id}/message_templates`: outside the 24-hour
//! customer-service window only an approved template may be sent, so Pesan
//! keeps a copy of the list (name, language, category, status, and how
//! many parameters a send must fill) to choose and check templates without
//! asking Meta each time.
//!
//! Reading is lenient like the webhook's: a template without a name or a
//! language cannot be stored and is skipped; missing fields become empty;
//! only an answer that is not a JSON object, or a page that says there is
//! more without saying where, is refused, since the list replaces the
//! stored one and must not be cut short unnoticed.

use serde_json::Value;

/// Templates asked for per page: Meta's largest page for this edge.
pub const PAGE_SIZE: u32 = 100;

/// The fields asked for: without `fields` Meta answers only ids and names.
pub const FIELDS: &str = "name,language,status,category,components";

/// The status Meta gives a template that may be sent.
pub const APPROVED: &str = "APPROVED";

/// The URL of one page of the template list; `after` is the previous
/// page's `paging.cursors.after`, `None` for the first page.
pub fn list_url(graph_url: &str, version: &str, waba_id: &str, after: Option<&str>) -> String {
    let mut url = format!(
        "{}/{}/{}/message_templates?fields={}&limit={}",
        graph_url.trim_end_matches('/'),
        version,
        waba_id,
        FIELDS,
        PAGE_SIZE
    );
    if let Some(after) = after {
        url.push_str("&after=");
        url.push_str(&query_escape(after));
    }
    url
}

/// Percent-encodes all but RFC 3986's unreserved characters: a cursor is
/// Meta's opaque text and may hold `=` or `&`.
fn query_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// One template of the list.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// Meta's id of the template (the status webhook names it too).
    pub id: Option<String>,
    /// Unique with the language within the business account.
    pub name: String,
    /// Meta's language code (`id`, `en_US`).
    pub language: String,
    /// `APPROVED`, `PENDING`, `REJECTED`, `PAUSED`, `DISABLED`…
    pub status: String,
    /// `UTILITY`, `MARKETING` or `AUTHENTICATION`: what Meta charges.
    pub category: String,
    /// The BODY component's text, placeholders and all.
    pub body: Option<String>,
    /// Distinct placeholders of the body (`{{1}}` or named `{{name}}`): the
    /// body parameters every send of the template must give.
    pub body_parameters: usize,
    /// What a send must give for the header: its text's distinct
    /// placeholders, or 1 for a media or location header.
    pub header_parameters: usize,
    /// The `components` array as Meta gave it (buttons, footer…), for what
    /// is not read here.
    pub components: Value,
}

impl Template {
    /// Whether the template may be sent now.
    pub fn is_approved(&self) -> bool {
        self.status == APPROVED
    }
}

/// One page of the list.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    pub templates: Vec<Template>,
    /// The cursor of the next page: only when Meta's `paging.next` says
    /// there is one.
    pub after: Option<String>,
}

/// Why a page was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    #[error("the answer is not JSON: {0}")]
    NotJson(String),
    #[error("the answer is not a JSON object")]
    NotAnObject,
    #[error("the answer says there is a next page but gives no cursor for it")]
    NoCursor,
}

/// Reads one page of Meta's answer.
pub fn parse_page(body: &[u8]) -> Result<Page, PageError> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| PageError::NotJson(e.to_string()))?;
    let Value::Object(root) = value else {
        return Err(PageError::NotAnObject);
    };
    let templates = root
        .get("data")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .filter_map(read_template)
        .collect();
    let paging = root.get("paging").unwrap_or(&Value::Null);
    let has_next = text(paging, "next").is_some_and(|next| !next.is_empty());
    let after = if has_next {
        let cursor = paging
            .get("cursors")
            .and_then(|c| text(c, "after"))
            .filter(|c| !c.is_empty())
            .ok_or(PageError::NoCursor)?;
        Some(cursor)
    } else {
        None
    };
    Ok(Page { templates, after })
}

fn text(value: &Value, key: &str) -> Option<String> {
    match value.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn read_template(item: &Value) -> Option<Template> {
    let name = text(item, "name").filter(|n| !n.trim().is_empty())?;
    let language = text(item, "language").filter(|l| !l.trim().is_empty())?;
    let components = match item.get("components") {
        Some(Value::Array(list)) => Value::Array(list.clone()),
        _ => Value::Array(Vec::new()),
    };
    let component = |kind: &str| {
        components.as_array().and_then(|list| {
            list.iter()
                .find(|c| text(c, "type").is_some_and(|t| t.eq_ignore_ascii_case(kind)))
        })
    };
    let body = component("BODY").and_then(|b| text(b, "text"));
    let header_parameters = component("HEADER").map_or(0, |header| {
        match text(header, "format")
            .map(|f| f.to_ascii_uppercase())
            .as_deref()
        {
            Some("IMAGE" | "VIDEO" | "DOCUMENT" | "LOCATION") => 1,
            _ => text(header, "text").map_or(0, |t| placeholders(&t).len()),
        }
    });
    Some(Template {
        id: text(item, "id"),
        name,
        language,
        status: text(item, "status")
            .unwrap_or_default()
            .to_ascii_uppercase(),
        category: text(item, "category")
            .unwrap_or_default()
            .to_ascii_uppercase(),
        body_parameters: body.as_deref().map_or(0, |b| placeholders(b).len()),
        body,
        header_parameters,
        components,
    })
}

/// The distinct placeholders of a template text, in order of first use:
/// positional (`{{1}}`) and named (`{{first_name}}`, lower-case letters,
/// digits and underscores); spaces inside the braces are tolerated.
/// Anything else between braces is text, not a parameter.
pub fn placeholders(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            break;
        };
        let inner = after[..end].trim();
        // `{{{1}}}`: the placeholder starts at the last of the opening braces.
        let inner = inner.trim_start_matches('{').trim();
        let valid = !inner.is_empty()
            && inner.len() <= 64
            && inner
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if valid && !found.iter().any(|f| f == inner) {
            found.push(inner.to_string());
        }
        rest = &after[end + 2..];
    }
    found
}

/// The status a template has after a `message_template_status_update`
/// webhook's `event`; `None` when the event does not change it: `FLAGGED`
/// warns of low quality while the template still sends, and an empty
/// event says nothing. `REINSTATED` is a paused template approved again.
pub fn status_after(event: &str) -> Option<String> {
    let event = event.trim().to_ascii_uppercase();
    let well_formed = !event.is_empty()
        && event.len() <= 64
        && event.bytes().all(|b| b.is_ascii_uppercase() || b == b'_');
    if !well_formed || event == "FLAGGED" {
        None
    } else if event == "REINSTATED" {
        Some(APPROVED.to_string())
    } else {
        Some(event)
    }
}

#[cfg(test)]
mod tests;
