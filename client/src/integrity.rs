//! This build's value for the proctor's integrity check: SHA-256 of the running executable's
//! bytes, read in pieces (the executable is the client's largest file; it is never in memory
//! whole). Nothing else goes in, so `exam-client --print-integrity`, `sha256sum exam-client`
//! and the value the client answers the proctor's challenges with are one and the same.
//!
//! The network task takes the value as a [`BuildDigest`] in its configuration, not from here,
//! so tests and the load generator can stand in for a genuine or a changed build.

pub use phongthi_crypto::BuildDigest;
use std::path::{Path, PathBuf};

/// Why the value could not be computed.
#[derive(Debug, thiserror::Error)]
pub enum IntegrityError {
    /// The operating system did not say where the executable is.
    #[error("không tìm được tệp chương trình đang chạy / cannot find the running program's file: {0}")]
    Locate(#[source] std::io::Error),
    /// The executable could not be read.
    #[error("không đọc được tệp chương trình {path}: {source} / cannot read the program file {path}: {source}")]
    Read {
        /// The executable.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
}

/// The value of the executable file at `path`.
pub fn build_of_file(path: &Path) -> Result<BuildDigest, IntegrityError> {
    BuildDigest::of_file(path).map_err(|source| IntegrityError::Read { path: path.to_path_buf(), source })
}

/// The value of the running build (`std::env::current_exe`).
pub fn own_build() -> Result<BuildDigest, IntegrityError> {
    let path = std::env::current_exe().map_err(IntegrityError::Locate)?;
    build_of_file(&path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_running_test_binary_has_the_value_of_its_file() {
        let path = std::env::current_exe().unwrap();
        let own = own_build().unwrap();
        assert_eq!(own.as_bytes(), phongthi_crypto::sha256(&std::fs::read(&path).unwrap()).as_bytes());
    }

    #[test]
    fn a_missing_file_is_named_in_both_languages() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("exam-client");
        let error = build_of_file(&missing).unwrap_err().to_string();
        assert!(error.contains("không đọc được tệp chương trình") && error.contains("cannot read"), "{error}");
        assert!(error.contains(&missing.display().to_string()), "{error}");
    }
}
