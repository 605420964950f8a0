//! PDF: lopdf parses the file once (page count, encryption), pdf-extract
//! turns each page's content stream into text.
//!
//! pdf-extract panics on many malformed files (`unwrap`s and `expect`s on
//! missing dictionaries), so every page runs under its own `catch_unwind`:
//! one bad page costs that page, not the file. A PDF whose pages all fail
//! is [`ExtractError::Crashed`] or [`ExtractError::Corrupt`].

use std::panic::{catch_unwind, AssertUnwindSafe};

use lopdf::Document;

use super::{detect, push_section, Budget, ExtractError, Locator, Section};

pub(super) fn extract(bytes: &[u8], budget: &mut Budget) -> Result<Vec<Section>, ExtractError> {
    if !detect::by_content(bytes).is_some_and(|f| f == super::Format::Pdf) {
        return Err(corrupt("it has no PDF header"));
    }
    let doc = load(bytes)?;
    // lopdf opens documents that need no password to open (only an owner
    // password restricting printing or copying) transparently and drops
    // /Encrypt; what still carries it needs a user password.
    if doc.trailer.has(b"Encrypt") || doc.is_encrypted() {
        return Err(ExtractError::Encrypted);
    }
    budget.check_time()?;

    let pages = doc.get_pages();
    let count = u32::try_from(pages.len()).unwrap_or(u32::MAX);
    if count > budget.max_pages() {
        return Err(ExtractError::TooManyPages(count));
    }
    if count == 0 {
        return Err(corrupt("it has no pages"));
    }

    let mut sections = Vec::new();
    let (mut failed, mut panicked) = (0u32, 0u32);
    let mut first_error = None;
    for &number in pages.keys() {
        budget.check_time()?;
        match catch_unwind(AssertUnwindSafe(|| page_text(&doc, number))) {
            Ok(Ok(text)) => push_section(&mut sections, budget, Locator::Page(number), &text)?,
            Ok(Err(error)) => {
                failed += 1;
                first_error.get_or_insert(error);
            }
            Err(_) => panicked += 1,
        }
    }
    if failed + panicked > 0 {
        tracing::warn!(
            pages = count,
            failed,
            panicked,
            first_error = first_error.as_ref().map(|e| e.to_string()),
            "some PDF pages could not be read"
        );
    }
    if sections.is_empty() && failed + panicked == count {
        return Err(if panicked > 0 {
            ExtractError::Crashed
        } else {
            corrupt("none of its pages could be read")
        });
    }
    Ok(sections)
}

/// Parses the whole file. A parse failure on a file that mentions
/// `/Encrypt` is reported as encrypted: lopdf can fail on encryption
/// dictionaries it doesn't support, and "password-protected" is the more
/// useful message then.
fn load(bytes: &[u8]) -> Result<Document, ExtractError> {
    let loaded = catch_unwind(AssertUnwindSafe(|| Document::load_mem(bytes)))
        .map_err(|_| ExtractError::Crashed)?;
    loaded.map_err(|error| {
        tracing::debug!(%error, "lopdf rejected a PDF");
        if detect::contains(bytes, b"/Encrypt") {
            return ExtractError::Encrypted;
        }
        match error {
            lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword => ExtractError::Encrypted,
            lopdf::Error::Decompress(_) => corrupt("a compressed part of it is damaged"),
            lopdf::Error::IO(_) | lopdf::Error::InvalidOffset(_) => {
                corrupt("it is cut short or its index is broken")
            }
            _ => corrupt("its structure can't be read"),
        }
    })
}

/// One page's text as pdf-extract lays it out (lines, blank lines between
/// blocks that are far apart).
fn page_text(doc: &Document, number: u32) -> Result<String, pdf_extract::OutputError> {
    let mut text = String::new();
    {
        let mut output = pdf_extract::PlainTextOutput::new(&mut text);
        pdf_extract::output_doc_page(doc, &mut output, number)?;
    }
    Ok(text)
}

fn corrupt(reason: &str) -> ExtractError {
    ExtractError::Corrupt(format!("PDF: {reason}"))
}
