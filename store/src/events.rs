//! Answer events: one row per (session, seq), written once and never overwritten.
//!
//! The store keeps what it is given at each place of a session's chain: the first event stored at
//! a (session, seq) stays; the same event again is a [`EventOutcome::Duplicate`] (a resend after a
//! lost ack: acknowledge it again) and a different one is a [`Conflict::Event`]. Whether seqs
//! follow each other without gaps, whether `prev` links to the previous hash and whether the
//! signature verifies is **not** checked here: that is the session state machine's job
//! (`phongthi_crypto::ChainVerifier`), done before an event reaches the store, and
//! [`super::Reader::verify_session`] re-checks a stored chain afterwards.

use super::codec::{U64, u64_at};
use super::error::{Conflict, Missing, Operation, ResultExt, StoreError};
use phongthi_crypto::{AnswerEvent, Digest, SessionId, Signature, SignedEvent};
use rusqlite::{Connection, OptionalExtension, params};

/// What happened to an appended event. Both mean it is durable and may be acknowledged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventOutcome {
    /// Newly stored.
    Stored,
    /// The identical event (same hash at the same seq) was already stored.
    Duplicate,
}

/// Stores `event`, whose chain hash is `hash`, received at `received_ms`.
pub(crate) fn append(
    conn: &Connection,
    event: &SignedEvent,
    hash: &Digest,
    received_ms: u64,
) -> Result<EventOutcome, StoreError> {
    let op = Operation::AppendEvent;
    let e = &event.event;
    // No separate lookup of the session: the foreign key makes the insert check it anyway, and
    // this is the hottest statement of an exam.
    let inserted = conn
        .prepare_cached(
            "INSERT INTO events (session_id, seq, item, response, client_ms, prev, hash, signature, received_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (session_id, seq) DO NOTHING",
        )
        .during(op)?
        .execute(params![
            e.session.as_bytes(),
            U64(e.seq),
            e.item,
            e.response,
            U64(e.client_ms),
            e.prev.as_bytes(),
            hash.as_bytes(),
            event.signature.as_bytes(),
            U64(received_ms),
        ]);
    let inserted = match inserted {
        Err(error) if is_foreign_key_violation(&error) => {
            return Err(StoreError::NotFound(Missing::Session(e.session)));
        }
        other => other.during(op)?,
    };
    if inserted == 1 {
        return Ok(EventOutcome::Stored);
    }
    let stored: [u8; 32] = conn
        .prepare_cached("SELECT hash FROM events WHERE session_id = ?1 AND seq = ?2")
        .during(op)?
        .query_row(params![e.session.as_bytes(), U64(e.seq)], |row| row.get(0))
        .during(op)?;
    if stored == *hash.as_bytes() {
        Ok(EventOutcome::Duplicate)
    } else {
        Err(StoreError::Conflict(Conflict::Event { session: e.session, seq: e.seq }))
    }
}

fn is_foreign_key_violation(error: &rusqlite::Error) -> bool {
    matches!(error, rusqlite::Error::SqliteFailure(code, _) if code.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY)
}

/// The events of `session` in seq order.
pub(crate) fn of_session(conn: &Connection, session: &SessionId) -> Result<Vec<SignedEvent>, StoreError> {
    let mut statement = conn
        .prepare_cached(
            "SELECT seq, item, response, client_ms, prev, signature FROM events
             WHERE session_id = ?1 ORDER BY seq",
        )
        .during(Operation::Read)?;
    let rows = statement
        .query_map([session.as_bytes()], |row| {
            Ok(SignedEvent {
                event: AnswerEvent {
                    session: *session,
                    seq: u64_at(row, 0)?,
                    item: row.get(1)?,
                    response: row.get(2)?,
                    client_ms: u64_at(row, 3)?,
                    prev: Digest::from_bytes(row.get(4)?),
                },
                signature: Signature::from_bytes(row.get(5)?),
            })
        })
        .during(Operation::Read)?;
    rows.collect::<rusqlite::Result<_>>().during(Operation::Read)
}

/// The stored hashes of `session`'s events in seq order: what
/// `phongthi_crypto::ChainVerifier::resume` takes after a restart.
pub(crate) fn hashes(conn: &Connection, session: &SessionId) -> Result<Vec<Digest>, StoreError> {
    let mut statement =
        conn.prepare_cached("SELECT hash FROM events WHERE session_id = ?1 ORDER BY seq").during(Operation::Read)?;
    let rows =
        statement.query_map([session.as_bytes()], |row| Ok(Digest::from_bytes(row.get(0)?))).during(Operation::Read)?;
    rows.collect::<rusqlite::Result<_>>().during(Operation::Read)
}

/// The event stored at (`session`, `seq`), if any.
pub(crate) fn get(conn: &Connection, session: &SessionId, seq: u64) -> Result<Option<SignedEvent>, StoreError> {
    conn.prepare_cached(
        "SELECT item, response, client_ms, prev, signature FROM events WHERE session_id = ?1 AND seq = ?2",
    )
    .during(Operation::Read)?
    .query_row(params![session.as_bytes(), U64(seq)], |row| {
        Ok(SignedEvent {
            event: AnswerEvent {
                session: *session,
                seq,
                item: row.get(0)?,
                response: row.get(1)?,
                client_ms: u64_at(row, 2)?,
                prev: Digest::from_bytes(row.get(3)?),
            },
            signature: Signature::from_bytes(row.get(4)?),
        })
    })
    .optional()
    .during(Operation::Read)
}
