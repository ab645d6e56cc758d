//! The question bank's SQLite store: items, their images, the subject group's review workflow
//! with its signed statements, search, and how often each item was used in a test.
//!
//! This module is the only place in the workspace that knows item SQL (invariant 11 in
//! `ARCHITECTURE.md`). Its shape follows mozilla application-services: the schema is `.sql`
//! files under `schema/`, [`open`] upgrades a database by `PRAGMA user_version` inside one
//! `BEGIN IMMEDIATE` transaction, and each table module is a set of free functions over a
//! [`Connection`]. Functions that change several rows run their own transaction, so each call
//! is all or nothing.
//!
//! Times are Unix milliseconds passed in by the caller (`now_ms`): the store never reads the
//! clock, which keeps tests deterministic.

mod error;
pub mod images;
pub mod items;
pub mod migrations;
pub mod review;
mod search;

pub use error::{Operation, SelfApproval, StoreError};
pub use items::{ImportSummary, ItemFilter, StoredItem, candidates, get, import_items, list, record_usage};
pub use review::{
    Decision, HistoryEntry, StoredStatement, carried_statements, history, reopen, restore, retire, review,
    review_signed, statements, submit, submit_signed,
};
/// Re-exported so callers of [`open`] need no direct rusqlite dependency.
pub use rusqlite::Connection;

use error::ResultExt;
use std::path::Path;
use std::time::Duration;

/// How long a writer waits for another process (a second `qbank` window, say) to finish its
/// transaction before giving up with a "database is locked" error.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Opens (creating if needed) the question bank at `path` and brings its schema up to date.
///
/// The bank is a teacher's desktop database, not the exam store, so it runs in WAL mode with
/// `synchronous=NORMAL`: a power cut may lose the last committed change but never corrupts the
/// file. Foreign keys are enforced. A database written by a newer Phòng Thi is refused with
/// [`StoreError::NewerSchema`], and a file that is some other program's database with
/// [`StoreError::NotABank`].
pub fn open(path: impl AsRef<Path>) -> Result<Connection, StoreError> {
    let conn = Connection::open(path.as_ref()).during(Operation::Open)?;
    configure(&conn).during(Operation::Open)?;
    migrations::migrate(&conn)?;
    Ok(conn)
}

/// Per-connection settings; they must be set outside a transaction.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // `journal_mode` answers with the mode it ended up in; WAL is refused only by exotic
    // file systems, where the default rollback journal is still correct, so the answer is not
    // checked.
    let _mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    Ok(())
}
