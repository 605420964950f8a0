//! Reading a business account's message templates from the Graph API,
//! every page of them, for `pesan whatsapp templates sync`. The list read
//! replaces the stored one, so it is read whole or not at all: any page
//! refused, unreadable or missing makes the whole read an error.

use std::time::Duration;
use whatsapp::errors::GraphError;
use whatsapp::templates::{list_url, parse_page, PageError, Template};

/// How long one page may take.
pub const PAGE_TIMEOUT: Duration = Duration::from_secs(30);

/// Pages read at most (10 000 templates, above Meta's per-account limit):
/// a list that pages on past this is not Meta's, and is not stored.
pub const MAX_PAGES: usize = 100;

/// Where the Graph API is.
#[derive(Debug, Clone)]
pub struct GraphApi {
    pub http: reqwest::Client,
    /// `https://graph.facebook.com` (a local stand-in in tests).
    pub url: String,
    pub version: String,
}

impl GraphApi {
    pub fn new(url: &str, version: &str) -> Result<GraphApi, reqwest::Error> {
        Ok(GraphApi {
            http: reqwest::Client::builder().timeout(PAGE_TIMEOUT).build()?,
            url: url.trim_end_matches('/').to_string(),
            version: version.to_string(),
        })
    }
}

/// Why the list could not be read. None of them carries the token.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("the Graph API could not be reached: {0}")]
    Unreachable(String),
    #[error("Meta refused the template list (HTTP {status}, error {}): {}{}", .error.code, .error.summary(), hint(.error.code))]
    Refused { status: u16, error: GraphError },
    #[error("the Graph API answered HTTP {status} without saying why")]
    Status { status: u16 },
    #[error("the Graph API's template list could not be read: {0}")]
    Unreadable(#[from] PageError),
    #[error(
        "the template list goes on past {MAX_PAGES} pages or repeats a page; nothing was stored"
    )]
    Endless,
}

/// What staff can do about the codes a list request meets.
fn hint(code: i64) -> &'static str {
    match code {
        190 => ". The access token is invalid or has expired: connect the number again with `pesan whatsapp connect` and a new token",
        10 | 200 => ". The token lacks the permission to manage the account's templates (whatsapp_business_management)",
        100 => ". Check the account id given to `pesan whatsapp connect --waba-id`: it is the WhatsApp Business Account's id, not the number's",
        _ => "",
    }
}

/// A request error with its causes: reqwest's own text names the URL but
/// not why (refused, timed out, a bad certificate).
fn unreachable_error(error: reqwest::Error) -> FetchError {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = std::error::Error::source(cause);
    }
    FetchError::Unreachable(text)
}

/// Every template of the account `waba_id`, page after page.
pub async fn fetch_templates(
    graph: &GraphApi,
    waba_id: &str,
    token: &str,
) -> Result<Vec<Template>, FetchError> {
    let mut templates = Vec::new();
    let mut after: Option<String> = None;
    let mut seen = std::collections::HashSet::new();
    for _ in 0..MAX_PAGES {
        let url = list_url(&graph.url, &graph.version, waba_id, after.as_deref());
        let response = graph
            .http
            .get(&url)
            .bearer_auth(token)
            .send()
            .await
            .map_err(unreachable_error)?;
        let status = response.status().as_u16();
        let body = response.bytes().await.map_err(unreachable_error)?;
        if !(200..=299).contains(&status) {
            return Err(match GraphError::from_body(&body) {
                Some(error) => FetchError::Refused { status, error },
                None => FetchError::Status { status },
            });
        }
        let page = parse_page(&body)?;
        templates.extend(page.templates);
        match page.after {
            None => return Ok(templates),
            Some(cursor) if !seen.insert(cursor.clone()) => return Err(FetchError::Endless),
            Some(cursor) => after = Some(cursor),
        }
    }
    Err(FetchError::Endless)
}
