//! Versioned SQLite schemas, shared by the question bank and the proctor's store.
//!
//! Each version is a frozen SQL step that upgrades the previous version (the first one creates
//! everything), keyed by `PRAGMA user_version`. A new file runs every step; an old one runs the
//! steps it lacks. All of them run in one `BEGIN IMMEDIATE` transaction together with the new
//! `user_version`, so a failed upgrade leaves the file as it was and two processes opening the
//! same file cannot both upgrade it. A file whose version is newer than the code's is refused:
//! the code would misread tables it does not know. So is a file of another program, told by
//! `PRAGMA application_id`. Each store maps [`StepError`] onto its own error, which names the
//! file in the user's words.

use rusqlite::{Connection, Transaction, TransactionBehavior};

/// One schema version: the SQL that upgrades the version before it to this one.
#[derive(Clone, Copy, Debug)]
pub struct Migration {
    /// The `user_version` the database has after this step.
    pub version: i64,
    /// The step's statements.
    pub sql: &'static str,
}

/// Why a schema could not be brought up to date.
#[derive(Debug, thiserror::Error)]
pub enum StepError {
    /// SQLite failed (I/O, a broken step, a locked file).
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    /// The file was written by a newer version of the program.
    #[error("schema version {found} is newer than {supported}")]
    NewerSchema {
        /// The file's `user_version`.
        found: i64,
        /// The newest version this code knows.
        supported: i64,
    },
    /// The file belongs to another program (or another kind of Phòng Thi file).
    #[error("application id {application_id:#x} is not ours")]
    NotOurs {
        /// The file's `PRAGMA application_id`.
        application_id: i64,
    },
}

/// Runs the steps of `migrations` (oldest first) that the file lacks, in one immediate
/// transaction, after checking that the file is empty or carries `application_id`. The first
/// step must set that id.
pub fn migrate(conn: &Connection, application_id: i64, migrations: &[Migration]) -> Result<(), StepError> {
    let supported = migrations.last().map_or(0, |m| m.version);
    // The version is read inside the write transaction: another process may have upgraded the
    // file between our open and this point.
    let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
    let found: i64 = tx.pragma_query_value(None, "user_version", |row| row.get(0))?;
    // Whose file it is comes first: another program's version number means nothing to us.
    check_owner(&tx, application_id, found)?;
    if found > supported {
        return Err(StepError::NewerSchema { found, supported });
    }
    if found == supported {
        return Ok(());
    }
    for migration in migrations.iter().filter(|m| m.version > found) {
        tx.execute_batch(migration.sql)?;
    }
    tx.pragma_update(None, "user_version", supported)?;
    Ok(tx.commit()?)
}

/// Refuses a database that belongs to another program: a version-0 file must be empty, and a
/// versioned one must carry our application id.
fn check_owner(conn: &Connection, ours: i64, version: i64) -> Result<(), StepError> {
    let application_id: i64 = conn.pragma_query_value(None, "application_id", |row| row.get(0))?;
    if version == 0 {
        let objects: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))?;
        if objects == 0 && (application_id == 0 || application_id == ours) {
            return Ok(());
        }
    } else if application_id == ours {
        return Ok(());
    }
    Err(StepError::NotOurs { application_id })
}
