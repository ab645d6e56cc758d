//! `proctor purge --exam ID`: an exam's personal data erased once its retention period is over
//! (schema v5 explains what goes and what stays).
//!
//! Everything happens in one transaction of the writer, with the audit entry that records it:
//! either the exam is purged and the log says so, or nothing changed. `secure_delete` is on for
//! it, so SQLite overwrites the freed pages with zeros instead of leaving the answers readable
//! in free space; the caller then runs [`crate::Store::compact`] to fold the WAL away as well.

use super::codec::U64;
use super::error::{Operation, ResultExt, StoreError};
use phongthi_crypto::ExamId;
use rusqlite::{Connection, OptionalExtension, params};

/// What a purge erased (also the audit entry's detail).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Purged {
    /// Sessions (one per student who logged in).
    pub sessions: u64,
    /// Answer events.
    pub events: u64,
    /// Answer sheets.
    pub sheets: u64,
    /// Scores.
    pub scores: u64,
    /// Incidents.
    pub incidents: u64,
    /// Students removed from the roster (only with `roster`).
    pub students: u64,
}

impl Purged {
    /// The counts as JSON, for the audit entry and the `purges` row.
    pub fn to_json(&self) -> String {
        serde_json::json!({
            "sessions": self.sessions, "events": self.events, "sheets": self.sheets,
            "scores": self.scores, "incidents": self.incidents, "students": self.students,
        })
        .to_string()
    }
}

/// When a purge ran.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PurgeRecord {
    /// Proctor time of the purge.
    pub purged_ms: u64,
    /// Who ran it.
    pub actor: String,
    /// What it erased (JSON of [`Purged`]).
    pub erased: String,
}

/// The newest activity of `exam`'s sessions (a login, an answer, a submission), if any: the
/// retention period runs from it.
pub(crate) fn last_activity(conn: &Connection, exam: &ExamId) -> Result<Option<u64>, StoreError> {
    let newest: Option<i64> = conn
        .query_row(
            "SELECT max(max(updated_ms, coalesce(submitted_ms, 0))) FROM sessions WHERE exam_id = ?1",
            params![exam.as_bytes()],
            |row| row.get(0),
        )
        .during(Operation::Read)?;
    Ok(newest.and_then(|ms| u64::try_from(ms).ok()))
}

/// The purge of `exam`, if it ran.
pub(crate) fn record(conn: &Connection, exam: &ExamId) -> Result<Option<PurgeRecord>, StoreError> {
    conn.query_row("SELECT purged_ms, actor, erased FROM purges WHERE exam_id = ?1", params![exam.as_bytes()], |row| {
        Ok(PurgeRecord { purged_ms: super::codec::u64_at(row, 0)?, actor: row.get(1)?, erased: row.get(2)? })
    })
    .optional()
    .during(Operation::Read)
}

/// Erases `exam`'s personal data; with `roster`, also the roster entries of its students who
/// have no session in any other exam.
pub(crate) fn purge(
    conn: &Connection,
    exam: &ExamId,
    roster: bool,
    at_ms: u64,
    actor: &str,
) -> Result<Purged, StoreError> {
    let op = Operation::Purge;
    let known: bool = conn
        .query_row("SELECT EXISTS (SELECT 1 FROM exams WHERE exam_id = ?1)", params![exam.as_bytes()], |row| row.get(0))
        .during(op)?;
    if !known {
        return Err(StoreError::NotFound(super::Missing::Exam(*exam)));
    }
    conn.pragma_update(None, "secure_delete", "ON").during(op)?;
    let id = exam.as_bytes().as_slice();
    let count = |sql: &str| -> Result<u64, StoreError> {
        let n: i64 = conn.query_row(sql, params![id], |row| row.get(0)).during(op)?;
        Ok(n.max(0) as u64)
    };
    const OF_EXAM: &str = "SELECT session_id FROM sessions WHERE exam_id = ?1";
    let mut purged = Purged {
        sessions: count("SELECT count(*) FROM sessions WHERE exam_id = ?1")?,
        events: count(&format!("SELECT count(*) FROM events WHERE session_id IN ({OF_EXAM})"))?,
        sheets: count(&format!("SELECT count(*) FROM sheets WHERE session_id IN ({OF_EXAM})"))?,
        scores: count(&format!("SELECT count(*) FROM scores WHERE session_id IN ({OF_EXAM})"))?,
        incidents: count(&format!("SELECT count(*) FROM incidents WHERE session_id IN ({OF_EXAM})"))?,
        students: 0,
    };
    if roster {
        // Students of this exam with no session elsewhere; counted before their sessions go.
        const STUDENTS: &str = "SELECT student_id FROM sessions WHERE exam_id = ?1 AND student_id NOT IN \
             (SELECT student_id FROM sessions WHERE exam_id != ?1)";
        purged.students = count(&format!("SELECT count(*) FROM students WHERE student_id IN ({STUDENTS})"))?;
        conn.execute(&format!("DELETE FROM students WHERE student_id IN ({STUDENTS})"), params![id]).during(op)?;
    }
    let erased = purged.to_json();
    // The row first: the events trigger lets their deletion through only for a purged exam.
    conn.execute(
        "INSERT INTO purges (exam_id, purged_ms, actor, erased) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (exam_id) DO UPDATE SET purged_ms = excluded.purged_ms, actor = excluded.actor,
         erased = excluded.erased",
        params![id, U64(at_ms), actor, erased],
    )
    .during(op)?;
    for table in ["marks", "scores", "receipts", "sheets", "session_keys", "events", "incidents"] {
        conn.execute(&format!("DELETE FROM {table} WHERE session_id IN ({OF_EXAM})"), params![id]).during(op)?;
    }
    conn.execute("DELETE FROM outbox WHERE exam_id = ?1", params![id]).during(op)?;
    conn.execute("DELETE FROM sessions WHERE exam_id = ?1", params![id]).during(op)?;
    // Deletes are rare in this store; later ones need not pay for the overwriting.
    conn.pragma_update(None, "secure_delete", "OFF").during(op)?;
    Ok(purged)
}
