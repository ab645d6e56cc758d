//! Reading the template from the first worksheet of an XLSX workbook (calamine).
//!
//! Cells are streamed ([`crate::xlsx_cells`]). Number cells are read as
//! the shortest decimal text that gives back the same binary number (`0.05`, not
//! `0.05000000000000000277`), which is what the teacher typed; no arithmetic is done on the float.

use super::sheet::{CellValue, SheetRow};
use super::{file_error, import_rows};
use crate::ImportReport;
use crate::xlsx_cells::{WorkbookError, first_sheet_rows};
use calamine::DataRef;

/// Imports the question template from the first worksheet of XLSX bytes. `file_name` is used in
/// messages and in each item's `meta.source` (with the Excel row number).
pub fn import_xlsx(file_name: &str, bytes: &[u8]) -> ImportReport {
    match read_rows(bytes) {
        Ok(rows) => import_rows(file_name, rows),
        Err(message) => file_error(file_name, message),
    }
}

fn read_rows(bytes: &[u8]) -> Result<Vec<SheetRow>, String> {
    let rows = first_sheet_rows(bytes, cell_value).map_err(|error| match error {
        WorkbookError::Unreadable(error) => {
            format!("không đọc được tệp Excel (.xlsx): {error} / cannot read the Excel (.xlsx) file: {error}")
        }
        WorkbookError::NoWorksheet => "tệp Excel không có trang tính nào / the workbook has no worksheet".to_owned(),
    })?;
    Ok(rows.into_iter().map(|row| SheetRow { number: row.number, cells: row.cells }).collect())
}

/// A cell's value, or `None` for an empty cell.
fn cell_value(data: &DataRef<'_>) -> Option<CellValue> {
    Some(match data {
        DataRef::Empty => return None,
        DataRef::String(text) => CellValue::Text(text.clone()),
        DataRef::SharedString(text) => CellValue::Text((*text).to_owned()),
        DataRef::Int(number) => CellValue::Number(number.to_string()),
        // Rust prints the shortest text that parses back to the same f64, never in exponent
        // form: 0.05 → "0.05", 10.0 → "10", 4.5 → "4.5".
        DataRef::Float(number) if number.is_finite() => CellValue::Number(number.to_string()),
        DataRef::Float(_) => {
            CellValue::Unreadable("ô chứa số không hợp lệ / the cell holds an invalid number".to_owned())
        }
        // Excel turns a typed `True` into a boolean; keep the word so true/false keys still read.
        DataRef::Bool(value) => CellValue::Text(if *value { "TRUE" } else { "FALSE" }.to_owned()),
        DataRef::DateTime(_) | DataRef::DateTimeIso(_) | DataRef::DurationIso(_) => CellValue::Unreadable(
            "Excel đã đổi ô thành ngày/giờ; hãy định dạng ô là Văn bản (Text) rồi nhập lại / \
             Excel turned the cell into a date or time; format the cell as Text and type it again"
                .to_owned(),
        ),
        DataRef::Error(error) => {
            CellValue::Unreadable(format!("ô bị lỗi công thức {error} / the cell holds the formula error {error}"))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_their_shortest_decimal() {
        for (data, expected) in [
            (DataRef::Float(0.05), "0.05"),
            (DataRef::Float(10.0), "10"),
            (DataRef::Float(4.5), "4.5"),
            (DataRef::Float(-1.5), "-1.5"),
            (DataRef::Float(0.1 + 0.2), "0.30000000000000004"),
            (DataRef::Int(5), "5"),
        ] {
            assert_eq!(cell_value(&data), Some(CellValue::Number(expected.to_owned())));
        }
    }

    #[test]
    fn other_cells() {
        assert_eq!(cell_value(&DataRef::Empty), None);
        assert_eq!(cell_value(&DataRef::SharedString("Đúng")), Some(CellValue::Text("Đúng".to_owned())));
        assert_eq!(cell_value(&DataRef::Bool(true)), Some(CellValue::Text("TRUE".to_owned())));
        assert!(matches!(cell_value(&DataRef::Float(f64::NAN)), Some(CellValue::Unreadable(_))));
        assert!(matches!(
            cell_value(&DataRef::Error(calamine::CellErrorType::Div0)),
            Some(CellValue::Unreadable(m)) if m.contains("#DIV/0!")
        ));
    }
}
