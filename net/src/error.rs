//! The one error type of the networking crate.
//!
//! Variants keep apart what a person at the proctor's desk or a lab PC must tell apart: "the
//! proctor is not answering" (check the cable, the address, the firewall) is not "this is not our
//! proctor" (wrong fingerprint on the lab sheet, or someone impersonating it), and neither is "the
//! proctor refused you". Messages are Vietnamese first, then English.

use crate::fingerprint::Fingerprint;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Everything that can go wrong in `phongthi-net`.
#[derive(Debug, thiserror::Error)]
pub enum NetError {
    /// Reading or writing a certificate file failed at the operating-system level.
    #[error("lỗi tệp {path}: {source} / file error {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },

    /// A certificate or key file is missing; the proctor has no TLS identity yet.
    #[error("không tìm thấy tệp {path} / file {path} not found")]
    MissingFile {
        /// The file that should exist.
        path: PathBuf,
    },

    /// Saving would replace an existing certificate or key: clients pinned the old one.
    #[error("tệp {path} đã tồn tại, không ghi đè / {path} already exists and is never overwritten")]
    AlreadyExists {
        /// The existing file.
        path: PathBuf,
    },

    /// A certificate or key file exists but its content is not usable.
    #[error("tệp {path} bị hỏng: {detail} / file {path} is corrupt: {detail}")]
    CorruptFile {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        detail: String,
    },

    /// The private key file can be read by other users of the machine.
    #[error(
        "tệp khóa {path} có quyền {mode:o}, người khác đọc được; hãy chạy chmod 600 / \
         key file {path} has mode {mode:o} and is readable by others; run chmod 600"
    )]
    InsecurePermissions {
        /// The key file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },

    /// The certificate and the key on disk belong to different key pairs.
    #[error("chứng chỉ {cert} không khớp với khóa {key} / certificate {cert} does not match key {key}")]
    KeyMismatch {
        /// The certificate file.
        cert: PathBuf,
        /// The key file.
        key: PathBuf,
    },

    /// A name given for the certificate is neither an IP address nor a valid DNS name.
    #[error(
        "tên máy {name:?} không hợp lệ cho chứng chỉ: {detail} / {name:?} is not a valid certificate name: {detail}"
    )]
    BadCertName {
        /// The name as given.
        name: String,
        /// Why it was refused.
        detail: String,
    },

    /// Generating the certificate or building the TLS configuration failed.
    #[error("lỗi cấu hình TLS: {detail} / TLS setup failed: {detail}")]
    Tls {
        /// What failed.
        detail: String,
    },

    /// A fingerprint has the wrong number of hex digits.
    #[error(
        "dấu vân tay phải có 64 chữ số hex, nhận được {digits} / \
         a fingerprint has 64 hex digits, got {digits}"
    )]
    FingerprintLength {
        /// How many hex digits were found.
        digits: usize,
    },

    /// A fingerprint contains a character that is neither a hex digit nor a separator.
    #[error(
        "dấu vân tay có ký tự {character:?} không hợp lệ ở vị trí {position} / \
         fingerprint has invalid character {character:?} at position {position}"
    )]
    FingerprintCharacter {
        /// The offending character.
        character: char,
        /// Its position, counting characters from 1.
        position: usize,
    },

    /// A local address could not be bound (in use, not on this machine, no permission).
    #[error("không mở được cổng {addr}: {source} / cannot bind {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The OS error.
        source: std::io::Error,
    },

    /// The proctor's address cannot be connected to at all (port 0, unspecified address, ...).
    #[error("địa chỉ máy giám thị {addr} không hợp lệ: {detail} / bad proctor address {addr}: {detail}")]
    BadAddress {
        /// The address given.
        addr: SocketAddr,
        /// Why it is unusable.
        detail: String,
    },

    /// Nothing answered at the address within the time allowed.
    #[error(
        "không kết nối được máy giám thị {addr} sau {after:?}; kiểm tra địa chỉ, cáp mạng và tường lửa / \
         proctor at {addr} did not answer within {after:?}; check the address, the cable and the firewall"
    )]
    Unreachable {
        /// The address tried.
        addr: SocketAddr,
        /// How long we waited.
        after: Duration,
    },

    /// The server presented a certificate other than the pinned one: not our proctor, or the
    /// lab configuration carries a stale fingerprint.
    #[error(
        "sai dấu vân tay máy giám thị: cần {expected}, nhận {got} / \
         wrong proctor fingerprint: expected {expected}, got {got}"
    )]
    WrongFingerprint {
        /// The pinned fingerprint.
        expected: Fingerprint,
        /// The fingerprint of the certificate actually presented.
        got: Fingerprint,
    },

    /// The proctor answered but refused the connection (server full, shutting down, closed it).
    #[error("máy giám thị {addr} từ chối kết nối: {detail} / proctor at {addr} refused the connection: {detail}")]
    Refused {
        /// The proctor's address.
        addr: SocketAddr,
        /// The reason the proctor gave.
        detail: String,
    },

    /// The QUIC or TLS handshake failed for another reason (incompatible version, protocol
    /// error).
    #[error("bắt tay với máy giám thị {addr} thất bại: {detail} / handshake with proctor at {addr} failed: {detail}")]
    Handshake {
        /// The proctor's address.
        addr: SocketAddr,
        /// What failed.
        detail: String,
    },

    /// An established connection or stream broke (peer closed, reset, timed out).
    #[error("mất kết nối: {detail} / connection lost: {detail}")]
    ConnectionLost {
        /// What happened.
        detail: String,
    },

    /// The peer stopped reading our stream, with an application error code (for example it
    /// refused a payload over its size cap).
    #[error("bên kia dừng nhận luồng dữ liệu (mã {code}) / peer stopped the stream (code {code})")]
    StreamStopped {
        /// The peer's error code (see the `STOP_*` constants in `framed`).
        code: u64,
    },

    /// A frame announces (or would need) more than the frame cap.
    #[error("khung tin {len} byte vượt giới hạn {max} / frame of {len} bytes exceeds the {max}-byte limit")]
    FrameTooLarge {
        /// Announced or attempted length.
        len: usize,
        /// The cap.
        max: usize,
    },

    /// The peer finished the stream in the middle of a frame.
    #[error(
        "luồng kết thúc giữa chừng một khung tin ({pending} byte dư) / \
         stream ended inside a frame ({pending} bytes left over)"
    )]
    Truncated {
        /// Bytes received that do not form a whole frame.
        pending: usize,
    },

    /// A blob stream carries more than the receiver accepts.
    #[error("dữ liệu vượt giới hạn {max} byte / payload exceeds the {max}-byte limit")]
    BlobTooLarge {
        /// The cap.
        max: usize,
    },
}

impl NetError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        let path = path.into();
        if source.kind() == std::io::ErrorKind::NotFound {
            return NetError::MissingFile { path };
        }
        NetError::Io { path, source }
    }

    pub(crate) fn tls(detail: impl std::fmt::Display) -> Self {
        NetError::Tls { detail: detail.to_string() }
    }
}

impl From<quinn::ConnectionError> for NetError {
    fn from(error: quinn::ConnectionError) -> Self {
        NetError::ConnectionLost { detail: error.to_string() }
    }
}

impl From<quinn::WriteError> for NetError {
    fn from(error: quinn::WriteError) -> Self {
        match error {
            quinn::WriteError::Stopped(code) => NetError::StreamStopped { code: code.into_inner() },
            // quinn's own message for this is only "connection lost"; the cause is inside.
            quinn::WriteError::ConnectionLost(cause) => cause.into(),
            other => NetError::ConnectionLost { detail: other.to_string() },
        }
    }
}

impl From<quinn::StoppedError> for NetError {
    fn from(error: quinn::StoppedError) -> Self {
        match error {
            quinn::StoppedError::ConnectionLost(cause) => cause.into(),
            other => NetError::ConnectionLost { detail: other.to_string() },
        }
    }
}

impl From<quinn::ReadError> for NetError {
    fn from(error: quinn::ReadError) -> Self {
        match error {
            quinn::ReadError::ConnectionLost(cause) => cause.into(),
            other => NetError::ConnectionLost { detail: other.to_string() },
        }
    }
}

impl From<quinn::ClosedStream> for NetError {
    fn from(error: quinn::ClosedStream) -> Self {
        NetError::ConnectionLost { detail: error.to_string() }
    }
}
