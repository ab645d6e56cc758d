//! The audit log as stored: every proctor action and incident, hash-chained and signed with the
//! proctor's key (`phongthi_crypto::audit`).
//!
//! Only the writer thread appends, and it computes each entry itself from the previous one
//! ([`AuditChain`]), so rows are chained in commit order whatever order callers raced in. An
//! entry appended by a request that then fails, or in a batch that fails, is forgotten together
//! with the rolled-back row, so the chain in memory always matches the chain on disk.

use super::codec::{U64, u64_at};
use super::error::{Operation, ResultExt, StoreError};
use phongthi_crypto::{AuditEntry, Digest, PublicKey, Signature, SignedAuditEntry, SigningKey, append_audit};
use rusqlite::{Connection, OptionalExtension, Row, params};

/// An audit entry to append: the writer adds the sequence number, the link and the signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditNote {
    /// Proctor time of the action.
    pub at_ms: u64,
    /// Who acted (`giám thị`, `system`, a student id).
    pub actor: String,
    /// What happened (`exam.start`, `session.extend`, `incident.focus-lost`, ...).
    pub action: String,
    /// Details (JSON or text).
    pub detail: String,
}

impl AuditNote {
    /// A note.
    pub fn new(at_ms: u64, actor: impl Into<String>, action: impl Into<String>, detail: impl Into<String>) -> Self {
        Self { at_ms, actor: actor.into(), action: action.into(), detail: detail.into() }
    }
}

const COLUMNS: &str = "seq, at_ms, actor, action, detail, prev, hash, signature";

fn entry(row: &Row<'_>) -> rusqlite::Result<SignedAuditEntry> {
    Ok(SignedAuditEntry {
        entry: AuditEntry {
            seq: u64_at(row, 0)?,
            at_ms: u64_at(row, 1)?,
            actor: row.get(2)?,
            action: row.get(3)?,
            detail: row.get(4)?,
            prev: Digest::from_bytes(row.get(5)?),
        },
        hash: Digest::from_bytes(row.get(6)?),
        signature: Signature::from_bytes(row.get(7)?),
    })
}

/// The writer's view of the chain's head: committed, tentatively in the open batch, and
/// tentatively in the request being applied.
pub(crate) struct AuditChain {
    key: SigningKey,
    committed: Option<SignedAuditEntry>,
    in_batch: Option<SignedAuditEntry>,
    in_request: Option<SignedAuditEntry>,
}

impl AuditChain {
    /// Reads the head of the stored chain.
    pub(crate) fn load(conn: &Connection, key: SigningKey) -> Result<Self, StoreError> {
        let committed = last(conn)?;
        Ok(Self { key, committed, in_batch: None, in_request: None })
    }

    fn head(&self) -> Option<&SignedAuditEntry> {
        self.in_request.as_ref().or(self.in_batch.as_ref()).or(self.committed.as_ref())
    }

    /// Signs and inserts the entry after the current head.
    pub(crate) fn append(&mut self, conn: &Connection, note: &AuditNote) -> Result<SignedAuditEntry, StoreError> {
        if self.in_request.is_none() && self.in_batch.is_none() {
            // Another process on the same data directory (`proctor mark` or `publish` while
            // `serve` runs) may have appended since this writer last committed. Inside the
            // batch's IMMEDIATE transaction the stored head cannot move, so read it afresh;
            // chaining onto a stale head would fork the log.
            self.committed = last(conn)?;
        }
        let signed = append_audit(&self.key, self.head(), note.at_ms, &note.actor, &note.action, &note.detail);
        let e = &signed.entry;
        conn.prepare_cached(&format!("INSERT INTO audit ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"))
            .during(Operation::Audit)?
            .execute(params![
                U64(e.seq),
                U64(e.at_ms),
                e.actor,
                e.action,
                e.detail,
                e.prev.as_bytes(),
                signed.hash.as_bytes(),
                signed.signature.as_bytes(),
            ])
            .during(Operation::Audit)?;
        self.in_request = Some(signed.clone());
        Ok(signed)
    }

    /// The request's savepoint was released: its entries join the batch.
    pub(crate) fn request_kept(&mut self) {
        if let Some(entry) = self.in_request.take() {
            self.in_batch = Some(entry);
        }
    }

    /// The request's savepoint was rolled back: its entries are gone.
    pub(crate) fn request_undone(&mut self) {
        self.in_request = None;
    }

    /// The batch committed: its entries are the stored head.
    pub(crate) fn batch_committed(&mut self) {
        self.request_kept();
        if let Some(entry) = self.in_batch.take() {
            self.committed = Some(entry);
        }
    }

    /// The batch was rolled back: back to the stored head.
    pub(crate) fn batch_undone(&mut self) {
        self.in_request = None;
        self.in_batch = None;
    }
}

/// The newest entry.
pub(crate) fn last(conn: &Connection) -> Result<Option<SignedAuditEntry>, StoreError> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM audit ORDER BY seq DESC LIMIT 1"))
        .during(Operation::Read)?
        .query_row([], entry)
        .optional()
        .during(Operation::Read)
}

/// The whole log in seq order.
pub(crate) fn list(conn: &Connection) -> Result<Vec<SignedAuditEntry>, StoreError> {
    let mut statement =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM audit ORDER BY seq")).during(Operation::Read)?;
    let rows = statement.query_map([], entry).during(Operation::Read)?;
    rows.collect::<rusqlite::Result<_>>().during(Operation::Read)
}

/// Verifies the whole stored log against the proctor's public key and returns its head hash
/// (print it, or compare it with an exported copy: deleting the newest rows is only visible that
/// way).
pub(crate) fn verify(conn: &Connection, proctor: &PublicKey) -> Result<Digest, StoreError> {
    let entries = list(conn)?;
    phongthi_crypto::verify_audit(&entries, proctor)
        .map_err(|source| StoreError::BrokenChain { what: "nhật ký giám sát / audit".to_owned(), source })
}
