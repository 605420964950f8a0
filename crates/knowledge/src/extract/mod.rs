//! Text out of uploaded files, safely.
//!
//! Venues upload PDF, DOCX, XLSX, CSV, TXT and Markdown files to their
//! knowledge base. This module turns such a file into [`Section`]s of plain
//! text (a PDF page, a spreadsheet sheet, or the whole file) that the chunker
//! can split and cite. It never panics out and never hangs its caller:
//!
//! * the third-party readers run under [`std::panic::catch_unwind`]
//!   (pdf-extract panics on malformed files by design), so a panic becomes
//!   [`ExtractError::Crashed`]; this relies on the default `panic = "unwind"`
//!   of server builds;
//! * [`extract`] runs the work on tokio's blocking pool under
//!   [`tokio::time::timeout`]; the blocking code also checks the same
//!   deadline between pages and rows, so a timed-out job stops soon after
//!   instead of burning a core until the end of the file;
//! * [`Limits`] caps pages, rows and characters before the text grows, and
//!   DOCX/XLSX packages are checked first (well-formed XML, at most
//!   [`MAX_UNPACKED_BYTES`] unpacked): docx-rs hangs on a truncated XML part.
//!
//! What the timeout cannot do: a thread stuck *inside* one third-party call
//! can't be stopped in Rust. The caller gets [`ExtractError::TimedOut`] and
//! moves on, but that blocking thread runs until the call returns; and a
//! stack overflow (a PDF whose XObject draws itself) aborts the process.
//! The server therefore reads uploads in a child process ([`child`]),
//! confined in memory and CPU time and killed at the deadline; in-process
//! extraction is for trusted files and tests.
//!
//! Every error's `Display` is a short English sentence meant for venue
//! staff.
//!
//! Shape of the text handed to the chunker: lines separated by `\n`,
//! paragraphs by one blank line, runs of spaces collapsed. DOCX headings
//! become Markdown-style `#`/`##` lines; table and sheet rows are lines
//! (`a | b`, or `Header: value; Header2: value` under a header row).

pub mod child;
mod detect;
mod docx;
mod package;
mod pdf;
mod plain;
mod rows;
mod sheet;
mod text;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

pub use package::MAX_UNPACKED_BYTES;
use std::time::{Duration, Instant};

/// The formats the knowledge base reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Pdf,
    Docx,
    Xlsx,
    Csv,
    Txt,
    Markdown,
}

impl Format {
    /// Every format, for listings ("accepted: …") and tests.
    pub const ALL: [Format; 6] = [
        Format::Pdf,
        Format::Docx,
        Format::Xlsx,
        Format::Csv,
        Format::Txt,
        Format::Markdown,
    ];

    /// The format of an upload, from its file name's extension
    /// (case-insensitive: `.pdf .docx .xlsx .csv .txt .md .markdown`) and,
    /// when the extension is missing or unknown, from the file's first bytes
    /// (`%PDF-`, or a zip holding `word/document.xml` / `xl/workbook.xml`).
    /// `None` for everything else (`.doc`, `.xls`, images…), so the upload
    /// can be refused before it is stored.
    pub fn detect(file_name: &str, bytes: &[u8]) -> Option<Format> {
        detect::by_extension(file_name).or_else(|| detect::by_content(bytes))
    }

    /// The stable lowercase name stored in the database and used in the API
    /// (the same as the serde form).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
            Format::Txt => "txt",
            Format::Markdown => "markdown",
        }
    }

    /// The inverse of [`Format::as_str`] (case-insensitive; `md` is accepted
    /// too), for reading the stored name back.
    pub fn parse(s: &str) -> Option<Format> {
        let s = s.trim().to_ascii_lowercase();
        if s == "md" {
            return Some(Format::Markdown);
        }
        Format::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// How staff call the format, for messages ("not a real PDF").
    pub fn display_name(self) -> &'static str {
        match self {
            Format::Pdf => "PDF",
            Format::Docx => "DOCX",
            Format::Xlsx => "XLSX",
            Format::Csv => "CSV",
            Format::Txt => "TXT",
            Format::Markdown => "Markdown",
        }
    }
}

/// Where a piece of text sits in its file, so an answer can cite "page 2"
/// or "sheet Prices".
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", content = "at", rename_all = "lowercase")]
pub enum Locator {
    /// The whole file (TXT, Markdown, CSV, DOCX): nothing finer to cite.
    Whole,
    /// A PDF page, 1-based as viewers number them.
    Page(u32),
    /// A spreadsheet sheet, by its tab name.
    Sheet(String),
}

impl Locator {
    /// The citation suffix shown to people: `"page 2"`, `"sheet Prices"`,
    /// or `""` for a whole file.
    pub fn label(&self) -> String {
        match self {
            Locator::Whole => String::new(),
            Locator::Page(n) => format!("page {n}"),
            Locator::Sheet(name) => format!("sheet {name}"),
        }
    }
}

/// One piece of a file's text: a PDF page, a spreadsheet sheet, or the
/// whole of a text/DOCX file. `text` is never blank.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Section {
    pub locator: Locator,
    pub text: String,
}

/// Caps that keep one upload from eating the server: checked while reading,
/// before the text is indexed.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Most PDF pages read (default 500); more is [`ExtractError::TooManyPages`].
    pub max_pages: u32,
    /// Most non-empty rows in one sheet or CSV (default 20 000); more is
    /// [`ExtractError::TooLarge`].
    pub max_sheet_rows: u32,
    /// Most characters of text in all sections together (default 2 000 000);
    /// more is [`ExtractError::TooLarge`].
    pub max_chars: usize,
    /// Wall-clock budget for one file (default 60 s); over it is
    /// [`ExtractError::TimedOut`].
    pub timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_pages: 500,
            max_sheet_rows: 20_000,
            max_chars: 2_000_000,
            timeout: Duration::from_secs(60),
        }
    }
}

/// Why a file gave no text. The `Display` text is shown to venue staff.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExtractError {
    #[error("this kind of file is not supported (PDF, DOCX, XLSX, CSV, TXT, Markdown are)")]
    Unsupported,
    /// The reader rejected the file. The string is `"<FORMAT>: <short reason>"`,
    /// e.g. `"PDF: the file ends too early"`.
    #[error("the file is damaged or not a real {0}")]
    Corrupt(String),
    /// A password is needed to open it (PDF with a user password, or an
    /// Office file saved with "Encrypt with password"). A PDF that is
    /// encrypted only to restrict printing or copying (empty user password)
    /// opens without asking in every viewer, so it is read, not refused.
    #[error("the file is password-protected; upload it without a password")]
    Encrypted,
    #[error("no text found (a scanned PDF needs OCR first)")]
    NoText,
    /// The PDF's page count, over [`Limits::max_pages`].
    #[error("the file has {0} pages, more than can be read; split it into smaller files")]
    TooManyPages(u32),
    #[error("the file has too much text or too many rows; split it into smaller files")]
    TooLarge,
    #[error("reading the file took too long")]
    TimedOut,
    /// The third-party reader panicked on the file.
    #[error("the file could not be read (the reader failed on it)")]
    Crashed,
}

/// Blocking extraction: call it from a blocking context (a worker thread,
/// `spawn_blocking`), or use [`extract`] from async code. Panics inside the
/// readers are caught and become [`ExtractError::Crashed`]; `limits.timeout`
/// is checked between pages and rows (one pathological page can still
/// overrun it, which [`extract`] guards against).
pub fn extract_blocking(
    format: Format,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Vec<Section>, ExtractError> {
    let mut budget = Budget::new(limits);
    if bytes.is_empty() {
        return Err(match format {
            Format::Pdf | Format::Docx | Format::Xlsx => {
                ExtractError::Corrupt(format!("{}: the file is empty", format.display_name()))
            }
            Format::Csv | Format::Txt | Format::Markdown => ExtractError::NoText,
        });
    }
    let outcome = catch_unwind(AssertUnwindSafe(|| match format {
        Format::Pdf => pdf::extract(bytes, &mut budget),
        Format::Docx => docx::extract(bytes, &mut budget),
        Format::Xlsx => sheet::extract_xlsx(bytes, &mut budget),
        Format::Csv => sheet::extract_csv(bytes, &mut budget),
        Format::Txt | Format::Markdown => plain::extract(bytes, &mut budget),
    }));
    let sections = outcome.map_err(|_| ExtractError::Crashed)??;
    if sections.is_empty() {
        return Err(ExtractError::NoText);
    }
    Ok(sections)
}

/// [`extract_blocking`] off the async runtime: the work runs on tokio's
/// blocking pool under `limits.timeout`, so neither a panic nor a file that
/// takes forever can take the caller down or stall it ([`ExtractError::Crashed`],
/// [`ExtractError::TimedOut`]). The bytes are shared, not copied.
pub async fn extract(
    format: Format,
    bytes: Arc<[u8]>,
    limits: Limits,
) -> Result<Vec<Section>, ExtractError> {
    let task = tokio::task::spawn_blocking(move || extract_blocking(format, &bytes, &limits));
    match tokio::time::timeout(limits.timeout, task).await {
        Err(_elapsed) => {
            tracing::warn!(format = format.as_str(), "text extraction timed out");
            Err(ExtractError::TimedOut)
        }
        Ok(Err(join_error)) => {
            tracing::error!(format = format.as_str(), %join_error, "text extraction task failed");
            Err(ExtractError::Crashed)
        }
        Ok(Ok(result)) => result,
    }
}

/// What is left of the [`Limits`] while one file is read: the deadline and
/// the characters still allowed.
pub(crate) struct Budget {
    deadline: Option<Instant>,
    chars_left: usize,
    max_pages: u32,
    max_rows: u32,
}

impl Budget {
    fn new(limits: &Limits) -> Budget {
        Budget {
            // An absurd timeout (Duration::MAX) means "no deadline".
            deadline: Instant::now().checked_add(limits.timeout),
            chars_left: limits.max_chars,
            max_pages: limits.max_pages,
            max_rows: limits.max_sheet_rows,
        }
    }

    /// `TimedOut` once the deadline has passed.
    pub(crate) fn check_time(&self) -> Result<(), ExtractError> {
        match self.deadline {
            Some(deadline) if Instant::now() >= deadline => Err(ExtractError::TimedOut),
            _ => Ok(()),
        }
    }

    /// Counts `text` against the character cap: `TooLarge` once it is spent.
    pub(crate) fn take(&mut self, text: &str) -> Result<(), ExtractError> {
        let n = text.chars().count();
        self.chars_left = self
            .chars_left
            .checked_sub(n)
            .ok_or(ExtractError::TooLarge)?;
        Ok(())
    }

    /// `TooLarge` when `n` more characters would not fit, without spending
    /// them: lets a reader stop early, before the whole text is built.
    pub(crate) fn fits(&self, n: usize) -> Result<(), ExtractError> {
        if n > self.chars_left {
            return Err(ExtractError::TooLarge);
        }
        Ok(())
    }

    pub(crate) fn max_pages(&self) -> u32 {
        self.max_pages
    }

    pub(crate) fn max_rows(&self) -> u32 {
        self.max_rows
    }
}

/// Counts a finished section against the budget and keeps it when it has
/// text, so every extractor applies the character cap the same way.
pub(crate) fn push_section(
    sections: &mut Vec<Section>,
    budget: &mut Budget,
    locator: Locator,
    raw: &str,
) -> Result<(), ExtractError> {
    let text = text::tidy(raw);
    if text.is_empty() {
        return Ok(());
    }
    budget.take(&text)?;
    sections.push(Section { locator, text });
    Ok(())
}
