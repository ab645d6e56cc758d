//! The bank's schema versions, keyed by `PRAGMA user_version`: frozen `.sql` steps under
//! `schema/`, run by [`crate::schema_steps`] (one immediate transaction, newer or foreign
//! files refused).

use super::error::{Operation, StoreError};
use crate::schema_steps::{Migration, StepError};
use rusqlite::Connection;

/// `PRAGMA application_id` of a question bank: 'PTQB' in ASCII.
pub const APPLICATION_ID: i64 = 0x5054_5142;

/// Every schema version, oldest first. Append only: a released step is never edited, because
/// teachers' banks were built by it.
pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, sql: include_str!("schema/v1.sql") },
    Migration { version: 2, sql: include_str!("schema/v2.sql") },
];

/// The schema version this code writes and reads.
pub const CURRENT_VERSION: i64 = 2;

/// Brings the schema up to [`CURRENT_VERSION`].
pub(crate) fn migrate(conn: &Connection) -> Result<(), StoreError> {
    migrate_with(conn, MIGRATIONS)
}

/// Runs the steps of `migrations` that the database lacks, in one immediate transaction.
pub(crate) fn migrate_with(conn: &Connection, migrations: &[Migration]) -> Result<(), StoreError> {
    crate::schema_steps::migrate(conn, APPLICATION_ID, migrations).map_err(|error| match error {
        StepError::Sqlite(source) => StoreError::Sqlite { operation: Operation::Migrate, source },
        StepError::NewerSchema { found, supported } => StoreError::NewerSchema { found, supported },
        StepError::NotOurs { application_id } => StoreError::NotABank { application_id },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fresh(dir: &tempfile::TempDir) -> Connection {
        Connection::open(dir.path().join("bank.sqlite")).unwrap()
    }

    fn version(conn: &Connection) -> i64 {
        conn.pragma_query_value(None, "user_version", |row| row.get(0)).unwrap()
    }

    fn tables(conn: &Connection) -> Vec<String> {
        let mut statement = conn
            .prepare(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'item_search_%' ORDER BY name",
            )
            .unwrap();
        statement.query_map([], |row| row.get(0)).unwrap().map(Result::unwrap).collect()
    }

    /// A step after the newest real one, for tests of upgrades and of newer files.
    const STEP_NEXT: Migration = Migration {
        version: CURRENT_VERSION + 1,
        sql: "CREATE TABLE blueprints (id INTEGER PRIMARY KEY, toml TEXT NOT NULL);",
    };

    /// Every real step, then `STEP_NEXT`.
    fn with_next_step() -> Vec<Migration> {
        MIGRATIONS.iter().copied().chain([STEP_NEXT]).collect()
    }

    #[test]
    fn the_versions_are_numbered_one_by_one_up_to_the_current_one() {
        for (index, migration) in MIGRATIONS.iter().enumerate() {
            assert_eq!(migration.version, index as i64 + 1);
        }
        assert_eq!(MIGRATIONS.last().map(|m| m.version), Some(CURRENT_VERSION));
    }

    #[test]
    fn a_new_file_gets_every_step_and_the_current_version() {
        let dir = tempfile::tempdir().unwrap();
        let conn = fresh(&dir);
        migrate(&conn).unwrap();
        assert_eq!(version(&conn), CURRENT_VERSION);
        assert_eq!(
            tables(&conn),
            ["images", "item_history", "item_images", "item_search", "item_statements", "items", "sqlite_sequence"]
        );
        let application_id: i64 = conn.pragma_query_value(None, "application_id", |row| row.get(0)).unwrap();
        assert_eq!(application_id, APPLICATION_ID);
    }

    #[test]
    fn migrating_twice_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let conn = fresh(&dir);
        migrate(&conn).unwrap();
        migrate(&conn).unwrap();
        assert_eq!(version(&conn), CURRENT_VERSION);
    }

    #[test]
    fn an_old_file_gets_only_the_steps_it_lacks() {
        let dir = tempfile::tempdir().unwrap();
        let conn = fresh(&dir);
        migrate_with(&conn, &MIGRATIONS[..1]).unwrap();
        conn.execute("INSERT INTO images (sha256, bytes) VALUES ('x', x'00')", []).unwrap();
        // Running step 1 again would fail on CREATE TABLE items, so success shows it was skipped;
        // the steps after it run.
        migrate_with(&conn, &with_next_step()).unwrap();
        assert_eq!(version(&conn), CURRENT_VERSION + 1);
        assert!(tables(&conn).contains(&"blueprints".to_owned()));
        assert!(tables(&conn).contains(&"item_statements".to_owned()));
        let kept: i64 = conn.query_row("SELECT count(*) FROM images", [], |row| row.get(0)).unwrap();
        assert_eq!(kept, 1);
    }

    #[test]
    fn a_failing_step_leaves_the_file_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let conn = fresh(&dir);
        let broken = Migration { version: 2, sql: "CREATE TABLE half_done (x); THIS IS NOT SQL;" };
        let error = migrate_with(&conn, &[MIGRATIONS[0], broken]).unwrap_err();
        assert!(matches!(error, StoreError::Sqlite { operation: Operation::Migrate, .. }), "{error}");
        assert_eq!(version(&conn), 0);
        assert!(tables(&conn).is_empty(), "{:?}", tables(&conn));
    }

    #[test]
    fn a_newer_file_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let conn = fresh(&dir);
        migrate_with(&conn, &with_next_step()).unwrap();
        let error = migrate(&conn).unwrap_err();
        let newer = CURRENT_VERSION + 1;
        assert!(
            matches!(error, StoreError::NewerSchema { found, supported: CURRENT_VERSION } if found == newer),
            "{error}"
        );
        assert_eq!(version(&conn), newer);
    }

    #[test]
    fn another_programs_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let conn = fresh(&dir);
        conn.execute_batch("CREATE TABLE students (id TEXT)").unwrap();
        let error = migrate(&conn).unwrap_err();
        assert!(matches!(error, StoreError::NotABank { application_id: 0 }), "{error}");

        let other = Connection::open(dir.path().join("exam.sqlite")).unwrap();
        other.execute_batch("PRAGMA application_id = 42; PRAGMA user_version = 1;").unwrap();
        let error = migrate(&other).unwrap_err();
        assert!(matches!(error, StoreError::NotABank { application_id: 42 }), "{error}");
        assert!(error.to_string().contains("không phải ngân hàng câu hỏi"), "{error}");
    }
}
