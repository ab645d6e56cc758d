//! Tests of the template importers and exporters, with the example file from the repository and
//! Vietnamese fixtures written here.

mod errors;
mod example;
mod properties;
mod semicolon;
mod skipped;

use crate::ImportReport;
use phongthi_items::Item;
use phongthi_items::text::nfc;

/// The data contract: `examples/questions.csv` exactly as it is in the repository.
const EXAMPLE_CSV: &[u8] = include_bytes!("../../../../examples/questions.csv");

/// A cell of an XLSX fixture.
#[derive(Clone, Debug)]
enum XlsxCell {
    Text(String),
    Number(f64),
}

/// Writes rows (row 1 first) to the first worksheet of a new workbook, the way a teacher's Excel
/// would hold them.
fn xlsx_bytes(rows: &[Vec<Option<XlsxCell>>]) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (row, cells) in (0u32..).zip(rows) {
        for (column, cell) in (0u16..).zip(cells) {
            match cell {
                Some(XlsxCell::Text(text)) => {
                    sheet.write_string(row, column, text).unwrap();
                }
                Some(XlsxCell::Number(number)) => {
                    sheet.write_number(row, column, *number).unwrap();
                }
                None => {}
            }
        }
    }
    workbook.save_to_buffer().unwrap()
}

/// The items of a report that must have no errors.
fn items_without_errors(report: ImportReport) -> Vec<Item> {
    assert!(report.errors.is_empty(), "unexpected errors:\n{}", messages(&report));
    report.items
}

/// Every error as `file:line: message`, one per line.
fn messages(report: &ImportReport) -> String {
    report.errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
}

/// The items with `meta.source` cleared, to compare content across files.
fn without_source(mut items: Vec<Item>) -> Vec<Item> {
    for item in &mut items {
        item.meta.source = None;
    }
    items
}

/// The invariants of every imported item: valid, NFC everywhere we write text, source set.
fn assert_import_invariants(file_name: &str, report: &ImportReport) {
    for item in &report.items {
        item.validate().unwrap();
        assert_eq!(item.stem, nfc(&item.stem));
        let json = serde_json::to_string(item).unwrap();
        assert_eq!(json, nfc(&json), "not NFC: {json}");
        let source = item.meta.source.as_ref().unwrap();
        assert_eq!(source.file, file_name);
        assert!(source.line >= 2, "data rows start after the header: {source}");
    }
    for error in &report.errors {
        assert_eq!(error.at.file, file_name);
        assert!(error.at.line >= 1);
        assert!(error.message.contains(" / "), "not bilingual: {}", error.message);
    }
}
