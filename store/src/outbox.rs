//! The grade-book outbox (schema v3): the requests `proctor publish` sends, queued durably before
//! the first goes out.
//!
//! Queuing compares each request with the newest row for the same object (exam, target, kind,
//! sourcedId): an identical body that is `done` or `pending` is not queued again, so a re-run
//! sends only what changed and a restart never repeats a delivered request. An identical body
//! that `failed` is queued again (the grade book may have been fixed since), as is any changed
//! body; a `pending` row of an older body is superseded (marked `failed` with a note) so an
//! outdated score is never sent after the new one.

use super::codec::{U64, opt_u64_at, u64_at};
use super::error::{Operation, ResultExt, StoreError};
use phongthi_crypto::ExamId;
use rusqlite::{Connection, OptionalExtension, Row, params};

/// Where an outbox entry stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutboxState {
    /// Not delivered yet: the worker will (re)try it at `next_attempt_ms`.
    Pending,
    /// The grade book accepted it (2xx); it is never sent again.
    Done,
    /// The grade book refused it (a 4xx) or a newer version superseded it.
    Failed,
}

impl OutboxState {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxState::Pending => "pending",
            OutboxState::Done => "done",
            OutboxState::Failed => "failed",
        }
    }

    fn parse(text: &str) -> Option<OutboxState> {
        match text {
            "pending" => Some(OutboxState::Pending),
            "done" => Some(OutboxState::Done),
            "failed" => Some(OutboxState::Failed),
            _ => None,
        }
    }
}

/// A request to queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxRequest {
    /// The OneRoster object kind: `category`, `lineItem` or `result`.
    pub kind: String,
    /// Its sourcedId (the last path segment of the PUT).
    pub sourced_id: String,
    /// The JSON body.
    pub body: String,
}

/// A stored outbox entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxEntry {
    /// Row id: the order of sending.
    pub id: i64,
    /// The exam.
    pub exam: ExamId,
    /// The grade book's base URL.
    pub target: String,
    /// The request.
    pub request: OutboxRequest,
    /// Where it stands.
    pub state: OutboxState,
    /// Attempts made so far.
    pub attempts: u32,
    /// When the next attempt is due (pending entries).
    pub next_attempt_ms: u64,
    /// The last HTTP status received, if any.
    pub last_status: Option<u16>,
    /// The last error (the server's message, or the connection error).
    pub last_error: Option<String>,
    /// When it was queued.
    pub enqueued_ms: u64,
    /// When it was delivered or given up.
    pub finished_ms: Option<u64>,
}

/// What queuing did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Enqueued {
    /// New rows queued.
    pub queued: usize,
    /// Requests identical to one already delivered or already pending.
    pub unchanged: usize,
}

const COLUMNS: &str = "id, exam_id, target, kind, sourced_id, body, state, attempts, next_attempt_ms, last_status, \
                       last_error, enqueued_ms, finished_ms";

fn entry(row: &Row<'_>) -> rusqlite::Result<OutboxEntry> {
    let state: String = row.get(6)?;
    let state = OutboxState::parse(&state).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            6,
            rusqlite::types::Type::Text,
            format!("outbox state {state:?}").into(),
        )
    })?;
    let last_status: Option<i64> = row.get(9)?;
    Ok(OutboxEntry {
        id: row.get(0)?,
        exam: ExamId::from_bytes(row.get(1)?),
        target: row.get(2)?,
        request: OutboxRequest { kind: row.get(3)?, sourced_id: row.get(4)?, body: row.get(5)? },
        state,
        attempts: u32::try_from(u64_at(row, 7)?).unwrap_or(u32::MAX),
        next_attempt_ms: u64_at(row, 8)?,
        last_status: last_status.and_then(|s| u16::try_from(s).ok()),
        last_error: row.get(10)?,
        enqueued_ms: u64_at(row, 11)?,
        finished_ms: opt_u64_at(row, 12)?,
    })
}

/// Queues `requests` in order, skipping the unchanged ones (see the module doc).
pub(crate) fn enqueue(
    conn: &Connection,
    exam: &ExamId,
    target: &str,
    requests: &[OutboxRequest],
    now_ms: u64,
) -> Result<Enqueued, StoreError> {
    let op = Operation::Outbox;
    let mut outcome = Enqueued::default();
    for request in requests {
        let newest: Option<(i64, String, String)> = conn
            .prepare_cached(
                "SELECT id, body, state FROM outbox WHERE exam_id = ?1 AND target = ?2 AND kind = ?3 AND sourced_id = ?4
                 ORDER BY id DESC LIMIT 1",
            )
            .during(op)?
            .query_row(params![exam.as_bytes(), target, request.kind, request.sourced_id], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })
            .optional()
            .during(op)?;
        if let Some((id, body, state)) = newest {
            let state = OutboxState::parse(&state);
            if body == request.body && matches!(state, Some(OutboxState::Done | OutboxState::Pending)) {
                outcome.unchanged += 1;
                continue;
            }
            if state == Some(OutboxState::Pending) {
                conn.prepare_cached(
                    "UPDATE outbox SET state = 'failed', finished_ms = ?2,
                         last_error = 'thay bằng bản mới hơn / superseded by a newer version'
                     WHERE id = ?1",
                )
                .during(op)?
                .execute(params![id, U64(now_ms)])
                .during(op)?;
            }
        }
        conn.prepare_cached(
            "INSERT INTO outbox (exam_id, target, kind, sourced_id, body, state, next_attempt_ms, enqueued_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?6, ?6)",
        )
        .during(op)?
        .execute(params![exam.as_bytes(), target, request.kind, request.sourced_id, request.body, U64(now_ms)])
        .during(op)?;
        outcome.queued += 1;
    }
    Ok(outcome)
}

/// What became of one attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AttemptResult {
    /// Delivered (2xx).
    Delivered {
        /// The status.
        status: u16,
    },
    /// Not delivered; try again at `next_attempt_ms`.
    Retry {
        /// The status, when the server answered.
        status: Option<u16>,
        /// What went wrong.
        error: String,
        /// When to try again.
        next_attempt_ms: u64,
    },
    /// Refused for good.
    Refused {
        /// The status.
        status: u16,
        /// The server's message.
        error: String,
    },
}

/// Records one attempt on entry `id`. Only a pending entry changes: a `done` entry stays done.
pub(crate) fn record_attempt(
    conn: &Connection,
    id: i64,
    result: &AttemptResult,
    now_ms: u64,
) -> Result<(), StoreError> {
    let op = Operation::Outbox;
    let (state, status, error, next, finished) = match result {
        AttemptResult::Delivered { status } => ("done", Some(*status), None, now_ms, Some(now_ms)),
        AttemptResult::Retry { status, error, next_attempt_ms } => {
            ("pending", *status, Some(error.as_str()), *next_attempt_ms, None)
        }
        AttemptResult::Refused { status, error } => {
            ("failed", Some(*status), Some(error.as_str()), now_ms, Some(now_ms))
        }
    };
    conn.prepare_cached(
        "UPDATE outbox SET state = ?2, attempts = attempts + 1, last_status = ?3, last_error = ?4,
             next_attempt_ms = ?5, finished_ms = ?6
         WHERE id = ?1 AND state = 'pending'",
    )
    .during(op)?
    .execute(params![id, state, status.map(i64::from), error, U64(next), finished.map(U64)])
    .during(op)?;
    Ok(())
}

/// Every entry for `exam` (and `target`, when given) in sending order.
pub(crate) fn of_exam(conn: &Connection, exam: &ExamId, target: Option<&str>) -> Result<Vec<OutboxEntry>, StoreError> {
    let mut statement = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM outbox WHERE exam_id = ?1 AND (?2 IS NULL OR target = ?2) ORDER BY id"
        ))
        .during(Operation::Read)?;
    let rows = statement.query_map(params![exam.as_bytes(), target], entry).during(Operation::Read)?;
    rows.collect::<rusqlite::Result<_>>().during(Operation::Read)
}

/// The pending entries for (`exam`, `target`) in sending order.
pub(crate) fn pending(conn: &Connection, exam: &ExamId, target: &str) -> Result<Vec<OutboxEntry>, StoreError> {
    let mut statement = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM outbox WHERE exam_id = ?1 AND target = ?2 AND state = 'pending' ORDER BY id"
        ))
        .during(Operation::Read)?;
    let rows = statement.query_map(params![exam.as_bytes(), target], entry).during(Operation::Read)?;
    rows.collect::<rusqlite::Result<_>>().during(Operation::Read)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store_with_exam() -> (tempfile::TempDir, Connection, ExamId) {
        let dir = tempfile::tempdir().unwrap();
        let conn = Connection::open(dir.path().join("proctor.sqlite")).unwrap();
        conn.pragma_update(None, "foreign_keys", true).unwrap();
        super::super::migrations::migrate(&conn).unwrap();
        let exam = ExamId::from_bytes([7; 16]);
        conn.execute(
            "INSERT INTO exams (exam_id, title, duration_ms, exam_json, teacher_key, content_key, added_ms)
             VALUES (?1, 'Kiểm tra giữa kỳ I — Toán 10', 2700000, '{}', ?2, x'00', 0)",
            params![exam.as_bytes(), [1u8; 32]],
        )
        .unwrap();
        (dir, conn, exam)
    }

    fn request(id: &str, body: &str) -> OutboxRequest {
        OutboxRequest { kind: "result".into(), sourced_id: id.into(), body: body.into() }
    }

    const GB: &str = "http://so-diem.lan";

    #[test]
    fn unchanged_requests_are_not_queued_twice_and_changed_ones_supersede() {
        let (_dir, conn, exam) = store_with_exam();
        let first = [request("a", "{\"score\":7.3}"), request("b", "{\"score\":9}")];
        assert_eq!(enqueue(&conn, &exam, GB, &first, 1).unwrap(), Enqueued { queued: 2, unchanged: 0 });
        // Pending and identical: not queued again.
        assert_eq!(enqueue(&conn, &exam, GB, &first, 2).unwrap(), Enqueued { queued: 0, unchanged: 2 });
        // Another grade book is another queue.
        assert_eq!(enqueue(&conn, &exam, "https://khac.vn", &first, 2).unwrap().queued, 2);

        let ids: Vec<i64> = pending(&conn, &exam, GB).unwrap().iter().map(|e| e.id).collect();
        record_attempt(&conn, ids[0], &AttemptResult::Delivered { status: 201 }, 3).unwrap();
        // A done entry never changes again, whatever is recorded later.
        record_attempt(&conn, ids[0], &AttemptResult::Refused { status: 400, error: "x".into() }, 4).unwrap();
        let refused = AttemptResult::Refused { status: 422, error: "HTTP 422: không thuộc lớp".into() };
        record_attempt(&conn, ids[1], &refused, 4).unwrap();

        // a changed (supersedes nothing: it was done), b identical but failed: queued again.
        let second = [request("a", "{\"score\":8.3}"), request("b", "{\"score\":9}")];
        assert_eq!(enqueue(&conn, &exam, GB, &second, 5).unwrap(), Enqueued { queued: 2, unchanged: 0 });
        // a changes again while pending: the pending version is superseded.
        let third = [request("a", "{\"score\":8.5}")];
        assert_eq!(enqueue(&conn, &exam, GB, &third, 6).unwrap().queued, 1);

        let all = of_exam(&conn, &exam, Some(GB)).unwrap();
        let states: Vec<(&str, OutboxState)> = all.iter().map(|e| (e.request.sourced_id.as_str(), e.state)).collect();
        assert_eq!(
            states,
            [
                ("a", OutboxState::Done),
                ("b", OutboxState::Failed),
                ("a", OutboxState::Failed),
                ("b", OutboxState::Pending),
                ("a", OutboxState::Pending),
            ]
        );
        assert!(all[2].last_error.as_deref().unwrap().contains("superseded"));
        assert_eq!((all[1].last_status, all[1].attempts), (Some(422), 1));
        assert_eq!(all[0].finished_ms, Some(3));
        let waiting: Vec<String> = pending(&conn, &exam, GB).unwrap().into_iter().map(|e| e.request.body).collect();
        assert_eq!(waiting, ["{\"score\":9}", "{\"score\":8.5}"]);
    }

    #[test]
    fn a_retry_keeps_the_entry_pending_with_its_error_and_due_time() {
        let (_dir, conn, exam) = store_with_exam();
        enqueue(&conn, &exam, GB, &[request("a", "{}")], 1).unwrap();
        let id = pending(&conn, &exam, GB).unwrap()[0].id;
        let retry =
            AttemptResult::Retry { status: Some(503), error: "HTTP 503: bảo trì".into(), next_attempt_ms: 9_000 };
        record_attempt(&conn, id, &retry, 2).unwrap();
        let entry = &pending(&conn, &exam, GB).unwrap()[0];
        assert_eq!((entry.attempts, entry.next_attempt_ms, entry.last_status), (1, 9_000, Some(503)));
        assert_eq!(entry.last_error.as_deref(), Some("HTTP 503: bảo trì"));
        assert_eq!(entry.finished_ms, None);
    }
}
