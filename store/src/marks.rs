//! Manual marks of essay answers (schema v3): one row per (session, question position), replaced
//! when a marker changes a mark; the audit log keeps the history.

use super::codec::{U64, u64_at};
use super::error::{Missing, Operation, ResultExt, StoreError};
use super::sessions;
use phongthi_crypto::SessionId;
use rusqlite::{Connection, Row, params};

/// A manual mark.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkRecord {
    /// The session whose answer was marked.
    pub session: SessionId,
    /// The question's 1-based position in the student's form.
    pub question: u32,
    /// Points given, in milli-points.
    pub points_milli: i64,
    /// The marker's comment (may be empty).
    pub comment: String,
    /// Who marked.
    pub marker: String,
    /// When.
    pub marked_ms: u64,
}

/// Stores `mark`, replacing an earlier mark of the same answer.
pub(crate) fn upsert(conn: &Connection, mark: &MarkRecord) -> Result<(), StoreError> {
    if !sessions::exists(conn, &mark.session).during(Operation::Mark)? {
        return Err(StoreError::NotFound(Missing::Session(mark.session)));
    }
    conn.prepare_cached(
        "INSERT INTO marks (session_id, question, points_milli, comment, marker, marked_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (session_id, question) DO UPDATE SET points_milli = excluded.points_milli,
             comment = excluded.comment, marker = excluded.marker, marked_ms = excluded.marked_ms",
    )
    .during(Operation::Mark)?
    .execute(params![
        mark.session.as_bytes(),
        mark.question,
        mark.points_milli,
        mark.comment,
        mark.marker,
        U64(mark.marked_ms)
    ])
    .during(Operation::Mark)?;
    Ok(())
}

fn mark(row: &Row<'_>) -> rusqlite::Result<MarkRecord> {
    Ok(MarkRecord {
        session: SessionId::from_bytes(row.get(0)?),
        question: row.get(1)?,
        points_milli: row.get(2)?,
        comment: row.get(3)?,
        marker: row.get(4)?,
        marked_ms: u64_at(row, 5)?,
    })
}

/// The marks of `session` by question position.
pub(crate) fn of_session(conn: &Connection, session: &SessionId) -> Result<Vec<MarkRecord>, StoreError> {
    let mut statement = conn
        .prepare_cached(
            "SELECT session_id, question, points_milli, comment, marker, marked_ms FROM marks
             WHERE session_id = ?1 ORDER BY question",
        )
        .during(Operation::Read)?;
    let rows = statement.query_map([session.as_bytes()], mark).during(Operation::Read)?;
    rows.collect::<rusqlite::Result<_>>().during(Operation::Read)
}
