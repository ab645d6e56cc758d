//! The canonical binary encoding every format of this crate uses.
//!
//! Signatures and hashes cover bytes, so the encoding must be unique: fixed-width big-endian
//! integers, fixed-size arrays, and `u32`-length-prefixed byte strings, in a fixed order, with no
//! optional fields and no trailing bytes. Reading never allocates more than the input holds (a
//! length prefix larger than what is left is `Truncated`, not an allocation), so hostile lengths
//! cannot exhaust memory.

use crate::error::{Error, Result};

/// Appends fields to a buffer.
#[derive(Default)]
pub(crate) struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn u16(&mut self, value: u16) -> &mut Self {
        self.buf.extend_from_slice(&value.to_be_bytes());
        self
    }

    pub(crate) fn u32(&mut self, value: u32) -> &mut Self {
        self.buf.extend_from_slice(&value.to_be_bytes());
        self
    }

    pub(crate) fn u64(&mut self, value: u64) -> &mut Self {
        self.buf.extend_from_slice(&value.to_be_bytes());
        self
    }

    pub(crate) fn raw(&mut self, bytes: &[u8]) -> &mut Self {
        self.buf.extend_from_slice(bytes);
        self
    }

    /// A `u32` length followed by the bytes. Callers check payload sizes against
    /// [`crate::MAX_PAYLOAD`] first, so the clamp below is never reached; it only keeps this
    /// function total.
    pub(crate) fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
        self.u32(len);
        self.buf.extend_from_slice(&bytes[..len as usize]);
        self
    }

    pub(crate) fn as_slice(&self) -> &[u8] {
        &self.buf
    }

    pub(crate) fn into_vec(self) -> Vec<u8> {
        self.buf
    }
}

/// Reads fields from a byte slice, naming `what` in every error.
pub(crate) struct Reader<'a> {
    what: &'static str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(what: &'static str, bytes: &'a [u8]) -> Self {
        Self { what, bytes, pos: 0 }
    }

    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    pub(crate) fn take(&mut self, needed: usize) -> Result<&'a [u8]> {
        let available = self.bytes.len() - self.pos;
        if needed > available {
            return Err(Error::Truncated { what: self.what, at: self.pos, needed, available });
        }
        let slice = &self.bytes[self.pos..self.pos + needed];
        self.pos += needed;
        Ok(slice)
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    pub(crate) fn u16(&mut self) -> Result<u16> {
        Ok(u16::from_be_bytes(self.array()?))
    }

    pub(crate) fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_be_bytes(self.array()?))
    }

    pub(crate) fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_be_bytes(self.array()?))
    }

    pub(crate) fn bytes(&mut self) -> Result<&'a [u8]> {
        let len = self.u32()? as usize;
        self.take(len)
    }

    /// A length-prefixed UTF-8 string.
    pub(crate) fn string(&mut self, field: &str) -> Result<String> {
        let at = self.pos;
        let bytes = self.bytes()?;
        String::from_utf8(bytes.to_vec()).map_err(|_| {
            Error::malformed(
                self.what,
                format!("trường {field} tại {at} không phải UTF-8 / field {field} is not UTF-8"),
            )
        })
    }

    /// Checks the magic bytes and the version, distinguishing "not this kind of file" from
    /// "a newer version of it".
    pub(crate) fn header(&mut self, magic: &[u8; 4], version: u16) -> Result<()> {
        let found_magic = self.take(4).map_err(|_| Error::BadMagic { what: self.what })?;
        if found_magic != magic {
            return Err(Error::BadMagic { what: self.what });
        }
        let found = self.u16()?;
        if found != version {
            return Err(Error::UnsupportedVersion { what: self.what, found, supported: version });
        }
        Ok(())
    }

    /// Everything not yet read.
    pub(crate) fn rest(&mut self) -> &'a [u8] {
        let rest = &self.bytes[self.pos..];
        self.pos = self.bytes.len();
        rest
    }

    /// Fails if bytes are left: trailing data would make two encodings of one value.
    pub(crate) fn finish(&self) -> Result<()> {
        if self.pos != self.bytes.len() {
            return Err(Error::malformed(
                self.what,
                format!(
                    "{} byte thừa ở cuối / {} trailing bytes",
                    self.bytes.len() - self.pos,
                    self.bytes.len() - self.pos
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_truncation() {
        let mut w = Writer::new();
        w.raw(b"TEST").u16(1).u32(7).u64(9).bytes(b"hello");
        let encoded = w.into_vec();
        let mut r = Reader::new("test", &encoded);
        r.header(b"TEST", 1).unwrap();
        assert_eq!(r.u32().unwrap(), 7);
        assert_eq!(r.u64().unwrap(), 9);
        assert_eq!(r.bytes().unwrap(), b"hello");
        r.finish().unwrap();

        for cut in 0..encoded.len() {
            let mut r = Reader::new("test", &encoded[..cut]);
            let result =
                r.header(b"TEST", 1).and_then(|_| r.u32()).and_then(|_| r.u64()).and_then(|_| r.bytes().map(|_| 0));
            assert!(result.is_err(), "cut at {cut}");
        }
    }

    #[test]
    fn huge_length_prefix_is_truncation_not_allocation() {
        let mut r = Reader::new("test", &[0xff, 0xff, 0xff, 0xff, 1, 2]);
        assert!(matches!(r.bytes(), Err(Error::Truncated { needed: 0xffff_ffff, available: 2, .. })));
    }

    #[test]
    fn other_magic_and_newer_version_are_distinct() {
        let mut r = Reader::new("test", b"NOPE\0\x01");
        assert!(matches!(r.header(b"TEST", 1), Err(Error::BadMagic { .. })));
        let mut r = Reader::new("test", b"TEST\0\x02");
        assert!(matches!(r.header(b"TEST", 1), Err(Error::UnsupportedVersion { found: 2, supported: 1, .. })));
    }
}
