//! What can be wrong with a roster file, and where: file, row as Excel shows it (the header is
//! row 1), column by letter and header. An import reports every problem at once, so the proctor
//! fixes the file in one go instead of one error per try.

use super::student::{PinError, StudentIdError};
use std::fmt;

/// A column of the file: its letter as Excel shows it and its header as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnRef {
    /// `A`, `B`, … `Z`, `AA`, …
    pub letter: String,
    /// The header cell's text as written (`Ngày sinh`); empty when the column has none.
    pub header: String,
}

impl fmt::Display for ColumnRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} \"{}\"", self.letter, self.header)
    }
}

/// Where a problem is. Problems with the whole file have no row; problems with a whole column
/// (a header) are on the header's row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The file name given to the importer.
    pub file: String,
    /// Row number as Excel shows it, the header being row 1 in a file that starts with it.
    pub row: Option<u32>,
    /// The column, when the problem is in one.
    pub column: Option<ColumnRef>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(row) = self.row {
            write!(f, ", dòng/row {row}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ", cột/column {column}")?;
        }
        Ok(())
    }
}

/// What is wrong. Each message is Vietnamese first, then English.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// The CSV was saved as UTF-16 (Excel's "Unicode Text").
    #[error(
        "tệp được lưu dạng UTF-16; hãy lưu lại dạng \"CSV UTF-8\" / the file is UTF-16; save it again as \"CSV UTF-8\""
    )]
    Utf16,
    /// The CSV is not UTF-8, typically Excel's plain "CSV" in the Windows code page, which loses
    /// Vietnamese letters.
    #[error(
        "tệp không phải UTF-8 (dòng {line}); hãy lưu lại dạng \"CSV UTF-8\" / \
         the file is not UTF-8 (line {line}); save it again as \"CSV UTF-8\""
    )]
    NotUtf8 {
        /// Text line (1-based) of the first byte that is not UTF-8.
        line: u32,
    },
    /// The csv reader failed.
    #[error("không đọc được CSV: {0} / cannot read the CSV: {0}")]
    UnreadableCsv(String),
    /// The bytes are not an XLSX workbook.
    #[error("không phải tệp Excel (.xlsx) đọc được: {0} / not a readable Excel (.xlsx) workbook: {0}")]
    NotSpreadsheet(String),
    /// The workbook has no worksheet.
    #[error("tệp Excel không có trang tính nào / the workbook has no worksheet")]
    NoWorksheet,
    /// Nothing in the file, not even a header.
    #[error("tệp trống, không có dòng tiêu đề / the file is empty, it has no header row")]
    NoHeader,
    /// A header but no student row: surely the wrong file.
    #[error("tệp không có học sinh nào / the file lists no student")]
    NoStudents,
    /// The header has no student id column.
    #[error(
        "thiếu cột mã học sinh (\"Mã học sinh\", \"Mã định danh\", \"Mã HS\", \"student_id\", \"id\") / \
         no student id column (\"Mã học sinh\", \"Mã định danh\", \"Mã HS\", \"student_id\", \"id\")"
    )]
    MissingIdColumn,
    /// The header has no name column at all.
    #[error(
        "thiếu cột họ tên (\"Họ và tên\", hoặc \"Họ đệm\" và \"Tên\") / \
         no name column (\"Họ và tên\", or \"Họ đệm\" and \"Tên\")"
    )]
    MissingNameColumn,
    /// A `Tên` (given name) column without its `Họ đệm` column.
    #[error("có cột \"Tên\" nhưng thiếu cột \"Họ đệm\" / there is a given-name column but no \"Họ đệm\" column")]
    MissingFamilyNameColumn,
    /// A `Họ đệm` column without its `Tên` column.
    #[error("có cột \"Họ đệm\" nhưng thiếu cột \"Tên\" / there is a \"Họ đệm\" column but no given-name column")]
    MissingGivenNameColumn,
    /// Both a full-name column and a `Họ đệm` + `Tên` pair: which one holds the name is unclear.
    #[error(
        "có cả cột \"Họ và tên\" lẫn cột \"Họ đệm\"/\"Tên\"; chỉ giữ một cách ghi tên / \
         there is both a full-name column and a \"Họ đệm\"/\"Tên\" column; keep one way of writing names"
    )]
    BothNameForms,
    /// A header the importer does not know. Refused rather than skipped: a misspelt `PIN`
    /// column silently skipped would let students log in without their PIN.
    #[error(
        "không nhận ra tên cột \"{0}\"; hãy sửa tên cột hoặc xóa cột / \
         unknown column \"{0}\"; fix its header or delete the column"
    )]
    UnknownColumn(String),
    /// Two columns for the same thing.
    #[error("cột này trùng với cột {0} / this column repeats column {0}")]
    DuplicateColumn(ColumnRef),
    /// The student id is missing or invalid.
    #[error("{0}")]
    InvalidId(StudentIdError),
    /// Excel stored an id or PIN as a number, which loses leading zeros (`0123` → `123`).
    #[error(
        "Excel lưu ô này dạng số nên có thể đã mất số 0 ở đầu; hãy định dạng cột là Văn bản (Text) \
         và nhập lại / Excel stored this cell as a number, which may have lost leading zeros; \
         format the column as Text and type it again"
    )]
    NumberInTextColumn,
    /// The same student id on two rows (compared ignoring letter case).
    #[error("mã học sinh {id} trùng với dòng {first_row} / the student id {id} is also on row {first_row}")]
    DuplicateId {
        /// The id as written on this row.
        id: String,
        /// The row where the id first appears.
        first_row: u32,
    },
    /// No name on a student's row.
    #[error("họ tên trống / the name is empty")]
    EmptyName,
    /// A `Họ đệm` but no `Tên` (given name) on a student's row.
    #[error("tên trống (chỉ có họ đệm) / the given name is empty (only the family name is there)")]
    EmptyGivenName,
    /// A control character (tab, line break aside) in a text cell.
    #[error("ô có ký tự điều khiển U+{0:04X} / the cell contains the control character U+{0:04X}")]
    ControlCharacter(u32),
    /// The date of birth is not a real date in an accepted format.
    #[error(
        "ngày sinh không hợp lệ \"{0}\" (cần dạng dd/mm/yyyy) / invalid date of birth \"{0}\" (expected dd/mm/yyyy)"
    )]
    InvalidDate(String),
    /// Excel turned a text cell (an id, a name, a class like `10-1`) into a date.
    #[error(
        "Excel đã đổi ô thành ngày tháng; hãy định dạng ô là Văn bản (Text) và nhập lại / \
         Excel turned the cell into a date; format the cell as Text and type it again"
    )]
    DateInTextColumn,
    /// The PIN is invalid (the message never quotes it).
    #[error("{0}")]
    InvalidPin(PinError),
    /// The cell holds a formula error or an unusable value.
    #[error("{0}")]
    UnreadableCell(String),
}

/// One problem in a roster file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{at}: {problem}")]
pub struct RosterError {
    /// Where.
    pub at: Location,
    /// What is wrong.
    pub problem: Problem,
}

/// Every problem found in a roster file. Any problem means nothing was imported.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct RosterErrors {
    /// The file name given to the importer.
    pub file: String,
    /// The problems, in file order (header first, then rows top to bottom).
    pub errors: Vec<RosterError>,
}

impl fmt::Display for RosterErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.errors.len();
        write!(f, "{}: {count} lỗi, chưa nhập học sinh nào / {count} problem(s), no student was imported", self.file)?;
        for error in &self.errors {
            write!(f, "\n  {error}")?;
        }
        Ok(())
    }
}

impl RosterErrors {
    /// A single problem with the whole file.
    pub(super) fn whole_file(file: &str, problem: Problem) -> RosterErrors {
        RosterErrors {
            file: file.to_owned(),
            errors: vec![RosterError { at: Location { file: file.to_owned(), row: None, column: None }, problem }],
        }
    }
}
