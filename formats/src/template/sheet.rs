//! The common shape both readers produce: numbered rows of cells, before any column rule.
//!
//! CSV and XLSX differ only in how cells are stored; once a file is rows of [`CellValue`]s with
//! their spreadsheet row and column numbers, the same header and row rules apply to both, so a
//! sheet imports to the same items whichever way the teacher saved it.

/// One cell as the file holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum CellValue {
    /// Text as typed (a CSV field, an XLSX text or boolean cell).
    Text(String),
    /// An XLSX number cell, as the shortest decimal text that reads back to the same number
    /// (`0.05`, `10`, `4.5`). Kept apart from text because a number cell has no "written form":
    /// Excel shows `4,5` to a Vietnamese teacher for the number stored as `4.5`.
    Number(String),
    /// A cell that cannot be read as text (invalid UTF-8, an Excel error or a date), with the
    /// reason, Vietnamese first then English.
    Unreadable(String),
}

impl CellValue {
    /// Whether the cell says nothing (empty or only spaces).
    pub(crate) fn is_blank(&self) -> bool {
        match self {
            CellValue::Text(text) | CellValue::Number(text) => text.trim().is_empty(),
            CellValue::Unreadable(_) => false,
        }
    }
}

/// One spreadsheet row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SheetRow {
    /// 1-based row number as Excel shows it (the header is row 1 in the template).
    pub(crate) number: u32,
    /// Non-empty cells with their 0-based column, in column order. Sparse, because an XLSX file
    /// may place a single cell far to the right.
    pub(crate) cells: Vec<(u32, CellValue)>,
}

impl SheetRow {
    /// Whether every cell is blank: such rows are skipped.
    pub(crate) fn is_blank(&self) -> bool {
        self.cells.iter().all(|(_, cell)| cell.is_blank())
    }

    /// The cell at a column, if the row has one there.
    pub(crate) fn cell(&self, column: u32) -> Option<&CellValue> {
        self.cells.iter().find(|(c, _)| *c == column).map(|(_, cell)| cell)
    }
}
