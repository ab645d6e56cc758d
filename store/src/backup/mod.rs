//! `proctor backup` and `proctor restore`: an encrypted, verifiable copy of a data directory.
//!
//! A school keeps a copy of the exam room's data on another PC or a USB stick, in case the
//! proctor PC dies. That copy holds the identity key and every student's sheet, so it is sealed
//! under a passphrase ([`phongthi_crypto::backup`]: a wrong passphrase, a changed byte and a cut
//! file are each refused with their own message), and it is checked twice: `backup` reads its
//! own output back before giving it its name, and `restore` (or `restore --check`) opens the
//! database it restored and runs SQLite's `integrity_check` before the data directory appears.
//!
//! - The database is copied with `VACUUM INTO`, a consistent snapshot even while `serve` is
//!   writing; the snapshot file lives in the data directory (0600) only while it is copied.
//! - Every other regular file of the data directory (identity, certificate, exports) is copied as
//!   it is; SQLite's `-wal`, `-shm` and `-journal` files are not, the snapshot holds their content.
//! - Nothing half-written is left under a final name: the backup is written as `FILE.partial-…`
//!   and renamed when verified, and a restore fills a hidden sibling folder that is renamed to
//!   the target only when complete and checked.

mod archive;

use crate::datadir::DataDir;
use crate::private::{create_private_dir, create_private_file};
use crate::{Counts, Reader, StoreError};
use archive::{ArchiveReader, ArchiveWriter};
use phongthi_crypto::backup::{BackupReader, BackupWriter, stream_error};
use phongthi_crypto::{KdfParams, Passphrase};
use rusqlite::Connection;
use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Why a backup or restore did not happen. Nothing is left behind under a final name.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The data directory has no identity.
    #[error(transparent)]
    DataDir(#[from] crate::datadir::DataDirError),
    /// The output file exists.
    #[error("{0} đã có; không ghi đè / {0} already exists; not overwriting")]
    Exists(String),
    /// The restore target holds files.
    #[error(
        "{0} đã có dữ liệu; hãy khôi phục vào một thư mục trống hoặc chưa có / {0} is not empty; restore into an empty or new folder"
    )]
    TargetNotEmpty(String),
    /// The sealed stream would not open: wrong passphrase, damaged, truncated, not a backup.
    #[error("{path}: {source}")]
    Sealed {
        /// The backup file.
        path: String,
        /// Why.
        source: phongthi_crypto::Error,
    },
    /// The stream opened but its content is not a backup's.
    #[error("bản sao lưu không hợp lệ / not a valid backup: {0}")]
    Archive(String),
    /// A file name in the backup points outside the data directory.
    #[error(
        "bản sao lưu chứa tên tệp không an toàn {name:?}; không khôi phục / the backup holds an unsafe file name {name:?}; not restored"
    )]
    UnsafeName {
        /// The name.
        name: String,
    },
    /// A file changed size while it was being copied.
    #[error(
        "{name} thay đổi trong lúc sao lưu; hãy chạy lại / {name} changed while it was copied; run the backup again"
    )]
    Changed {
        /// The file.
        name: String,
    },
    /// The restored copy lacks a file every data directory has.
    #[error(
        "bản sao lưu thiếu {0}; không phải thư mục dữ liệu giám thị / the backup lacks {0}; not a proctor data directory"
    )]
    Missing(&'static str),
    /// The restored database failed SQLite's integrity check or is not a proctor store.
    #[error("cơ sở dữ liệu trong bản sao lưu hỏng / the database in the backup is damaged: {0}")]
    Database(String),
    /// The disk refused.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
}

impl BackupError {
    fn archive(detail: impl Into<String>) -> Self {
        BackupError::Archive(detail.into())
    }

    /// An error from reading the sealed stream: the stream's own reason when it has one.
    fn from_stream(error: std::io::Error, path: &str) -> Self {
        if stream_error(&error).is_some() {
            if let Some(inner) = error.into_inner().and_then(|inner| inner.downcast::<phongthi_crypto::Error>().ok()) {
                return BackupError::Sealed { path: path.to_owned(), source: *inner };
            }
            return BackupError::archive("luồng mã hóa hỏng / damaged stream");
        }
        BackupError::Io { path: path.to_owned(), source: error }
    }

    fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
        move |source| BackupError::Io { path: path.display().to_string(), source }
    }
}

impl From<StoreError> for BackupError {
    fn from(error: StoreError) -> Self {
        BackupError::Database(error.to_string())
    }
}

/// What a backup holds.
#[derive(Debug, PartialEq, Eq)]
pub struct BackupSummary {
    /// Every file, with its size, in the order stored.
    pub files: Vec<(String, u64)>,
    /// What the database held (absent if the directory had no database yet).
    pub counts: Option<Counts>,
}

/// SQLite's files beside the database, whose content the snapshot already holds.
const SKIPPED: [&str; 4] = [crate::FILE_NAME, "proctor.sqlite-wal", "proctor.sqlite-shm", "proctor.sqlite-journal"];
const SNAPSHOT_PREFIX: &str = ".backup-snapshot-";

/// A file removed when dropped (the snapshot, a partial output).
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A suffix that keeps two runs' scratch names apart (each name is then created exclusively).
fn random_suffix() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    format!("{}-{nanos:09}-{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// Writes an encrypted backup of `data` to `out` (which must not exist), then reads it back.
pub fn backup(
    data: &DataDir,
    out: &Path,
    passphrase: &Passphrase,
    params: KdfParams,
) -> Result<BackupSummary, BackupError> {
    if !data.is_initialised() {
        return Err(crate::datadir::DataDirError::NotInitialised(data.path().display().to_string()).into());
    }
    if out.exists() {
        return Err(BackupError::Exists(out.display().to_string()));
    }
    let database = data.path().join(crate::FILE_NAME);
    let snapshot = if database.exists() { Some(snapshot(data.path(), &database)?) } else { None };

    let partial_path = PathBuf::from(format!("{}.partial-{}", out.display(), random_suffix()));
    let file = create_private_file(&partial_path).map_err(BackupError::io(&partial_path))?;
    let partial = Scratch(partial_path);
    let sealed = BackupWriter::new(BufWriter::new(file), passphrase, params)
        .map_err(|source| BackupError::Sealed { path: out.display().to_string(), source })?;
    let mut writer = ArchiveWriter::start(sealed).map_err(BackupError::io(out))?;
    let mut files = Vec::new();
    for (name, path) in data_files(data.path())? {
        add_file(&mut writer, &name, &path, &mut files)?;
    }
    if let Some(snapshot) = &snapshot {
        add_file(&mut writer, crate::FILE_NAME, &snapshot.0, &mut files)?;
    }
    let file = writer
        .finish()
        .and_then(|sealed| sealed.finish())
        .and_then(|buffered| buffered.into_inner().map_err(|e| e.into_error()))
        .map_err(BackupError::io(out))?;
    file.sync_all().map_err(BackupError::io(out))?;
    drop(file);

    // Read back what was written before it gets its name: a backup nobody can restore is worse
    // than none, because it is trusted.
    let staging = Staging::new(&std::env::temp_dir())?;
    let summary = extract(&partial.0, staging.path(), passphrase)?;
    if summary.files != files {
        return Err(BackupError::archive("bản đọc lại khác bản đã ghi / the copy read back differs"));
    }
    drop(staging);
    std::fs::rename(&partial.0, out).map_err(BackupError::io(out))?;
    std::mem::forget(partial);
    sync_parent(out);
    Ok(summary)
}

/// A consistent copy of the database, made with `VACUUM INTO` (safe while `serve` writes).
fn snapshot(dir: &Path, database: &Path) -> Result<Scratch, BackupError> {
    let path = dir.join(format!("{SNAPSHOT_PREFIX}{}.sqlite", random_suffix()));
    // VACUUM INTO writes into an existing file only if it is empty, and keeps its mode: create
    // it 0600 so the copy of the personal data is as private as the original.
    create_private_file(&path).map_err(BackupError::io(&path))?;
    let scratch = Scratch(path);
    let conn = Connection::open(database).map_err(|e| BackupError::Database(e.to_string()))?;
    conn.busy_timeout(std::time::Duration::from_secs(30)).map_err(|e| BackupError::Database(e.to_string()))?;
    let target =
        scratch.0.to_str().ok_or_else(|| BackupError::archive("đường dẫn không phải UTF-8 / a non-UTF-8 path"))?;
    conn.execute("VACUUM INTO ?1", [target]).map_err(|e| BackupError::Database(e.to_string()))?;
    Ok(scratch)
}

/// Every regular file under `dir` (relative '/'-names, sorted), without SQLite's own files.
fn data_files(dir: &Path) -> Result<Vec<(String, PathBuf)>, BackupError> {
    let mut found = Vec::new();
    let mut pending = vec![(String::new(), dir.to_path_buf())];
    while let Some((prefix, folder)) = pending.pop() {
        for entry in std::fs::read_dir(&folder).map_err(BackupError::io(&folder))? {
            let entry = entry.map_err(BackupError::io(&folder))?;
            let Ok(name) = entry.file_name().into_string() else { continue };
            let relative = if prefix.is_empty() { name.clone() } else { format!("{prefix}/{name}") };
            let kind = entry.file_type().map_err(BackupError::io(&entry.path()))?;
            if kind.is_dir() {
                pending.push((relative, entry.path()));
            } else if kind.is_file()
                && !(prefix.is_empty() && (SKIPPED.contains(&name.as_str()) || name.starts_with(SNAPSHOT_PREFIX)))
            {
                found.push((relative, entry.path()));
            }
        }
    }
    found.sort();
    Ok(found)
}

fn add_file<W: Write>(
    writer: &mut ArchiveWriter<W>,
    name: &str,
    path: &Path,
    files: &mut Vec<(String, u64)>,
) -> Result<(), BackupError> {
    let file = File::open(path).map_err(BackupError::io(path))?;
    let size = file.metadata().map_err(BackupError::io(path))?.len();
    writer.add(name, size, &mut BufReader::new(file))?;
    files.push((name.to_owned(), size));
    Ok(())
}

/// Checks the backup at `file` completely (every byte, the database's integrity) without
/// keeping anything.
pub fn verify(file: &Path, passphrase: &Passphrase) -> Result<BackupSummary, BackupError> {
    let staging = Staging::new(&std::env::temp_dir())?;
    extract(file, staging.path(), passphrase)
}

/// Restores the backup at `file` into `target`, a folder that does not exist or is empty.
pub fn restore(file: &Path, target: &Path, passphrase: &Passphrase) -> Result<BackupSummary, BackupError> {
    let target_is_empty_dir = match std::fs::read_dir(target) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(BackupError::TargetNotEmpty(target.display().to_string()));
            }
            true
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => false,
        Err(error) => return Err(BackupError::io(target)(error)),
    };
    let parent = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    create_private_dir(&parent).map_err(BackupError::io(&parent))?;
    let staging = Staging::new(&parent)?;
    let summary = extract(file, staging.path(), passphrase)?;
    if target_is_empty_dir {
        std::fs::remove_dir(target).map_err(BackupError::io(target))?;
    }
    std::fs::rename(staging.path(), target).map_err(BackupError::io(target))?;
    std::mem::forget(staging);
    sync_parent(target);
    Ok(summary)
}

/// Opens the backup, writes its files under `into` (0700 folders, 0600 files) and checks them.
fn extract(file: &Path, into: &Path, passphrase: &Passphrase) -> Result<BackupSummary, BackupError> {
    let shown = file.display().to_string();
    let input = File::open(file).map_err(BackupError::io(file))?;
    let sealed = BackupReader::new(BufReader::new(input), passphrase)
        .map_err(|source| BackupError::Sealed { path: shown.clone(), source })?;
    let mut archive = ArchiveReader::start(sealed).map_err(|e| located(e, &shown))?;
    let mut files = Vec::new();
    while let Some(entry) = archive.next().map_err(|e| located(e, &shown))? {
        let path = into.join(&entry.name);
        if path.exists() {
            return Err(BackupError::archive(format!("{} có hai lần / {} appears twice", entry.name, entry.name)));
        }
        if let Some(folder) = path.parent() {
            create_private_dir(folder).map_err(BackupError::io(folder))?;
        }
        let mut out = BufWriter::new(create_private_file(&path).map_err(BackupError::io(&path))?);
        archive.body(&entry, &mut out).map_err(|e| located(e, &shown))?;
        let out = out.into_inner().map_err(|e| BackupError::io(&path)(e.into_error()))?;
        out.sync_all().map_err(BackupError::io(&path))?;
        files.push((entry.name, entry.size));
    }
    if !into.join(crate::datadir::KEY_FILE).is_file() {
        return Err(BackupError::Missing(crate::datadir::KEY_FILE));
    }
    let database = into.join(crate::FILE_NAME);
    let counts = if database.is_file() { Some(check_database(&database)?) } else { None };
    Ok(BackupSummary { files, counts })
}

/// The stream's errors name the backup file; the archive's are about its content.
fn located(error: BackupError, path: &str) -> BackupError {
    match error {
        BackupError::Sealed { source, .. } => BackupError::Sealed { path: path.to_owned(), source },
        other => other,
    }
}

/// SQLite's full integrity check, then what the store holds.
fn check_database(path: &Path) -> Result<Counts, BackupError> {
    let reader = Reader::open(path)?;
    let verdict = reader.integrity_check()?;
    if verdict != "ok" {
        return Err(BackupError::Database(verdict));
    }
    Ok(reader.counts()?)
}

/// A hidden folder beside the target (so the final rename stays on one file system), removed
/// with everything in it unless it was renamed into place.
struct Staging(PathBuf);

impl Staging {
    fn new(parent: &Path) -> Result<Self, BackupError> {
        let path = parent.join(format!(".phongthi-restore-{}", random_suffix()));
        create_private_dir(&path).map_err(BackupError::io(&path))?;
        Ok(Self(path))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Makes a rename durable (the directory entry); best effort, as the data is already synced.
fn sync_parent(path: &Path) {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
        && let Ok(dir) = File::open(parent)
    {
        let _ = dir.sync_all();
    }
}
