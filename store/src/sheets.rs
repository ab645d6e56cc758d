//! Submissions: the signed answer sheet, the signed receipt given back and the score, written
//! together in one transaction, so a student never holds a receipt for a sheet the proctor lost,
//! and a stored sheet is never without its score row.

use super::codec::{U64, u64_at};
use super::error::{Conflict, Missing, Operation, ResultExt, StoreError};
use super::sessions::{self, SessionState};
use phongthi_crypto::{ExamId, SessionId, ShortCode, SignedReceipt, sheet_hash};
use rusqlite::{Connection, OptionalExtension, Row, params};

/// A score in integer milli-points (1 point = 1,000), as the grading pipeline computed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScoreRecord {
    /// Points earned.
    pub raw_milli: i64,
    /// Points possible.
    pub max_milli: i64,
    /// The score on the school's scale (out of 10, say).
    pub scaled_milli: i64,
    /// Points per question as JSON: opaque to the store.
    pub per_question_json: String,
    /// Proctor time it was computed (a later manual mark for an essay rewrites it).
    pub scored_ms: u64,
}

/// A stored score with whose it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredScore {
    /// The session.
    pub session: SessionId,
    /// The student.
    pub student_id: String,
    /// The score.
    pub score: ScoreRecord,
}

/// What the proctor stores when a student submits. The session and the time are the receipt's.
#[derive(Clone, Debug)]
pub struct Submission {
    /// The signed answer sheet as received.
    pub sheet: Vec<u8>,
    /// The receipt the proctor signed for it.
    pub receipt: SignedReceipt,
    /// The score at submission (objective questions; essays are marked later).
    pub score: ScoreRecord,
}

/// What storing a submission did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SubmissionOutcome {
    /// Newly stored: hand out the receipt given.
    Stored,
    /// The same sheet was stored before (a resend after a lost reply): hand out this stored
    /// receipt again, so a student never holds two receipts for one sheet.
    AlreadyStored(SignedReceipt),
}

/// A stored receipt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredReceipt {
    /// The session.
    pub session: SessionId,
    /// The receipt, its signature checked when read.
    pub receipt: SignedReceipt,
}

fn parse_receipt(session: SessionId, bytes: &[u8]) -> Result<StoredReceipt, StoreError> {
    let receipt = SignedReceipt::verify(bytes, None)
        .map_err(|e| StoreError::Corrupt { what: format!("receipts / phiên {session}"), detail: e.to_string() })?;
    Ok(StoredReceipt { session, receipt })
}

/// Stores a submission, all or nothing.
pub(crate) fn record(conn: &Connection, submission: &Submission) -> Result<SubmissionOutcome, StoreError> {
    let op = Operation::Submission;
    let attested = submission.receipt.receipt();
    let session_id = attested.session;
    let session = sessions::get(conn, &session_id)?.ok_or(StoreError::NotFound(Missing::Session(session_id)))?;
    if attested.exam != session.exam || attested.student_id != session.student_id {
        return Err(StoreError::Mismatch(format!(
            "biên nhận ghi đề {} và học sinh {}, phiên {session_id} thuộc đề {} và học sinh {} / the receipt names \
             exam {} and student {} but session {session_id} belongs to exam {} and student {}",
            attested.exam,
            attested.student_id,
            session.exam,
            session.student_id,
            attested.exam,
            attested.student_id,
            session.exam,
            session.student_id
        )));
    }
    if sheet_hash(&submission.sheet) != attested.sheet_hash {
        return Err(StoreError::Mismatch(
            "biên nhận không ghi đúng mã băm của bài nộp / the receipt does not name this answer sheet".to_owned(),
        ));
    }
    let stored_sheet: Option<Vec<u8>> = sheet_of_session(conn, &session_id)?;
    if let Some(stored_sheet) = stored_sheet {
        if stored_sheet != submission.sheet {
            return Err(StoreError::Conflict(Conflict::Submission(session_id)));
        }
        let stored = receipt_of_session(conn, &session_id)?.ok_or_else(|| StoreError::Corrupt {
            what: format!("receipts / phiên {session_id}"),
            detail: "có bài nộp mà không có biên nhận / a sheet is stored without its receipt".to_owned(),
        })?;
        return Ok(SubmissionOutcome::AlreadyStored(stored.receipt));
    }
    let code = submission.receipt.short_code().compact();
    let code_owner: Option<[u8; 16]> = conn
        .prepare_cached("SELECT session_id FROM receipts WHERE short_code = ?1")
        .during(op)?
        .query_row([&code], |row| row.get(0))
        .optional()
        .during(op)?;
    if code_owner.is_some() {
        return Err(StoreError::Conflict(Conflict::ShortCode(code)));
    }
    let received_ms = attested.received_ms;
    conn.prepare_cached("INSERT INTO sheets (session_id, signed, received_ms) VALUES (?1, ?2, ?3)")
        .during(op)?
        .execute(params![session_id.as_bytes(), submission.sheet, U64(received_ms)])
        .during(op)?;
    conn.prepare_cached("INSERT INTO receipts (session_id, short_code, signed, received_ms) VALUES (?1, ?2, ?3, ?4)")
        .during(op)?
        .execute(params![session_id.as_bytes(), code, submission.receipt.as_bytes(), U64(received_ms)])
        .during(op)?;
    upsert_score(conn, &session_id, &submission.score, op)?;
    sessions::set_state(conn, &session_id, SessionState::Submitted, received_ms)?;
    Ok(SubmissionOutcome::Stored)
}

/// Stores or rewrites the score of `session` (manual marks for essays, a regrade).
pub(crate) fn record_score(conn: &Connection, session: &SessionId, score: &ScoreRecord) -> Result<(), StoreError> {
    if !sessions::exists(conn, session).during(Operation::Score)? {
        return Err(StoreError::NotFound(Missing::Session(*session)));
    }
    upsert_score(conn, session, score, Operation::Score)
}

fn upsert_score(conn: &Connection, session: &SessionId, score: &ScoreRecord, op: Operation) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO scores (session_id, raw_milli, max_milli, scaled_milli, per_question, scored_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (session_id) DO UPDATE SET raw_milli = excluded.raw_milli, max_milli = excluded.max_milli,
             scaled_milli = excluded.scaled_milli, per_question = excluded.per_question,
             scored_ms = excluded.scored_ms",
    )
    .during(op)?
    .execute(params![
        session.as_bytes(),
        score.raw_milli,
        score.max_milli,
        score.scaled_milli,
        score.per_question_json,
        U64(score.scored_ms),
    ])
    .during(op)?;
    Ok(())
}

/// The signed sheet of `session`, once submitted.
pub(crate) fn sheet_of_session(conn: &Connection, session: &SessionId) -> Result<Option<Vec<u8>>, StoreError> {
    conn.prepare_cached("SELECT signed FROM sheets WHERE session_id = ?1")
        .during(Operation::Read)?
        .query_row([session.as_bytes()], |row| row.get(0))
        .optional()
        .during(Operation::Read)
}

/// The receipt of `session`, once submitted.
pub(crate) fn receipt_of_session(conn: &Connection, session: &SessionId) -> Result<Option<StoredReceipt>, StoreError> {
    let bytes: Option<Vec<u8>> = conn
        .prepare_cached("SELECT signed FROM receipts WHERE session_id = ?1")
        .during(Operation::Read)?
        .query_row([session.as_bytes()], |row| row.get(0))
        .optional()
        .during(Operation::Read)?;
    bytes.map(|bytes| parse_receipt(*session, &bytes)).transpose()
}

/// The receipt with short code `code`.
pub(crate) fn receipt_by_code(conn: &Connection, code: &ShortCode) -> Result<Option<StoredReceipt>, StoreError> {
    let found: Option<([u8; 16], Vec<u8>)> = conn
        .prepare_cached("SELECT session_id, signed FROM receipts WHERE short_code = ?1")
        .during(Operation::Read)?
        .query_row([code.compact()], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()
        .during(Operation::Read)?;
    found.map(|(session, bytes)| parse_receipt(SessionId::from_bytes(session), &bytes)).transpose()
}

fn stored_score(row: &Row<'_>) -> rusqlite::Result<StoredScore> {
    Ok(StoredScore {
        session: SessionId::from_bytes(row.get(0)?),
        student_id: row.get(1)?,
        score: ScoreRecord {
            raw_milli: row.get(2)?,
            max_milli: row.get(3)?,
            scaled_milli: row.get(4)?,
            per_question_json: row.get(5)?,
            scored_ms: u64_at(row, 6)?,
        },
    })
}

/// The scores of `exam`, by student id.
pub(crate) fn scores_of_exam(conn: &Connection, exam: &ExamId) -> Result<Vec<StoredScore>, StoreError> {
    let mut statement = conn
        .prepare_cached(
            "SELECT c.session_id, s.student_id, c.raw_milli, c.max_milli, c.scaled_milli, c.per_question, c.scored_ms
             FROM scores c JOIN sessions s ON s.session_id = c.session_id
             WHERE s.exam_id = ?1 ORDER BY s.student_id",
        )
        .during(Operation::Read)?;
    let rows = statement.query_map([exam.as_bytes()], stored_score).during(Operation::Read)?;
    rows.collect::<rusqlite::Result<_>>().during(Operation::Read)
}
