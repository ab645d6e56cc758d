//! Exams added to this proctor (`proctor exam add bundle.exam`): the exam as the question bank
//! serialised it, who signed it, and its content key sealed by the caller.
//!
//! The exam itself (questions, answer keys, scoring rules) is stored sealed under the proctor
//! identity's [`AtRestKey`]: the file holds only ciphertext, and reading it back needs a store or
//! reader opened with that key (`serve`, `results`, `export` unlock the identity at start).
//! Title and duration stay in clear: the lab sheet and the exam list show them without the key.

use super::codec::{U64, u64_at};
use super::error::{Conflict, Operation, ResultExt, StoreError};
use phongthi_crypto::AtRestKey;
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
    /// The exam (test, forms, keys, scoring rules) as JSON: opaque to the store, held in clear
    /// only in memory (sealed on disk).
    pub exam_json: String,
    /// The teacher key that signed the bundle.
    pub teacher_key: PublicKey,
    /// The exam's content key, sealed (encrypted) by the caller: the store never sees it in the
    /// clear, so a copied database file does not release the forms.
    pub sealed_content_key: Vec<u8>,
    /// Proctor time it was added.
    pub added_ms: u64,
    /// Accepted as a practice test: some items lack an approval the review policy asks for
    /// (`exam add --practice`, schema v7). The lab sheet says so.
    pub practice: bool,
}

/// What adding an exam did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExamAdded {
    /// It is new.
    New,
    /// The same exam (same id and content) was already stored: adding a bundle twice is harmless.
    AlreadyPresent,
}

const COLUMNS: &str =
    "exam_id, title, duration_ms, exam_json, teacher_key, content_key, added_ms, practice, exam_sealed";

/// A row as SQLite returns it, before the exam is opened.
struct Stored {
    record: ExamRecord,
    sealed: Option<Vec<u8>>,
}

fn stored(row: &Row<'_>) -> rusqlite::Result<Stored> {
    Ok(Stored {
        record: ExamRecord {
            id: ExamId::from_bytes(row.get(0)?),
            title: row.get(1)?,
            duration_ms: u64_at(row, 2)?,
            exam_json: row.get(3)?,
            teacher_key: PublicKey::from_bytes(row.get(4)?),
            sealed_content_key: row.get(5)?,
            added_ms: u64_at(row, 6)?,
            practice: row.get(7)?,
        },
        sealed: row.get(8)?,
    })
}

/// Opens the sealed exam of `row` with `key` (a row of a store older than version 4 that was
/// never opened with the identity still has its exam in `exam_json`).
fn open(row: Stored, key: Option<&AtRestKey>) -> Result<ExamRecord, StoreError> {
    let Stored { mut record, sealed } = row;
    let Some(sealed) = sealed else { return Ok(record) };
    let what = || format!("exams/{}", record.id);
    let key = key.ok_or_else(|| StoreError::Sealed { exam: record.id })?;
    let plain = key
        .open(record.id.as_bytes(), &sealed)
        .map_err(|e| StoreError::Corrupt { what: what(), detail: e.to_string() })?;
    record.exam_json =
        String::from_utf8(plain.to_vec()).map_err(|e| StoreError::Corrupt { what: what(), detail: e.to_string() })?;
    Ok(record)
}

/// Whether `exam` is stored.
pub(crate) fn exists(conn: &Connection, exam: &ExamId) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT 1 FROM exams WHERE exam_id = ?1")?
        .query_row([exam.as_bytes()], |_| Ok(()))
        .optional()
        .map(|found| found.is_some())
}

/// Adds `exam`; the same exam again is accepted, another one under the same id is a conflict.
pub(crate) fn insert(conn: &Connection, key: &AtRestKey, exam: &ExamRecord) -> Result<ExamAdded, StoreError> {
    let op = Operation::AddExam;
    if let Some(stored) = get(conn, Some(key), &exam.id)? {
        let same = stored.title == exam.title
            && stored.duration_ms == exam.duration_ms
            && stored.exam_json == exam.exam_json
            && stored.teacher_key == exam.teacher_key
            && stored.sealed_content_key == exam.sealed_content_key
            && stored.practice == exam.practice;
        return if same { Ok(ExamAdded::AlreadyPresent) } else { Err(StoreError::Conflict(Conflict::Exam(exam.id))) };
    }
    let sealed = seal(key, exam)?;
    conn.prepare_cached(&format!("INSERT INTO exams ({COLUMNS}) VALUES (?1, ?2, ?3, '', ?4, ?5, ?6, ?7, ?8)"))
        .during(op)?
        .execute(params![
            exam.id.as_bytes(),
            exam.title,
            U64(exam.duration_ms),
            exam.teacher_key.as_bytes(),
            exam.sealed_content_key,
            U64(exam.added_ms),
            exam.practice,
            sealed,
        ])
        .during(op)?;
    Ok(ExamAdded::New)
}

fn seal(key: &AtRestKey, exam: &ExamRecord) -> Result<Vec<u8>, StoreError> {
    key.seal(exam.id.as_bytes(), exam.exam_json.as_bytes()).map_err(|e| StoreError::Io {
        detail: format!("không niêm phong được đề / cannot seal the exam: {e}"),
    })
}

/// Seals the exams that older stores kept in clear and empties their `exam_json`; returns how
/// many there were (the caller vacuums the file when there were any).
pub(crate) fn seal_clear_rows(conn: &Connection, key: &AtRestKey) -> Result<usize, StoreError> {
    let op = Operation::Migrate;
    let clear: Vec<ExamRecord> = {
        let mut statement =
            conn.prepare(&format!("SELECT {COLUMNS} FROM exams WHERE exam_sealed IS NULL")).during(op)?;
        let rows = statement.query_map([], stored).during(op)?;
        rows.map(|row| row.map(|r| r.record)).collect::<rusqlite::Result<_>>().during(op)?
    };
    for exam in &clear {
        conn.execute(
            "UPDATE exams SET exam_sealed = ?1, exam_json = '' WHERE exam_id = ?2",
            params![seal(key, exam)?, exam.id.as_bytes()],
        )
        .during(op)?;
    }
    Ok(clear.len())
}

/// One exam, opened with `key`.
pub(crate) fn get(conn: &Connection, key: Option<&AtRestKey>, exam: &ExamId) -> Result<Option<ExamRecord>, StoreError> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM exams WHERE exam_id = ?1"))
        .during(Operation::Read)?
        .query_row([exam.as_bytes()], stored)
        .optional()
        .during(Operation::Read)?
        .map(|row| open(row, key))
        .transpose()
}

/// Every exam, in the order they were added, opened with `key`.
pub(crate) fn list(conn: &Connection, key: Option<&AtRestKey>) -> Result<Vec<ExamRecord>, StoreError> {
    let mut statement = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM exams ORDER BY added_ms, exam_id"))
        .during(Operation::Read)?;
    let rows = statement.query_map([], stored).during(Operation::Read)?;
    let rows: Vec<Stored> = rows.collect::<rusqlite::Result<_>>().during(Operation::Read)?;
    rows.into_iter().map(|row| open(row, key)).collect()
}
