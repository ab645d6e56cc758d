//! Sealing data the proctor keeps on disk, under a key derived from its identity: a copied data
//! directory without the identity's passphrase does not release what is sealed (the exam's
//! questions and answer keys).
//!
//! Layout of a sealed value: `version[1] ‖ nonce[12] ‖ ChaCha20-Poly1305(plain)`, with caller-
//! chosen associated data (the exam id) so a sealed value cannot be moved to another row.

use crate::error::{Error, Result};
use crate::keys::SigningKey;
use zeroize::Zeroizing;

/// The layout version byte.
const VERSION: u8 = 1;

/// A key for data at rest, derived from the proctor identity for one purpose (no `Debug`, as
/// every secret here; zeroized on drop).
#[derive(Clone)]
pub struct AtRestKey(Zeroizing<[u8; 32]>);

impl AtRestKey {
    /// The key that seals exam content (questions, answer keys, scoring rules) in the store.
    pub fn exam_content(identity: &SigningKey) -> Self {
        Self(identity.storage_key(b"exam-content"))
    }

    /// Seals `plain`, bound to `aad`.
    pub fn seal(&self, aad: &[u8], plain: &[u8]) -> Result<Vec<u8>> {
        let nonce = crate::aead::random_nonce()?;
        let mut out = Vec::with_capacity(1 + nonce.len() + plain.len() + 16);
        out.push(VERSION);
        out.extend_from_slice(&nonce);
        out.extend(crate::aead::seal(&self.0, nonce, aad, plain)?);
        Ok(out)
    }

    /// Opens a value sealed by [`AtRestKey::seal`] with the same key and `aad`.
    pub fn open(&self, aad: &[u8], sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        let what = "sealed exam content";
        let (&version, rest) = sealed.split_first().ok_or(Error::Truncated { what, at: 0, needed: 1, available: 0 })?;
        if version != VERSION {
            return Err(Error::Tampered { what });
        }
        let (nonce, body) =
            rest.split_at_checked(12).ok_or(Error::Truncated { what, at: 1, needed: 13, available: sealed.len() })?;
        let nonce: [u8; 12] = nonce.try_into().map_err(|_| Error::Tampered { what })?;
        crate::aead::open(&self.0, nonce, aad, body).ok_or(Error::WrongKey { what })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key(identity: &SigningKey) -> AtRestKey {
        AtRestKey::exam_content(identity)
    }

    #[test]
    fn opens_with_the_same_identity_and_aad_only() {
        let (one, two) = (SigningKey::generate().unwrap(), SigningKey::generate().unwrap());
        let sealed = key(&one).seal(b"exam-a", "đáp án: B".as_bytes()).unwrap();
        assert_eq!(key(&one).open(b"exam-a", &sealed).unwrap().as_slice(), "đáp án: B".as_bytes());
        assert!(matches!(key(&two).open(b"exam-a", &sealed), Err(Error::WrongKey { .. })));
        assert!(matches!(key(&one).open(b"exam-b", &sealed), Err(Error::WrongKey { .. })));
        assert!(!sealed.windows(4).any(|w| w == "đáp".as_bytes()), "no clear text in the sealed bytes");
    }

    proptest! {
        #[test]
        fn any_damage_is_an_error_never_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let identity = SigningKey::generate().unwrap();
            prop_assert!(key(&identity).open(b"exam", &bytes).is_err());
        }
    }
}
