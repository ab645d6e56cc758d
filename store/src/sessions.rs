//! Sessions: one student sitting one exam, from login to submission, kept across reconnects and
//! seat moves. The row holds what the proctor needs to resume it after a restart: the session's
//! public key (to verify its answer chain), the journal secret, the form, the state and the
//! student's extra time.

use super::codec::{U64, opt_u64_at, u64_at};
use super::error::{Conflict, Missing, Operation, ResultExt, StoreError};
use super::exams;
use phongthi_crypto::{ExamId, JournalSecret, PublicKey, SessionId};
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use rusqlite::{Connection, OptionalExtension, Row, params};
use std::fmt;

/// Where a session stands. Stored as text ([`SessionState::as_str`]) without a CHECK constraint,
/// so a later state needs no table rebuild; a text this code does not know reads back as an
/// error rather than a guess.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SessionState {
    /// Logged in, waiting for Start.
    Waiting,
    /// Answering.
    Running,
    /// Paused by the proctor.
    Paused,
    /// The answer sheet is stored and a receipt issued.
    Submitted,
}

impl SessionState {
    /// Every state, for tests and menus.
    pub const ALL: [SessionState; 4] =
        [SessionState::Waiting, SessionState::Running, SessionState::Paused, SessionState::Submitted];

    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            SessionState::Waiting => "waiting",
            SessionState::Running => "running",
            SessionState::Paused => "paused",
            SessionState::Submitted => "submitted",
        }
    }

    /// Reads the stored spelling.
    pub fn parse(text: &str) -> Option<SessionState> {
        SessionState::ALL.into_iter().find(|state| state.as_str() == text)
    }
}

impl fmt::Display for SessionState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl ToSql for SessionState {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for SessionState {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = value.as_str()?;
        SessionState::parse(text).ok_or_else(|| {
            FromSqlError::Other(format!("trạng thái phiên lạ {text:?} / unknown session state {text:?}").into())
        })
    }
}

/// A session to create; it starts [`SessionState::Waiting`] with no extra time.
pub struct NewSession {
    /// The session id (random, chosen by the server).
    pub id: SessionId,
    /// The exam.
    pub exam: ExamId,
    /// The student (mã định danh).
    pub student_id: String,
    /// The form the student sits (0-based index in the exam).
    pub form_index: u32,
    /// The session's public key, which signs its answer events and sheet.
    pub session_key: PublicKey,
    /// The secret of the client's local journal.
    pub journal_secret: JournalSecret,
    /// Proctor time of creation.
    pub created_ms: u64,
}

/// A stored session. `Debug` leaves the journal secret out.
#[derive(Clone)]
pub struct SessionRecord {
    /// The session id.
    pub id: SessionId,
    /// The exam.
    pub exam: ExamId,
    /// The student (mã định danh).
    pub student_id: String,
    /// The form the student sits.
    pub form_index: u32,
    /// The session's public key.
    pub session_key: PublicKey,
    /// The secret of the client's local journal.
    pub journal_secret: JournalSecret,
    /// Where it stands.
    pub state: SessionState,
    /// The student's total extra time.
    pub extension_ms: u64,
    /// Proctor time of creation.
    pub created_ms: u64,
    /// Proctor time of the last change.
    pub updated_ms: u64,
    /// Proctor time the sheet was stored, once submitted.
    pub submitted_ms: Option<u64>,
}

impl fmt::Debug for SessionRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionRecord")
            .field("id", &self.id)
            .field("exam", &self.exam)
            .field("student_id", &self.student_id)
            .field("form_index", &self.form_index)
            .field("session_key", &self.session_key)
            .field("state", &self.state)
            .field("extension_ms", &self.extension_ms)
            .field("created_ms", &self.created_ms)
            .field("updated_ms", &self.updated_ms)
            .field("submitted_ms", &self.submitted_ms)
            .finish_non_exhaustive()
    }
}

/// A session with how far the student got, for the dashboard.
#[derive(Clone, Debug)]
pub struct SessionProgress {
    /// The session.
    pub session: SessionRecord,
    /// How many distinct questions have at least one answer event (an event that clears an
    /// answer still counts: the store does not read responses).
    pub answered_items: u64,
    /// How many answer events are stored.
    pub events: u64,
    /// Proctor time the last event was received.
    pub last_event_ms: Option<u64>,
}

const COLUMNS: &str = "session_id, exam_id, student_id, form_index, session_key, journal_secret, state, \
                       extension_ms, created_ms, updated_ms, submitted_ms";

fn record(row: &Row<'_>) -> rusqlite::Result<SessionRecord> {
    Ok(SessionRecord {
        id: SessionId::from_bytes(row.get(0)?),
        exam: ExamId::from_bytes(row.get(1)?),
        student_id: row.get(2)?,
        form_index: row.get(3)?,
        session_key: PublicKey::from_bytes(row.get(4)?),
        journal_secret: JournalSecret::from_bytes(row.get(5)?),
        state: row.get(6)?,
        extension_ms: u64_at(row, 7)?,
        created_ms: u64_at(row, 8)?,
        updated_ms: u64_at(row, 9)?,
        submitted_ms: opt_u64_at(row, 10)?,
    })
}

/// Whether `session` exists.
pub(crate) fn exists(conn: &Connection, session: &SessionId) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT 1 FROM sessions WHERE session_id = ?1")?
        .query_row([session.as_bytes()], |_| Ok(()))
        .optional()
        .map(|found| found.is_some())
}

/// Creates a session.
pub(crate) fn create(conn: &Connection, new: &NewSession) -> Result<(), StoreError> {
    let op = Operation::Session;
    if !exams::exists(conn, &new.exam).during(op)? {
        return Err(StoreError::NotFound(Missing::Exam(new.exam)));
    }
    if exists(conn, &new.id).during(op)? {
        return Err(StoreError::Conflict(Conflict::Session(new.id)));
    }
    if let Some(existing) = of_student(conn, &new.exam, &new.student_id)? {
        return Err(StoreError::Conflict(Conflict::StudentHasSession {
            exam: new.exam,
            student_id: new.student_id.clone(),
            existing: existing.id,
        }));
    }
    conn.prepare_cached(
        "INSERT INTO sessions (session_id, exam_id, student_id, form_index, session_key, journal_secret, state,
                               extension_ms, created_ms, updated_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8, ?8)",
    )
    .during(op)?
    .execute(params![
        new.id.as_bytes(),
        new.exam.as_bytes(),
        new.student_id,
        new.form_index,
        new.session_key.as_bytes(),
        new.journal_secret.expose_secret(),
        SessionState::Waiting,
        U64(new.created_ms),
    ])
    .during(op)?;
    Ok(())
}

/// Runs an UPDATE of one session and reports a missing session.
fn update_one(conn: &Connection, session: &SessionId, sql: &str, params: &[&dyn ToSql]) -> Result<(), StoreError> {
    let changed = conn.prepare_cached(sql).during(Operation::Session)?.execute(params).during(Operation::Session)?;
    if changed == 0 {
        return Err(StoreError::NotFound(Missing::Session(*session)));
    }
    Ok(())
}

/// Moves `session` to `state` at `at_ms`; entering [`SessionState::Submitted`] records the
/// submission time the first time only.
pub(crate) fn set_state(
    conn: &Connection,
    session: &SessionId,
    state: SessionState,
    at_ms: u64,
) -> Result<(), StoreError> {
    update_one(
        conn,
        session,
        "UPDATE sessions SET state = ?2, updated_ms = ?3,
                submitted_ms = CASE WHEN ?2 = 'submitted' THEN coalesce(submitted_ms, ?3) ELSE submitted_ms END
         WHERE session_id = ?1",
        params![session.as_bytes(), state, U64(at_ms)],
    )
}

/// Sets the student's total extra time.
pub(crate) fn set_extension(
    conn: &Connection,
    session: &SessionId,
    extension_ms: u64,
    at_ms: u64,
) -> Result<(), StoreError> {
    update_one(
        conn,
        session,
        "UPDATE sessions SET extension_ms = ?2, updated_ms = ?3 WHERE session_id = ?1",
        params![session.as_bytes(), U64(extension_ms), U64(at_ms)],
    )
}

/// Gives the session another form (a proctor's decision, e.g. after a seat move).
pub(crate) fn set_form(conn: &Connection, session: &SessionId, form_index: u32, at_ms: u64) -> Result<(), StoreError> {
    update_one(
        conn,
        session,
        "UPDATE sessions SET form_index = ?2, updated_ms = ?3 WHERE session_id = ?1",
        params![session.as_bytes(), form_index, U64(at_ms)],
    )
}

/// One session.
pub(crate) fn get(conn: &Connection, session: &SessionId) -> Result<Option<SessionRecord>, StoreError> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM sessions WHERE session_id = ?1"))
        .during(Operation::Read)?
        .query_row([session.as_bytes()], record)
        .optional()
        .during(Operation::Read)
}

/// The session of `student_id` for `exam`.
pub(crate) fn of_student(
    conn: &Connection,
    exam: &ExamId,
    student_id: &str,
) -> Result<Option<SessionRecord>, StoreError> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM sessions WHERE exam_id = ?1 AND student_id = ?2"))
        .during(Operation::Read)?
        .query_row(params![exam.as_bytes(), student_id], record)
        .optional()
        .during(Operation::Read)
}

/// The sessions of `exam` with their progress, by student id.
pub(crate) fn of_exam(conn: &Connection, exam: &ExamId) -> Result<Vec<SessionProgress>, StoreError> {
    let mut statement = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS},
                    (SELECT count(DISTINCT item) FROM events e WHERE e.session_id = s.session_id),
                    (SELECT count(*) FROM events e WHERE e.session_id = s.session_id),
                    (SELECT max(received_ms) FROM events e WHERE e.session_id = s.session_id)
             FROM sessions s WHERE exam_id = ?1 ORDER BY student_id"
        ))
        .during(Operation::Read)?;
    let rows = statement
        .query_map([exam.as_bytes()], |row| {
            Ok(SessionProgress {
                session: record(row)?,
                answered_items: u64_at(row, 11)?,
                events: u64_at(row, 12)?,
                last_event_ms: opt_u64_at(row, 13)?,
            })
        })
        .during(Operation::Read)?;
    rows.collect::<rusqlite::Result<_>>().during(Operation::Read)
}

/// Registers another key of a session (a seat move or a client restart); registering a key
/// twice changes nothing.
pub(crate) fn add_key(conn: &Connection, session: &SessionId, key: &PublicKey, at_ms: u64) -> Result<(), StoreError> {
    if get(conn, session)?.is_none() {
        return Err(StoreError::NotFound(Missing::Session(*session)));
    }
    conn.prepare_cached("INSERT OR IGNORE INTO session_keys (session_id, session_key, added_ms) VALUES (?1, ?2, ?3)")
        .during(Operation::Session)?
        .execute(params![session.as_bytes(), key.as_bytes(), U64(at_ms)])
        .during(Operation::Session)?;
    Ok(())
}

/// Every key of a session: the first one, then those added, in the order they were added.
pub(crate) fn keys(conn: &Connection, session: &SessionId) -> Result<Vec<PublicKey>, StoreError> {
    let Some(record) = get(conn, session)? else { return Ok(Vec::new()) };
    let mut keys = vec![record.session_key];
    let mut statement = conn
        .prepare_cached("SELECT session_key FROM session_keys WHERE session_id = ?1 ORDER BY added_ms, session_key")
        .during(Operation::Read)?;
    let rows = statement.query_map([session.as_bytes()], |row| row.get::<_, Vec<u8>>(0)).during(Operation::Read)?;
    for row in rows {
        let bytes = row.during(Operation::Read)?;
        let array: [u8; 32] = bytes.as_slice().try_into().map_err(|_| StoreError::Corrupt {
            what: "session_keys".into(),
            detail: format!("khóa dài {} byte / key of {} bytes", bytes.len(), bytes.len()),
        })?;
        let key = PublicKey::from_bytes(array);
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    Ok(keys)
}
