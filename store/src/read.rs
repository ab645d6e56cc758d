//! Read-only access for the server, the dashboard and reports.
//!
//! A [`Reader`] owns its own read-only connection. In WAL mode it reads while the writer writes,
//! and each call starts a fresh read transaction, so it sees every batch committed before the
//! call (in particular every acknowledged answer).

use super::codec::u64_at;
use super::error::{Missing, Operation, ResultExt, StoreError};
use super::migrations::APPLICATION_ID;
use super::{
    AllowedBuildRecord, BUSY_TIMEOUT, audit, builds, events, exams, incidents, marks, outbox, sessions, sheets,
    students,
};
use super::{ExamRecord, IncidentRecord, SessionProgress, SessionRecord, StoredReceipt, StoredScore, StudentRecord};
use super::{MarkRecord, OutboxEntry};
use phongthi_crypto::{
    AtRestKey, Digest, ExamId, PublicKey, SessionId, ShortCode, SignedAuditEntry, SignedEvent, verify_chain_with_keys,
};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

/// How many rows each table holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Exams.
    pub exams: u64,
    /// Students on the roster.
    pub students: u64,
    /// Sessions.
    pub sessions: u64,
    /// Answer events.
    pub events: u64,
    /// Answer sheets.
    pub sheets: u64,
    /// Receipts.
    pub receipts: u64,
    /// Scores.
    pub scores: u64,
    /// Incidents.
    pub incidents: u64,
    /// Audit entries.
    pub audit_entries: u64,
}

/// A read-only connection to the store.
pub struct Reader {
    conn: Connection,
    exam_key: Option<AtRestKey>,
}

impl Reader {
    /// Opens the store file at `path` read-only (it must exist and be a proctor store).
    pub fn open(path: &Path) -> Result<Reader, StoreError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).during(Operation::Open)?;
        conn.busy_timeout(BUSY_TIMEOUT).during(Operation::Open)?;
        let application_id: i64 =
            conn.pragma_query_value(None, "application_id", |row| row.get(0)).during(Operation::Open)?;
        if application_id != APPLICATION_ID {
            return Err(StoreError::NotAProctorDatabase { application_id });
        }
        Ok(Reader { conn, exam_key: None })
    }

    /// This reader, able to open the sealed exams with `key` (the proctor identity's).
    pub fn with_exam_key(self, key: AtRestKey) -> Reader {
        Reader { exam_key: Some(key), ..self }
    }

    /// Opens the store of the data directory `data_dir` read-only, without its identity and
    /// while a server may be writing to it (the load generator's final check, reports).
    pub fn open_in(data_dir: &Path) -> Result<Reader, StoreError> {
        let path = data_dir.join(super::FILE_NAME);
        if !path.exists() {
            return Err(StoreError::Io {
                detail: format!("không có kho bài làm {0} / no answer store at {0}", path.display()),
            });
        }
        Reader::open(&path)
    }

    /// The client builds the proctor accepts, oldest first.
    pub fn allowed_builds(&self) -> Result<Vec<AllowedBuildRecord>, StoreError> {
        builds::list(&self.conn)
    }

    /// The events of `session` in seq order.
    pub fn events(&self, session: &SessionId) -> Result<Vec<SignedEvent>, StoreError> {
        events::of_session(&self.conn, session)
    }

    /// The event stored at (`session`, `seq`).
    pub fn event(&self, session: &SessionId, seq: u64) -> Result<Option<SignedEvent>, StoreError> {
        events::get(&self.conn, session, seq)
    }

    /// The hashes of `session`'s events in seq order, for `ChainVerifier::resume` after a
    /// restart.
    pub fn event_hashes(&self, session: &SessionId) -> Result<Vec<Digest>, StoreError> {
        events::hashes(&self.conn, session)
    }

    /// Re-verifies `session`'s stored chain with its session key (signatures, links, no gaps,
    /// no duplicates) and returns the head hash, which must match the submitted sheet's.
    pub fn verify_session(&self, session: &SessionId) -> Result<Digest, StoreError> {
        self.session(session)?.ok_or(StoreError::NotFound(Missing::Session(*session)))?;
        let keys = self.session_keys(session)?;
        let stored = self.events(session)?;
        verify_chain_with_keys(*session, &keys, &stored).map_err(|source| StoreError::BrokenChain {
            what: format!("câu trả lời của phiên {session} / answers of session {session}"),
            source,
        })
    }

    /// One session.
    pub fn session(&self, session: &SessionId) -> Result<Option<SessionRecord>, StoreError> {
        sessions::get(&self.conn, session)
    }

    /// Every key registered for a session: the first, then those added by seat moves.
    pub fn session_keys(&self, session: &SessionId) -> Result<Vec<PublicKey>, StoreError> {
        sessions::keys(&self.conn, session)
    }

    /// The session of `student_id` for `exam` (a reconnect or a seat move finds it here).
    pub fn session_of_student(&self, exam: &ExamId, student_id: &str) -> Result<Option<SessionRecord>, StoreError> {
        sessions::of_student(&self.conn, exam, student_id)
    }

    /// The sessions of `exam` with how far each student got, by student id.
    pub fn sessions_of_exam(&self, exam: &ExamId) -> Result<Vec<SessionProgress>, StoreError> {
        sessions::of_exam(&self.conn, exam)
    }

    /// One exam.
    pub fn exam(&self, exam: &ExamId) -> Result<Option<ExamRecord>, StoreError> {
        exams::get(&self.conn, self.exam_key.as_ref(), exam)
    }

    /// Every exam, in the order they were added.
    pub fn exams(&self) -> Result<Vec<ExamRecord>, StoreError> {
        exams::list(&self.conn, self.exam_key.as_ref())
    }

    /// One student of the roster.
    pub fn student(&self, student_id: &str) -> Result<Option<StudentRecord>, StoreError> {
        students::get(&self.conn, student_id)
    }

    /// The roster by student id.
    pub fn students(&self) -> Result<Vec<StudentRecord>, StoreError> {
        students::list(&self.conn)
    }

    /// The signed answer sheet of `session`, once submitted.
    pub fn sheet(&self, session: &SessionId) -> Result<Option<Vec<u8>>, StoreError> {
        sheets::sheet_of_session(&self.conn, session)
    }

    /// The receipt of `session`, once submitted.
    pub fn receipt_of_session(&self, session: &SessionId) -> Result<Option<StoredReceipt>, StoreError> {
        sheets::receipt_of_session(&self.conn, session)
    }

    /// The receipt whose short code a student noted down.
    pub fn receipt_by_code(&self, code: &ShortCode) -> Result<Option<StoredReceipt>, StoreError> {
        sheets::receipt_by_code(&self.conn, code)
    }

    /// The scores of `exam`, by student id.
    pub fn scores_of_exam(&self, exam: &ExamId) -> Result<Vec<StoredScore>, StoreError> {
        sheets::scores_of_exam(&self.conn, exam)
    }

    /// Incidents in the order recorded; only those of `kind` when given.
    pub fn incidents(&self, kind: Option<&str>) -> Result<Vec<IncidentRecord>, StoreError> {
        incidents::list(&self.conn, kind)
    }

    /// The incidents of one session.
    pub fn incidents_of_session(&self, session: &SessionId) -> Result<Vec<IncidentRecord>, StoreError> {
        incidents::of_session(&self.conn, session)
    }

    /// The grade-book outbox of `exam` (only `target`'s entries when given), in sending order.
    pub fn outbox_of_exam(&self, exam: &ExamId, target: Option<&str>) -> Result<Vec<OutboxEntry>, StoreError> {
        outbox::of_exam(&self.conn, exam, target)
    }

    /// The pending outbox entries of (`exam`, `target`), in sending order.
    pub fn outbox_pending(&self, exam: &ExamId, target: &str) -> Result<Vec<OutboxEntry>, StoreError> {
        outbox::pending(&self.conn, exam, target)
    }

    /// The manual marks of `session`, by question position.
    pub fn marks_of_session(&self, session: &SessionId) -> Result<Vec<MarkRecord>, StoreError> {
        marks::of_session(&self.conn, session)
    }

    /// The audit log in seq order.
    pub fn audit_entries(&self) -> Result<Vec<SignedAuditEntry>, StoreError> {
        audit::list(&self.conn)
    }

    /// Verifies the whole audit log against the proctor's public key; returns its head hash.
    pub fn verify_audit(&self, proctor: &PublicKey) -> Result<Digest, StoreError> {
        audit::verify(&self.conn, proctor)
    }

    /// The keys the school trusts, by name.
    pub fn trusted_signers(&self) -> Result<Vec<super::TrustedSigner>, StoreError> {
        super::trust::list(&self.conn)
    }

    /// Whether the school trusts `key`.
    pub fn is_trusted(&self, key: &PublicKey) -> Result<bool, StoreError> {
        super::trust::is_trusted(&self.conn, key)
    }

    /// The newest activity of `exam`'s sessions (the retention period runs from it).
    pub fn last_activity(&self, exam: &ExamId) -> Result<Option<u64>, StoreError> {
        super::purge::last_activity(&self.conn, exam)
    }

    /// When `exam`'s personal data was purged, if it was.
    pub fn purge_of(&self, exam: &ExamId) -> Result<Option<super::PurgeRecord>, StoreError> {
        super::purge::record(&self.conn, exam)
    }

    /// SQLite's full `integrity_check`: `"ok"`, or its first problems.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        let mut statement = self.conn.prepare("PRAGMA integrity_check(20)").during(Operation::Read)?;
        let lines: Vec<String> = statement
            .query_map([], |row| row.get(0))
            .during(Operation::Read)?
            .collect::<Result<_, _>>()
            .during(Operation::Read)?;
        Ok(lines.join("; "))
    }

    /// How many rows each table holds.
    pub fn counts(&self) -> Result<Counts, StoreError> {
        self.conn
            .query_row(
                "SELECT (SELECT count(*) FROM exams), (SELECT count(*) FROM students),
                        (SELECT count(*) FROM sessions), (SELECT count(*) FROM events),
                        (SELECT count(*) FROM sheets), (SELECT count(*) FROM receipts),
                        (SELECT count(*) FROM scores), (SELECT count(*) FROM incidents),
                        (SELECT count(*) FROM audit)",
                [],
                |row| {
                    Ok(Counts {
                        exams: u64_at(row, 0)?,
                        students: u64_at(row, 1)?,
                        sessions: u64_at(row, 2)?,
                        events: u64_at(row, 3)?,
                        sheets: u64_at(row, 4)?,
                        receipts: u64_at(row, 5)?,
                        scores: u64_at(row, 6)?,
                        incidents: u64_at(row, 7)?,
                        audit_entries: u64_at(row, 8)?,
                    })
                },
            )
            .during(Operation::Read)
    }
}
