//! SHA-256 digests as a newtype, so a hash is never confused with a key or a signature.

use std::fmt;

/// A SHA-256 digest.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Digest([u8; 32]);

crate::fixed::fixed_bytes!(Digest, 32);

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digest({})", self.to_hex())
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> Digest {
    sha256_parts(&[data])
}

/// SHA-256 of the concatenation of `parts`, without copying them together.
pub fn sha256_parts(parts: &[&[u8]]) -> Digest {
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    for part in parts {
        context.update(part);
    }
    let mut out = [0u8; 32];
    out.copy_from_slice(context.finish().as_ref());
    Digest(out)
}

/// SHA-256 of the concatenation of `readers`, read in 64 KiB pieces: a large file (the client
/// hashing its own 100 MB executable at start-up) never has to be in memory whole.
pub fn sha256_readers(readers: &mut [&mut dyn std::io::Read]) -> std::io::Result<Digest> {
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    let mut buffer = vec![0u8; 64 * 1024];
    for reader in readers.iter_mut() {
        loop {
            let n = reader.read(&mut buffer)?;
            if n == 0 {
                break;
            }
            context.update(&buffer[..n]);
        }
    }
    let mut out = [0u8; 32];
    out.copy_from_slice(context.finish().as_ref());
    Ok(Digest(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_in_pieces_is_the_same_as_hashing_in_memory() {
        let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let mut first = &big[..];
        let mut second: &[u8] = b"lab.toml";
        let streamed = sha256_readers(&mut [&mut first, &mut second]).unwrap();
        assert_eq!(streamed, sha256_parts(&[&big, b"lab.toml"]));
    }

    #[test]
    fn known_answer() {
        assert_eq!(sha256(b"abc").to_hex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(sha256_parts(&[b"a", b"bc"]), sha256(b"abc"));
    }

    #[test]
    fn hex_is_strict() {
        let d = sha256(b"x");
        assert_eq!(Digest::from_hex(&d.to_hex()), Some(d));
        assert_eq!(Digest::from_hex(&d.to_hex().to_uppercase()), None);
        assert_eq!(Digest::from_hex("ab"), None);
    }
}
