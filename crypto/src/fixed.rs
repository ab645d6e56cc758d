//! The shared shape of fixed-size byte newtypes (digests, public keys, signatures, ids): wrap,
//! borrow, and one hex spelling. Each type keeps its own `Debug`, so what a log shows stays a
//! per-type decision.

/// Implements `LEN`, `from_bytes`, `as_bytes`, `to_hex` and `from_hex` for a `struct T([u8; N])`.
/// `from_hex` accepts lower-case hex only (surrounding whitespace is ignored), so each value has
/// one spelling in files and on screen.
macro_rules! fixed_bytes {
    ($type:ident, $len:literal) => {
        impl $type {
            /// Length in bytes.
            pub const LEN: usize = $len;

            /// Wraps the bytes.
            pub const fn from_bytes(bytes: [u8; $len]) -> Self {
                Self(bytes)
            }

            /// The bytes.
            pub const fn as_bytes(&self) -> &[u8; $len] {
                &self.0
            }

            /// Lower-case hex.
            pub fn to_hex(&self) -> String {
                data_encoding::HEXLOWER.encode(&self.0)
            }

            /// Parses exactly `2 × LEN` lower-case hex digits.
            pub fn from_hex(text: &str) -> Option<Self> {
                let bytes = data_encoding::HEXLOWER.decode(text.trim().as_bytes()).ok()?;
                Some(Self(bytes.try_into().ok()?))
            }
        }
    };
}

pub(crate) use fixed_bytes;
