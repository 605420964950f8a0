//! XLSX (calamine) and CSV (csv): rows rendered by [`super::rows`].
//!
//! XLSX sheets are streamed cell by cell, so the row cap stops a huge sheet
//! before it is held in memory. Only visible worksheets are read: hidden
//! sheets usually hold lookup tables and scratch work that staff never see
//! and the bot should not quote; chart sheets hold no cells.

use std::io::Cursor;

use calamine::{DataRef, Reader, SheetType, SheetVisible, Xlsx, XlsxError};

use super::detect::{self, Compound};
use super::rows::{looks_numeric, Cell, RowWriter};
use super::{package, push_section, text, Budget, ExtractError, Locator, Section};

pub(super) fn extract_xlsx(
    bytes: &[u8],
    budget: &mut Budget,
) -> Result<Vec<Section>, ExtractError> {
    match detect::compound(bytes) {
        Compound::No => {}
        Compound::Encrypted => return Err(ExtractError::Encrypted),
        // A renamed legacy .xls: its format is not one we read.
        Compound::Legacy => return Err(ExtractError::Unsupported),
    }
    package::check(bytes, "XLSX", &[], budget)?;
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(xlsx_error)?;
    let sheets: Vec<_> = workbook
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet && s.visible == SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect();

    let mut sections = Vec::new();
    let mut failed = Vec::new();
    for name in sheets {
        budget.check_time()?;
        match sheet_text(&mut workbook, &name, budget) {
            Ok(text) => push_section(&mut sections, budget, Locator::Sheet(name), &text)?,
            Err(SheetError::Limit(e)) => return Err(e),
            Err(SheetError::Read(error)) => {
                tracing::warn!(sheet = %name, %error, "an XLSX sheet could not be read");
                failed.push(error);
            }
        }
    }
    if sections.is_empty() {
        if let Some(error) = failed.into_iter().next() {
            return Err(xlsx_error(error));
        }
    }
    Ok(sections)
}

enum SheetError {
    /// A cap or the deadline: ends the whole file.
    Limit(ExtractError),
    /// This sheet's XML is broken: the other sheets may still be fine.
    Read(XlsxError),
}

fn sheet_text(
    workbook: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    budget: &Budget,
) -> Result<String, SheetError> {
    let mut reader = workbook
        .worksheet_cells_reader(name)
        .map_err(SheetError::Read)?;
    let mut writer = RowWriter::new();
    let mut row: Vec<Cell> = Vec::new();
    let mut current: Option<u32> = None;
    while let Some(cell) = reader.next_cell().map_err(SheetError::Read)? {
        let (r, col) = cell.get_position();
        if current != Some(r) {
            if let Some(prev) = current {
                flush(&mut writer, &mut row, budget)?;
                if r > prev.saturating_add(1) {
                    writer.gap();
                }
            }
            current = Some(r);
        }
        if let Some((text, is_text)) = cell_text(cell.get_value()) {
            row.push(Cell { col, text, is_text });
        }
    }
    flush(&mut writer, &mut row, budget)?;
    writer.finish(budget).map_err(SheetError::Limit)
}

fn flush(writer: &mut RowWriter, row: &mut Vec<Cell>, budget: &Budget) -> Result<(), SheetError> {
    row.sort_by_key(|c| c.col);
    let result = writer.row(row, budget).map_err(SheetError::Limit);
    row.clear();
    result
}

/// A cell as text on one line, and whether it is text (for header
/// detection). `None` for empty cells and formula errors (`#N/A` is not
/// knowledge). Whole numbers lose the `.0` a float would print, dates read
/// as ISO dates, times as `HH:MM`.
fn cell_text(value: &DataRef<'_>) -> Option<(String, bool)> {
    let (text, is_text) = match value {
        DataRef::Empty | DataRef::Error(_) => return None,
        DataRef::String(s) => (text::collapse_line(s), true),
        DataRef::SharedString(s) => (text::collapse_line(s), true),
        DataRef::Int(i) => (i.to_string(), false),
        DataRef::Float(f) => (number(*f), false),
        DataRef::Bool(b) => (if *b { "TRUE" } else { "FALSE" }.to_owned(), false),
        DataRef::DateTime(dt) => (date_time(dt), false),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => (s.clone(), false),
    };
    (!text.is_empty()).then_some((text, is_text))
}

fn number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.0}")
    } else {
        f.to_string()
    }
}

fn date_time(dt: &calamine::ExcelDateTime) -> String {
    let value = dt.as_f64();
    if dt.is_duration() || (0.0..1.0).contains(&value) {
        let minutes = (value * 24.0 * 60.0).round() as i64;
        return format!("{:02}:{:02}", minutes / 60, minutes % 60);
    }
    let (y, mo, d, h, mi, _, _) = dt.to_ymd_hms_milli();
    if value.fract() == 0.0 {
        format!("{y:04}-{mo:02}-{d:02}")
    } else {
        format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}")
    }
}

fn xlsx_error(error: XlsxError) -> ExtractError {
    tracing::debug!(%error, "calamine rejected an XLSX");
    let reason = match error {
        XlsxError::Password => return ExtractError::Encrypted,
        XlsxError::Zip(_) | XlsxError::Io(_) => "it is not a valid Excel package",
        XlsxError::FileNotFound(_) | XlsxError::RelationshipNotFound => "a part of it is missing",
        XlsxError::Xml(_) | XlsxError::XmlAttr(_) | XlsxError::XmlEof(_) => "its XML is malformed",
        _ => "its contents can't be read",
    };
    ExtractError::Corrupt(format!("XLSX: {reason}"))
}

/// CSV: decoded like a text file, the delimiter guessed from the first
/// line, rows of any length accepted.
pub(super) fn extract_csv(bytes: &[u8], budget: &mut Budget) -> Result<Vec<Section>, ExtractError> {
    let decoded = text::decode(bytes);
    let delimiter = sniff_delimiter(&decoded);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(decoded.as_bytes());
    let mut writer = RowWriter::new();
    for record in reader.records() {
        let record = record.map_err(|error| {
            tracing::debug!(%error, "csv rejected a CSV");
            ExtractError::Corrupt("CSV: a row can't be read".into())
        })?;
        let cells: Vec<Cell> = (0u32..)
            .zip(record.iter())
            .filter_map(|(col, value)| {
                let text = text::collapse_line(value);
                let is_text = !looks_numeric(&text);
                (!text.is_empty()).then_some(Cell { col, text, is_text })
            })
            .collect();
        writer.row(&cells, budget)?;
    }
    let text = writer.finish(budget)?;
    let mut sections = Vec::new();
    push_section(&mut sections, budget, Locator::Whole, &text)?;
    Ok(sections)
}

/// The most frequent of `,` `;` and tab outside quotes in the first
/// non-blank line (Excel in many European and Indonesian locales writes
/// `;`, "Unicode text" exports use tabs); `,` when none occurs.
fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for c in first.bytes() {
        if c == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for (d, n) in &mut counts {
                if c == *d {
                    *n += 1;
                }
            }
        }
    }
    // max_by_key keeps the last maximum: reverse so ties favour `,` then `;`.
    counts
        .iter()
        .rev()
        .max_by_key(|(_, n)| *n)
        .map_or(b',', |&(d, _)| d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_is_sniffed_outside_quotes() {
        assert_eq!(sniff_delimiter("a;b;c\n1,5;2;3"), b';');
        assert_eq!(sniff_delimiter("\"x;y\",b\n"), b',');
        assert_eq!(sniff_delimiter("a\tb\tc"), b'\t');
        assert_eq!(sniff_delimiter("just one column"), b',');
    }

    #[test]
    fn numbers_print_like_a_sheet() {
        assert_eq!(number(150000.0), "150000");
        assert_eq!(number(2.5), "2.5");
    }
}
