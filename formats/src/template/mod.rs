//! The teachers' spreadsheet template (`examples/questions.csv`): one question per row, as CSV or
//! as the first worksheet of an XLSX workbook, with the same header row and rules.
//!
//! Columns (names case-insensitive, Vietnamese accepted, see `examples/README.md`): `subject`
//! (môn), `grade` (khối, 1–12), `topic` (chủ đề), `level` (mức độ), `kind` (loại), `stem` (nội
//! dung), options `a`..`f`, `answer` (đáp án), `tolerance` (sai số), `pin` (cố định), and the
//! optional `points` (điểm), `name` (mã câu), `tags` (thẻ, separated by `;`), `author` (tác giả)
//! and `four_char` (4 ký tự). Rows are numbered as Excel shows them, header in row 1, and every
//! message names file, row and column: `questions.csv:5: cột K "answer": …`.
//!
//! Exports write the same template (all columns, English names) so a teacher can edit the sheet
//! in Excel and import it again; what the template cannot say is listed in `skipped`.

pub(crate) mod answers;
mod columns;
mod csv_export;
mod csv_import;
mod export;
mod row;
mod sheet;
mod xlsx_export;
mod xlsx_import;

#[cfg(test)]
mod tests;

pub use csv_export::export_csv;
pub use csv_import::import_csv;
pub use xlsx_export::{XlsxExport, XlsxExportError, export_xlsx};
pub use xlsx_import::import_xlsx;

use crate::{ImportError, ImportReport};
use columns::Header;
use sheet::SheetRow;

/// The rules shared by both readers: the first non-blank row is the header, blank rows are
/// skipped, every other row becomes an item or errors.
fn import_rows(file_name: &str, rows: impl IntoIterator<Item = SheetRow>) -> ImportReport {
    let mut report = ImportReport::default();
    let mut rows = rows.into_iter().filter(|row| !row.is_blank());
    let Some(header_row) = rows.next() else {
        report.errors.push(ImportError::new(
            file_name,
            1,
            None,
            "không có dòng tiêu đề: tệp trống / no header row: the file is empty",
        ));
        return report;
    };
    let header = match Header::parse(file_name, &header_row) {
        Ok(header) => header,
        Err(errors) => {
            report.errors = errors;
            return report;
        }
    };
    for row in rows {
        match row::read_row(file_name, &header, &row) {
            Ok(item) => report.items.push(item),
            Err(errors) => report.errors.extend(errors),
        }
    }
    report
}

/// A report holding a single file-level error (unreadable file, wrong encoding).
fn file_error(file_name: &str, message: impl Into<String>) -> ImportReport {
    ImportReport { items: Vec::new(), errors: vec![ImportError::new(file_name, 1, None, message)] }
}
