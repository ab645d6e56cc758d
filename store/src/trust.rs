//! The signers the school trusts (schema v5, `trusted_signers`): teachers whose `.exam` bundles
//! `exam add` accepts and reviewers whose approvals count.
//!
//! Keyed by the public key; the name is what the proctor typed (`--name "cô Lan, tổ Toán"`),
//! shown beside the fingerprint wherever a signer is reported.

use super::codec::{U64, u64_at};
use super::error::{Operation, ResultExt, StoreError};
use phongthi_crypto::PublicKey;
use rusqlite::{Connection, params};

/// A key the school trusts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustedSigner {
    /// The key.
    pub key: PublicKey,
    /// Who it is.
    pub name: String,
    /// When it was added.
    pub added_ms: u64,
}

/// Adds `key` (or renames it); returns whether it is new.
pub(crate) fn add(conn: &Connection, signer: &TrustedSigner) -> Result<bool, StoreError> {
    let known = is_trusted(conn, &signer.key)?;
    conn.execute(
        "INSERT INTO trusted_signers (public_key, name, added_ms) VALUES (?1, ?2, ?3)
         ON CONFLICT (public_key) DO UPDATE SET name = excluded.name",
        params![signer.key.as_bytes().as_slice(), signer.name, U64(signer.added_ms)],
    )
    .during(Operation::Trust)?;
    Ok(!known)
}

/// Removes `key`; returns whether it was there.
pub(crate) fn remove(conn: &Connection, key: &PublicKey) -> Result<bool, StoreError> {
    let removed = conn
        .execute("DELETE FROM trusted_signers WHERE public_key = ?1", params![key.as_bytes().as_slice()])
        .during(Operation::Trust)?;
    Ok(removed > 0)
}

/// Whether `key` is trusted.
pub(crate) fn is_trusted(conn: &Connection, key: &PublicKey) -> Result<bool, StoreError> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM trusted_signers WHERE public_key = ?1)",
        params![key.as_bytes().as_slice()],
        |row| row.get(0),
    )
    .during(Operation::Read)
}

/// Every trusted key, by name.
pub(crate) fn list(conn: &Connection) -> Result<Vec<TrustedSigner>, StoreError> {
    let mut statement = conn
        .prepare_cached("SELECT public_key, name, added_ms FROM trusted_signers ORDER BY name, public_key")
        .during(Operation::Read)?;
    let rows = statement
        .query_map([], |row| {
            let bytes: Vec<u8> = row.get(0)?;
            let key = <[u8; 32]>::try_from(bytes.as_slice()).map(PublicKey::from_bytes).map_err(|_| {
                rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Blob, "public key length".into())
            })?;
            Ok(TrustedSigner { key, name: row.get(1)?, added_ms: u64_at(row, 2)? })
        })
        .during(Operation::Read)?;
    rows.collect::<Result<_, _>>().during(Operation::Read)
}
