//! Roster import tests: the example contract, XLSX with real date cells, CSV variants, every
//! error path, class-list order, and property tests.

mod collation;
mod csv_variants;
mod errors;
mod example;
mod properties;
mod xlsx;

use super::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

/// The data contract: `examples/roster.csv` exactly as it is in the repository.
const EXAMPLE_CSV: &[u8] = include_bytes!("../../../../examples/roster.csv");

/// A student with only an id, a name and a class.
fn student(id: &str, full_name: &str, class: &str) -> Student {
    Student {
        id: StudentId::new(id).unwrap(),
        full_name: full_name.to_owned(),
        class: class.to_owned(),
        date_of_birth: None,
        pin: None,
        seat: None,
    }
}

fn date(day: u8, month: u8, year: u16) -> Option<Date> {
    Some(Date::new(day, month, year).unwrap())
}

fn pin(text: &str) -> Option<Pin> {
    Some(Pin::new(text).unwrap())
}

/// A cell of a test workbook.
#[derive(Clone, Debug)]
enum XlsxCell {
    Empty,
    Text(String),
    Number(f64),
    /// A real date cell (a serial number with a `dd/mm/yyyy` format): day, month, year.
    Date(u8, u8, u16),
}

fn text(value: &str) -> XlsxCell {
    XlsxCell::Text(value.to_owned())
}

/// One worksheet with `rows` from A1, as rust_xlsxwriter saves it.
fn workbook(rows: &[Vec<XlsxCell>]) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let date_format = Format::new().set_num_format("dd/mm/yyyy");
    for (row, cells) in (0u32..).zip(rows) {
        for (column, cell) in (0u16..).zip(cells) {
            match cell {
                XlsxCell::Empty => {}
                XlsxCell::Text(value) => {
                    sheet.write_string(row, column, value).unwrap();
                }
                XlsxCell::Number(value) => {
                    sheet.write_number(row, column, *value).unwrap();
                }
                XlsxCell::Date(day, month, year) => {
                    let date = ExcelDateTime::from_ymd(*year, *month, *day).unwrap();
                    sheet.write_date_with_format(row, column, &date, &date_format).unwrap();
                }
            }
        }
    }
    workbook.save_to_buffer().unwrap()
}
