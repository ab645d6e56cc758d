//! The one error type of this crate.
//!
//! Variants are deliberately distinct so callers can tell a person what happened: a wrong
//! passphrase is not tampering, a file signed by another key is not corruption, and a file from a
//! newer version is not garbage. Messages are Vietnamese first, then English.

use std::path::PathBuf;

/// Why a link of a hash chain (answer events or the audit log) was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChainFault {
    /// The signature does not verify under the expected key.
    BadSignature,
    /// The event belongs to another session.
    WrongSession,
    /// A sequence number was skipped (or the chain does not start at 0).
    Gap {
        /// The sequence number expected next.
        expected: u64,
        /// The one received.
        found: u64,
    },
    /// Two different links claim the same place: a conflicting duplicate or a wrong previous hash.
    Fork {
        /// The sequence number at which the chains diverge.
        seq: u64,
    },
    /// A repeated link where none may repeat (a stored log must hold each link once).
    Duplicate {
        /// The repeated sequence number.
        seq: u64,
    },
    /// The stored hash of an audit row does not match its content (an edited row).
    HashMismatch,
}

impl std::fmt::Display for ChainFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainFault::BadSignature => f.write_str("chữ ký sai / bad signature"),
            ChainFault::WrongSession => f.write_str("thuộc phiên thi khác / belongs to another session"),
            ChainFault::Gap { expected, found } => {
                write!(f, "thiếu bản ghi: cần số {expected}, nhận {found} / gap: expected {expected}, found {found}")
            }
            ChainFault::Fork { seq } => write!(f, "rẽ nhánh tại số {seq} / fork at {seq}"),
            ChainFault::Duplicate { seq } => write!(f, "lặp lại số {seq} / duplicate {seq}"),
            ChainFault::HashMismatch => f.write_str("nội dung đã bị sửa / content was edited"),
        }
    }
}

/// Everything that can go wrong in this crate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The passphrase does not open the file (the file itself is intact).
    #[error("sai mật khẩu cho {what} / wrong passphrase for {what}")]
    WrongPassphrase {
        /// What was being opened.
        what: &'static str,
    },
    /// The file is encrypted and no passphrase was given.
    #[error(
        "{what} được bảo vệ bằng mật khẩu; hãy cung cấp mật khẩu / {what} is passphrase-protected; give the passphrase"
    )]
    PassphraseRequired {
        /// What was being opened.
        what: &'static str,
    },
    /// Bytes were changed after signing or sealing (or damaged on the way).
    #[error("{what} đã bị sửa đổi hoặc hỏng / {what} was tampered with or corrupted")]
    Tampered {
        /// What was checked.
        what: &'static str,
    },
    /// The data is intact but belongs to another key (another proctor, another form's key).
    #[error("{what} không khớp khóa mong đợi / {what} does not match the expected key")]
    WrongKey {
        /// What was checked.
        what: &'static str,
    },
    /// Signed correctly, by a key that is not trusted here.
    #[error("{what} được ký bởi khóa không tin cậy {fingerprint} / {what} is signed by an untrusted key {fingerprint}")]
    UntrustedSigner {
        /// What was checked.
        what: &'static str,
        /// Short fingerprint of the signer's public key.
        fingerprint: String,
    },
    /// The data is not of the expected kind at all.
    #[error("{what}: không đúng định dạng (sai mã nhận dạng) / not a {what} (bad magic bytes)")]
    BadMagic {
        /// What was expected.
        what: &'static str,
    },
    /// Written by a version of the format this build does not read.
    #[error(
        "{what}: phiên bản định dạng {found} không được hỗ trợ (hỗ trợ {supported}) / unsupported format version {found} (supported: {supported})"
    )]
    UnsupportedVersion {
        /// What was read.
        what: &'static str,
        /// Version found.
        found: u16,
        /// Version this build reads.
        supported: u16,
    },
    /// The input ends before a field it announces.
    #[error(
        "{what} bị cắt cụt: cần {needed} byte tại vị trí {at}, chỉ còn {available} / {what} is truncated: {needed} bytes needed at offset {at}, {available} left"
    )]
    Truncated {
        /// What was read.
        what: &'static str,
        /// Byte offset of the field.
        at: usize,
        /// Bytes the field needs.
        needed: usize,
        /// Bytes left.
        available: usize,
    },
    /// Structurally wrong input (trailing bytes, a bad field value, a bad text line).
    #[error("{what}: {detail}")]
    Malformed {
        /// What was read.
        what: &'static str,
        /// Which field or line, and why.
        detail: String,
    },
    /// A hash chain is broken at `index` (0-based position in the list checked).
    #[error("chuỗi {what} hỏng tại mục {index}: {fault} / {what} chain broken at entry {index}: {fault}")]
    BrokenChain {
        /// Which chain.
        what: &'static str,
        /// Position of the first bad link.
        index: usize,
        /// What is wrong with it.
        fault: ChainFault,
    },
    /// A file listed in a manifest is missing or differs.
    #[error("tệp {name} không khớp bảng kê: {detail} / file {name} does not match the manifest: {detail}")]
    FileMismatch {
        /// The file name in the manifest.
        name: String,
        /// Missing, other size, or other hash.
        detail: String,
    },
    /// A key file's permissions let other users read it.
    #[error("tệp khóa {path} cho phép người khác đọc (quyền {mode:o}); hãy chạy chmod 600 / key file {path} is readable by others (mode {mode:o}); run chmod 600", path = path.display())]
    InsecurePermissions {
        /// The key file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// The key bytes are not an Ed25519 PKCS#8 document.
    #[error("khóa không hợp lệ / invalid key: {0}")]
    BadKey(String),
    /// The operating system's random generator failed.
    #[error("không lấy được số ngẫu nhiên từ hệ điều hành / the OS random generator failed")]
    Randomness,
    /// Reading or writing a file failed.
    #[error("lỗi tệp {path} / file error on {path}: {source}", path = path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

/// This crate's result type.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub(crate) fn malformed(what: &'static str, detail: impl Into<String>) -> Self {
        Error::Malformed { what, detail: detail.into() }
    }

    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        Error::Io { path: path.to_path_buf(), source }
    }
}
