//! Signed manifests for exported results: the SHA-256 and size of each file, signed, in a text
//! file a person can read and check with ordinary tools (`sha256sum`).
//!
//! ```text
//! phongthi-manifest 1
//! signer <64 hex>
//! created-ms <decimal>
//! file <64 hex sha256> <size> <name>
//! signature <128 hex>
//! ```
//! The signature covers every byte before the `signature` line. The format is strict (lower-case
//! hex, single spaces, `\n` line ends, a final newline), so a document has exactly one spelling
//! and any changed byte is refused. File names are plain names: no path separators, no control
//! characters, not `.` or `..`, so checking a folder cannot escape it.

use crate::digest::{Digest, sha256};
use crate::error::{Error, Result};
use crate::keys::{PublicKey, Signature, SigningKey};
use std::path::Path;

const FIRST_LINE: &str = "phongthi-manifest 1";
const WHAT: &str = "manifest";

/// One listed file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestEntry {
    /// File name (no directories).
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the content.
    pub sha256: Digest,
}

/// A manifest being built or one that was verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    /// When it was made, ms since the Unix epoch.
    pub created_ms: u64,
    /// The files, in order.
    pub files: Vec<ManifestEntry>,
}

/// A manifest whose signature checked out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedManifest {
    /// Who signed it.
    pub signer: PublicKey,
    /// What it lists.
    pub manifest: Manifest,
}

fn check_name(name: &str) -> Result<()> {
    let bad = name.is_empty()
        || name == "."
        || name == ".."
        || name.chars().any(|c| c.is_control() || c == '/' || c == '\\')
        || name.trim() != name;
    if bad {
        return Err(Error::malformed(WHAT, format!("tên tệp không hợp lệ {name:?} / invalid file name {name:?}")));
    }
    Ok(())
}

impl Manifest {
    /// An empty manifest.
    pub fn new(created_ms: u64) -> Self {
        Self { created_ms, files: Vec::new() }
    }

    /// Lists a file by name and content.
    pub fn add(&mut self, name: &str, content: &[u8]) -> Result<()> {
        check_name(name)?;
        if self.files.iter().any(|f| f.name == name) {
            return Err(Error::malformed(WHAT, format!("tên tệp trùng {name:?} / duplicate file name {name:?}")));
        }
        self.files.push(ManifestEntry { name: name.to_owned(), size: content.len() as u64, sha256: sha256(content) });
        Ok(())
    }

    /// The signed text.
    pub fn sign(&self, key: &SigningKey) -> String {
        let mut text = format!("{FIRST_LINE}\nsigner {}\ncreated-ms {}\n", key.public_key().to_hex(), self.created_ms);
        for f in &self.files {
            text.push_str(&format!("file {} {} {}\n", f.sha256.to_hex(), f.size, f.name));
        }
        let signature = key.sign(text.as_bytes());
        text.push_str(&format!("signature {}\n", signature.to_hex()));
        text
    }
}

/// Parses a manifest and checks its signature (and the signer, when `trusted` is given).
pub fn verify_manifest(text: &str, trusted: Option<&PublicKey>) -> Result<VerifiedManifest> {
    let line_error = |n: usize, why: &str| Error::malformed(WHAT, format!("dòng {n}: {why} / line {n}: {why}"));
    let signature_at =
        text.rfind("signature ").ok_or_else(|| Error::malformed(WHAT, "thiếu chữ ký / no signature line"))?;
    let (signed, signature_line) = text.split_at(signature_at);
    if !signed.is_empty() && !signed.ends_with('\n') {
        return Err(Error::malformed(WHAT, "dòng chữ ký không đứng riêng / signature is not on its own line"));
    }
    let signature_hex = signature_line
        .strip_prefix("signature ")
        .and_then(|s| s.strip_suffix('\n'))
        .ok_or_else(|| Error::malformed(WHAT, "dòng chữ ký sai / bad signature line"))?;
    let signature = Signature::from_hex(signature_hex)
        .ok_or_else(|| Error::malformed(WHAT, "chữ ký không phải hex / signature is not hex"))?;

    let mut lines = signed.split_terminator('\n').enumerate().map(|(i, l)| (i + 1, l));
    match lines.next() {
        Some((_, FIRST_LINE)) => {}
        Some((_, l)) if l.starts_with("phongthi-manifest ") => {
            return Err(Error::UnsupportedVersion { what: WHAT, found: l[18..].parse().unwrap_or(0), supported: 1 });
        }
        _ => return Err(Error::BadMagic { what: WHAT }),
    }
    let (n, signer_line) = lines.next().ok_or_else(|| line_error(2, "thiếu signer / missing signer"))?;
    let signer = signer_line
        .strip_prefix("signer ")
        .and_then(PublicKey::from_hex)
        .filter(|k| k.to_hex() == signer_line[7..])
        .ok_or_else(|| line_error(n, "signer sai / bad signer"))?;
    if let Some(trusted) = trusted
        && *trusted != signer
    {
        return Err(Error::WrongKey { what: WHAT });
    }
    if !signer.verify(signed.as_bytes(), &signature) {
        return Err(Error::Tampered { what: WHAT });
    }
    let (n, created_line) = lines.next().ok_or_else(|| line_error(3, "thiếu created-ms / missing created-ms"))?;
    let created_ms = created_line
        .strip_prefix("created-ms ")
        .and_then(parse_canonical_u64)
        .ok_or_else(|| line_error(n, "created-ms sai / bad created-ms"))?;
    let mut manifest = Manifest::new(created_ms);
    for (n, line) in lines {
        let rest = line.strip_prefix("file ").ok_or_else(|| line_error(n, "không phải dòng file / not a file line"))?;
        let mut parts = rest.splitn(3, ' ');
        let hash = parts.next().and_then(Digest::from_hex).ok_or_else(|| line_error(n, "sha256 sai / bad sha256"))?;
        let size =
            parts.next().and_then(parse_canonical_u64).ok_or_else(|| line_error(n, "kích thước sai / bad size"))?;
        let name = parts.next().ok_or_else(|| line_error(n, "thiếu tên tệp / missing file name"))?;
        check_name(name)?;
        manifest.files.push(ManifestEntry { name: name.to_owned(), size, sha256: hash });
    }
    Ok(VerifiedManifest { signer, manifest })
}

fn parse_canonical_u64(text: &str) -> Option<u64> {
    let value: u64 = text.parse().ok()?;
    (value.to_string() == text).then_some(value)
}

impl VerifiedManifest {
    /// Checks every listed file in `dir` (size, then hash).
    pub fn check_dir(&self, dir: &Path) -> Result<()> {
        for entry in &self.manifest.files {
            let path = dir.join(&entry.name);
            let content = std::fs::read(&path).map_err(|e| Error::FileMismatch {
                name: entry.name.clone(),
                detail: format!("không đọc được / cannot read: {e}"),
            })?;
            if content.len() as u64 != entry.size {
                return Err(Error::FileMismatch {
                    name: entry.name.clone(),
                    detail: format!(
                        "kích thước {} thay vì {} / size {} instead of {}",
                        content.len(),
                        entry.size,
                        content.len(),
                        entry.size
                    ),
                });
            }
            if sha256(&content) != entry.sha256 {
                return Err(Error::FileMismatch {
                    name: entry.name.clone(),
                    detail: "nội dung khác / content differs".into(),
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_verify_and_check_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("diem 10A1.csv"), "STT,Mã học sinh,Điểm\n1,0123456789,8.3\n").unwrap();
        std::fs::write(dir.path().join("results.csv"), "x").unwrap();
        let key = SigningKey::generate().unwrap();
        let mut m = Manifest::new(1_790_000_000_000);
        m.add("diem 10A1.csv", &std::fs::read(dir.path().join("diem 10A1.csv")).unwrap()).unwrap();
        m.add("results.csv", b"x").unwrap();
        let text = m.sign(&key);
        let verified = verify_manifest(&text, Some(&key.public_key())).unwrap();
        assert_eq!(verified.manifest, m);
        verified.check_dir(dir.path()).unwrap();

        std::fs::write(dir.path().join("results.csv"), "y").unwrap();
        assert!(matches!(verified.check_dir(dir.path()), Err(Error::FileMismatch { .. })));
        std::fs::write(dir.path().join("results.csv"), "yy").unwrap();
        assert!(matches!(verified.check_dir(dir.path()), Err(Error::FileMismatch { .. })));
    }

    #[test]
    fn names_that_escape_are_refused() {
        let mut m = Manifest::new(0);
        for bad in ["", ".", "..", "a/b", "a\\b", "a\nb", " a"] {
            assert!(m.add(bad, b"").is_err(), "{bad:?}");
        }
        m.add("ok.csv", b"").unwrap();
        assert!(m.add("ok.csv", b"").is_err());
    }

    #[test]
    fn other_signer_and_versions() {
        let key = SigningKey::generate().unwrap();
        let text = Manifest::new(5).sign(&key);
        let other = SigningKey::generate().unwrap();
        assert!(matches!(verify_manifest(&text, Some(&other.public_key())), Err(Error::WrongKey { .. })));
        let v2 = text.replacen("phongthi-manifest 1", "phongthi-manifest 2", 1);
        assert!(matches!(verify_manifest(&v2, None), Err(Error::UnsupportedVersion { found: 2, .. })));
        assert!(matches!(verify_manifest("hello\nsignature 00\n", None), Err(Error::Malformed { .. })));
    }
}
