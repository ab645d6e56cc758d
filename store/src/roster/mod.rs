//! The class roster (danh sách học sinh): who may sit an exam, imported from the CSV or XLSX
//! class lists schools already keep.
//!
//! A roster file has a header row and one student per row. Columns are recognised by their
//! header (Vietnamese or English, marks optional): student id (`Mã học sinh`, `Mã định danh`,
//! `Mã HS`), name (`Họ và tên`, or `Họ đệm` + `Tên`), and optionally `Lớp`, `Ngày sinh`, `PIN` /
//! `Mật khẩu` and `Chỗ ngồi` / `Vị trí`; `STT` and columns without a header are ignored. An
//! unknown header is an error, because a misspelt `PIN` column skipped in silence would let
//! students in without their PIN.
//!
//! Imports are all-or-nothing: a file with any bad row imports no student, and the error lists
//! every problem with its file, row, column and a Vietnamese / English message.
//!
//! ```
//! use phongthi_store::roster::Roster;
//! let csv = "STT,Mã học sinh,Họ và tên,Lớp\n1,0123456789,Nguyễn Văn An,10A1\n";
//! let roster = Roster::import_csv("lop-10a1.csv", csv.as_bytes())?;
//! assert_eq!(roster.students[0].id.as_str(), "0123456789");
//! # Ok::<(), phongthi_store::roster::RosterErrors>(())
//! ```

mod collation;
mod columns;
mod csv_import;
mod date;
mod error;
mod sheet;
mod student;
mod table;
mod xlsx_import;

#[cfg(test)]
mod tests;

pub use collation::{CollationKey, vietnamese_collation_key};
pub use date::Date;
pub use error::{ColumnRef, Location, Problem, RosterError, RosterErrors};
pub use student::{MAX_PIN_CHARS, MAX_STUDENT_ID_CHARS, Pin, PinError, Student, StudentId, StudentIdError};

/// The students of one roster file, in file order until sorted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Roster {
    /// The students; ids are unique (ignoring letter case).
    pub students: Vec<Student>,
}

impl Roster {
    /// Imports a roster from CSV bytes (UTF-8 with or without BOM, `,` or `;` separated).
    /// `file_name` is only used in error messages.
    pub fn import_csv(file_name: &str, bytes: &[u8]) -> Result<Roster, RosterErrors> {
        let rows = csv_import::read_csv(bytes).map_err(|problem| RosterErrors::whole_file(file_name, problem))?;
        table::roster_from_rows(file_name, rows)
    }

    /// Imports a roster from the first worksheet of XLSX bytes. `file_name` is only used in
    /// error messages.
    pub fn import_xlsx(file_name: &str, bytes: &[u8]) -> Result<Roster, RosterErrors> {
        let rows = xlsx_import::read_xlsx(bytes).map_err(|problem| RosterErrors::whole_file(file_name, problem))?;
        table::roster_from_rows(file_name, rows)
    }

    /// Sorts the students as a Vietnamese class list: by given name, then from the family name
    /// on (see [`vietnamese_collation_key`]). Students with the same name keep their file order.
    pub fn sort(&mut self) {
        self.students.sort_by_cached_key(Student::collation_key);
    }

    /// The roster sorted as a Vietnamese class list (see [`Roster::sort`]).
    pub fn sorted(mut self) -> Roster {
        self.sort();
        self
    }
}
