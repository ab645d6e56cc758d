//! The grade sheet as an Excel workbook: one worksheet per class, named after the class, the
//! header in row 1 (import templates expect it there, so there is no title row), bold, and the
//! scores as numbers shown with the format `0.0`.
//!
//! A score cell holds `tenths / 10` as a double. Both operands are exact integers and IEEE
//! division rounds correctly, so the cell holds the double nearest to the decimal score (`8.3`),
//! exactly what Excel stores when a teacher types 8,3; no float arithmetic touches the points.

use super::ExportError;
use super::columns::{ColumnKey, ColumnMap};
use super::rows::ExportRow;
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

/// Why Excel would refuse `name` as a worksheet name, if it would.
pub fn sheet_name_problem(name: &str) -> Option<String> {
    if name.trim().is_empty() {
        return Some("tên trang rỗng / empty sheet name".to_owned());
    }
    if let Some(c) = name.chars().find(|c| matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control()) {
        return Some(format!("Excel không cho ký tự {c:?} / Excel forbids {c:?}"));
    }
    if name.starts_with('\'') || name.ends_with('\'') {
        return Some("không được bắt đầu hay kết thúc bằng ' / cannot start or end with '".to_owned());
    }
    let units: usize = name.chars().map(char::len_utf16).sum();
    if units > SHEET_NAME_MAX {
        return Some(format!("dài hơn {SHEET_NAME_MAX} ký tự / longer than {SHEET_NAME_MAX} characters"));
    }
    None
}

/// The workbook bytes of `rows` (one sheet per class, in the rows' order).
pub fn grade_sheet_xlsx(rows: &[ExportRow]) -> Result<Vec<u8>, ExportError> {
    grade_sheet_xlsx_mapped(rows, &ColumnMap::default())
}

/// The workbook bytes of `rows` with a school's column mapping.
pub fn grade_sheet_xlsx_mapped(rows: &[ExportRow], map: &ColumnMap) -> Result<Vec<u8>, ExportError> {
    build(rows, map).map_err(|e| ExportError::Encode { file: "xlsx".to_owned(), detail: e.to_string() })
}

fn build(rows: &[ExportRow], map: &ColumnMap) -> Result<Vec<u8>, XlsxError> {
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
    // One sheet per class, or one for all: (sheet name source, the classes it holds).
    let sheets: Vec<(String, Vec<&str>)> = if map.single_sheet {
        vec![(map.sheet_name.clone(), classes)]
    } else {
        classes.into_iter().map(|class| (map.sheet_name_for(class), vec![class])).collect()
    };
    let mut names: Vec<String> = Vec::new();
    for (wanted, held) in sheets {
        let name = sheet_name(&wanted, &names);
        let sheet = book.add_worksheet();
        sheet.set_name(&name)?;
        names.push(name);
        for (column, (_, title)) in (0u16..).zip(&map.columns) {
            sheet.write_string_with_format(0, column, title, &bold)?;
        }
        for (line, row) in (1u32..).zip(rows.iter().filter(|row| held.contains(&row.class.as_str()))) {
            for (column, (key, _)) in (0u16..).zip(&map.columns) {
                match key {
                    ColumnKey::Number => sheet.write_number(line, column, f64::from(row.number)).map(|_| ())?,
                    ColumnKey::StudentId => sheet.write_string(line, column, &row.student_id).map(|_| ())?,
                    ColumnKey::FullName => sheet.write_string(line, column, &row.full_name).map(|_| ())?,
                    ColumnKey::Class => sheet.write_string(line, column, &row.class).map(|_| ())?,
                    ColumnKey::Score => {
                        if let Some(tenths) = row.score_tenths {
                            // Scores are at most a few thousand tenths: exact in an f64 (module doc).
                            sheet.write_number_with_format(line, column, tenths as f64 / 10.0, &one_decimal)?;
                        }
                    }
                    ColumnKey::Note => {
                        if !row.note.is_empty() {
                            sheet.write_string(line, column, &row.note)?;
                        }
                    }
                }
            }
        }
        for (column, (key, _)) in (0u16..).zip(&map.columns) {
            let width = match key {
                ColumnKey::FullName => 28.0,
                ColumnKey::StudentId => 14.0,
                ColumnKey::Note => 16.0,
                _ => continue,
            };
            sheet.set_column_width(column, width)?;
        }
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::super::columns::ColumnMap;
    use super::super::rows::{ExportRow, RowStatus};
    use super::{grade_sheet_xlsx_mapped, sheet_name, sheet_name_problem};
    use calamine::{Data, Reader as _, Xlsx, open_workbook_from_rs};

    #[test]
    fn one_sheet_for_every_class_with_the_schools_columns() {
        let row = |number: u32, id: &str, name: &str, class: &str, tenths: Option<i64>| ExportRow {
            number,
            student_id: id.to_owned(),
            full_name: name.to_owned(),
            class: class.to_owned(),
            score_tenths: tenths,
            status: if tenths.is_some() { RowStatus::Graded } else { RowStatus::Absent },
            note: if tenths.is_some() { String::new() } else { "Vắng".to_owned() },
            scored_ms: None,
            unmarked_essays: 0,
        };
        let rows = [
            row(1, "0123456789", "Nguyễn Văn An", "10A1", Some(83)),
            row(1, "0223456791", "Lê Hoàng Phúc", "10A2", None),
        ];
        let map = ColumnMap::parse(
            "c.toml",
            "single_sheet = true\nsheet_name = \"Sheet1\"\n[[column]]\nkey = \"class\"\n[[column]]\nkey = \"note\"\n\
             header = \"Ghi chú GVCN\"\n[[column]]\nkey = \"score\"\n",
        )
        .unwrap();
        let bytes = grade_sheet_xlsx_mapped(&rows, &map).unwrap();
        let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(book.sheet_names(), vec!["Sheet1".to_owned()]);
        let range = book.worksheet_range("Sheet1").unwrap();
        let cells: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
        assert_eq!(
            cells[0],
            [Data::String("Lớp".into()), Data::String("Ghi chú GVCN".into()), Data::String("Điểm".into())]
        );
        assert_eq!(cells[1], [Data::String("10A1".into()), Data::Empty, Data::Float(8.3)]);
        assert_eq!(cells[2], [Data::String("10A2".into()), Data::String("Vắng".into()), Data::Empty]);
    }

    #[test]
    fn sheet_name_problems_are_named() {
        assert_eq!(sheet_name_problem("Điểm 10A1"), None);
        for (name, want) in [
            ("", "empty"),
            ("a:b", "forbids ':'"),
            ("'x", "cannot start or end"),
            (&"x".repeat(32)[..], "longer than 31"),
        ] {
            assert!(sheet_name_problem(name).is_some_and(|p| p.contains(want)), "{name:?}");
        }
    }

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
