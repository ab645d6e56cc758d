//! Exams added to this proctor (`proctor exam add bundle.exam`): the exam as the question bank
//! serialised it, who signed it, and its content key sealed by the caller.

use super::codec::{U64, u64_at};
use super::error::{Conflict, Operation, ResultExt, StoreError};
use phongthi_crypto::{ExamId, PublicKey};
use rusqlite::{Connection, OptionalExtension, Row, params};

/// An exam as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExamRecord {
    /// The exam id.
    pub id: ExamId,
    /// Its title (`Kiểm tra giữa kì I — Toán 10`), NFC.
    pub title: String,
    /// The time allowed, before extensions.
    pub duration_ms: u64,
    /// The exam (test, forms, keys, scoring rules) as JSON: opaque to the store.
    pub exam_json: String,
    /// The teacher key that signed the bundle.
    pub teacher_key: PublicKey,
    /// The exam's content key, sealed (encrypted) by the caller: the store never sees it in the
    /// clear, so a copied database file does not release the forms.
    pub sealed_content_key: Vec<u8>,
    /// Proctor time it was added.
    pub added_ms: u64,
}

/// What adding an exam did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExamAdded {
    /// It is new.
    New,
    /// The same exam (same id and content) was already stored: adding a bundle twice is harmless.
    AlreadyPresent,
}

const COLUMNS: &str = "exam_id, title, duration_ms, exam_json, teacher_key, content_key, added_ms";

fn record(row: &Row<'_>) -> rusqlite::Result<ExamRecord> {
    Ok(ExamRecord {
        id: ExamId::from_bytes(row.get(0)?),
        title: row.get(1)?,
        duration_ms: u64_at(row, 2)?,
        exam_json: row.get(3)?,
        teacher_key: PublicKey::from_bytes(row.get(4)?),
        sealed_content_key: row.get(5)?,
        added_ms: u64_at(row, 6)?,
    })
}

/// Whether `exam` is stored.
pub(crate) fn exists(conn: &Connection, exam: &ExamId) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT 1 FROM exams WHERE exam_id = ?1")?
        .query_row([exam.as_bytes()], |_| Ok(()))
        .optional()
        .map(|found| found.is_some())
}

/// Adds `exam`; the same exam again is accepted, another one under the same id is a conflict.
pub(crate) fn insert(conn: &Connection, exam: &ExamRecord) -> Result<ExamAdded, StoreError> {
    let op = Operation::AddExam;
    if let Some(stored) = get(conn, &exam.id)? {
        let same = stored.title == exam.title
            && stored.duration_ms == exam.duration_ms
            && stored.exam_json == exam.exam_json
            && stored.teacher_key == exam.teacher_key
            && stored.sealed_content_key == exam.sealed_content_key;
        return if same { Ok(ExamAdded::AlreadyPresent) } else { Err(StoreError::Conflict(Conflict::Exam(exam.id))) };
    }
    conn.prepare_cached(&format!("INSERT INTO exams ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"))
        .during(op)?
        .execute(params![
            exam.id.as_bytes(),
            exam.title,
            U64(exam.duration_ms),
            exam.exam_json,
            exam.teacher_key.as_bytes(),
            exam.sealed_content_key,
            U64(exam.added_ms),
        ])
        .during(op)?;
    Ok(ExamAdded::New)
}

/// One exam.
pub(crate) fn get(conn: &Connection, exam: &ExamId) -> Result<Option<ExamRecord>, StoreError> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM exams WHERE exam_id = ?1"))
        .during(Operation::Read)?
        .query_row([exam.as_bytes()], record)
        .optional()
        .during(Operation::Read)
}

/// Every exam, in the order they were added.
pub(crate) fn list(conn: &Connection) -> Result<Vec<ExamRecord>, StoreError> {
    let mut statement = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM exams ORDER BY added_ms, exam_id"))
        .during(Operation::Read)?;
    let rows = statement.query_map([], record).during(Operation::Read)?;
    rows.collect::<rusqlite::Result<_>>().during(Operation::Read)
}
