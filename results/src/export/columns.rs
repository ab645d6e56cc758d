//! A school's column mapping for the CSV and XLSX grade sheets (`columns.toml`), so the file
//! matches the school's own SMAS / vnEdu import template: columns renamed, reordered or left
//! out, and the worksheet's name.
//!
//! ```toml
//! sheet_name = "Điểm {class}"   # `{class}` is the class; default "{class}"
//! single_sheet = false          # true: every class in one sheet named `sheet_name`
//!
//! [[column]]
//! key = "student_id"            # number | student_id | full_name | class | score | note
//! header = "Mã định danh"       # default: the standard header of the key
//!
//! [[column]]
//! key = "full_name"
//!
//! [[column]]
//! key = "score"
//! header = "Điểm KTGK"
//! ```
//!
//! Columns appear in the file's order; a key not listed is left out. Checked whole, with every
//! problem reported by file and column number: an unknown key or field, a key or a header used
//! twice (headers compared ignoring case and spaces at the ends, as Excel's import does), an
//! empty header, no column at all, a sheet name Excel refuses, `{class}` in a single sheet's name.

use super::xlsx::sheet_name_problem;
use serde::Deserialize;
use std::fmt;

/// The standard grade-sheet columns, by key, with their default headers (the SMAS template's).
pub const STANDARD: [(ColumnKey, &str); 6] = [
    (ColumnKey::Number, "STT"),
    (ColumnKey::StudentId, "Mã học sinh"),
    (ColumnKey::FullName, "Họ và tên"),
    (ColumnKey::Class, "Lớp"),
    (ColumnKey::Score, "Điểm"),
    (ColumnKey::Note, "Ghi chú"),
];

/// The file name of the saved mapping in the data directory.
pub const SAVED_FILE: &str = "columns.toml";

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnKey {
    /// STT: the row number within the class.
    Number,
    /// Mã học sinh.
    StudentId,
    /// Họ và tên.
    FullName,
    /// Lớp.
    Class,
    /// Điểm.
    Score,
    /// Ghi chú.
    Note,
}

impl ColumnKey {
    /// The key as written in `columns.toml`.
    pub fn name(self) -> &'static str {
        match self {
            ColumnKey::Number => "number",
            ColumnKey::StudentId => "student_id",
            ColumnKey::FullName => "full_name",
            ColumnKey::Class => "class",
            ColumnKey::Score => "score",
            ColumnKey::Note => "note",
        }
    }

    fn parse(text: &str) -> Option<ColumnKey> {
        STANDARD.iter().map(|(key, _)| *key).find(|key| key.name() == text.trim())
    }

    fn standard_header(self) -> &'static str {
        STANDARD.iter().find(|(key, _)| *key == self).map_or("", |(_, header)| header)
    }
}

/// The columns and sheet naming of a grade sheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnMap {
    /// (what, header) in order.
    pub columns: Vec<(ColumnKey, String)>,
    /// The worksheet name template; `{class}` is replaced by the class.
    pub sheet_name: String,
    /// Every class in one worksheet.
    pub single_sheet: bool,
}

impl Default for ColumnMap {
    fn default() -> Self {
        ColumnMap {
            columns: STANDARD.iter().map(|(key, header)| (*key, (*header).to_owned())).collect(),
            sheet_name: "{class}".to_owned(),
            single_sheet: false,
        }
    }
}

/// Every problem of a mapping file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ColumnMapErrors {
    /// The file.
    pub file: String,
    /// One line per problem.
    pub problems: Vec<String>,
}

impl fmt::Display for ColumnMapErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.file)?;
        for (index, problem) in self.problems.iter().enumerate() {
            if index > 0 {
                write!(f, "; ")?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileShape {
    sheet_name: Option<String>,
    single_sheet: Option<bool>,
    #[serde(default)]
    column: Vec<ColumnShape>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnShape {
    key: String,
    header: Option<String>,
}

impl ColumnMap {
    /// Parses and checks a mapping; `file` names it in messages.
    pub fn parse(file: &str, text: &str) -> Result<ColumnMap, ColumnMapErrors> {
        let fail = |problems: Vec<String>| ColumnMapErrors { file: file.to_owned(), problems };
        let shape: FileShape = toml::from_str(text).map_err(|e| fail(vec![e.to_string().trim().to_owned()]))?;
        let mut problems = Vec::new();
        let mut columns: Vec<(ColumnKey, String)> = Vec::new();
        for (index, column) in shape.column.iter().enumerate() {
            let number = index + 1;
            let Some(key) = ColumnKey::parse(&column.key) else {
                let known: Vec<&str> = STANDARD.iter().map(|(key, _)| key.name()).collect();
                problems.push(format!(
                    "cột {number}: khóa không rõ {:?} (cần một trong {}) / column {number}: unknown key {:?} (one of {})",
                    column.key,
                    known.join(", "),
                    column.key,
                    known.join(", ")
                ));
                continue;
            };
            let header = phongthi_items::text::nfc(column.header.as_deref().unwrap_or(key.standard_header()).trim());
            if header.is_empty() {
                problems.push(format!("cột {number}: tiêu đề rỗng / column {number}: empty header"));
            }
            if columns.iter().any(|(seen, _)| *seen == key) {
                problems.push(format!(
                    "cột {number}: khóa {0} dùng hai lần / column {number}: key {0} used twice",
                    key.name()
                ));
            }
            if columns.iter().any(|(_, seen)| seen.to_lowercase() == header.to_lowercase()) && !header.is_empty() {
                problems.push(format!(
                    "cột {number}: tiêu đề {header:?} trùng / column {number}: duplicate header {header:?}"
                ));
            }
            columns.push((key, header));
        }
        if shape.column.is_empty() {
            problems.push("cần ít nhất một [[column]] / at least one [[column]] is needed".to_owned());
        }
        let single_sheet = shape.single_sheet.unwrap_or(false);
        let sheet_name = phongthi_items::text::nfc(shape.sheet_name.as_deref().unwrap_or("{class}"));
        if single_sheet && sheet_name.contains("{class}") {
            problems.push(
                "sheet_name của một trang duy nhất không được chứa {class} / a single sheet's name cannot hold {class}"
                    .to_owned(),
            );
        }
        if let Some(problem) = sheet_name_problem(&sheet_name.replace("{class}", "10A1")) {
            problems.push(format!("sheet_name {sheet_name:?}: {problem}"));
        }
        if problems.is_empty() { Ok(ColumnMap { columns, sheet_name, single_sheet }) } else { Err(fail(problems)) }
    }

    /// The headers in order.
    pub fn headers(&self) -> Vec<&str> {
        self.columns.iter().map(|(_, header)| header.as_str()).collect()
    }

    /// The worksheet name for `class` before Excel's rules are applied.
    pub fn sheet_name_for(&self, class: &str) -> String {
        self.sheet_name.replace("{class}", class)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_school_template_parses() {
        let map = ColumnMap::parse(
            "columns.toml",
            "sheet_name = \"Điểm {class}\"\n[[column]]\nkey = \"student_id\"\nheader = \"Mã định danh\"\n\
             [[column]]\nkey = \"full_name\"\n[[column]]\nkey = \"score\"\nheader = \"Điểm KTGK\"\n",
        )
        .unwrap();
        assert_eq!(map.headers(), ["Mã định danh", "Họ và tên", "Điểm KTGK"]);
        assert_eq!(map.sheet_name_for("10A1"), "Điểm 10A1");
        assert!(!map.single_sheet);
    }

    #[test]
    fn every_problem_is_reported_with_its_column() {
        let error = ColumnMap::parse(
            "truong.toml",
            "[[column]]\nkey = \"diem\"\n[[column]]\nkey = \"score\"\nheader = \"Điểm\"\n\
             [[column]]\nkey = \"note\"\nheader = \" điểm \"\n[[column]]\nkey = \"score\"\nheader = \"x\"\n\
             [[column]]\nkey = \"class\"\nheader = \"  \"\n",
        )
        .unwrap_err();
        let text = error.to_string();
        assert!(text.starts_with("truong.toml: "), "{text}");
        assert!(text.contains("column 1: unknown key \"diem\""), "{text}");
        assert!(text.contains("column 3: duplicate header \"điểm\""), "{text}");
        assert!(text.contains("column 4: key score used twice"), "{text}");
        assert!(text.contains("column 5: empty header"), "{text}");
        assert_eq!(error.problems.len(), 4, "{text}");
    }

    #[test]
    fn file_level_problems() {
        for (text, want) in [
            ("", "at least one [[column]]"),
            ("colour = 1\n[[column]]\nkey = \"score\"\n", "unknown field"),
            ("[[column]]\nkey = \"score\"\nheaders = \"x\"\n", "unknown field"),
            ("sheet_name = \"a/b\"\n[[column]]\nkey = \"score\"\n", "sheet_name"),
            ("single_sheet = true\n[[column]]\nkey = \"score\"\n", "cannot hold {class}"),
            ("sheet_name = 5\n[[column]]\nkey = \"score\"\n", "invalid type"),
        ] {
            let error = ColumnMap::parse("c.toml", text).unwrap_err().to_string();
            assert!(error.contains(want), "{text:?}: {error}");
        }
        let one =
            ColumnMap::parse("c.toml", "single_sheet = true\nsheet_name = \"Sheet1\"\n[[column]]\nkey = \"score\"\n");
        assert_eq!(one.unwrap().sheet_name_for("10A1"), "Sheet1");
    }

    proptest! {
        #[test]
        fn parsing_never_panics(text in "\\PC{0,200}") {
            let _ = ColumnMap::parse("c.toml", &text);
        }

        #[test]
        fn any_order_of_known_keys_round_trips(order in Just((0..6usize).collect::<Vec<_>>()).prop_shuffle(), take in 1usize..=6) {
            let mut text = String::new();
            for index in order.iter().take(take) {
                text.push_str(&format!("[[column]]\nkey = \"{}\"\n", STANDARD[*index].0.name()));
            }
            let map = ColumnMap::parse("c.toml", &text).unwrap();
            let keys: Vec<ColumnKey> = map.columns.iter().map(|(key, _)| *key).collect();
            let want: Vec<ColumnKey> = order.iter().take(take).map(|i| STANDARD[*i].0).collect();
            prop_assert_eq!(keys, want);
        }
    }
}
