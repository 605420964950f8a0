//! Rendering spreadsheet and CSV rows as lines of text.
//!
//! A price list is only useful to the bot if each row says what its values
//! are, so when a sheet has a header row every later row is written as
//! `Header: value; Header2: value` ("Item: Court 1 peak; Price: 150000").
//! The candidate header is the first row with at least two cells (rows above
//! it, such as a title "Price list 2025", stay plain lines). It is taken as
//! a header when its cells are text without digits, with no gap between
//! them, and the next row does have a number or a digit: "Item | Price"
//! above "Court 1 | 150000" is a header, while "Monday | 08:00-22:00" or
//! "Parking | free" above "Sauna | yes" is data, and labelling it would
//! garble it ("Parking: Sauna; free: yes"). Without a header, cells are
//! joined by `" | "`, like DOCX tables. Empty rows become paragraph breaks.

use std::collections::BTreeMap;

use super::{Budget, ExtractError};

/// One non-empty cell of a row, on one line.
#[derive(Clone)]
pub(super) struct Cell {
    /// 0-based column, to pair values with header names.
    pub col: u32,
    pub text: String,
    /// Text rather than a number, date or boolean: only such cells make a
    /// header.
    pub is_text: bool,
}

/// Accumulates one sheet's (or CSV file's) lines under the row and
/// character caps.
pub(super) struct RowWriter {
    out: String,
    chars: usize,
    rows: u32,
    header: Option<BTreeMap<u32, String>>,
    decided: bool,
    gap: bool,
    /// The candidate header row, held until the next row shows whether it
    /// is one, with the paragraph break that came before it.
    pending: Option<(Vec<Cell>, bool)>,
}

impl RowWriter {
    pub fn new() -> Self {
        RowWriter {
            out: String::new(),
            chars: 0,
            rows: 0,
            header: None,
            decided: false,
            gap: false,
            pending: None,
        }
    }

    /// Marks a blank row: the next line starts a new paragraph.
    pub fn gap(&mut self) {
        self.gap = !self.out.is_empty() || self.pending.is_some();
    }

    /// Adds a row whose cells are sorted by column and non-empty; an empty
    /// row is a [`RowWriter::gap`]. `TooLarge` past the row or character cap,
    /// `TimedOut` past the deadline (checked every few hundred rows).
    pub fn row(&mut self, cells: &[Cell], budget: &Budget) -> Result<(), ExtractError> {
        if cells.is_empty() {
            self.gap();
            return Ok(());
        }
        self.rows += 1;
        if self.rows > budget.max_rows() {
            return Err(ExtractError::TooLarge);
        }
        if self.rows.is_multiple_of(256) {
            budget.check_time()?;
        }
        if let Some((candidate, gap_before)) = self.pending.take() {
            if cells.iter().any(|c| !c.is_text || has_digit(&c.text)) {
                let names = candidate.iter().map(|c| (c.col, c.text.clone())).collect();
                self.header = Some(names);
            }
            let gap_after = std::mem::replace(&mut self.gap, gap_before);
            self.line(&joined(&candidate), budget)?;
            self.gap = gap_after;
        } else if !self.decided && cells.len() >= 2 {
            self.decided = true;
            if could_be_header(cells) {
                self.pending = Some((cells.to_vec(), std::mem::take(&mut self.gap)));
                return Ok(());
            }
        }
        let line = match &self.header {
            Some(header) => labelled(cells, header),
            None => joined(cells),
        };
        self.line(&line, budget)
    }

    /// The text so far, with a still-undecided candidate header as a plain
    /// line.
    pub fn finish(mut self, budget: &Budget) -> Result<String, ExtractError> {
        if let Some((candidate, gap_before)) = self.pending.take() {
            self.gap = gap_before;
            self.line(&joined(&candidate), budget)?;
        }
        Ok(self.out)
    }

    fn line(&mut self, line: &str, budget: &Budget) -> Result<(), ExtractError> {
        if !self.out.is_empty() {
            self.out.push_str(if self.gap { "\n\n" } else { "\n" });
        }
        self.gap = false;
        self.out.push_str(line);
        self.chars += line.chars().count() + 1;
        budget.fits(self.chars)
    }
}

fn could_be_header(cells: &[Cell]) -> bool {
    let contiguous = cells.windows(2).all(|w| w[1].col == w[0].col + 1);
    contiguous && cells.iter().all(|c| c.is_text && !has_digit(&c.text))
}

fn has_digit(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_digit())
}

fn joined(cells: &[Cell]) -> String {
    cells
        .iter()
        .map(|c| c.text.as_str())
        .collect::<Vec<_>>()
        .join(" | ")
}

fn labelled(cells: &[Cell], header: &BTreeMap<u32, String>) -> String {
    cells
        .iter()
        .map(|c| match header.get(&c.col) {
            Some(name) => format!("{name}: {}", c.text),
            None => c.text.clone(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A CSV value that is a number ("150000", "-2.5", "1,5") rather than a
/// word: such a first row is data, not a header.
pub(super) fn looks_numeric(s: &str) -> bool {
    let s = s.trim().trim_start_matches(['+', '-']);
    !s.is_empty()
        && s.chars().any(|c| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ' ' | '%'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Limits;

    fn cells(values: &[&str]) -> Vec<Cell> {
        values
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.is_empty())
            .map(|(i, v)| Cell {
                col: u32::try_from(i).expect("small"),
                text: (*v).to_owned(),
                is_text: !looks_numeric(v),
            })
            .collect()
    }

    #[test]
    fn header_rows_label_values() {
        let budget = Budget::new(&Limits::default());
        let mut w = RowWriter::new();
        for row in [
            &["Price list"][..],
            &[],
            &["Item", "Price", "Note"],
            &["Court 1 peak", "150000", ""],
            &["Court 2", "100000", "off-peak", "extra"],
        ] {
            w.row(&cells(row), &budget).expect("fits");
        }
        assert_eq!(
            w.finish(&budget).expect("fits"),
            "Price list\n\nItem | Price | Note\nItem: Court 1 peak; Price: 150000\n\
             Item: Court 2; Price: 100000; Note: off-peak; extra"
        );
    }

    #[test]
    fn numeric_first_row_is_not_a_header() {
        let budget = Budget::new(&Limits::default());
        let mut w = RowWriter::new();
        w.row(&cells(&["Court 1", "150000"]), &budget)
            .expect("fits");
        w.row(&cells(&["Court 2", "90000"]), &budget).expect("fits");
        assert_eq!(
            w.finish(&budget).expect("fits"),
            "Court 1 | 150000\nCourt 2 | 90000"
        );
    }

    #[test]
    fn all_text_pairs_are_data_not_a_header() {
        let budget = Budget::new(&Limits::default());
        let mut w = RowWriter::new();
        w.row(&cells(&["Parking", "free"]), &budget).expect("fits");
        w.row(&[], &budget).expect("fits");
        w.row(&cells(&["Sauna", "yes"]), &budget).expect("fits");
        assert_eq!(
            w.finish(&budget).expect("fits"),
            "Parking | free\n\nSauna | yes"
        );
        let mut w = RowWriter::new();
        w.row(&cells(&["Only", "header"]), &budget).expect("fits");
        assert_eq!(w.finish(&budget).expect("fits"), "Only | header");
    }
}
