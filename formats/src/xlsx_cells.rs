//! The cells of an XLSX workbook's first worksheet, streamed (calamine), for every importer that
//! reads a spreadsheet: the question template here and the proctor's class roster.
//!
//! Cells are streamed one by one rather than read as a dense range: a stray cell in column XFD
//! or row 1 048 576 must not make an importer allocate the whole grid. Each importer turns a
//! cell into its own value type (`value` returns `None` for a cell it treats as empty).

use calamine::{DataRef, Reader, Xlsx, open_workbook_from_rs};
use std::collections::BTreeMap;
use std::io::Cursor;
use std::panic::AssertUnwindSafe;

/// Why a workbook gave no cells.
#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    /// Not an XLSX file, or a damaged one: calamine's reason.
    #[error("{0}")]
    Unreadable(String),
    /// The workbook has no worksheet.
    #[error("the workbook has no worksheet")]
    NoWorksheet,
}

/// One worksheet row that has at least one non-empty cell.
#[derive(Debug, PartialEq)]
pub struct CellRow<T> {
    /// The row number as Excel shows it (1-based).
    pub number: u32,
    /// (0-based column, value), by column; a cell the file lists twice appears once, with its
    /// last value, as Excel would show it.
    pub cells: Vec<(u32, T)>,
}

/// Reads the first worksheet of XLSX `bytes` into rows of non-empty cells, top to bottom.
pub fn first_sheet_rows<T>(
    bytes: &[u8],
    value: impl FnMut(&DataRef<'_>) -> Option<T>,
) -> Result<Vec<CellRow<T>>, WorkbookError> {
    // calamine is a boundary we do not own, and it can panic on a damaged file: a cell
    // reference such as `r="ZZZZZZZZZZ1"` overflows its base-26 column arithmetic (a panic in
    // builds with overflow checks, a wrong column without). A damaged upload must be a clear
    // error, never a crash of the teacher's or the proctor's command, so the panic is caught
    // here and reported like any other unreadable file. Nothing half-built escapes: the rows
    // are only returned when the whole sheet was read.
    std::panic::catch_unwind(AssertUnwindSafe(|| read_first_sheet(bytes, value))).unwrap_or_else(|_| {
        Err(WorkbookError::Unreadable(
            "tệp XLSX hỏng: tham chiếu ô không hợp lệ / damaged XLSX file: an invalid cell \
                 reference"
                .to_owned(),
        ))
    })
}

fn read_first_sheet<T>(
    bytes: &[u8],
    mut value: impl FnMut(&DataRef<'_>) -> Option<T>,
) -> Result<Vec<CellRow<T>>, WorkbookError> {
    let unreadable = |error: calamine::XlsxError| WorkbookError::Unreadable(error.to_string());
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(unreadable)?;
    let Some(first_sheet) = workbook.sheet_names().into_iter().next() else {
        return Err(WorkbookError::NoWorksheet);
    };
    let mut cells = workbook.worksheet_cells_reader(&first_sheet).map_err(unreadable)?;
    let mut rows: BTreeMap<u32, Vec<(u32, T)>> = BTreeMap::new();
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let Some(value) = value(cell.get_value()) else { continue };
        let (row, column) = cell.get_position();
        rows.entry(row).or_default().push((column, value));
    }
    Ok(rows
        .into_iter()
        .map(|(row, mut cells)| {
            // Stable sort keeps the file's order within a column; reversing before the dedup
            // keeps the last of any duplicates.
            cells.sort_by_key(|(column, _)| *column);
            cells.reverse();
            cells.dedup_by_key(|(column, _)| *column);
            cells.reverse();
            CellRow { number: row.saturating_add(1), cells }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(data: &DataRef<'_>) -> Option<String> {
        match data {
            DataRef::SharedString(text) => Some((*text).to_owned()),
            DataRef::String(text) => Some(text.clone()),
            DataRef::Float(number) => Some(number.to_string()),
            _ => None,
        }
    }

    #[test]
    fn rows_come_numbered_as_excel_shows_them_and_a_far_cell_costs_nothing() {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write_string(0, 1, "Họ và tên").unwrap();
        sheet.write_string(0, 0, "Mã").unwrap();
        sheet.write_number(2, 0, 7.5).unwrap();
        // The last cell a worksheet can have: a dense range would be 17 billion cells.
        sheet.write_string(1_048_575, 16_383, "xa").unwrap();
        let bytes = workbook.save_to_buffer().unwrap();

        let rows = first_sheet_rows(&bytes, text).unwrap();
        let shape: Vec<_> = rows.iter().map(|row| (row.number, row.cells.clone())).collect();
        assert_eq!(
            shape,
            [
                (1, vec![(0, "Mã".to_owned()), (1, "Họ và tên".to_owned())]),
                (3, vec![(0, "7.5".to_owned())]),
                (1_048_576, vec![(16_383, "xa".to_owned())]),
            ]
        );
    }

    /// A workbook whose first cell reference is `reference` instead of `A1`.
    fn workbook_with_reference(reference: &str) -> Vec<u8> {
        use std::io::{Read, Write};
        let mut workbook = rust_xlsxwriter::Workbook::new();
        workbook.add_worksheet().write_string(0, 0, "Mã").unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for index in 0..archive.len() {
            let mut file = archive.by_index(index).unwrap();
            let name = file.name().unwrap().to_string();
            let mut contents = String::new();
            file.read_to_string(&mut contents).unwrap();
            if name == "xl/worksheets/sheet1.xml" {
                assert!(contents.contains(r#"r="A1""#), "{contents}");
                contents = contents.replace(r#"r="A1""#, &format!(r#"r="{reference}""#));
            }
            out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
            out.write_all(contents.as_bytes()).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    #[test]
    fn a_cell_reference_past_every_column_is_an_error_not_a_crash() {
        // The untouched copy reads, so the error below is the reference's doing.
        assert_eq!(first_sheet_rows(&workbook_with_reference("A1"), text).unwrap().len(), 1);
        let damaged = workbook_with_reference("ZZZZZZZZZZZZZZ1");
        let error = first_sheet_rows(&damaged, text).unwrap_err();
        assert!(matches!(error, WorkbookError::Unreadable(_)), "{error:?}");
    }

    #[test]
    fn a_file_that_is_not_a_workbook_is_unreadable() {
        let error = first_sheet_rows(b"Ma,Ho ten\n1,An\n", text).unwrap_err();
        assert!(matches!(error, WorkbookError::Unreadable(_)), "{error:?}");
    }
}
