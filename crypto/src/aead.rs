//! Authenticated encryption and passphrase key derivation (crate-internal).
//!
//! **Cipher:** ChaCha20-Poly1305. Many lab PCs are old and lack AES instructions; ChaCha20 is
//! fast and constant-time in software there, where AES-GCM would be slow or leak timing.
//!
//! **Nonce scheme:** every key in this crate seals at most a handful of messages, and each
//! sealing draws a fresh 96-bit nonce from the OS random generator and stores it in the clear
//! header (which is also the associated data). Form keys seal one package each; passphrase keys
//! are derived with a fresh random salt per file, so they seal exactly one message. With at most
//! 2^8 messages per key the chance of a nonce repeating is below 2^-80. The client journal, which
//! seals many records under one secret, uses counter nonces under a per-run subkey instead
//! (see `journal.rs`).
//!
//! **Passphrases:** PBKDF2-HMAC-SHA256 with a random 16-byte salt and an iteration count stored in
//! the file (600,000 by default, OWASP 2023). Files may state 1,000 to 10,000,000 iterations: the
//! upper bound stops a forged file from hanging the opener, the lower one lets tests run fast.

use crate::error::{Error, Result};
use crate::secret::{Passphrase, random_array};
use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, Nonce, UnboundKey};
use std::num::NonZeroU32;
use zeroize::Zeroizing;

/// Length of an AEAD nonce.
pub(crate) const NONCE_LEN: usize = 12;
/// Length of a PBKDF2 salt.
pub(crate) const SALT_LEN: usize = 16;

/// How hard a passphrase is stretched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KdfParams {
    iterations: u32,
}

impl KdfParams {
    /// The default for files people create: 600,000 iterations.
    pub const DEFAULT_ITERATIONS: u32 = 600_000;
    /// Smallest count a file may state.
    pub const MIN_ITERATIONS: u32 = 1_000;
    /// Largest count a file may state.
    pub const MAX_ITERATIONS: u32 = 10_000_000;

    /// Parameters with `iterations`, refused outside the accepted range.
    pub fn with_iterations(iterations: u32) -> Result<Self> {
        if !(Self::MIN_ITERATIONS..=Self::MAX_ITERATIONS).contains(&iterations) {
            return Err(Error::malformed(
                "KDF parameters",
                format!(
                    "số vòng lặp {iterations} ngoài khoảng {}..{} / iteration count {iterations} outside {}..{}",
                    Self::MIN_ITERATIONS,
                    Self::MAX_ITERATIONS,
                    Self::MIN_ITERATIONS,
                    Self::MAX_ITERATIONS
                ),
            ));
        }
        Ok(Self { iterations })
    }

    /// The iteration count.
    pub fn iterations(&self) -> u32 {
        self.iterations
    }
}

impl Default for KdfParams {
    fn default() -> Self {
        Self { iterations: Self::DEFAULT_ITERATIONS }
    }
}

/// Stretches a passphrase into a 32-byte key.
pub(crate) fn derive_from_passphrase(
    passphrase: &Passphrase,
    salt: &[u8; SALT_LEN],
    params: KdfParams,
) -> Zeroizing<[u8; 32]> {
    let mut key = Zeroizing::new([0u8; 32]);
    let iterations = NonZeroU32::new(params.iterations).unwrap_or(NonZeroU32::MIN);
    ring::pbkdf2::derive(ring::pbkdf2::PBKDF2_HMAC_SHA256, iterations, salt, passphrase.as_bytes(), key.as_mut());
    key
}

/// A fresh random nonce.
pub(crate) fn random_nonce() -> Result<[u8; NONCE_LEN]> {
    random_array()
}

/// A fresh random salt.
pub(crate) fn random_salt() -> Result<[u8; SALT_LEN]> {
    random_array()
}

fn less_safe_key(key: &[u8; 32]) -> Result<LessSafeKey> {
    let unbound = UnboundKey::new(&CHACHA20_POLY1305, key).map_err(|_| Error::BadKey("ChaCha20-Poly1305".into()))?;
    Ok(LessSafeKey::new(unbound))
}

/// Encrypts `plaintext` and returns ciphertext ‖ tag.
pub(crate) fn seal(key: &[u8; 32], nonce: [u8; NONCE_LEN], aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>> {
    let mut buffer = plaintext.to_vec();
    less_safe_key(key)?
        .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::from(aad), &mut buffer)
        .map_err(|_| Error::malformed("AEAD", "dữ liệu quá lớn / input too large"))?;
    Ok(buffer)
}

/// Decrypts ciphertext ‖ tag; `None` when the key is wrong or any byte changed.
pub(crate) fn open(key: &[u8; 32], nonce: [u8; NONCE_LEN], aad: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let mut buffer = Zeroizing::new(sealed.to_vec());
    let len = less_safe_key(key)
        .ok()?
        .open_in_place(Nonce::assume_unique_for_key(nonce), Aad::from(aad), &mut buffer)
        .ok()?
        .len();
    buffer.truncate(len);
    Some(buffer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_and_refuse_changes() {
        let key = [3u8; 32];
        let nonce = random_nonce().unwrap();
        let sealed = seal(&key, nonce, b"header", b"de thi").unwrap();
        assert_eq!(sealed.len(), 6 + 16, "Poly1305 appends a 16-byte tag");
        assert_eq!(open(&key, nonce, b"header", &sealed).unwrap().as_slice(), b"de thi");
        assert!(open(&key, nonce, b"header!", &sealed).is_none());
        assert!(open(&[4u8; 32], nonce, b"header", &sealed).is_none());
        let mut flipped = sealed.clone();
        flipped[0] ^= 1;
        assert!(open(&key, nonce, b"header", &flipped).is_none());
    }

    #[test]
    fn kdf_params_bounds() {
        assert!(KdfParams::with_iterations(999).is_err());
        assert!(KdfParams::with_iterations(10_000_001).is_err());
        assert_eq!(KdfParams::with_iterations(1_000).unwrap().iterations(), 1_000);
        let salt = [1u8; SALT_LEN];
        let params = KdfParams::with_iterations(1_000).unwrap();
        let a = derive_from_passphrase(&Passphrase::new("một"), &salt, params);
        let b = derive_from_passphrase(&Passphrase::new("hai"), &salt, params);
        assert_ne!(*a, *b);
    }
}
