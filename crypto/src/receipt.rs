//! The receipt: the proctor's signed statement that it holds a student's sheet, and its short
//! code that a student can copy onto paper.
//!
//! Layout: `"PTRC" ‖ version u16 ‖ proctor key[32] ‖ exam[16] ‖ session[16] ‖ student id ‖
//! sheet hash[32] ‖ received ms u64 ‖ signature[64]`.
//!
//! **Short code:** 10 characters from Crockford's base32 alphabet (no I, L, O, U), shown as
//! `XXXXX-XXXXX`: 9 characters (45 bits) of SHA-256 over the signed receipt, then a check
//! character, the weighted sum `Σ (i+1)·vᵢ mod 31`, so a single mistyped character or two swapped
//! neighbours are caught at once instead of looking like "no such receipt". Lookups by code match
//! against the proctor's stored receipts; 45 bits keep collisions negligible for a school's
//! lifetime of exams.

use crate::digest::{Digest, sha256_parts};
use crate::error::{Error, Result};
use crate::ids::{ExamId, SessionId};
use crate::keys::{PublicKey, SigningKey};
use crate::signed::{finish_signed, open_signed};
use crate::wire::Writer;
use std::fmt;

const MAGIC: &[u8; 4] = b"PTRC";
const VERSION: u16 = 1;
const WHAT: &str = "receipt";
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// What the proctor attests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    /// The exam.
    pub exam: ExamId,
    /// The session.
    pub session: SessionId,
    /// The student (mã định danh).
    pub student_id: String,
    /// Hash of the signed answer sheet received.
    pub sheet_hash: Digest,
    /// Proctor time of receipt, ms since the Unix epoch.
    pub received_ms: u64,
}

/// A receipt with the proctor's signature, as stored and as given to the student.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedReceipt {
    receipt: Receipt,
    signer: PublicKey,
    bytes: Vec<u8>,
}

impl Receipt {
    /// Signs with the proctor identity.
    pub fn sign(self, proctor: &SigningKey) -> Result<SignedReceipt> {
        crate::check_payload(WHAT, self.student_id.len())?;
        let mut w = Writer::new();
        w.raw(MAGIC)
            .u16(VERSION)
            .raw(proctor.public_key().as_bytes())
            .raw(self.exam.as_bytes())
            .raw(self.session.as_bytes())
            .bytes(self.student_id.as_bytes())
            .raw(self.sheet_hash.as_bytes())
            .u64(self.received_ms);
        let bytes = finish_signed(w, proctor);
        Ok(SignedReceipt { receipt: self, signer: proctor.public_key(), bytes })
    }
}

impl SignedReceipt {
    /// Parses and verifies receipt bytes; with `proctor = Some(key)` only that proctor's
    /// receipts are accepted.
    pub fn verify(bytes: &[u8], proctor: Option<&PublicKey>) -> Result<Self> {
        let mut opened = open_signed(WHAT, MAGIC, VERSION, bytes, proctor)?;
        let r = &mut opened.fields;
        let receipt = Receipt {
            exam: ExamId::from_bytes(r.array()?),
            session: SessionId::from_bytes(r.array()?),
            student_id: r.string("student_id")?,
            sheet_hash: Digest::from_bytes(r.array()?),
            received_ms: r.u64()?,
        };
        r.finish()?;
        Ok(Self { receipt, signer: opened.signer, bytes: bytes.to_vec() })
    }

    /// The attested content.
    pub fn receipt(&self) -> &Receipt {
        &self.receipt
    }

    /// The proctor key that signed it.
    pub fn signer(&self) -> PublicKey {
        self.signer
    }

    /// The bytes to store or hand out.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The short code for this receipt.
    pub fn short_code(&self) -> ShortCode {
        ShortCode::of_receipt(&self.bytes)
    }
}

/// A receipt's 10-character code.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ShortCode([u8; 10]);

impl ShortCode {
    fn of_receipt(bytes: &[u8]) -> Self {
        let digest = sha256_parts(&[b"phongthi/receipt-code/v1\0", bytes]);
        let mut bits = u64::from_be_bytes(digest.as_bytes()[..8].try_into().unwrap_or([0; 8]));
        let mut values = [0u8; 9];
        for v in values.iter_mut() {
            *v = (bits >> 59) as u8;
            bits <<= 5;
        }
        Self::from_values(values)
    }

    fn from_values(values: [u8; 9]) -> Self {
        let mut code = [0u8; 10];
        for (c, v) in code.iter_mut().zip(values) {
            *c = ALPHABET[usize::from(v)];
        }
        code[9] = ALPHABET[usize::from(check_value(&values))];
        Self(code)
    }

    /// Parses what a person typed: case-insensitive, dashes and spaces ignored, and the
    /// look-alikes O→0, I/L→1 accepted. A wrong check character is reported as a typo.
    pub fn parse(text: &str) -> Result<Self> {
        let mut values = Vec::with_capacity(10);
        for ch in text.chars().filter(|c| !matches!(c, '-' | ' ' | '\t')) {
            let ch = match ch.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            };
            let value = ALPHABET.iter().position(|a| char::from(*a) == ch).ok_or_else(|| {
                Error::malformed("receipt code", format!("ký tự không hợp lệ {ch:?} / invalid character {ch:?}"))
            })?;
            values.push(value as u8);
        }
        if values.len() != 10 {
            return Err(Error::malformed(
                "receipt code",
                format!("cần 10 ký tự, có {} / 10 characters needed, got {}", values.len(), values.len()),
            ));
        }
        let data: [u8; 9] = values[..9].try_into().unwrap_or([0; 9]);
        if check_value(&data) != values[9] {
            return Err(Error::malformed(
                "receipt code",
                "sai ký tự kiểm tra — có lỗi gõ? / check character wrong — a typo?",
            ));
        }
        Ok(Self::from_values(data))
    }

    /// Whether this is the code of `receipt`.
    pub fn matches(&self, receipt: &SignedReceipt) -> bool {
        receipt.short_code() == *self
    }

    /// The 10 characters without the dash.
    pub fn compact(&self) -> String {
        String::from_utf8_lossy(&self.0).into_owned()
    }
}

fn check_value(values: &[u8; 9]) -> u8 {
    let sum: u32 = values.iter().enumerate().map(|(i, v)| (i as u32 + 1) * u32::from(*v)).sum();
    (sum % 31) as u8
}

impl fmt::Display for ShortCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.compact();
        write!(f, "{}-{}", &text[..5], &text[5..])
    }
}

impl fmt::Debug for ShortCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ShortCode({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::sha256;

    fn sample() -> (SigningKey, SignedReceipt) {
        let proctor = SigningKey::generate().unwrap();
        let receipt = Receipt {
            exam: ExamId::generate().unwrap(),
            session: SessionId::generate().unwrap(),
            student_id: "0123456789".into(),
            sheet_hash: sha256(b"sheet"),
            received_ms: 1_790_002_700_000,
        }
        .sign(&proctor)
        .unwrap();
        (proctor, receipt)
    }

    #[test]
    fn verify_from_file_bytes() {
        let (proctor, receipt) = sample();
        let again = SignedReceipt::verify(receipt.as_bytes(), Some(&proctor.public_key())).unwrap();
        assert_eq!(again, receipt);
        assert_eq!(again.signer(), proctor.public_key());
        let other = SigningKey::generate().unwrap();
        assert!(matches!(
            SignedReceipt::verify(receipt.as_bytes(), Some(&other.public_key())),
            Err(Error::WrongKey { .. })
        ));
    }

    #[test]
    fn short_code_parses_forgivingly_and_catches_typos() {
        let (_, receipt) = sample();
        let code = receipt.short_code();
        let shown = code.to_string();
        assert_eq!(shown.len(), 11);
        assert_eq!(ShortCode::parse(&shown).unwrap(), code);
        assert_eq!(ShortCode::parse(&shown.to_lowercase().replace('-', " ")).unwrap(), code);
        assert!(code.matches(&receipt));

        // Every single-character substitution is caught by the check character.
        let compact: Vec<char> = code.compact().chars().collect();
        for i in 0..10 {
            for replacement in ALPHABET.iter().map(|b| char::from(*b)) {
                if replacement == compact[i] {
                    continue;
                }
                let mut typo = compact.clone();
                typo[i] = replacement;
                let typed: String = typo.into_iter().collect();
                // Values 0 and 31 are congruent mod 31: the one blind spot of a prime modulus.
                let blind = i < 9 && matches!((compact[i], replacement), ('0', 'Z') | ('Z', '0'));
                assert_eq!(ShortCode::parse(&typed).is_err(), !blind, "{typed}");
            }
        }
        assert!(ShortCode::parse("ABCDE-FGHJ").is_err());
        assert!(ShortCode::parse("ABCDE-FGHJU").is_err());
    }
}
