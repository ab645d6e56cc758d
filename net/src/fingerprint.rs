//! The proctor certificate's fingerprint: what a lab sheet and `lab.toml` carry so each lab PC
//! can tell the real proctor from anything else on the LAN.
//!
//! One spelling is printed: 64 lower-case hex digits in 16 groups of 4 joined by `:`
//! (`3fa2:09c1:…`). Groups of four are what people read aloud and compare line by line on
//! paper; `:` keeps the whole value one word in TOML, shells and spreadsheets. Parsing is lenient
//! because people copy fingerprints by hand and from other tools (OpenSSL prints `AB:CD:…`):
//! case is ignored, and so are `:`, `-` and white space.

use crate::error::NetError;
use std::fmt;
use std::str::FromStr;

/// SHA-256 of the proctor certificate's DER encoding.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint([u8; 32]);

impl Fingerprint {
    /// Number of hex digits in a fingerprint.
    pub const HEX_DIGITS: usize = 64;

    /// The fingerprint of a DER-encoded certificate.
    pub fn of_der(certificate_der: &[u8]) -> Self {
        Self(*phongthi_crypto::sha256(certificate_der).as_bytes())
    }

    /// Wraps a digest computed elsewhere.
    pub const fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The 32 digest bytes.
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Whether `other` is the same fingerprint, compared in constant time: the pinning check
    /// should not tell an attacker how many leading bytes of a forged certificate's hash matched.
    pub fn matches(&self, other: &Fingerprint) -> bool {
        phongthi_crypto::ct_eq(&self.0, &other.0)
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        for (index, pair) in self.0.chunks(2).enumerate() {
            if index > 0 {
                f.write_str(":")?;
            }
            for byte in pair {
                write!(f, "{}{}", HEX[usize::from(byte >> 4)] as char, HEX[usize::from(byte & 0x0f)] as char)?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({self})")
    }
}

impl FromStr for Fingerprint {
    type Err = NetError;

    fn from_str(text: &str) -> Result<Self, NetError> {
        let mut digits = Vec::with_capacity(Self::HEX_DIGITS);
        for (index, character) in text.chars().enumerate() {
            if character == ':' || character == '-' || character.is_whitespace() {
                continue;
            }
            let value =
                character.to_digit(16).ok_or(NetError::FingerprintCharacter { character, position: index + 1 })?;
            // to_digit(16) is below 16, so the narrowing cannot lose anything.
            digits.push(value as u8);
        }
        if digits.len() != Self::HEX_DIGITS {
            return Err(NetError::FingerprintLength { digits: digits.len() });
        }
        let mut bytes = [0u8; 32];
        for (byte, pair) in bytes.iter_mut().zip(digits.chunks_exact(2)) {
            *byte = (pair[0] << 4) | pair[1];
        }
        Ok(Self(bytes))
    }
}
