//! The grade sheet as an Excel workbook: one worksheet per class, named after the class, the
//! header in row 1 (import templates expect it there, so there is no title row), bold, and the
//! scores as numbers shown with the format `0.0`.
//!
//! A score cell holds `tenths / 10` as a double. Both operands are exact integers and IEEE
//! division rounds correctly, so the cell holds the double nearest to the decimal score (`8.3`),
//! exactly what Excel stores when a teacher types 8,3; no float arithmetic touches the points.

use super::rows::ExportRow;
use super::{COLUMNS, ExportError};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// The sheet name for rows without a class.
pub const SHEET_WITHOUT_CLASS: &str = "Kết quả";

/// Excel's limit on a sheet name's length, in UTF-16 code units (a character outside the Basic
/// Multilingual Plane counts twice, as Excel and rust_xlsxwriter count it).
const SHEET_NAME_MAX: usize = 31;

/// The longest prefix of `text` that fits in `max` UTF-16 code units.
fn take_utf16(text: &str, max: usize) -> String {
    let mut used = 0;
    text.chars()
        .take_while(|c| {
            used += c.len_utf16();
            used <= max
        })
        .collect()
}

/// A valid, unique worksheet name for `class`: Excel forbids `[ ] : * ? / \`, a leading or
/// trailing apostrophe, more than 31 UTF-16 units, and two sheets whose names differ only by case.
pub fn sheet_name(class: &str, taken: &[String]) -> String {
    let cleaned: String = class
        .chars()
        .map(|c| if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control() { '_' } else { c })
        .collect();
    let cleaned = cleaned.trim().trim_matches('\'').trim();
    let truncated = take_utf16(cleaned, SHEET_NAME_MAX);
    // Truncation can expose an apostrophe or a space at the end; nothing left takes the neutral name.
    let trimmed = truncated.trim_end_matches('\'').trim_end();
    let base = if trimmed.is_empty() { SHEET_WITHOUT_CLASS.to_owned() } else { trimmed.to_owned() };
    let is_taken = |name: &str| taken.iter().any(|t| t.to_lowercase() == name.to_lowercase());
    if !is_taken(&base) {
        return base;
    }
    (2..)
        .map(|n| {
            let suffix = format!(" ({n})");
            let kept = take_utf16(&base, SHEET_NAME_MAX - suffix.len());
            format!("{}{suffix}", kept.trim_end())
        })
        .find(|name| !is_taken(name))
        .unwrap_or(base)
}

/// The workbook bytes of `rows` (one sheet per class, in the rows' order).
pub fn grade_sheet_xlsx(rows: &[ExportRow]) -> Result<Vec<u8>, ExportError> {
    build(rows).map_err(|e| ExportError::Encode { file: "xlsx".to_owned(), detail: e.to_string() })
}

fn build(rows: &[ExportRow]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let one_decimal = Format::new().set_num_format("0.0");
    let mut classes: Vec<&str> = Vec::new();
    for row in rows {
        if !classes.contains(&row.class.as_str()) {
            classes.push(&row.class);
        }
    }
    if classes.is_empty() {
        classes.push("");
    }
    let mut names: Vec<String> = Vec::new();
    for class in classes {
        let name = sheet_name(class, &names);
        let sheet = book.add_worksheet();
        sheet.set_name(&name)?;
        names.push(name);
        for (column, title) in (0u16..).zip(COLUMNS) {
            sheet.write_string_with_format(0, column, title, &bold)?;
        }
        for (line, row) in (1u32..).zip(rows.iter().filter(|row| row.class == class)) {
            sheet.write_number(line, 0, f64::from(row.number))?;
            sheet.write_string(line, 1, &row.student_id)?;
            sheet.write_string(line, 2, &row.full_name)?;
            sheet.write_string(line, 3, &row.class)?;
            if let Some(tenths) = row.score_tenths {
                // Scores are at most a few thousand tenths: exact in an f64 (see the module doc).
                sheet.write_number_with_format(line, 4, tenths as f64 / 10.0, &one_decimal)?;
            }
            if !row.note.is_empty() {
                sheet.write_string(line, 5, &row.note)?;
            }
        }
        sheet.set_column_width(2, 28)?;
        sheet.set_column_width(1, 14)?;
        sheet.set_column_width(5, 16)?;
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::sheet_name;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        assert_eq!(sheet_name("10A1", &[]), "10A1");
        assert_eq!(sheet_name("", &[]), "Kết quả");
        assert_eq!(sheet_name("10/A1", &[]), "10_A1");
        assert_eq!(sheet_name("'10A1'", &[]), "10A1");
        assert_eq!(sheet_name("10a1", &["10A1".to_owned()]), "10a1 (2)");
        let long = "Lớp chuyên Toán – Tin học khối mười";
        assert_eq!(sheet_name(long, &[]), "Lớp chuyên Toán – Tin học khối");
        let taken = vec![sheet_name(long, &[])];
        assert_eq!(sheet_name(long, &taken), "Lớp chuyên Toán – Tin học k (2)");
        // Outside the BMP a character is two UTF-16 units: 16 emoji do not fit, 15 do.
        assert_eq!(sheet_name(&"📘".repeat(16), &[]), "📘".repeat(15));
        assert_eq!(sheet_name("'", &[]), "Kết quả");
    }
}
