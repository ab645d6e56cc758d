//! Writing an export folder and checking it later: each file written whole or not at all, then
//! `manifest.txt`, the crypto crate's signed manifest of every file, signed by the proctor's
//! identity key.
//!
//! A file is written to a hidden temporary name in the same folder, flushed to disk, then renamed
//! over its final name: a crash leaves either the old file or the new one, never half of one. The
//! manifest goes last, so a folder whose manifest verifies holds every file it lists.

use super::ExportError;
use phongthi_crypto::{Manifest, PublicKey, SigningKey, VerifiedManifest, verify_manifest};
use std::io::Write;
use std::path::Path;

/// The manifest's file name in an export folder.
pub const MANIFEST_FILE: &str = "manifest.txt";

/// Writes `bytes` to `dir/name` atomically (temporary name, fsync, rename).
pub fn write_whole(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), ExportError> {
    let target = dir.join(name);
    let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let failed = |source: std::io::Error| ExportError::Write { file: target.display().to_string(), source };
    let written = (|| {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, &target)
    })();
    if let Err(source) = written {
        let _ = std::fs::remove_file(&temporary);
        return Err(failed(source));
    }
    // The rename is durable once the folder itself is synced (not possible on every platform).
    if let Ok(folder) = std::fs::File::open(dir) {
        let _ = folder.sync_all();
    }
    Ok(())
}

/// Writes `files` into `dir` (created if needed) and then their signed manifest; returns the
/// manifest text.
pub fn write_with_manifest(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    identity: &SigningKey,
    created_ms: u64,
) -> Result<String, ExportError> {
    std::fs::create_dir_all(dir).map_err(|source| ExportError::Write { file: dir.display().to_string(), source })?;
    let mut manifest = Manifest::new(created_ms);
    for (name, bytes) in files {
        manifest.add(name, bytes)?;
    }
    for (name, bytes) in files {
        write_whole(dir, name, bytes)?;
    }
    let text = manifest.sign(identity);
    write_whole(dir, MANIFEST_FILE, text.as_bytes())?;
    Ok(text)
}

/// Writes `files` into `dir` (created if needed) and re-signs `dir/manifest.txt` so it lists
/// them **and** every file an earlier manifest there listed (a report written beside a CSV
/// export keeps the CSV verifiable). The earlier manifest must verify against `identity` and
/// its files must be intact, or nothing is written: signing over a file we cannot vouch for
/// would launder it. Returns the names written, manifest last.
pub fn add_to_manifest(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    identity: &SigningKey,
    created_ms: u64,
) -> Result<Vec<String>, ExportError> {
    std::fs::create_dir_all(dir).map_err(|source| ExportError::Write { file: dir.display().to_string(), source })?;
    let mut manifest = Manifest::new(created_ms);
    if dir.join(MANIFEST_FILE).exists() {
        let earlier = verify_export(dir, &identity.public_key())?;
        for entry in &earlier.manifest.manifest.files {
            if files.iter().any(|(name, _)| *name == entry.name) {
                continue;
            }
            let path = dir.join(&entry.name);
            let bytes = std::fs::read(&path)
                .map_err(|source| ExportError::Read { file: path.display().to_string(), source })?;
            manifest.add(&entry.name, &bytes)?;
        }
    }
    for (name, bytes) in files {
        manifest.add(name, bytes)?;
    }
    for (name, bytes) in files {
        write_whole(dir, name, bytes)?;
    }
    write_whole(dir, MANIFEST_FILE, manifest.sign(identity).as_bytes())?;
    let mut written: Vec<String> = files.iter().map(|(name, _)| name.clone()).collect();
    written.push(MANIFEST_FILE.to_owned());
    Ok(written)
}

/// What checking an export folder found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedExport {
    /// The verified manifest: every listed file matched.
    pub manifest: VerifiedManifest,
    /// Files in the folder that the manifest does not list (not part of the signed export).
    pub unlisted: Vec<String>,
}

/// Verifies `dir/manifest.txt` against `proctor` and every listed file's size and hash.
pub fn verify_export(dir: &Path, proctor: &PublicKey) -> Result<CheckedExport, ExportError> {
    let path = dir.join(MANIFEST_FILE);
    let text = std::fs::read_to_string(&path)
        .map_err(|source| ExportError::Read { file: path.display().to_string(), source })?;
    let manifest = verify_manifest(&text, Some(proctor))?;
    manifest.check_dir(dir)?;
    let entries =
        std::fs::read_dir(dir).map_err(|source| ExportError::Read { file: dir.display().to_string(), source })?;
    let mut unlisted = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name != MANIFEST_FILE && !manifest.manifest.files.iter().any(|f| f.name == name) {
            unlisted.push(name);
        }
    }
    unlisted.sort();
    Ok(CheckedExport { manifest, unlisted })
}
