//! The store's schema versions, keyed by `PRAGMA user_version`: frozen `.sql` steps under
//! `schema/`, run by [`phongthi_question_bank::schema_steps`] (one immediate transaction, newer
//! or foreign files refused).
//! A store written by a newer version is refused: the answers in it are worth more than a
//! started exam.

use super::error::{Operation, StoreError};
use phongthi_question_bank::schema_steps::{Migration, StepError};
use rusqlite::Connection;

/// `PRAGMA application_id` of a proctor store: 'PTPR' in ASCII.
pub const APPLICATION_ID: i64 = 0x5054_5052;

/// Every schema version, oldest first. Append only: a released step is never edited, because
/// proctors' stores were built by it.
pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, sql: include_str!("schema/v1.sql") },
    Migration { version: 2, sql: include_str!("schema/v2.sql") },
    Migration { version: 3, sql: include_str!("schema/v3.sql") },
    Migration { version: 4, sql: include_str!("schema/v4.sql") },
    Migration { version: 5, sql: include_str!("schema/v5.sql") },
    // Named for its table (it was step 5 on its branch; the merge made it 6).
    Migration { version: 6, sql: include_str!("schema/v6_allowed_builds.sql") },
    Migration { version: 7, sql: include_str!("schema/v7.sql") },
];

/// The schema version this code writes and reads.
pub const CURRENT_VERSION: i64 = 7;

/// Brings the schema up to [`CURRENT_VERSION`].
pub(crate) fn migrate(conn: &Connection) -> Result<(), StoreError> {
    migrate_with(conn, MIGRATIONS)
}

/// Runs the steps of `migrations` that the database lacks, in one immediate transaction.
pub(crate) fn migrate_with(conn: &Connection, migrations: &[Migration]) -> Result<(), StoreError> {
    phongthi_question_bank::schema_steps::migrate(conn, APPLICATION_ID, migrations).map_err(|error| match error {
        StepError::Sqlite(source) => StoreError::Sqlite { operation: Operation::Migrate, source },
        StepError::NewerSchema { found, supported } => StoreError::NewerSchema { found, supported },
        StepError::NotOurs { application_id } => StoreError::NotAProctorDatabase { application_id },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fresh(dir: &tempfile::TempDir) -> Connection {
        Connection::open(dir.path().join("proctor.sqlite")).unwrap()
    }

    fn version(conn: &Connection) -> i64 {
        conn.pragma_query_value(None, "user_version", |row| row.get(0)).unwrap()
    }

    fn tables(conn: &Connection) -> Vec<String> {
        let mut statement = conn.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").unwrap();
        statement.query_map([], |row| row.get(0)).unwrap().map(Result::unwrap).collect()
    }

    /// A step after the newest real one, for tests of upgrades and of newer files.
    const STEP_NEXT: Migration = Migration {
        version: CURRENT_VERSION + 1,
        sql: "CREATE TABLE future_table (id INTEGER PRIMARY KEY, payload BLOB NOT NULL);",
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
    fn a_new_file_gets_every_table_and_the_current_version() {
        let dir = tempfile::tempdir().unwrap();
        let conn = fresh(&dir);
        migrate(&conn).unwrap();
        assert_eq!(version(&conn), CURRENT_VERSION);
        assert_eq!(
            tables(&conn),
            [
                "allowed_builds",
                "audit",
                "events",
                "exams",
                "incidents",
                "marks",
                "outbox",
                "purges",
                "receipts",
                "scores",
                "session_keys",
                "sessions",
                "sheets",
                "sqlite_sequence",
                "students",
                "trusted_signers"
            ]
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
        conn.execute(
            "INSERT INTO students (student_id, full_name, class) VALUES ('0123456789', 'Lê Văn Bình', '10A1')",
            [],
        )
        .unwrap();
        // Running step 1 again would fail on CREATE TABLE exams, so success shows it was skipped.
        migrate_with(&conn, &with_next_step()).unwrap();
        assert_eq!(version(&conn), CURRENT_VERSION + 1);
        assert!(tables(&conn).contains(&"future_table".to_owned()));
        let kept: i64 = conn.query_row("SELECT count(*) FROM students", [], |row| row.get(0)).unwrap();
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
        assert!(error.to_string().contains("hãy cập nhật Phòng Thi"), "{error}");
        assert_eq!(version(&conn), newer);
    }

    #[test]
    fn another_programs_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let conn = fresh(&dir);
        conn.execute_batch("CREATE TABLE diem (hoc_sinh TEXT)").unwrap();
        let error = migrate(&conn).unwrap_err();
        assert!(matches!(error, StoreError::NotAProctorDatabase { application_id: 0 }), "{error}");

        // A question bank ('PTQB') is a Phòng Thi file, but not this one.
        let bank = Connection::open(dir.path().join("nganhang.sqlite")).unwrap();
        bank.execute_batch("PRAGMA application_id = 1347703106; PRAGMA user_version = 1;").unwrap();
        let error = migrate(&bank).unwrap_err();
        assert!(matches!(error, StoreError::NotAProctorDatabase { application_id: 1_347_703_106 }), "{error}");
        assert!(error.to_string().contains("không phải kho bài thi"), "{error}");
    }
}
