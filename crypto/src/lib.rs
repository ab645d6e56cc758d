//! Cryptography for Phòng Thi: the only crate that touches primitives (ring 0.17).
//!
//! | piece | module | who signs / seals |
//! |---|---|---|
//! | identity keys (Ed25519, PKCS#8 files, passphrase option) | [`keys`], [`keyfile`] | — |
//! | sealed package: one form, proctor → client | [`package`] | proctor key; per-form key |
//! | exam bundle: teacher → proctor (`.exam`) | [`bundle`] | teacher key; passphrase |
//! | answer events, hash-chained | [`chain`] | session key |
//! | answer sheet | [`sheet`] | session key |
//! | receipt and its short code | [`receipt`] | proctor key |
//! | an item's author statement and review decisions | [`review`] | author's and reviewer's keys |
//! | audit chain | [`audit`] | proctor key |
//! | signed manifest of exported files | [`manifest`] | proctor key |
//! | client journal records | [`journal`] | journal secret |
//! | exam content in the proctor's store | [`at_rest`] | key derived from the proctor identity |
//! | backup of a data directory (`proctor backup`) | [`backup`] | passphrase |
//! | client-build check: build value, per-login challenge, answer | [`integrity`] | HMAC keyed by the build value |
//!
//! Every binary format starts with 4 magic bytes and a version, is encoded canonically
//! (`wire.rs`), and is parsed without panicking on any input: the property tests in
//! `tests/hostile.rs` feed random and mutated bytes to every parser and flip every byte of every
//! signed format. Secrets are zeroized on drop and implement neither `Debug` nor `Serialize`.
//! The AEAD nonce scheme is stated in `aead.rs` and `journal.rs`.

mod aead;
pub mod at_rest;
pub mod audit;
pub mod backup;
pub mod bundle;
pub mod chain;
pub mod digest;
mod error;
mod fixed;
pub mod ids;
pub mod integrity;
pub mod journal;
pub mod keyfile;
pub mod keys;
pub mod manifest;
pub mod package;
pub mod receipt;
pub mod review;
pub mod secret;
pub mod sheet;
mod signed;
mod wire;

pub use aead::KdfParams;
pub use at_rest::AtRestKey;
pub use audit::{AuditEntry, SignedAuditEntry, append_audit, verify_audit};
pub use bundle::{OpenedBundle, TrustedTeachers, bundle_signer, open_bundle, seal_bundle};
pub use chain::{Accepted, AnswerEvent, ChainVerifier, ChainWriter, SignedEvent, verify_chain, verify_chain_with_keys};
pub use digest::{Digest, sha256, sha256_parts, sha256_readers};
pub use error::{ChainFault, Error, Result};
pub use ids::{ExamId, SessionId};
pub use integrity::{BuildDigest, IntegrityAnswer, IntegrityChallenge};
pub use keyfile::{load_key, parse_key, save_key};
pub use keys::{PublicKey, Signature, SigningKey};
pub use manifest::{Manifest, ManifestEntry, VerifiedManifest, verify_manifest};
pub use package::{PackageHeader, VerifiedPackage, seal_package, verify_package};
pub use receipt::{Receipt, ShortCode, SignedReceipt};
pub use review::{ReviewKind, ReviewStatement, SignedReview};
pub use secret::{ContentKey, FormKey, JournalSecret, Passphrase, ct_eq};
pub use sheet::{AnswerSheet, sheet_hash};

/// The largest payload any sealed format carries: 64 MiB (a form with its images).
pub const MAX_PAYLOAD: usize = 64 * 1024 * 1024;

pub(crate) fn check_payload(what: &'static str, len: usize) -> Result<()> {
    check_payload_limit(what, len, MAX_PAYLOAD)
}

pub(crate) fn check_payload_limit(what: &'static str, len: usize, limit: usize) -> Result<()> {
    if len > limit {
        return Err(Error::malformed(
            what,
            format!("{len} byte vượt giới hạn {limit} / {len} bytes exceed the {limit}-byte limit"),
        ));
    }
    Ok(())
}
