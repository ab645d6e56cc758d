//! Symmetric secrets and passphrases: zeroized on drop, no `Debug`, no `Serialize`.
//!
//! Key hierarchy (see `ARCHITECTURE.md`): an exam's [`ContentKey`] K stays on the proctor;
//! each form's [`FormKey`] = HKDF-SHA256(K, exam id ‖ form index) is what Start releases to the
//! students of that form, so a student who extracts their key learns nothing about other forms.
//! A [`JournalSecret`] is the per-session key for the client's local journal.

use crate::error::{Error, Result};
use crate::ids::ExamId;
use ring::hkdf;
use ring::rand::{SecureRandom, SystemRandom};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// 32 random bytes from the operating system.
pub(crate) fn random_array<const N: usize>() -> Result<[u8; N]> {
    let mut out = [0u8; N];
    SystemRandom::new().fill(&mut out).map_err(|_| Error::Randomness)?;
    Ok(out)
}

macro_rules! secret_key {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Zeroize, ZeroizeOnDrop)]
        pub struct $name([u8; 32]);

        impl $name {
            /// A fresh random key.
            pub fn generate() -> Result<Self> {
                Ok(Self(random_array()?))
            }

            /// Wraps key bytes received or loaded from storage.
            pub fn from_bytes(bytes: [u8; 32]) -> Self {
                Self(bytes)
            }

            /// The key bytes, for storing encrypted or sending over an authenticated channel.
            /// Secret: never log them.
            pub fn expose_secret(&self) -> &[u8; 32] {
                &self.0
            }
        }
    };
}

secret_key!(
    /// An exam's content key K (never leaves the proctor).
    ContentKey
);
secret_key!(
    /// The key of one form's sealed package, released to its students at Start.
    FormKey
);
secret_key!(
    /// A student session's journal secret, shared by the proctor and that session's client.
    JournalSecret
);

/// Output-length marker for ring's HKDF: 32 bytes.
struct Len32;

impl hkdf::KeyType for Len32 {
    fn len(&self) -> usize {
        32
    }
}

/// HKDF-SHA256 of `ikm` with a fixed domain-separating salt and `info`, to 32 bytes.
pub(crate) fn hkdf32(ikm: &[u8], salt: &[u8], info: &[&[u8]]) -> Zeroizing<[u8; 32]> {
    let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, salt).extract(ikm);
    let mut out = Zeroizing::new([0u8; 32]);
    // `expand` only fails when the requested length exceeds 255 × 32 bytes; 32 cannot.
    if let Ok(okm) = prk.expand(info, Len32) {
        let _ = okm.fill(out.as_mut());
    }
    out
}

impl ContentKey {
    /// The key of form `form_index` of exam `exam`.
    pub fn form_key(&self, exam: &ExamId, form_index: u32) -> FormKey {
        let derived = hkdf32(&self.0, b"phongthi/form-key/v1", &[exam.as_bytes(), &form_index.to_be_bytes()]);
        FormKey(*derived)
    }
}

impl ContentKey {
    /// Seals this key for storage under `identity` (layout: nonce[12] ‖ ChaCha20-Poly1305 with
    /// the exam id as associated data, so a sealed key cannot be moved to another exam's row).
    pub fn wrap(&self, identity: &crate::keys::SigningKey, exam: &ExamId) -> Result<Vec<u8>> {
        let key = identity.storage_key(b"content-key");
        let nonce = crate::aead::random_nonce()?;
        let mut out = nonce.to_vec();
        out.extend(crate::aead::seal(&key, nonce, exam.as_bytes(), &self.0)?);
        Ok(out)
    }

    /// Opens a key sealed by [`ContentKey::wrap`] with the same identity and exam.
    pub fn unwrap(sealed: &[u8], identity: &crate::keys::SigningKey, exam: &ExamId) -> Result<Self> {
        let (nonce, body) = sealed.split_at_checked(12).ok_or(Error::Truncated {
            what: "sealed content key",
            at: 0,
            needed: 12,
            available: sealed.len(),
        })?;
        let key = identity.storage_key(b"content-key");
        let nonce: [u8; 12] = nonce.try_into().map_err(|_| Error::Tampered { what: "sealed content key" })?;
        let plain = crate::aead::open(&key, nonce, exam.as_bytes(), body)
            .ok_or(Error::WrongKey { what: "sealed content key" })?;
        let bytes: [u8; 32] =
            plain.as_slice().try_into().map_err(|_| Error::Tampered { what: "sealed content key" })?;
        Ok(Self(bytes))
    }
}

/// A passphrase typed by a person or read from a file.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct Passphrase(String);

impl Passphrase {
    /// Wraps a passphrase.
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// Reads a passphrase file: its first line, without the line ending. An empty passphrase
    /// is refused because it protects nothing.
    pub fn from_file(path: &std::path::Path) -> Result<Self> {
        let content = Zeroizing::new(std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?);
        let line = content.lines().next().unwrap_or("");
        if line.is_empty() {
            return Err(Error::malformed("passphrase file", format!("{} trống / is empty", path.display())));
        }
        Ok(Self(line.to_owned()))
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

/// Compares two byte strings in time that does not depend on where they differ.
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_keys_differ_by_form_and_exam() {
        let k = ContentKey::from_bytes([7; 32]);
        let exam = ExamId::from_bytes([1; 16]);
        let other_exam = ExamId::from_bytes([2; 16]);
        assert_ne!(k.form_key(&exam, 101).expose_secret(), k.form_key(&exam, 102).expose_secret());
        assert_ne!(k.form_key(&exam, 101).expose_secret(), k.form_key(&other_exam, 101).expose_secret());
        assert_eq!(k.form_key(&exam, 101).expose_secret(), k.form_key(&exam, 101).expose_secret());
    }

    #[test]
    fn content_keys_wrap_for_their_identity_and_exam_only() {
        let identity = crate::keys::SigningKey::generate().unwrap();
        let exam = ExamId::from_bytes([1; 16]);
        let k = ContentKey::generate().unwrap();
        let sealed = k.wrap(&identity, &exam).unwrap();
        assert_eq!(ContentKey::unwrap(&sealed, &identity, &exam).unwrap().expose_secret(), k.expose_secret());
        let other = crate::keys::SigningKey::generate().unwrap();
        assert!(ContentKey::unwrap(&sealed, &other, &exam).is_err());
        assert!(ContentKey::unwrap(&sealed, &identity, &ExamId::from_bytes([2; 16])).is_err());
        assert!(ContentKey::unwrap(&sealed[..5], &identity, &exam).is_err());
    }

    #[test]
    fn passphrase_file_first_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pass.txt");
        std::fs::write(&path, "mật khẩu tổ Toán\n").unwrap();
        assert_eq!(Passphrase::from_file(&path).unwrap().as_bytes(), "mật khẩu tổ Toán".as_bytes());
        std::fs::write(&path, "\n").unwrap();
        assert!(matches!(Passphrase::from_file(&path), Err(Error::Malformed { .. })));
        assert!(matches!(Passphrase::from_file(&dir.path().join("missing")), Err(Error::Io { .. })));
    }

    #[test]
    fn constant_time_equality() {
        assert!(ct_eq(b"abc", b"abc"));
        assert!(!ct_eq(b"abc", b"abd"));
        assert!(!ct_eq(b"abc", b"ab"));
    }
}
