//! The answer sheet: a student's final responses, signed by the session key at submit.
//!
//! Layout: `"PTAS" ‖ version u16 ‖ session key[32] ‖ session[16] ‖ exam[16] ‖ form index u32 ‖
//! student id (len u32 ‖ UTF-8) ‖ chain head[32] ‖ event count u64 ‖ started ms u64 ‖
//! submitted ms u64 ‖ responses (len u32 ‖ bytes) ‖ signature[64]`. The proctor checks that the
//! chain head and count match its own event log before it issues a receipt.

use crate::digest::{Digest, sha256};
use crate::error::Result;
use crate::ids::{ExamId, SessionId};
use crate::keys::{PublicKey, SigningKey};
use crate::signed::{finish_signed, open_signed};
use crate::wire::Writer;

const MAGIC: &[u8; 4] = b"PTAS";
const VERSION: u16 = 1;
const WHAT: &str = "answer sheet";

/// A student's final answers and where their event chain ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnswerSheet {
    /// The session.
    pub session: SessionId,
    /// The exam.
    pub exam: ExamId,
    /// Index of the form the student sat within the exam (0-based; the code like `101` is
    /// the exam's business).
    pub form_index: u32,
    /// The student's identifier (mã định danh).
    pub student_id: String,
    /// Hash of the last answer event.
    pub chain_head: Digest,
    /// Number of answer events.
    pub event_count: u64,
    /// Proctor time the student started, ms since the Unix epoch.
    pub started_ms: u64,
    /// Client's submit time (informational), ms since the Unix epoch.
    pub submitted_ms: u64,
    /// Final responses, encoded by the protocol crate.
    pub responses: Vec<u8>,
}

impl AnswerSheet {
    /// Signs the sheet with the session key; the result is what the client sends.
    pub fn sign(&self, session_key: &SigningKey) -> Result<Vec<u8>> {
        crate::check_payload(WHAT, self.responses.len() + self.student_id.len())?;
        let mut w = Writer::new();
        w.raw(MAGIC)
            .u16(VERSION)
            .raw(session_key.public_key().as_bytes())
            .raw(self.session.as_bytes())
            .raw(self.exam.as_bytes())
            .u32(self.form_index)
            .bytes(self.student_id.as_bytes())
            .raw(self.chain_head.as_bytes())
            .u64(self.event_count)
            .u64(self.started_ms)
            .u64(self.submitted_ms)
            .bytes(&self.responses);
        Ok(finish_signed(w, session_key))
    }

    /// Verifies a signed sheet against the session's public key and reads it.
    pub fn verify(bytes: &[u8], session_key: &PublicKey) -> Result<Self> {
        let mut opened = open_signed(WHAT, MAGIC, VERSION, bytes, Some(session_key))?;
        let r = &mut opened.fields;
        let sheet = AnswerSheet {
            session: SessionId::from_bytes(r.array()?),
            exam: ExamId::from_bytes(r.array()?),
            form_index: r.u32()?,
            student_id: r.string("student_id")?,
            chain_head: Digest::from_bytes(r.array()?),
            event_count: r.u64()?,
            started_ms: r.u64()?,
            submitted_ms: r.u64()?,
            responses: r.bytes()?.to_vec(),
        };
        r.finish()?;
        Ok(sheet)
    }
}

/// The hash a receipt names: SHA-256 of the signed sheet's bytes.
pub fn sheet_hash(signed_sheet: &[u8]) -> Digest {
    sha256(signed_sheet)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn sign_verify_and_refuse_other_session_key() {
        let key = SigningKey::generate().unwrap();
        let sheet = AnswerSheet {
            session: SessionId::generate().unwrap(),
            exam: ExamId::generate().unwrap(),
            form_index: 102,
            student_id: "0123456790".into(),
            chain_head: sha256(b"head"),
            event_count: 12,
            started_ms: 1_790_000_000_000,
            submitted_ms: 1_790_002_700_000,
            responses: b"B,A,C".to_vec(),
        };
        let signed = sheet.sign(&key).unwrap();
        assert_eq!(AnswerSheet::verify(&signed, &key.public_key()).unwrap(), sheet);
        let other = SigningKey::generate().unwrap();
        assert!(matches!(AnswerSheet::verify(&signed, &other.public_key()), Err(Error::WrongKey { .. })));
    }
}
