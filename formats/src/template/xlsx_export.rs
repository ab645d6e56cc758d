//! Writing the template as an XLSX workbook (rust_xlsxwriter) a teacher can edit in Excel and
//! import again.
//!
//! Every cell is written as text except the grade: a key like `4,5` or `05` must stay as typed,
//! and a text cell never turns into a formula, a date or a rounded number. The grade is a whole
//! number, so writing it as a number is exact and spares the teacher Excel's "number stored as
//! text" warnings on every row.

use super::columns::Field;
use super::export::template_rows;
use crate::Skipped;
use phongthi_items::Item;
use rust_xlsxwriter::{Format, Workbook};

/// Excel's limit on the text of one cell, in UTF-16 code units.
const MAX_CELL_TEXT: usize = 32_767;

/// An XLSX template export.
#[derive(Clone, Debug)]
pub struct XlsxExport {
    /// The workbook's bytes.
    pub bytes: Vec<u8>,
    /// Items the template cannot express, with the reason.
    pub skipped: Vec<Skipped>,
}

/// Why a workbook could not be written.
#[derive(Debug, thiserror::Error)]
pub enum XlsxExportError {
    /// rust_xlsxwriter refused (for instance more rows than a worksheet holds).
    #[error("không ghi được tệp Excel: {0} / cannot write the Excel file: {0}")]
    Write(#[from] rust_xlsxwriter::XlsxError),
}

/// Exports items as the XLSX template (one worksheet, header in row 1, English column names).
pub fn export_xlsx(items: &[Item]) -> Result<XlsxExport, XlsxExportError> {
    let (rows, mut skipped) = template_rows(items);
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Câu hỏi")?;
    let bold = Format::new().set_bold();
    let wrapped = Format::new().set_text_wrap();
    for (column, field) in (0u16..).zip(Field::EXPORT_ORDER) {
        sheet.write_string_with_format(0, column, field.english(), &bold)?;
        let width = match field {
            Field::Stem => 60,
            Field::Option(_) => 25,
            Field::Subject | Field::Topic | Field::Level | Field::Kind | Field::Author | Field::Tags => 16,
            _ => 10,
        };
        sheet.set_column_width(column, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let mut sheet_row: u32 = 1;
    for (index, row) in rows {
        if row.cells.iter().any(|cell| cell.encode_utf16().count() > MAX_CELL_TEXT) {
            skipped.push(Skipped {
                index,
                reason: format!(
                    "có ô dài hơn {MAX_CELL_TEXT} ký tự, giới hạn của Excel / \
                     a cell is longer than Excel's limit of {MAX_CELL_TEXT} characters"
                ),
            });
            continue;
        }
        for ((column, field), text) in (0u16..).zip(Field::EXPORT_ORDER).zip(&row.cells) {
            if text.is_empty() {
                continue;
            }
            match (field, text.parse::<u8>()) {
                (Field::Grade, Ok(grade)) => {
                    sheet.write_number(sheet_row, column, grade)?;
                }
                (Field::Stem | Field::Option(_), _) => {
                    sheet.write_string_with_format(sheet_row, column, text, &wrapped)?;
                }
                _ => {
                    sheet.write_string(sheet_row, column, text)?;
                }
            }
        }
        sheet_row += 1;
    }
    skipped.sort_by_key(|s| s.index);
    Ok(XlsxExport { bytes: workbook.save_to_buffer()?, skipped })
}
