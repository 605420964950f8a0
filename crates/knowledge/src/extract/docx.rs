//! DOCX: docx-rs reads the package; we walk the body in document order.
//!
//! The text keeps the document's structure in plain-text form so the chunker
//! can use it:
//! * a heading paragraph (style "heading N", a `HeadingN` style id, "Title",
//!   or an explicit outline level) becomes a Markdown heading line, `#` for
//!   level 1, `##` for level 2 and so on (capped at `######`);
//! * other paragraphs are separated by a blank line; list items (numbered
//!   or bulleted paragraphs) are `- item` lines kept together;
//! * a table row is one line, its cells joined by `" | "` (a cell's own
//!   paragraphs and nested tables are flattened into the cell).
//!
//! Deleted text of tracked changes is left out, inserted text kept.
//! Headers, footers, footnotes and comments are not read.

use docx_rs::{
    DocumentChild, Docx, InsertChild, MoveToChild, Paragraph, ParagraphChild, ReaderError,
    RunChild, StructuredDataTagChild, Table, TableCellContent, TableChild, TableRowChild,
};

use super::detect::{self, Compound};
use super::{package, push_section, Budget, ExtractError, Locator, Section};

pub(super) fn extract(bytes: &[u8], budget: &mut Budget) -> Result<Vec<Section>, ExtractError> {
    match detect::compound(bytes) {
        Compound::No => {}
        Compound::Encrypted => return Err(ExtractError::Encrypted),
        // A renamed legacy .doc: its format is not one we read.
        Compound::Legacy => return Err(ExtractError::Unsupported),
    }
    // docx-rs's styles reader stops only at </w:styles> (see `package`).
    package::check(bytes, "DOCX", &[("styles.xml", "styles")], budget)?;
    let docx = docx_rs::read_docx(bytes).map_err(|error| {
        tracing::debug!(%error, "docx-rs rejected a DOCX");
        ExtractError::Corrupt(format!("DOCX: {}", reason(&error)))
    })?;
    budget.check_time()?;

    let mut writer = Writer::new(&docx);
    for child in &docx.document.children {
        match child {
            DocumentChild::Paragraph(p) => writer.paragraph(p),
            DocumentChild::Table(t) => writer.table(t),
            DocumentChild::StructuredDataTag(sdt) => writer.sdt(&sdt.children),
            _ => {}
        }
    }
    let mut sections = Vec::new();
    push_section(&mut sections, budget, Locator::Whole, &writer.out)?;
    Ok(sections)
}

fn reason(error: &ReaderError) -> &'static str {
    match error {
        ReaderError::ZipError(_) => "it is not a valid Word package",
        ReaderError::XMLReadError => "its XML is malformed",
        ReaderError::DocumentNotFoundError => "it has no document part",
        _ => "its contents can't be read",
    }
}

/// Builds the text: blocks separated by blank lines, list items and table
/// rows by single line breaks.
struct Writer<'a> {
    docx: &'a Docx,
    out: String,
    last_was_list: bool,
}

impl<'a> Writer<'a> {
    fn new(docx: &'a Docx) -> Self {
        Writer {
            docx,
            out: String::new(),
            last_was_list: false,
        }
    }

    fn block(&mut self, text: &str, is_list: bool) {
        if text.trim().is_empty() {
            return;
        }
        if !self.out.is_empty() {
            self.out.push_str(if is_list && self.last_was_list {
                "\n"
            } else {
                "\n\n"
            });
        }
        self.out.push_str(text);
        self.last_was_list = is_list;
    }

    fn paragraph(&mut self, p: &Paragraph) {
        let text = paragraph_text(p);
        if let Some(level) = self.heading_level(p) {
            let hashes = "#".repeat(level.clamp(1, 6));
            self.block(&format!("{hashes} {}", text.trim()), false);
        } else if p.property.numbering_property.is_some() {
            self.block(&format!("- {}", text.trim()), true);
        } else {
            self.block(&text, false);
        }
    }

    fn table(&mut self, table: &Table) {
        let rows: Vec<String> = table_rows(table)
            .into_iter()
            .filter(|row| !row.replace('|', "").trim().is_empty())
            .collect();
        self.block(&rows.join("\n"), false);
    }

    fn sdt(&mut self, children: &[StructuredDataTagChild]) {
        let mut loose_runs = String::new();
        for child in children {
            match child {
                StructuredDataTagChild::Run(run) => loose_runs.push_str(&run_text(&run.children)),
                StructuredDataTagChild::Paragraph(p) => self.paragraph(p),
                StructuredDataTagChild::Table(t) => self.table(t),
                StructuredDataTagChild::StructuredDataTag(inner) => self.sdt(&inner.children),
                _ => {}
            }
        }
        self.block(&loose_runs, false);
    }

    /// The heading level of a paragraph, from its style (looked up in the
    /// document's styles, whose built-in names are English whatever the
    /// Word language) or its outline level.
    fn heading_level(&self, p: &Paragraph) -> Option<usize> {
        if let Some(style) = &p.property.style {
            let id = style.val.as_str();
            let defined = self.docx.styles.styles.iter().find(|s| s.style_id == id);
            if let Some(level) = defined.and_then(|s| s.name.get_heading_number()) {
                return Some(level);
            }
            if let Some(level) = defined.and_then(|s| s.paragraph_property.outline_lvl.as_ref()) {
                return outline(level.v);
            }
            let lower = id.to_ascii_lowercase();
            if lower == "title" {
                return Some(1);
            }
            if let Some(n) = lower.strip_prefix("heading") {
                if let Ok(level) = n.trim().parse::<usize>() {
                    return Some(level);
                }
            }
        }
        p.property.outline_lvl.as_ref().and_then(|l| outline(l.v))
    }
}

/// Outline levels 0–8 are headings 1–9; 9 means body text.
fn outline(v: usize) -> Option<usize> {
    (v < 9).then_some(v + 1)
}

fn table_rows(table: &Table) -> Vec<String> {
    table
        .rows
        .iter()
        .map(|TableChild::TableRow(row)| {
            row.cells
                .iter()
                .map(|TableRowChild::TableCell(cell)| cell_text(&cell.children))
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect()
}

/// A cell's content on one line: its paragraphs and nested tables joined
/// by spaces (a `|` inside would be read as a column break).
fn cell_text(content: &[TableCellContent]) -> String {
    let mut parts = Vec::new();
    for item in content {
        match item {
            TableCellContent::Paragraph(p) => parts.push(paragraph_text(p)),
            TableCellContent::Table(t) => parts.extend(table_rows(t)),
            TableCellContent::StructuredDataTag(sdt) => {
                for child in &sdt.children {
                    match child {
                        StructuredDataTagChild::Run(r) => parts.push(run_text(&r.children)),
                        StructuredDataTagChild::Paragraph(p) => parts.push(paragraph_text(p)),
                        StructuredDataTagChild::Table(t) => parts.extend(table_rows(t)),
                        _ => {}
                    }
                }
            }
            TableCellContent::TableOfContents(_) => {}
        }
    }
    let joined = parts.join(" ").replace('|', "/");
    super::text::collapse_line(&joined)
}

fn paragraph_text(p: &Paragraph) -> String {
    let mut out = String::new();
    children_text(&p.children, &mut out);
    out
}

fn children_text(children: &[ParagraphChild], out: &mut String) {
    for child in children {
        match child {
            ParagraphChild::Run(run) => out.push_str(&run_text(&run.children)),
            ParagraphChild::Hyperlink(link) => children_text(&link.children, out),
            ParagraphChild::Insert(insert) => {
                for c in &insert.children {
                    if let InsertChild::Run(run) = c {
                        out.push_str(&run_text(&run.children));
                    }
                }
            }
            ParagraphChild::MoveTo(moved) => {
                for c in &moved.children {
                    if let MoveToChild::Run(run) = c {
                        out.push_str(&run_text(&run.children));
                    }
                }
            }
            ParagraphChild::StructuredDataTag(sdt) => {
                for c in &sdt.children {
                    if let StructuredDataTagChild::Run(run) = c {
                        out.push_str(&run_text(&run.children));
                    }
                }
            }
            _ => {}
        }
    }
}

fn run_text(children: &[RunChild]) -> String {
    let mut out = String::new();
    for child in children {
        match child {
            RunChild::Text(t) => out.push_str(&t.text),
            RunChild::Tab(_) | RunChild::PTab(_) => out.push('\t'),
            RunChild::Break(_) | RunChild::CarriageReturn(_) => out.push('\n'),
            _ => {}
        }
    }
    out
}
