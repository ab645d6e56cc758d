//! The grid both importers produce: rows of typed cells numbered as Excel shows them, so the
//! roster rules (`table`) are written once for CSV and XLSX.

use super::date::Date;

/// One non-empty cell.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Cell {
    /// Text as written (not yet trimmed or normalised).
    Text(String),
    /// An XLSX number cell, as the shortest decimal text that reads back as the same number.
    Number(String),
    /// An XLSX date cell: the date, or how the cell reads when it is no calendar date (a
    /// duration, Excel's 29/02/1900).
    Date(Result<Date, String>),
    /// A cell that holds no usable value (a formula error), with the reason.
    Unreadable(String),
}

/// One row with at least one non-empty cell.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct SheetRow {
    /// Row number as Excel shows it (1-based).
    pub(super) number: u32,
    /// Non-empty cells by 0-based column, in column order.
    pub(super) cells: Vec<(u32, Cell)>,
}

impl SheetRow {
    /// The cell in `column`, if it is not empty.
    pub(super) fn cell(&self, column: u32) -> Option<&Cell> {
        self.cells
            .binary_search_by_key(&column, |(index, _)| *index)
            .ok()
            .and_then(|at| self.cells.get(at))
            .map(|(_, cell)| cell)
    }
}

/// Whether a text cell counts as empty: spreadsheets often hold stray spaces.
pub(super) fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}
