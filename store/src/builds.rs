//! The client builds the proctor accepts (schema v6): `proctor allow-build` adds and removes
//! them, `proctor serve` reads them at start for the integrity check at login.

use super::codec::{U64, u64_at};
use super::error::{Operation, ResultExt, StoreError};
use phongthi_crypto::BuildDigest;
use rusqlite::{Connection, Row, params};

/// An accepted client build.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllowedBuildRecord {
    /// SHA-256 of the client executable.
    pub digest: BuildDigest,
    /// The proctor's name for it (`Phòng Thi 0.3 Windows`).
    pub name: String,
    /// When it was added (or last renamed).
    pub added_ms: u64,
}

/// Whether [`upsert`] added a build or renamed one already there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuildAdded {
    /// A new value.
    Added,
    /// The value was already allowed; its name (and time) are now the new ones.
    Renamed,
}

fn record(row: &Row<'_>) -> rusqlite::Result<AllowedBuildRecord> {
    Ok(AllowedBuildRecord {
        digest: BuildDigest::from_bytes(row.get(0)?),
        name: row.get(1)?,
        added_ms: u64_at(row, 2)?,
    })
}

/// Adds `build`, or gives an allowed value its new name.
pub(crate) fn upsert(conn: &Connection, build: &AllowedBuildRecord) -> Result<BuildAdded, StoreError> {
    let op = Operation::Builds;
    let existed: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM allowed_builds WHERE digest = ?1)")
        .during(op)?
        .query_row([build.digest.as_bytes()], |row| row.get(0))
        .during(op)?;
    conn.prepare_cached(
        "INSERT INTO allowed_builds (digest, name, added_ms) VALUES (?1, ?2, ?3)
         ON CONFLICT (digest) DO UPDATE SET name = excluded.name, added_ms = excluded.added_ms",
    )
    .during(op)?
    .execute(params![build.digest.as_bytes(), build.name, U64(build.added_ms)])
    .during(op)?;
    Ok(if existed { BuildAdded::Renamed } else { BuildAdded::Added })
}

/// Removes `digest`; returns the removed build, `None` when it was not allowed.
pub(crate) fn remove(conn: &Connection, digest: &BuildDigest) -> Result<Option<AllowedBuildRecord>, StoreError> {
    let op = Operation::Builds;
    let mut statement = conn
        .prepare_cached("DELETE FROM allowed_builds WHERE digest = ?1 RETURNING digest, name, added_ms")
        .during(op)?;
    let mut rows = statement.query_map([digest.as_bytes()], record).during(op)?;
    rows.next().transpose().during(op)
}

/// Every allowed build, oldest first.
pub(crate) fn list(conn: &Connection) -> Result<Vec<AllowedBuildRecord>, StoreError> {
    let mut statement = conn
        .prepare_cached("SELECT digest, name, added_ms FROM allowed_builds ORDER BY added_ms, digest")
        .during(Operation::Read)?;
    let rows = statement.query_map([], record).during(Operation::Read)?;
    rows.collect::<rusqlite::Result<_>>().during(Operation::Read)
}
