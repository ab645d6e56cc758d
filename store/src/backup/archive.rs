//! The files of a backup, framed inside the sealed stream.
//!
//! ```text
//! "PTBA" ‖ version u16
//! file*   1u8 ‖ name len u16 ‖ name (UTF-8, '/'-separated, relative) ‖ size u64 ‖ bytes
//! end     0u8 ‖ file count u32
//! ```
//! The sealed stream already authenticates every byte and its end; the end record makes the
//! archive's own end explicit, so a stream that was sealed complete but whose framing stops
//! early (a bug, another program) is refused rather than restored half. Names are checked on
//! reading: a backup is a file someone hands the proctor, and `../../etc/passwd` must not be a
//! place it writes to.

use super::BackupError;
use std::io::{Read, Write};

const MAGIC: &[u8; 4] = b"PTBA";
const VERSION: u16 = 1;
const FILE: u8 = 1;
const END: u8 = 0;
/// The longest name a backup may carry, in bytes.
const MAX_NAME: usize = 1024;

/// Writes the framing; the caller seals what it writes.
pub(crate) struct ArchiveWriter<W: Write> {
    out: W,
    count: u32,
}

impl<W: Write> ArchiveWriter<W> {
    pub(crate) fn start(mut out: W) -> std::io::Result<Self> {
        out.write_all(MAGIC)?;
        out.write_all(&VERSION.to_be_bytes())?;
        Ok(Self { out, count: 0 })
    }

    /// Adds a file of `size` bytes read from `body`; fails if `body` holds another length (a file
    /// that changed while it was copied).
    pub(crate) fn add(&mut self, name: &str, size: u64, body: &mut impl Read) -> Result<(), BackupError> {
        check_name(name)?;
        let io = |source| BackupError::Io { path: name.to_owned(), source };
        self.out.write_all(&[FILE]).map_err(io)?;
        self.out.write_all(&(name.len() as u16).to_be_bytes()).map_err(io)?;
        self.out.write_all(name.as_bytes()).map_err(io)?;
        self.out.write_all(&size.to_be_bytes()).map_err(io)?;
        let copied = std::io::copy(&mut body.take(size), &mut self.out).map_err(io)?;
        let mut more = [0u8; 1];
        if copied != size || body.read(&mut more).map_err(io)? != 0 {
            return Err(BackupError::Changed { name: name.to_owned() });
        }
        self.count += 1;
        Ok(())
    }

    pub(crate) fn finish(mut self) -> std::io::Result<W> {
        self.out.write_all(&[END])?;
        self.out.write_all(&self.count.to_be_bytes())?;
        Ok(self.out)
    }
}

/// One file's header, read from the archive.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) name: String,
    pub(crate) size: u64,
}

/// Reads the framing from the opened stream.
pub(crate) struct ArchiveReader<R: Read> {
    input: R,
    count: u32,
}

impl<R: Read> ArchiveReader<R> {
    pub(crate) fn start(mut input: R) -> Result<Self, BackupError> {
        let mut head = [0u8; 6];
        read_exact(&mut input, &mut head)?;
        if &head[..4] != MAGIC {
            return Err(BackupError::archive("thiếu mã nhận dạng PTBA / no PTBA magic"));
        }
        let version = u16::from_be_bytes([head[4], head[5]]);
        if version != VERSION {
            return Err(BackupError::archive(format!(
                "phiên bản {version} không được hỗ trợ (hỗ trợ {VERSION}) / unsupported version {version} (supported {VERSION})"
            )));
        }
        Ok(Self { input, count: 0 })
    }

    /// The next file's header, or `None` after the end record (whose count is checked). The
    /// caller must then read exactly `size` bytes with [`ArchiveReader::body`].
    pub(crate) fn next(&mut self) -> Result<Option<Entry>, BackupError> {
        let mut kind = [0u8; 1];
        read_exact(&mut self.input, &mut kind)?;
        match kind[0] {
            END => {
                let mut count = [0u8; 4];
                read_exact(&mut self.input, &mut count)?;
                let count = u32::from_be_bytes(count);
                if count != self.count {
                    return Err(BackupError::archive(format!(
                        "ghi {count} tệp nhưng có {} / says {count} files but holds {}",
                        self.count, self.count
                    )));
                }
                let mut more = [0u8; 1];
                if read_fully(&mut self.input, &mut more)? != 0 {
                    return Err(BackupError::archive("dữ liệu thừa sau bản ghi cuối / bytes after the end record"));
                }
                Ok(None)
            }
            FILE => {
                let mut len = [0u8; 2];
                read_exact(&mut self.input, &mut len)?;
                let len = u16::from_be_bytes(len) as usize;
                if len > MAX_NAME {
                    return Err(BackupError::archive(format!("tên tệp dài {len} byte / a {len}-byte file name")));
                }
                let mut name = vec![0u8; len];
                read_exact(&mut self.input, &mut name)?;
                let name = String::from_utf8(name)
                    .map_err(|_| BackupError::archive("tên tệp không phải UTF-8 / a file name is not UTF-8"))?;
                check_name(&name)?;
                let mut size = [0u8; 8];
                read_exact(&mut self.input, &mut size)?;
                self.count += 1;
                Ok(Some(Entry { name, size: u64::from_be_bytes(size) }))
            }
            other => Err(BackupError::archive(format!("loại bản ghi {other} lạ / unknown record kind {other}"))),
        }
    }

    /// Copies the body of the entry just read (`size` bytes) into `out`.
    pub(crate) fn body(&mut self, entry: &Entry, out: &mut impl Write) -> Result<(), BackupError> {
        let copied = std::io::copy(&mut (&mut self.input).take(entry.size), out)
            .map_err(|e| BackupError::from_stream(e, &entry.name))?;
        if copied != entry.size {
            return Err(BackupError::archive(format!(
                "{}: cần {} byte, chỉ có {copied} / {} bytes announced, {copied} present",
                entry.name, entry.size, entry.size
            )));
        }
        Ok(())
    }
}

/// A name a backup may carry: relative, '/'-separated, no empty, `.` or `..` component, no
/// backslash or NUL (which Windows or C would read differently).
pub(crate) fn check_name(name: &str) -> Result<(), BackupError> {
    let bad = name.is_empty()
        || name.len() > MAX_NAME
        || name.contains(['\\', '\0', ':'])
        || name.split('/').any(|part| part.is_empty() || part == "." || part == "..");
    if bad {
        return Err(BackupError::UnsafeName { name: name.to_owned() });
    }
    Ok(())
}

fn read_fully(input: &mut impl Read, buf: &mut [u8]) -> Result<usize, BackupError> {
    let mut filled = 0;
    while filled < buf.len() {
        match input.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(BackupError::from_stream(e, "backup")),
        }
    }
    Ok(filled)
}

fn read_exact(input: &mut impl Read, buf: &mut [u8]) -> Result<(), BackupError> {
    if read_fully(input, buf)? < buf.len() {
        return Err(BackupError::archive("kết thúc trước bản ghi cuối / ends before its end record"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn archive(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = ArchiveWriter::start(Vec::new()).unwrap();
        for (name, body) in files {
            writer.add(name, body.len() as u64, &mut &body[..]).unwrap();
        }
        writer.finish().unwrap()
    }

    fn read(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, BackupError> {
        let mut reader = ArchiveReader::start(bytes)?;
        let mut files = Vec::new();
        while let Some(entry) = reader.next()? {
            let mut body = Vec::new();
            reader.body(&entry, &mut body)?;
            files.push((entry.name, body));
        }
        Ok(files)
    }

    #[test]
    fn files_round_trip_and_unsafe_names_are_refused() {
        let bytes = archive(&[("proctor.key", b"k"), ("ket-qua/diem.csv", b""), ("proctor.sqlite", b"db")]);
        let files = read(&bytes).unwrap();
        let names: Vec<_> = files.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["proctor.key", "ket-qua/diem.csv", "proctor.sqlite"]);
        assert_eq!(files[2].1, b"db");
        for name in ["", "../x", "/etc/passwd", "a//b", "a/./b", "C:\\x", "a\\..\\b"] {
            assert!(matches!(check_name(name), Err(BackupError::UnsafeName { .. })), "{name:?}");
        }
    }

    #[test]
    fn a_body_of_another_length_than_announced_is_refused() {
        let mut writer = ArchiveWriter::start(Vec::new()).unwrap();
        assert!(matches!(writer.add("a", 3, &mut &b"ab"[..]), Err(BackupError::Changed { .. })));
        let mut writer = ArchiveWriter::start(Vec::new()).unwrap();
        assert!(matches!(writer.add("a", 1, &mut &b"ab"[..]), Err(BackupError::Changed { .. })));
    }

    #[test]
    fn a_cut_archive_and_a_wrong_count_are_refused() {
        let bytes = archive(&[("a", b"hello")]);
        for cut in 0..bytes.len() {
            assert!(read(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut wrong = bytes.clone();
        let last = wrong.len() - 1;
        wrong[last] = 2;
        assert!(read(&wrong).is_err());
    }

    proptest! {
        #[test]
        fn any_bytes_read_as_an_error_or_files_never_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let mut framed = b"PTBA\0\x01".to_vec();
            framed.extend_from_slice(&bytes);
            let _ = read(&framed);
            let _ = read(&bytes);
        }
    }
}
