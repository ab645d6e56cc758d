//! Cryptography for Phòng Thi. This is the only crate that touches primitives (ring).

pub mod digest;

pub use digest::{Digest, sha256, sha256_parts};
