//! Writing the template as CSV: UTF-8 with a BOM (without it Excel reads Vietnamese letters as
//! the wrong code page), `,` between fields, CRLF line ends as Excel writes them.
//!
//! Fields are quoted by hand rather than through `csv::Writer`: the writer's only failures are
//! I/O errors, which writing into a `String` cannot have, and the report carries text, not a
//! `Result`. The quoting rule is the RFC 4180 one the importer reads.

use super::columns::Field;
use super::export::template_rows;
use crate::ExportReport;
use phongthi_items::Item;

/// Exports items as the CSV template; items the template cannot express are listed in
/// `skipped` with the reason.
pub fn export_csv(items: &[Item]) -> ExportReport {
    let (rows, skipped) = template_rows(items);
    let mut text = String::from('\u{FEFF}');
    write_line(&mut text, Field::EXPORT_ORDER.iter().map(|field| field.english()));
    for (_, row) in &rows {
        write_line(&mut text, row.cells.iter().map(String::as_str));
    }
    ExportReport { text, skipped }
}

fn write_line<'a>(out: &mut String, fields: impl Iterator<Item = &'a str>) {
    for (index, field) in fields.enumerate() {
        if index > 0 {
            out.push(',');
        }
        write_field(out, field);
    }
    out.push_str("\r\n");
}

/// Quotes a field when it holds a separator (`,` or `;`, so the file also reads where `;` is
/// the separator), a quote or a line break, doubling inner quotes.
fn write_field(out: &mut String, field: &str) {
    if field.contains([',', ';', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        for (field, expected) in [
            ("Toán", "Toán"),
            ("4,5", "\"4,5\""),
            ("a; b", "\"a; b\""),
            ("Phủ định của \"P\"", "\"Phủ định của \"\"P\"\"\""),
            ("dòng 1\ndòng 2", "\"dòng 1\ndòng 2\""),
            ("", ""),
        ] {
            let mut out = String::new();
            write_field(&mut out, field);
            assert_eq!(out, expected);
        }
    }
}
