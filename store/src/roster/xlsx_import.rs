//! Reading a roster from the first worksheet of an XLSX workbook (calamine).
//!
//! Cells are streamed ([`phongthi_formats::xlsx_cells`]). Date cells (a number with a date format) are
//! read as calendar dates with calamine's own serial-date conversion, which knows the 1900 and
//! 1904 epochs; the time of day, if any, is dropped.

use super::date::Date;
use super::error::Problem;
use super::sheet::{Cell, SheetRow, is_blank};
use calamine::{DataRef, ExcelDateTime};
use phongthi_formats::xlsx_cells::{WorkbookError, first_sheet_rows};

/// Reads the first worksheet into numbered rows of non-empty cells.
pub(super) fn read_xlsx(bytes: &[u8]) -> Result<Vec<SheetRow>, Problem> {
    let rows = first_sheet_rows(bytes, cell_value).map_err(|error| match error {
        WorkbookError::Unreadable(reason) => Problem::NotSpreadsheet(reason),
        WorkbookError::NoWorksheet => Problem::NoWorksheet,
    })?;
    Ok(rows.into_iter().map(|row| SheetRow { number: row.number, cells: row.cells }).collect())
}

/// A cell's value, or `None` when it is empty.
fn cell_value(data: &DataRef<'_>) -> Option<Cell> {
    Some(match data {
        DataRef::Empty => return None,
        DataRef::String(text) if is_blank(text) => return None,
        DataRef::SharedString(text) if is_blank(text) => return None,
        DataRef::String(text) => Cell::Text(text.clone()),
        DataRef::SharedString(text) => Cell::Text((*text).to_owned()),
        DataRef::Int(number) => Cell::Number(number.to_string()),
        // Rust prints the shortest text that reads back as the same f64, never in exponent
        // form: a class typed as 12 shows as "12", not "12.0".
        DataRef::Float(number) if number.is_finite() => Cell::Number(number.to_string()),
        DataRef::Float(_) => Cell::Unreadable("ô chứa số không hợp lệ / the cell holds an invalid number".to_owned()),
        DataRef::Bool(value) => Cell::Text(if *value { "TRUE" } else { "FALSE" }.to_owned()),
        DataRef::DateTime(excel) => Cell::Date(excel_date(excel)),
        // ISO 8601 text that the file itself marks as a date (`t="d"` cells).
        DataRef::DateTimeIso(text) => {
            let day = text.split('T').next().unwrap_or_default();
            Cell::Date(Date::parse(day).ok_or_else(|| text.clone()))
        }
        DataRef::DurationIso(text) => Cell::Date(Err(text.clone())),
        DataRef::Error(error) => {
            Cell::Unreadable(format!("ô bị lỗi công thức {error} / the cell holds the formula error {error}"))
        }
    })
}

/// The calendar date of a date cell, or how the cell reads when it has none: a duration, or
/// Excel's phantom 29/02/1900.
fn excel_date(excel: &ExcelDateTime) -> Result<Date, String> {
    let (year, month, day, ..) = excel.to_ymd_hms_milli();
    if excel.is_duration() || !excel.as_f64().is_finite() {
        return Err(excel.as_f64().to_string());
    }
    Date::new(day, month, year).ok_or_else(|| format!("{day:02}/{month:02}/{year:04}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::ExcelDateTimeType;

    fn date_cell(serial: f64, kind: ExcelDateTimeType, is_1904: bool) -> Option<Cell> {
        cell_value(&DataRef::DateTime(ExcelDateTime::new(serial, kind, is_1904)))
    }

    #[test]
    fn date_cells() {
        let date = |day, month, year| Some(Cell::Date(Ok(Date::new(day, month, year).unwrap())));
        // 40242 is 05/03/2010 in the 1900 system; 38780 the same day counted from 1904.
        assert_eq!(date_cell(40242.0, ExcelDateTimeType::DateTime, false), date(5, 3, 2010));
        assert_eq!(date_cell(40242.75, ExcelDateTimeType::DateTime, false), date(5, 3, 2010));
        assert_eq!(date_cell(38780.0, ExcelDateTimeType::DateTime, true), date(5, 3, 2010));
        assert_eq!(date_cell(40968.0, ExcelDateTimeType::DateTime, false), date(29, 2, 2012));
        assert_eq!(date_cell(60.0, ExcelDateTimeType::DateTime, false), Some(Cell::Date(Err("29/02/1900".to_owned()))));
        assert!(matches!(date_cell(1.5, ExcelDateTimeType::TimeDelta, false), Some(Cell::Date(Err(_)))));
        assert_eq!(
            cell_value(&DataRef::DateTimeIso("2012-02-29T00:00:00".to_owned())),
            Some(Cell::Date(Ok(Date::new(29, 2, 2012).unwrap())))
        );
        assert_eq!(cell_value(&DataRef::DateTimeIso("T10:00".to_owned())), Some(Cell::Date(Err("T10:00".to_owned()))));
    }

    #[test]
    fn other_cells() {
        assert_eq!(cell_value(&DataRef::Empty), None);
        assert_eq!(cell_value(&DataRef::SharedString("  ")), None);
        assert_eq!(cell_value(&DataRef::SharedString("10A1")), Some(Cell::Text("10A1".to_owned())));
        assert_eq!(cell_value(&DataRef::Float(12.0)), Some(Cell::Number("12".to_owned())));
        assert_eq!(cell_value(&DataRef::Int(7)), Some(Cell::Number("7".to_owned())));
        assert!(matches!(cell_value(&DataRef::Float(f64::NAN)), Some(Cell::Unreadable(_))));
        assert!(matches!(
            cell_value(&DataRef::Error(calamine::CellErrorType::Ref)),
            Some(Cell::Unreadable(reason)) if reason.contains("#REF!")
        ));
    }
}
