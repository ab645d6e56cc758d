//! Files only the proctor's account may read: the data directory is 0700 and its files 0600.
//!
//! The data directory holds the roster, every answer sheet and score (personal data), and the
//! identity key. A lab or staff PC often has several accounts, and a world-readable 0644 file
//! there is readable by each of them, so everything the proctor writes into it is created
//! private from the start (the mode is set at creation, never by a later `chmod` that would
//! leave a window). SQLite creates `proctor.sqlite-wal` and `-shm` with the database file's
//! mode, which is why the database file is created here, 0600, before SQLite opens it.
//!
//! A directory made by an older version, or copied with loose modes, is not changed silently:
//! [`loose_modes`] lists what others can read and the commands print it as a warning with the
//! fix, because the operator may have widened a mode on purpose (a backup agent's group).
//!
//! On Windows there are no modes: the folder's ACL comes from the installer (see
//! `docs/proctor.md`), and these functions create plainly.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

/// Creates `path` and its missing parents, each 0700.
pub fn create_private_dir(path: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path)
}

/// Creates a new file at `path`, 0600; fails if it exists.
pub fn create_private_file(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Creates an empty file at `path`, 0600, unless one is already there.
pub fn ensure_private_file(path: &Path) -> io::Result<()> {
    match create_private_file(path) {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(error),
    }
}

/// A file or folder of the data directory that other accounts can read or write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LooseMode {
    /// The file or folder.
    pub path: PathBuf,
    /// Its permission bits (`0o644`).
    pub mode: u32,
    /// Whether it is a folder (so the fix is 0700, not 0600).
    pub is_dir: bool,
}

impl std::fmt::Display for LooseMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let want = if self.is_dir { "700" } else { "600" };
        let path = self.path.display();
        write!(
            f,
            "cảnh báo: {path} có quyền {mode:03o}, tài khoản khác trên máy này đọc được (dữ liệu cá nhân của \
             học sinh); sửa: chmod {want} {path} / warning: {path} has mode {mode:03o}, other accounts on this \
             PC can read it (students' personal data); fix: chmod {want} {path}",
            mode = self.mode,
        )
    }
}

/// What in the data directory `dir` others may read: the directory itself and its direct entries
/// (anything deeper sits behind them). A missing directory has nothing loose.
pub fn loose_modes(dir: &Path) -> io::Result<Vec<LooseMode>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mut loose = Vec::new();
        let check = |path: &Path, loose: &mut Vec<LooseMode>| -> io::Result<()> {
            // symlink_metadata: a link's own mode is meaningless; what it points at is checked
            // only if it is inside, which it then is as an entry of its own.
            let metadata = std::fs::symlink_metadata(path)?;
            if metadata.file_type().is_symlink() {
                return Ok(());
            }
            let mode = metadata.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                loose.push(LooseMode { path: path.to_path_buf(), mode, is_dir: metadata.is_dir() });
            }
            Ok(())
        };
        match std::fs::symlink_metadata(dir) {
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(loose),
            Err(error) => return Err(error),
            Ok(_) => {}
        }
        check(dir, &mut loose)?;
        let mut entries: Vec<PathBuf> =
            std::fs::read_dir(dir)?.map(|entry| entry.map(|entry| entry.path())).collect::<io::Result<_>>()?;
        entries.sort();
        for path in entries {
            check(&path, &mut loose)?;
        }
        Ok(loose)
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(Vec::new())
    }
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn made_private_and_loose_ones_are_named() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("a/b");
        create_private_dir(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&root.path().join("a")), 0o700);
        create_private_file(&dir.join("x")).unwrap();
        ensure_private_file(&dir.join("x")).unwrap();
        assert_eq!(mode(&dir.join("x")), 0o600);
        assert!(loose_modes(&dir).unwrap().is_empty());

        std::fs::write(dir.join("y"), b"").unwrap();
        std::fs::set_permissions(dir.join("y"), std::fs::Permissions::from_mode(0o644)).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        let loose = loose_modes(&dir).unwrap();
        assert_eq!(
            loose,
            [
                LooseMode { path: dir.clone(), mode: 0o755, is_dir: true },
                LooseMode { path: dir.join("y"), mode: 0o644, is_dir: false },
            ]
        );
        let text = loose[1].to_string();
        assert!(text.contains("644") && text.contains("chmod 600"), "{text}");
        assert!(loose_modes(&root.path().join("none")).unwrap().is_empty());
    }
}
