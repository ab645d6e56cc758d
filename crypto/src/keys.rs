//! Ed25519 identities: the proctor's, the teacher's, and each student session's.
//!
//! A [`SigningKey`] wraps ring's key pair together with its PKCS#8 document (kept in zeroizing
//! memory so it can be saved). ring's own key-pair type does not zeroize its copy of the private
//! scalar on drop; we keep exactly one such copy per key for the key's lifetime and say so here
//! rather than pretend otherwise. Secret types implement neither `Debug` nor `Serialize`.

use crate::digest::sha256;
use crate::error::{Error, Result};
use ring::rand::SystemRandom;
use ring::signature::{ED25519, Ed25519KeyPair, KeyPair, UnparsedPublicKey};
use std::fmt;
use zeroize::Zeroizing;

/// An Ed25519 private key with its public key.
pub struct SigningKey {
    pair: Ed25519KeyPair,
    pkcs8: Zeroizing<Vec<u8>>,
}

impl SigningKey {
    /// A fresh key from the operating system's random generator.
    pub fn generate() -> Result<Self> {
        let document = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).map_err(|_| Error::Randomness)?;
        Self::from_pkcs8(document.as_ref())
    }

    /// From a PKCS#8 document (v1 as OpenSSL writes it, or v2 with the public key).
    pub fn from_pkcs8(der: &[u8]) -> Result<Self> {
        let pair = Ed25519KeyPair::from_pkcs8_maybe_unchecked(der).map_err(|e| Error::BadKey(e.to_string()))?;
        Ok(Self { pair, pkcs8: Zeroizing::new(der.to_vec()) })
    }

    /// The PKCS#8 document, for saving. Secret: never log it.
    pub(crate) fn pkcs8_der(&self) -> &[u8] {
        &self.pkcs8
    }

    /// The public half.
    pub fn public_key(&self) -> PublicKey {
        let mut bytes = [0u8; 32];
        bytes.copy_from_slice(self.pair.public_key().as_ref());
        PublicKey(bytes)
    }

    /// A 32-byte key for encrypting this identity's own secrets at rest (an exam's content key in
    /// the proctor database), derived with HKDF from the private key and a purpose label: whoever
    /// can read the database but not the key file learns nothing.
    pub(crate) fn storage_key(&self, label: &[u8]) -> zeroize::Zeroizing<[u8; 32]> {
        crate::secret::hkdf32(&self.pkcs8, b"phongthi/storage-key/v1", &[label])
    }

    /// Signs `message`.
    pub fn sign(&self, message: &[u8]) -> Signature {
        let mut bytes = [0u8; 64];
        bytes.copy_from_slice(self.pair.sign(message).as_ref());
        Signature(bytes)
    }
}

/// An Ed25519 public key. Wrapping bytes checks nothing: an invalid point simply verifies no
/// signature.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PublicKey([u8; 32]);

crate::fixed::fixed_bytes!(PublicKey, 32);

impl PublicKey {
    /// Whether `signature` is this key's signature of `message`.
    pub fn verify(&self, message: &[u8], signature: &Signature) -> bool {
        UnparsedPublicKey::new(&ED25519, &self.0).verify(message, &signature.0).is_ok()
    }

    /// A short fingerprint people can compare by eye: the first 8 bytes of SHA-256 of the key,
    /// in groups (`a1b2-c3d4-e5f6-0718`).
    pub fn fingerprint(&self) -> String {
        let hex = sha256(&self.0).to_hex();
        format!("{}-{}-{}-{}", &hex[0..4], &hex[4..8], &hex[8..12], &hex[12..16])
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.fingerprint())
    }
}

impl fmt::Display for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// An Ed25519 signature.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Signature([u8; 64]);

crate::fixed::fixed_bytes!(Signature, 64);

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signature({}…)", &self.to_hex()[..16])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_verify_and_reject() {
        let key = SigningKey::generate().unwrap();
        let other = SigningKey::generate().unwrap();
        let sig = key.sign(b"bai thi");
        assert!(key.public_key().verify(b"bai thi", &sig));
        assert!(!key.public_key().verify(b"bai thi!", &sig));
        assert!(!other.public_key().verify(b"bai thi", &sig));
    }

    #[test]
    fn pkcs8_round_trip_keeps_identity() {
        let key = SigningKey::generate().unwrap();
        let again = SigningKey::from_pkcs8(key.pkcs8_der()).unwrap();
        assert_eq!(key.public_key(), again.public_key());
        assert!(matches!(SigningKey::from_pkcs8(b"not a key"), Err(Error::BadKey(_))));
    }

    #[test]
    fn hex_and_fingerprint() {
        let key = SigningKey::generate().unwrap().public_key();
        assert_eq!(PublicKey::from_hex(&key.to_hex()), Some(key));
        assert_eq!(PublicKey::from_hex(&key.to_hex().to_uppercase()), None);
        assert_eq!(key.fingerprint().len(), 19);
        assert!(format!("{key:?}").contains(&key.fingerprint()));
    }
}
