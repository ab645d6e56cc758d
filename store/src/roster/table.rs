//! From the grid to students: the roster rules, written once for CSV and XLSX.
//!
//! The first non-empty row is the header. Every later row that has a value in a column the
//! roster reads is a student; rows with nothing, or only an `STT` (forms are often pre-numbered
//! far past the last student), are skipped. Every problem in every row is collected, and any
//! problem means no student is returned.

use super::Roster;
use super::columns::{Column, Header, NameColumns};
use super::date::Date;
use super::error::{Location, Problem, RosterError, RosterErrors};
use super::sheet::{Cell, SheetRow, is_blank};
use super::student::{Pin, Student, StudentId};
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use unicode_normalization::UnicodeNormalization;

/// Reads the students of `rows` (in row order), or every problem found.
pub(super) fn roster_from_rows(file: &str, rows: Vec<SheetRow>) -> Result<Roster, RosterErrors> {
    let mut rows = rows.into_iter().filter(|row| !row.cells.is_empty());
    let Some(header_row) = rows.next() else {
        return Err(RosterErrors::whole_file(file, Problem::NoHeader));
    };
    let (header, mut errors) = Header::read(file, &header_row);
    let Some(header) = header else {
        return Err(RosterErrors { file: file.to_owned(), errors });
    };
    let mut students = Vec::new();
    // Ids compared ignoring case: `HS01` and `hs01` in one room are surely one student typed twice.
    let mut first_row_of_id: HashMap<String, u32> = HashMap::new();
    for row in rows {
        if !header.data_columns().any(|column| row.cell(column).is_some()) {
            continue;
        }
        let mut checker = RowChecker { file, row: &row, errors: &mut errors };
        let id = checker.check(&header.id, read_student_id(row.cell(header.id.index)));
        if let Some(id) = &id {
            match first_row_of_id.entry(id.as_str().to_ascii_lowercase()) {
                Entry::Occupied(first) => {
                    let problem = Problem::DuplicateId { id: id.to_string(), first_row: *first.get() };
                    checker.report(&header.id, problem);
                }
                Entry::Vacant(slot) => {
                    slot.insert(row.number);
                }
            }
        }
        let full_name = checker.name(&header.name);
        let class = checker.optional(header.class.as_ref(), read_text);
        let date_of_birth = checker.optional(header.date_of_birth.as_ref(), read_date);
        let pin = checker.optional(header.pin.as_ref(), read_pin);
        let seat = checker.optional(header.seat.as_ref(), read_text);
        if let (Some(id), Some(full_name), Some(class), Some(date_of_birth), Some(pin), Some(seat)) =
            (id, full_name, class, date_of_birth, pin, seat)
        {
            students.push(Student { id, full_name, class: class.unwrap_or_default(), date_of_birth, pin, seat });
        }
    }
    if !errors.is_empty() {
        return Err(RosterErrors { file: file.to_owned(), errors });
    }
    if students.is_empty() {
        return Err(RosterErrors::whole_file(file, Problem::NoStudents));
    }
    Ok(Roster { students })
}

/// Records the problems of one row.
struct RowChecker<'a> {
    file: &'a str,
    row: &'a SheetRow,
    errors: &'a mut Vec<RosterError>,
}

impl RowChecker<'_> {
    fn report(&mut self, column: &Column, problem: Problem) {
        let at =
            Location { file: self.file.to_owned(), row: Some(self.row.number), column: Some(column.reference.clone()) };
        self.errors.push(RosterError { at, problem });
    }

    /// The value, or `None` after recording the problem.
    fn check<T>(&mut self, column: &Column, result: Result<T, Problem>) -> Option<T> {
        result.map_err(|problem| self.report(column, problem)).ok()
    }

    /// The full name, from one column or from `Họ đệm` + `Tên`.
    fn name(&mut self, columns: &NameColumns) -> Option<String> {
        match columns {
            NameColumns::Full(full) => {
                let name = self.check(full, read_text(self.row.cell(full.index)))?;
                self.check(full, name.ok_or(Problem::EmptyName))
            }
            NameColumns::Pair { family_and_middle, given } => {
                let family = self.check(family_and_middle, read_text(self.row.cell(family_and_middle.index)));
                let given_name = self.check(given, read_text(self.row.cell(given.index)))?;
                let family = family?;
                match (family, given_name) {
                    (Some(family), Some(given_name)) => Some(format!("{family} {given_name}")),
                    // A one-word name is written in `Tên` alone.
                    (None, Some(given_name)) => Some(given_name),
                    (Some(_), None) => self.check(given, Err(Problem::EmptyGivenName)),
                    (None, None) => self.check(given, Err(Problem::EmptyName)),
                }
            }
        }
    }

    /// An optional column's value: `Some(None)` when the column or the cell is absent, `None`
    /// after recording a problem.
    fn optional<T>(
        &mut self,
        column: Option<&Column>,
        read: fn(Option<&Cell>) -> Result<Option<T>, Problem>,
    ) -> Option<Option<T>> {
        match column {
            None => Some(None),
            Some(column) => {
                let result = read(self.row.cell(column.index));
                self.check(column, result)
            }
        }
    }
}

fn read_student_id(cell: Option<&Cell>) -> Result<StudentId, Problem> {
    StudentId::new(exact_text(cell)?.unwrap_or_default()).map_err(Problem::InvalidId)
}

/// Text that must be read exactly as typed (ids, PINs): a number cell has already lost what
/// Excel dropped (leading zeros), so it is refused rather than guessed back.
fn exact_text(cell: Option<&Cell>) -> Result<Option<&str>, Problem> {
    match cell {
        None => Ok(None),
        Some(Cell::Text(raw)) => Ok(Some(raw)),
        Some(Cell::Number(_)) => Err(Problem::NumberInTextColumn),
        Some(Cell::Date(_)) => Err(Problem::DateInTextColumn),
        Some(Cell::Unreadable(reason)) => Err(Problem::UnreadableCell(reason.clone())),
    }
}

/// A text value: NFC, surrounding spaces dropped, inner runs of spaces, tabs and line breaks
/// made one space (so a name's last word is its given name); `None` when blank.
fn read_text(cell: Option<&Cell>) -> Result<Option<String>, Problem> {
    match cell {
        None => Ok(None),
        Some(Cell::Text(raw)) => {
            let joined = raw.split_whitespace().collect::<Vec<_>>().join(" ");
            if let Some(control) = joined.chars().find(|c| c.is_control()) {
                return Err(Problem::ControlCharacter(u32::from(control)));
            }
            Ok((!joined.is_empty()).then(|| joined.nfc().collect()))
        }
        // A class `12` or a seat `7` typed in Excel; only ids and PINs care about leading zeros.
        Some(Cell::Number(number)) => Ok(Some(number.clone())),
        Some(Cell::Date(_)) => Err(Problem::DateInTextColumn),
        Some(Cell::Unreadable(reason)) => Err(Problem::UnreadableCell(reason.clone())),
    }
}

fn read_date(cell: Option<&Cell>) -> Result<Option<Date>, Problem> {
    match cell {
        None => Ok(None),
        Some(Cell::Text(raw)) if is_blank(raw) => Ok(None),
        Some(Cell::Text(raw)) => Date::parse(raw).map(Some).ok_or_else(|| Problem::InvalidDate(raw.trim().to_owned())),
        Some(Cell::Date(Ok(date))) => Ok(Some(*date)),
        Some(Cell::Date(Err(shown)) | Cell::Number(shown)) => Err(Problem::InvalidDate(shown.clone())),
        Some(Cell::Unreadable(reason)) => Err(Problem::UnreadableCell(reason.clone())),
    }
}

fn read_pin(cell: Option<&Cell>) -> Result<Option<Pin>, Problem> {
    match exact_text(cell)? {
        Some(raw) if !is_blank(raw) => Pin::new(raw).map(Some).map_err(Problem::InvalidPin),
        _ => Ok(None),
    }
}
