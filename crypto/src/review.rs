//! Review statements: an item's author and the subject group's reviewers (tổ chuyên môn) sign
//! what they say about one version of one item, so a proctor can check, without the teacher's
//! bank, that every item of an exam was approved by someone other than its author.
//!
//! Layout: `"PTRV" ‖ version u16 ‖ signer key[32] ‖ kind u16 ‖ item id i64 ‖ item digest[32] ‖
//! at ms u64 ‖ name (len u32 ‖ UTF-8) ‖ comment (len u32 ‖ UTF-8) ‖ signature[64]`.
//!
//! The digest is of the item's content as the exam carries it (the bank computes it; this
//! module only signs it), so a statement about one version does not vouch for an edited one.
//! The item id is the bank's number of the item, which is also its key in the exam. The name
//! is what the signer called themselves (`--by`): shown to people, never trusted; trust comes
//! from the key alone. Name and comment together are capped at [`MAX_TEXT`] bytes so a
//! statement stays small inside a bundle.

use crate::digest::Digest;
use crate::error::{Error, Result};
use crate::keys::{PublicKey, SigningKey};
use crate::signed::{finish_signed, open_signed};
use crate::wire::Writer;

const MAGIC: &[u8; 4] = b"PTRV";
const VERSION: u16 = 1;
const WHAT: &str = "review statement";

/// The most bytes of name and comment one statement carries.
pub const MAX_TEXT: usize = 4096;

/// What a statement says about the item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReviewKind {
    /// "I wrote this version and submit it for review" (`qbank submit --key`).
    Author,
    /// "I reviewed this version and approve it" (`qbank review --approve --key`).
    Approve,
    /// "I reviewed this version and send it back" (`qbank review --reject --key`).
    Reject,
}

impl ReviewKind {
    fn code(self) -> u16 {
        match self {
            ReviewKind::Author => 1,
            ReviewKind::Approve => 2,
            ReviewKind::Reject => 3,
        }
    }

    fn from_code(code: u16) -> Result<Self> {
        match code {
            1 => Ok(ReviewKind::Author),
            2 => Ok(ReviewKind::Approve),
            3 => Ok(ReviewKind::Reject),
            other => Err(Error::malformed(WHAT, format!("loại {other} không có / unknown kind {other}"))),
        }
    }

    /// The stable ASCII name (`author`, `approve`, `reject`), as the bank stores it.
    pub fn ascii(self) -> &'static str {
        match self {
            ReviewKind::Author => "author",
            ReviewKind::Approve => "approve",
            ReviewKind::Reject => "reject",
        }
    }

    /// Parses [`ReviewKind::ascii`].
    pub fn parse(text: &str) -> Option<Self> {
        [ReviewKind::Author, ReviewKind::Approve, ReviewKind::Reject].into_iter().find(|k| k.ascii() == text)
    }
}

/// What a signer says about one version of one item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewStatement {
    /// Author statement, approval or rejection.
    pub kind: ReviewKind,
    /// The bank's number of the item (also its key in the exam).
    pub item_id: i64,
    /// Digest of the item's content as reviewed.
    pub item_digest: Digest,
    /// When it was signed, ms since the Unix epoch (the signer's clock: informational).
    pub at_ms: u64,
    /// The name the signer gave; may be empty.
    pub name: String,
    /// The reviewer's comment; may be empty.
    pub comment: String,
}

/// A statement with its signature, as stored in the bank and carried in a bundle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedReview {
    statement: ReviewStatement,
    signer: PublicKey,
    bytes: Vec<u8>,
}

impl ReviewStatement {
    /// Signs with the author's or reviewer's key.
    pub fn sign(self, key: &SigningKey) -> Result<SignedReview> {
        crate::check_payload_limit(WHAT, self.name.len() + self.comment.len(), MAX_TEXT)?;
        let mut w = Writer::new();
        w.raw(MAGIC)
            .u16(VERSION)
            .raw(key.public_key().as_bytes())
            .u16(self.kind.code())
            .raw(&self.item_id.to_be_bytes())
            .raw(self.item_digest.as_bytes())
            .u64(self.at_ms)
            .bytes(self.name.as_bytes())
            .bytes(self.comment.as_bytes());
        let bytes = finish_signed(w, key);
        Ok(SignedReview { statement: self, signer: key.public_key(), bytes })
    }
}

impl SignedReview {
    /// Parses and verifies statement bytes against the key embedded in them; whether that key
    /// is trusted is the caller's decision.
    pub fn verify(bytes: &[u8]) -> Result<Self> {
        let mut opened = open_signed(WHAT, MAGIC, VERSION, bytes, None)?;
        let r = &mut opened.fields;
        let kind = ReviewKind::from_code(r.u16()?)?;
        let item_id = i64::from_be_bytes(r.array()?);
        let item_digest = Digest::from_bytes(r.array()?);
        let at_ms = r.u64()?;
        let name = r.string("name")?;
        let comment = r.string("comment")?;
        r.finish()?;
        crate::check_payload_limit(WHAT, name.len() + comment.len(), MAX_TEXT)?;
        let statement = ReviewStatement { kind, item_id, item_digest, at_ms, name, comment };
        Ok(Self { statement, signer: opened.signer, bytes: bytes.to_vec() })
    }

    /// What was said.
    pub fn statement(&self) -> &ReviewStatement {
        &self.statement
    }

    /// Who signed it.
    pub fn signer(&self) -> PublicKey {
        self.signer
    }

    /// The bytes to store or carry.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::sha256;

    fn statement(kind: ReviewKind) -> ReviewStatement {
        ReviewStatement {
            kind,
            item_id: 7,
            item_digest: sha256(b"item 7"),
            at_ms: 1_790_000_000_000,
            name: "Tổ trưởng tổ Toán".into(),
            comment: String::new(),
        }
    }

    #[test]
    fn every_kind_round_trips_with_its_signer() {
        let key = SigningKey::generate().unwrap();
        for kind in [ReviewKind::Author, ReviewKind::Approve, ReviewKind::Reject] {
            let signed = statement(kind).sign(&key).unwrap();
            let again = SignedReview::verify(signed.as_bytes()).unwrap();
            assert_eq!(again, signed);
            assert_eq!(again.statement().kind, kind);
            assert_eq!(again.signer(), key.public_key());
            assert_eq!(ReviewKind::parse(kind.ascii()), Some(kind));
        }
    }

    #[test]
    fn another_kind_code_is_malformed_not_a_panic() {
        assert!(matches!(ReviewKind::from_code(0), Err(Error::Malformed { .. })));
        assert!(matches!(ReviewKind::from_code(4), Err(Error::Malformed { .. })));
        assert_eq!(ReviewKind::parse("approved"), None);
    }

    #[test]
    fn a_long_name_is_refused_when_signing() {
        let key = SigningKey::generate().unwrap();
        let long = ReviewStatement { name: "a".repeat(MAX_TEXT + 1), ..statement(ReviewKind::Approve) };
        assert!(matches!(long.sign(&key), Err(Error::Malformed { .. })));
    }

    #[test]
    fn a_statement_re_signed_by_another_key_names_that_key() {
        let author = SigningKey::generate().unwrap();
        let reviewer = SigningKey::generate().unwrap();
        let by_author = statement(ReviewKind::Approve).sign(&author).unwrap();
        let by_reviewer = statement(ReviewKind::Approve).sign(&reviewer).unwrap();
        assert_ne!(by_author.as_bytes(), by_reviewer.as_bytes());
        assert_eq!(SignedReview::verify(by_reviewer.as_bytes()).unwrap().signer(), reviewer.public_key());
        // Swapping in the other key without its signature is tampering.
        let mut swapped = by_author.as_bytes().to_vec();
        swapped[6..38].copy_from_slice(reviewer.public_key().as_bytes());
        assert!(matches!(SignedReview::verify(&swapped), Err(Error::Tampered { .. })));
    }
}
