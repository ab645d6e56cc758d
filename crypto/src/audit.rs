//! The audit chain: every proctor action and incident, append-only and tamper-evident.
//!
//! Entry body: `"PTAU" ‖ version u16 ‖ seq u64 ‖ at ms u64 ‖ actor ‖ action ‖ detail ‖ prev[32]`
//! (strings are length-prefixed UTF-8). `hash = SHA-256(domain ‖ body)`, and the proctor signs
//! each hash. A plain hash chain can be rebuilt by anyone who edits the database; the signature
//! means an edit also needs the proctor's private key (keep it passphrase-protected). Deleting the
//! newest rows cannot be seen from the chain alone: compare the head with a printed or exported
//! copy (`proctor audit verify` prints it) to cover that.

use crate::digest::{Digest, sha256_parts};
use crate::error::{ChainFault, Error, Result};
use crate::keys::{PublicKey, Signature, SigningKey};
use crate::wire::Writer;

const MAGIC: &[u8; 4] = b"PTAU";
const VERSION: u16 = 1;

/// One row of the audit log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    /// 0, 1, 2, … without gaps.
    pub seq: u64,
    /// Proctor time, ms since the Unix epoch.
    pub at_ms: u64,
    /// Who acted (`proctor`, `system`, a student id for incidents).
    pub actor: String,
    /// What happened (`exam.start`, `incident.focus-lost`, …).
    pub action: String,
    /// Details (JSON or text).
    pub detail: String,
    /// Hash of the previous entry (or the genesis hash).
    pub prev: Digest,
}

impl AuditEntry {
    /// This entry's chain hash.
    pub fn hash(&self) -> Digest {
        let mut w = Writer::new();
        w.raw(MAGIC)
            .u16(VERSION)
            .u64(self.seq)
            .u64(self.at_ms)
            .bytes(self.actor.as_bytes())
            .bytes(self.action.as_bytes())
            .bytes(self.detail.as_bytes())
            .raw(self.prev.as_bytes());
        sha256_parts(&[b"phongthi/audit/v1\0", w.as_slice()])
    }
}

/// The `prev` of the first entry.
pub fn audit_genesis() -> Digest {
    sha256_parts(&[b"phongthi/audit-genesis/v1\0"])
}

/// An entry with its stored hash and the proctor's signature of that hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedAuditEntry {
    /// The entry.
    pub entry: AuditEntry,
    /// Its hash as stored.
    pub hash: Digest,
    /// The proctor's signature of `hash`.
    pub signature: Signature,
}

/// Makes the next entry after `last` (or the first when `last` is `None`).
pub fn append_audit(
    proctor: &SigningKey,
    last: Option<&SignedAuditEntry>,
    at_ms: u64,
    actor: &str,
    action: &str,
    detail: &str,
) -> SignedAuditEntry {
    let (seq, prev) = last.map_or((0, audit_genesis()), |l| (l.entry.seq + 1, l.hash));
    let entry =
        AuditEntry { seq, at_ms, actor: actor.to_owned(), action: action.to_owned(), detail: detail.to_owned(), prev };
    let hash = entry.hash();
    let signature = proctor.sign(hash.as_bytes());
    SignedAuditEntry { entry, hash, signature }
}

/// Verifies a whole log (in seq order from 0) and returns its head hash.
pub fn verify_audit(entries: &[SignedAuditEntry], proctor: &PublicKey) -> Result<Digest> {
    let mut prev = audit_genesis();
    for (index, signed) in entries.iter().enumerate() {
        let broken = |fault| Error::BrokenChain { what: "audit", index, fault };
        let expected = index as u64;
        if signed.entry.seq != expected {
            return Err(broken(ChainFault::Gap { expected, found: signed.entry.seq }));
        }
        if signed.entry.prev != prev {
            return Err(broken(ChainFault::Fork { seq: expected }));
        }
        if signed.entry.hash() != signed.hash {
            return Err(broken(ChainFault::HashMismatch));
        }
        if !proctor.verify(signed.hash.as_bytes(), &signed.signature) {
            return Err(broken(ChainFault::BadSignature));
        }
        prev = signed.hash;
    }
    Ok(prev)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(n: usize) -> (SigningKey, Vec<SignedAuditEntry>) {
        let key = SigningKey::generate().unwrap();
        let mut entries: Vec<SignedAuditEntry> = Vec::new();
        for i in 0..n {
            let next =
                append_audit(&key, entries.last(), 1_000 + i as u64, "giám thị", "exam.extend", "{\"minutes\":5}");
            entries.push(next);
        }
        (key, entries)
    }

    fn fault(entries: &[SignedAuditEntry], key: &SigningKey) -> (usize, ChainFault) {
        match verify_audit(entries, &key.public_key()) {
            Err(Error::BrokenChain { index, fault, .. }) => (index, fault),
            other => panic!("expected broken chain, got {other:?}"),
        }
    }

    #[test]
    fn edits_deletions_and_forgeries_are_found() {
        let (key, entries) = log(8);
        assert_eq!(verify_audit(&entries, &key.public_key()).unwrap(), entries[7].hash);

        let mut edited = entries.clone();
        edited[3].entry.detail = "{\"minutes\":50}".into();
        assert_eq!(fault(&edited, &key), (3, ChainFault::HashMismatch));

        let mut deleted = entries.clone();
        deleted.remove(2);
        assert_eq!(fault(&deleted, &key), (2, ChainFault::Gap { expected: 2, found: 3 }));

        // Rewriting a row and recomputing every hash still fails: the signatures do not follow.
        let mut rebuilt = entries.clone();
        rebuilt[5].entry.actor = "kẻ gian".into();
        for i in 5..rebuilt.len() {
            if i > 5 {
                rebuilt[i].entry.prev = rebuilt[i - 1].hash;
            }
            rebuilt[i].hash = rebuilt[i].entry.hash();
        }
        assert_eq!(fault(&rebuilt, &key), (5, ChainFault::BadSignature));

        let mut reordered = entries.clone();
        reordered.swap(1, 2);
        assert_eq!(fault(&reordered, &key).0, 1);
    }
}
