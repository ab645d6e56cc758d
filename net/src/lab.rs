//! `lab.toml`: everything a lab PC needs to find and trust the proctor, written by
//! `proctor serve --lab-config-out` and read by `exam-client --config`.
//!
//! ```toml
//! address = "192.168.1.10:4433"
//! fingerprint = "ba78:16bf:…"          # SHA-256 of the proctor's TLS certificate
//! proctor_key = "64 hex"               # the proctor's Ed25519 identity: packages are signed by it
//! exam_title = "Kiểm tra giữa kỳ I — Toán 10"
//! ```
//! The client builds the proctor accepts are deliberately not here: they live in the proctor's
//! data directory (`proctor allow-build`). Files written before that change may still carry an
//! `accepted_builds` list; it is read and ignored, and never written again.
//! Parsing is strict about what matters (address, fingerprint, key) and names the field and the
//! line of anything wrong, so a mistyped file on one PC fails loudly at start-up, not at login.

use crate::fingerprint::Fingerprint;
use phongthi_crypto::PublicKey;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::Path;

/// The parsed lab configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabConfig {
    /// Where the proctor listens.
    pub address: SocketAddr,
    /// The proctor's TLS certificate, pinned.
    pub fingerprint: Fingerprint,
    /// The proctor's identity key.
    pub proctor_key: PublicKey,
    /// Exam title, for the connect screen.
    pub exam_title: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    address: String,
    fingerprint: String,
    proctor_key: String,
    #[serde(default)]
    exam_title: String,
    /// Written by older proctors; ignored (see the module documentation).
    #[serde(default, rename = "accepted_builds", skip_serializing)]
    _accepted_builds: Vec<String>,
}

/// A bad `lab.toml`.
#[derive(Debug, thiserror::Error)]
pub enum LabConfigError {
    /// The file could not be read or written.
    #[error("không đọc/ghi được {path}: {source} / cannot read or write {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// Not valid TOML, or a missing/unknown key.
    #[error("{file}: {detail}")]
    Syntax {
        /// The file.
        file: String,
        /// What toml says, with line and column.
        detail: String,
    },
    /// A field with a bad value.
    #[error("{file}: trường {field}: {problem} / field {field}: {problem}")]
    Field {
        /// The file.
        file: String,
        /// Which field.
        field: &'static str,
        /// What is wrong.
        problem: String,
    },
}

impl LabConfig {
    /// Parses the text of a `lab.toml` (`file` names it in errors).
    pub fn parse(file: &str, text: &str) -> Result<Self, LabConfigError> {
        let raw: Raw =
            toml::from_str(text).map_err(|e| LabConfigError::Syntax { file: file.into(), detail: e.to_string() })?;
        let field = |field: &'static str, problem: String| LabConfigError::Field { file: file.into(), field, problem };
        let address = raw.address.trim().parse().map_err(|e| field("address", format!("{:?}: {e}", raw.address)))?;
        let fingerprint = raw.fingerprint.parse().map_err(|e: crate::NetError| field("fingerprint", e.to_string()))?;
        let proctor_key = PublicKey::from_hex(&raw.proctor_key.trim().to_ascii_lowercase())
            .ok_or_else(|| field("proctor_key", "cần 64 chữ số hex / 64 hex digits needed".into()))?;
        Ok(Self { address, fingerprint, proctor_key, exam_title: raw.exam_title })
    }

    /// Reads a `lab.toml` file.
    pub fn load(path: &Path) -> Result<Self, LabConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| LabConfigError::Io { path: path.display().to_string(), source })?;
        Self::parse(&path.display().to_string(), &text)
    }

    /// The TOML text.
    pub fn to_toml(&self) -> String {
        let raw = Raw {
            address: self.address.to_string(),
            fingerprint: self.fingerprint.to_string(),
            proctor_key: self.proctor_key.to_hex(),
            exam_title: self.exam_title.clone(),
            _accepted_builds: Vec::new(),
        };
        let body = toml::to_string(&raw).unwrap_or_default();
        format!(
            "# Phòng Thi — cấu hình phòng máy / lab configuration (do proctor tạo / written by the proctor)\n{body}"
        )
    }

    /// Writes the file (whole or not at all: a temporary sibling renamed into place).
    pub fn save(&self, path: &Path) -> Result<(), LabConfigError> {
        let io = |source| LabConfigError::Io { path: path.display().to_string(), source };
        let tmp = path.with_extension("toml.tmp");
        std::fs::write(&tmp, self.to_toml()).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> LabConfig {
        LabConfig {
            address: "192.168.1.10:4433".parse().unwrap(),
            fingerprint: Fingerprint::from_bytes([0xab; 32]),
            proctor_key: PublicKey::from_bytes([7; 32]),
            exam_title: "Kiểm tra giữa kỳ I — Toán 10".into(),
        }
    }

    #[test]
    fn an_older_files_build_list_is_read_and_never_written() {
        let older = format!("{}accepted_builds = [\"{}\"]\n", sample().to_toml(), "00".repeat(32));
        assert_eq!(LabConfig::parse("lab.toml", &older).unwrap(), sample());
        assert!(!sample().to_toml().contains("accepted_builds"), "{}", sample().to_toml());
    }

    #[test]
    fn round_trips_through_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lab.toml");
        sample().save(&path).unwrap();
        assert_eq!(LabConfig::load(&path).unwrap(), sample());
    }

    #[test]
    fn bad_fields_are_named() {
        let good = sample().to_toml();
        for (from, to, needle) in [
            ("address = \"192.168.1.10:4433\"", "address = \"192.168.1.10\"", "address"),
            ("fingerprint = \"abab", "fingerprint = \"zzab", "fingerprint"),
            ("proctor_key = \"0707", "proctor_key = \"07", "proctor_key"),
        ] {
            let bad = good.replacen(from, to, 1);
            let err = LabConfig::parse("lab.toml", &bad).unwrap_err().to_string();
            assert!(err.contains(needle), "{err}");
        }
        let err = LabConfig::parse("lab.toml", "address = 1").unwrap_err().to_string();
        assert!(err.contains("lab.toml"), "{err}");
        let unknown = format!("{good}\nextra = 1\n");
        assert!(LabConfig::parse("lab.toml", &unknown).is_err(), "typos in keys are refused");
        assert!(matches!(LabConfig::load(Path::new("/nonexistent/lab.toml")), Err(LabConfigError::Io { .. })));
    }
}
