//! A passphrase-sealed byte stream, for backups of a proctor data directory (`proctor backup`).
//!
//! A data directory holds the identity key, every sheet and the roster, so its copy on a USB
//! stick must be useless without the passphrase, and a restore must tell a wrong passphrase, a
//! damaged file and a file cut short apart: each gets its own [`Error`] variant.
//!
//! Format (the "STREAM" construction of Hoang, Reyhanitabar, Rogaway and Vizár, as in `age`):
//!
//! ```text
//! header  "PTBK" ‖ version u16 ‖ iterations u32 ‖ salt[16] ‖ check[16]
//! chunk   len u32 ‖ ChaCha20-Poly1305(plain ≤ 64 KiB, nonce = 0[3] ‖ index u64 ‖ last u8,
//!                                      aad = header)
//! ```
//! `master = PBKDF2(passphrase, salt)`; the stream key and the 16-byte check are two HKDF
//! expansions of it. The check lets the reader say "wrong passphrase" before reading anything
//! else, without revealing the key. Chunks are numbered and the last one is marked, so removing,
//! reordering or cutting chunks fails: a stream that ends without its last chunk is
//! [`Error::Truncated`], bytes after it are [`Error::Malformed`], and a changed byte is
//! [`Error::Tampered`].
//!
//! **Nonces.** Every stream draws a fresh salt, so its stream key seals one stream only, and the
//! chunk counter makes each nonce under it unique.

use crate::aead::{self, KdfParams, NONCE_LEN, SALT_LEN};
use crate::error::Error;
use crate::secret::{Passphrase, ct_eq, hkdf32};
use std::io::{self, Read, Write};
use zeroize::Zeroizing;

const MAGIC: &[u8; 4] = b"PTBK";
const VERSION: u16 = 1;
const WHAT: &str = "backup";
const CHECK_LEN: usize = 16;
/// The header's length in bytes.
pub const HEADER_LEN: usize = 4 + 2 + 4 + SALT_LEN + CHECK_LEN;
/// Plain bytes per chunk.
const CHUNK: usize = 64 * 1024;
const TAG_LEN: usize = 16;

struct StreamKeys {
    stream: Zeroizing<[u8; 32]>,
    check: [u8; CHECK_LEN],
}

fn keys(passphrase: &Passphrase, salt: &[u8; SALT_LEN], params: KdfParams) -> StreamKeys {
    let master = aead::derive_from_passphrase(passphrase, salt, params);
    let stream = hkdf32(master.as_ref(), b"phongthi/backup/v1", &[b"stream"]);
    let check_full = hkdf32(master.as_ref(), b"phongthi/backup/v1", &[b"check"]);
    let mut check = [0u8; CHECK_LEN];
    check.copy_from_slice(&check_full[..CHECK_LEN]);
    StreamKeys { stream, check }
}

fn nonce(index: u64, last: bool) -> [u8; NONCE_LEN] {
    let mut n = [0u8; NONCE_LEN];
    n[3..11].copy_from_slice(&index.to_be_bytes());
    n[11] = u8::from(last);
    n
}

fn to_io(error: Error) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, error)
}

/// The crypto error inside an [`io::Error`] a [`BackupReader`] or [`BackupWriter`] returned, if
/// the failure was the stream's (not the disk's).
pub fn stream_error(error: &io::Error) -> Option<&Error> {
    error.get_ref().and_then(|inner| inner.downcast_ref::<Error>())
}

/// Seals everything written to it into `W`; call [`BackupWriter::finish`] at the end, or the
/// stream has no last chunk and will not open.
pub struct BackupWriter<W: Write> {
    out: W,
    key: Zeroizing<[u8; 32]>,
    header: [u8; HEADER_LEN],
    buffer: Zeroizing<Vec<u8>>,
    index: u64,
}

impl<W: Write> BackupWriter<W> {
    /// Starts a stream sealed under `passphrase`, writing the header to `out`.
    pub fn new(mut out: W, passphrase: &Passphrase, params: KdfParams) -> Result<Self, Error> {
        let salt = aead::random_salt()?;
        let keys = keys(passphrase, &salt, params);
        let mut header = [0u8; HEADER_LEN];
        header[..4].copy_from_slice(MAGIC);
        header[4..6].copy_from_slice(&VERSION.to_be_bytes());
        header[6..10].copy_from_slice(&params.iterations().to_be_bytes());
        header[10..10 + SALT_LEN].copy_from_slice(&salt);
        header[10 + SALT_LEN..].copy_from_slice(&keys.check);
        out.write_all(&header).map_err(|e| Error::Io { path: "backup".into(), source: e })?;
        Ok(Self { out, key: keys.stream, header, buffer: Zeroizing::new(Vec::with_capacity(CHUNK)), index: 0 })
    }

    fn seal_chunk(&mut self, last: bool) -> io::Result<()> {
        let sealed = aead::seal(&self.key, nonce(self.index, last), &self.header, &self.buffer).map_err(to_io)?;
        self.buffer.clear();
        self.index = self
            .index
            .checked_add(1)
            .ok_or_else(|| to_io(Error::malformed(WHAT, "quá nhiều khối / too many chunks")))?;
        let len =
            u32::try_from(sealed.len()).map_err(|_| to_io(Error::malformed(WHAT, "khối quá lớn / chunk too large")))?;
        self.out.write_all(&len.to_be_bytes())?;
        self.out.write_all(&sealed)
    }

    /// Seals the last chunk, flushes, and returns the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.seal_chunk(true)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

impl<W: Write> Write for BackupWriter<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        // A full buffer is sealed only when more bytes arrive, so the chunk `finish` seals as
        // the last one is never an earlier chunk in disguise.
        if self.buffer.len() == CHUNK && !bytes.is_empty() {
            self.seal_chunk(false)?;
        }
        let take = bytes.len().min(CHUNK - self.buffer.len());
        self.buffer.extend_from_slice(&bytes[..take]);
        Ok(take)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Opens a stream a [`BackupWriter`] sealed; reads fail with an [`io::Error`] whose
/// [`stream_error`] says why.
pub struct BackupReader<R: Read> {
    input: R,
    key: Zeroizing<[u8; 32]>,
    header: [u8; HEADER_LEN],
    plain: Zeroizing<Vec<u8>>,
    at: usize,
    index: u64,
    done: bool,
    offset: usize,
}

impl<R: Read> BackupReader<R> {
    /// Reads and checks the header: refuses another kind of file, a newer version and a wrong
    /// passphrase before any chunk is read.
    pub fn new(mut input: R, passphrase: &Passphrase) -> Result<Self, Error> {
        let mut header = [0u8; HEADER_LEN];
        let got = read_full(&mut input, &mut header).map_err(|e| Error::Io { path: "backup".into(), source: e })?;
        if got >= 4 && &header[..4] != MAGIC {
            return Err(Error::BadMagic { what: WHAT });
        }
        if got < HEADER_LEN {
            return Err(Error::Truncated { what: WHAT, at: got, needed: HEADER_LEN - got, available: 0 });
        }
        let version = u16::from_be_bytes([header[4], header[5]]);
        if version != VERSION {
            return Err(Error::UnsupportedVersion { what: WHAT, found: version, supported: VERSION });
        }
        let params = KdfParams::with_iterations(u32::from_be_bytes([header[6], header[7], header[8], header[9]]))?;
        let mut salt = [0u8; SALT_LEN];
        salt.copy_from_slice(&header[10..10 + SALT_LEN]);
        let keys = keys(passphrase, &salt, params);
        if !ct_eq(&keys.check, &header[10 + SALT_LEN..]) {
            return Err(Error::WrongPassphrase { what: WHAT });
        }
        Ok(Self {
            input,
            key: keys.stream,
            header,
            plain: Zeroizing::new(Vec::new()),
            at: 0,
            index: 0,
            done: false,
            offset: HEADER_LEN,
        })
    }

    fn next_chunk(&mut self) -> Result<(), Error> {
        let truncated =
            |at: usize, needed: usize, available: usize| Error::Truncated { what: WHAT, at, needed, available };
        let io_error = |e| Error::Io { path: "backup".into(), source: e };
        let mut len = [0u8; 4];
        let got = read_full(&mut self.input, &mut len).map_err(io_error)?;
        if got < 4 {
            // Every stream ends with a chunk marked last; reaching the end before it means
            // the file was cut (a copy interrupted, a USB stick pulled).
            return Err(truncated(self.offset, 4, got));
        }
        let len = u32::from_be_bytes(len) as usize;
        if !(TAG_LEN..=CHUNK + TAG_LEN).contains(&len) {
            return Err(Error::Tampered { what: WHAT });
        }
        let mut sealed = vec![0u8; len];
        let got = read_full(&mut self.input, &mut sealed).map_err(io_error)?;
        if got < len {
            return Err(truncated(self.offset + 4, len, got));
        }
        self.offset += 4 + len;
        let (plain, last) = match aead::open(&self.key, nonce(self.index, false), &self.header, &sealed) {
            Some(plain) => (plain, false),
            None => match aead::open(&self.key, nonce(self.index, true), &self.header, &sealed) {
                Some(plain) => (plain, true),
                None => return Err(Error::Tampered { what: WHAT }),
            },
        };
        self.index += 1;
        if last {
            let mut extra = [0u8; 1];
            if read_full(&mut self.input, &mut extra).map_err(io_error)? != 0 {
                return Err(Error::malformed(
                    WHAT,
                    format!(
                        "dữ liệu thừa sau khối cuối tại vị trí {} / trailing bytes after the last chunk at offset {}",
                        self.offset, self.offset
                    ),
                ));
            }
            self.done = true;
        }
        self.plain = plain;
        self.at = 0;
        Ok(())
    }
}

impl<R: Read> Read for BackupReader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.at == self.plain.len() {
            if self.done || out.is_empty() {
                return Ok(0);
            }
            self.next_chunk().map_err(to_io)?;
        }
        let take = out.len().min(self.plain.len() - self.at);
        out[..take].copy_from_slice(&self.plain[self.at..self.at + take]);
        self.at += take;
        Ok(take)
    }
}

/// Reads until `buf` is full or the input ends; returns how many bytes were read.
fn read_full(input: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match input.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fast() -> KdfParams {
        KdfParams::with_iterations(KdfParams::MIN_ITERATIONS).unwrap()
    }

    fn seal(plain: &[u8], passphrase: &str) -> Vec<u8> {
        let mut writer = BackupWriter::new(Vec::new(), &Passphrase::new(passphrase), fast()).unwrap();
        writer.write_all(plain).unwrap();
        writer.finish().unwrap()
    }

    fn open(sealed: &[u8], passphrase: &str) -> Result<Vec<u8>, Error> {
        let mut reader = BackupReader::new(sealed, &Passphrase::new(passphrase))?;
        let mut plain = Vec::new();
        match reader.read_to_end(&mut plain) {
            Ok(_) => Ok(plain),
            Err(e) => {
                let inner = e.into_inner().expect("a stream error").downcast::<Error>().expect("crypto error");
                Err(*inner)
            }
        }
    }

    fn sample(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 31 % 251) as u8).collect()
    }

    #[test]
    fn round_trips_at_every_chunk_boundary() {
        for len in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK] {
            let plain = sample(len);
            assert_eq!(open(&seal(&plain, "sao lưu"), "sao lưu").unwrap(), plain, "{len} bytes");
        }
    }

    #[test]
    fn a_wrong_passphrase_is_named_before_any_chunk() {
        let sealed = seal(b"proctor.sqlite", "đúng");
        assert!(matches!(open(&sealed, "sai"), Err(Error::WrongPassphrase { .. })));
    }

    #[test]
    fn a_cut_stream_is_truncated_even_on_a_chunk_boundary() {
        let sealed = seal(&sample(3 * CHUNK + 10), "p");
        let one_chunk = HEADER_LEN + 4 + CHUNK + TAG_LEN;
        for cut in [HEADER_LEN, HEADER_LEN + 2, one_chunk, one_chunk + 100, sealed.len() - 1] {
            assert!(matches!(open(&sealed[..cut], "p"), Err(Error::Truncated { .. })), "cut at {cut}");
        }
        assert!(matches!(open(&sealed[..10], "p"), Err(Error::Truncated { .. })));
    }

    #[test]
    fn changed_reordered_and_extended_streams_are_refused() {
        let sealed = seal(&sample(2 * CHUNK + 5), "p");
        let mut flipped = sealed.clone();
        flipped[HEADER_LEN + 40] ^= 1;
        assert!(matches!(open(&flipped, "p"), Err(Error::Tampered { .. })));
        let mut extended = sealed.clone();
        extended.push(0);
        assert!(matches!(open(&extended, "p"), Err(Error::Malformed { .. })));
        let mut other = b"PK\x03\x04".to_vec();
        other.extend_from_slice(&sealed[4..]);
        assert!(matches!(open(&other, "p"), Err(Error::BadMagic { .. })));
        // The first chunk moved after the second.
        let first = HEADER_LEN..HEADER_LEN + 4 + CHUNK + TAG_LEN;
        let second = first.end..first.end + 4 + CHUNK + TAG_LEN;
        let mut swapped = sealed[..HEADER_LEN].to_vec();
        swapped.extend_from_slice(&sealed[second.clone()]);
        swapped.extend_from_slice(&sealed[first]);
        swapped.extend_from_slice(&sealed[second.end..]);
        assert!(matches!(open(&swapped, "p"), Err(Error::Tampered { .. })));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn any_damage_is_an_error_never_a_panic(
            len in 0usize..(2 * CHUNK),
            at in any::<prop::sample::Index>(),
            byte in any::<u8>(),
            cut in any::<prop::sample::Index>(),
        ) {
            let sealed = seal(&sample(len), "p");
            let mut damaged = sealed.clone();
            let i = at.index(damaged.len());
            let changed = damaged[i] != byte;
            damaged[i] = byte;
            let result = open(&damaged, "p");
            prop_assert_eq!(result.is_ok(), !changed);
            let cut = cut.index(sealed.len());
            prop_assert!(open(&sealed[..cut], "p").is_err());
        }
    }
}
