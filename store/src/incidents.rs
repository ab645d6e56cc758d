//! Incidents: what a client reported about its window or machine (focus lost, full screen left,
//! a second monitor) and what the proctor noted (a seat move). Each incident is also an entry of
//! the audit log, written in the same transaction, so the two never disagree.

use super::audit::{AuditChain, AuditNote};
use super::codec::{U64, u64_at};
use super::error::{Missing, Operation, ResultExt, StoreError};
use super::sessions;
use phongthi_crypto::SessionId;
use rusqlite::{Connection, Row, params};

/// An incident to record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewIncident {
    /// Proctor time it was received.
    pub at_ms: u64,
    /// The session, when it concerns one.
    pub session: Option<SessionId>,
    /// The student, when known.
    pub student_id: Option<String>,
    /// What happened, in the server's vocabulary (`focus-lost`, `fullscreen-exit`, ...).
    pub kind: String,
    /// How long it lasted (focus loss, full screen left), 0 otherwise.
    pub duration_ms: u64,
    /// Free detail.
    pub detail: String,
}

/// A stored incident.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncidentRecord {
    /// Its number, never reused.
    pub id: i64,
    /// What was recorded.
    pub incident: NewIncident,
}

const COLUMNS: &str = "id, at_ms, session_id, student_id, kind, duration_ms, detail";

fn record(row: &Row<'_>) -> rusqlite::Result<IncidentRecord> {
    Ok(IncidentRecord {
        id: row.get(0)?,
        incident: NewIncident {
            at_ms: u64_at(row, 1)?,
            session: row.get::<_, Option<[u8; 16]>>(2)?.map(SessionId::from_bytes),
            student_id: row.get(3)?,
            kind: row.get(4)?,
            duration_ms: u64_at(row, 5)?,
            detail: row.get(6)?,
        },
    })
}

/// Records `incident` and its audit entry; returns the incident's number.
pub(crate) fn insert(conn: &Connection, audit: &mut AuditChain, incident: &NewIncident) -> Result<i64, StoreError> {
    let op = Operation::Incident;
    if let Some(session) = &incident.session
        && !sessions::exists(conn, session).during(op)?
    {
        return Err(StoreError::NotFound(Missing::Session(*session)));
    }
    conn.prepare_cached(
        "INSERT INTO incidents (at_ms, session_id, student_id, kind, duration_ms, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .during(op)?
    .execute(params![
        U64(incident.at_ms),
        incident.session.as_ref().map(|s| s.as_bytes()),
        incident.student_id,
        incident.kind,
        U64(incident.duration_ms),
        incident.detail,
    ])
    .during(op)?;
    let id = conn.last_insert_rowid();
    let actor = match (&incident.student_id, &incident.session) {
        (Some(student), _) => student.clone(),
        (None, Some(session)) => session.to_hex(),
        (None, None) => "system".to_owned(),
    };
    let note = AuditNote::new(
        incident.at_ms,
        actor,
        format!("incident.{}", incident.kind),
        format!("#{id} {} ms: {}", incident.duration_ms, incident.detail),
    );
    audit.append(conn, &note)?;
    Ok(id)
}

/// Incidents in the order they were recorded, only those of `kind` when given.
pub(crate) fn list(conn: &Connection, kind: Option<&str>) -> Result<Vec<IncidentRecord>, StoreError> {
    let mut statement = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM incidents WHERE ?1 IS NULL OR kind = ?1 ORDER BY id"))
        .during(Operation::Read)?;
    let rows = statement.query_map([kind], record).during(Operation::Read)?;
    rows.collect::<rusqlite::Result<_>>().during(Operation::Read)
}

/// The incidents of one session.
pub(crate) fn of_session(conn: &Connection, session: &SessionId) -> Result<Vec<IncidentRecord>, StoreError> {
    let mut statement = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM incidents WHERE session_id = ?1 ORDER BY id"))
        .during(Operation::Read)?;
    let rows = statement.query_map([session.as_bytes()], record).during(Operation::Read)?;
    rows.collect::<rusqlite::Result<_>>().during(Operation::Read)
}
