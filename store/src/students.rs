//! The roster as stored: who may log in. A roster import replaces it as a whole, in one
//! transaction, so the proctor never serves half of an old list and half of a new one.
//! Sessions keep their student id as text and are not touched by a re-import.

use super::error::{Conflict, Operation, ResultExt, StoreError};
use rusqlite::{Connection, OptionalExtension, Row, params};
use std::collections::HashSet;

/// One student as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StudentRecord {
    /// The student id (mã định danh) students type to log in.
    pub student_id: String,
    /// Full name (Họ và tên), NFC.
    pub full_name: String,
    /// Class (Lớp), NFC; empty when the roster has none.
    pub class: String,
    /// Date of birth as ISO `yyyy-mm-dd`, when the roster gives one.
    pub date_of_birth: Option<String>,
    /// A hash of the login PIN (the store never holds the PIN itself), when the school uses PINs.
    pub pin_hash: Option<Vec<u8>>,
    /// Seat or computer (`Máy 12`), when the roster gives one.
    pub seat: Option<String>,
}

const COLUMNS: &str = "student_id, full_name, class, date_of_birth, pin_hash, seat";

fn record(row: &Row<'_>) -> rusqlite::Result<StudentRecord> {
    Ok(StudentRecord {
        student_id: row.get(0)?,
        full_name: row.get(1)?,
        class: row.get(2)?,
        date_of_birth: row.get(3)?,
        pin_hash: row.get(4)?,
        seat: row.get(5)?,
    })
}

/// Replaces the whole roster with `students`; returns how many were stored.
pub(crate) fn replace(conn: &Connection, students: &[StudentRecord]) -> Result<usize, StoreError> {
    let op = Operation::ReplaceRoster;
    // Checked before touching the table so the message names the student, not a constraint.
    let mut seen = HashSet::with_capacity(students.len());
    if let Some(twice) = students.iter().find(|s| !seen.insert(s.student_id.as_str())) {
        return Err(StoreError::Conflict(Conflict::DuplicateStudent(twice.student_id.clone())));
    }
    conn.execute("DELETE FROM students", []).during(op)?;
    let mut insert =
        conn.prepare_cached(&format!("INSERT INTO students ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")).during(op)?;
    for student in students {
        insert
            .execute(params![
                student.student_id,
                student.full_name,
                student.class,
                student.date_of_birth,
                student.pin_hash,
                student.seat,
            ])
            .during(op)?;
    }
    Ok(students.len())
}

/// One student.
pub(crate) fn get(conn: &Connection, student_id: &str) -> Result<Option<StudentRecord>, StoreError> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM students WHERE student_id = ?1"))
        .during(Operation::Read)?
        .query_row([student_id], record)
        .optional()
        .during(Operation::Read)
}

/// The whole roster by student id.
pub(crate) fn list(conn: &Connection) -> Result<Vec<StudentRecord>, StoreError> {
    let mut statement =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM students ORDER BY student_id")).during(Operation::Read)?;
    let rows = statement.query_map([], record).during(Operation::Read)?;
    rows.collect::<rusqlite::Result<_>>().during(Operation::Read)
}
