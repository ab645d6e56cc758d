//! Opening a bank: connection settings, schema versions, and banks written by older versions.

use crate::fixtures::{self, NOW, bank};
use phongthi_items::{ItemId, Status};
use phongthi_question_bank::store::{self, Connection, ItemFilter, Operation, StoreError, migrations};
use std::path::Path;

/// Builds a database file exactly as an older Phòng Thi left it, from its frozen SQL.
fn old_bank(path: &Path, sql: &str) {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(sql).unwrap();
}

/// The schema as comparable text: every object's SQL with comments and spacing normalised.
fn schema(conn: &Connection) -> Vec<String> {
    let mut statement = conn.prepare("SELECT type, name, coalesce(sql, '') FROM sqlite_schema ORDER BY name").unwrap();
    let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?))).unwrap();
    rows.map(|row| {
        let (kind, name, sql): (String, String, String) = row.unwrap();
        let without_comments: String =
            sql.lines().map(|line| line.split("--").next().unwrap_or_default()).collect::<Vec<_>>().join(" ");
        format!("{kind} {name}: {}", without_comments.split_whitespace().collect::<Vec<_>>().join(" "))
    })
    .collect()
}

fn user_version(conn: &Connection) -> i64 {
    conn.pragma_query_value(None, "user_version", |row| row.get(0)).unwrap()
}

#[test]
fn the_bundled_sqlite_has_fts5() {
    let (_dir, conn) = bank();
    let used: i64 = conn.query_row("SELECT sqlite_compileoption_used('ENABLE_FTS5')", [], |row| row.get(0)).unwrap();
    assert_eq!(used, 1);
}

#[test]
fn open_sets_wal_normal_sync_and_foreign_keys() {
    let (_dir, conn) = bank();
    let mode: String = conn.pragma_query_value(None, "journal_mode", |row| row.get(0)).unwrap();
    let synchronous: i64 = conn.pragma_query_value(None, "synchronous", |row| row.get(0)).unwrap();
    let foreign_keys: i64 = conn.pragma_query_value(None, "foreign_keys", |row| row.get(0)).unwrap();
    assert_eq!((mode.as_str(), synchronous, foreign_keys), ("wal", 1, 1));
    assert_eq!(user_version(&conn), migrations::CURRENT_VERSION);
}

#[test]
fn items_survive_closing_and_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nganhang.sqlite");
    let ids = store::import_items(&store::open(&path).unwrap(), &fixtures::all(), NOW).unwrap().inserted;
    let conn = store::open(&path).unwrap();
    for (id, item) in ids.into_iter().zip(fixtures::all()) {
        assert_eq!(store::get(&conn, id).unwrap().item, item);
    }
}

#[test]
fn a_bank_from_a_newer_version_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nganhang.sqlite");
    store::open(&path).unwrap();
    let newer = migrations::CURRENT_VERSION + 1;
    Connection::open(&path).unwrap().pragma_update(None, "user_version", newer).unwrap();

    let error = store::open(&path).unwrap_err();
    assert!(
        matches!(error, StoreError::NewerSchema { found, supported } if found == newer && supported == migrations::CURRENT_VERSION),
        "{error}"
    );
    let message = error.to_string();
    assert!(message.contains(&format!("phiên bản {newer}")) && message.contains("update Phòng Thi"), "{message}");
    assert_eq!(user_version(&Connection::open(&path).unwrap()), newer);
}

#[test]
fn a_file_that_is_not_a_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("de-thi.docx");
    std::fs::write(&path, "PK\u{3}\u{4} đây là một tệp Word, không phải cơ sở dữ liệu ".repeat(40)).unwrap();
    let error = store::open(&path).unwrap_err();
    assert!(matches!(error, StoreError::Sqlite { operation: Operation::Open, .. }), "{error}");
    assert!(
        error.to_string().starts_with("lỗi SQLite khi mở ngân hàng câu hỏi / SQLite error while opening"),
        "{error}"
    );
}

#[test]
fn another_programs_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("so-diem.sqlite");
    old_bank(&path, "CREATE TABLE scores (student TEXT, score TEXT); INSERT INTO scores VALUES ('HS001', '8,5');");
    let error = store::open(&path).unwrap_err();
    assert!(matches!(error, StoreError::NotABank { application_id: 0 }), "{error}");
    let conn = Connection::open(&path).unwrap();
    assert_eq!(schema(&conn).len(), 1);
}

mod version_1 {
    use super::*;

    const V1: &str = include_str!("../fixtures/bank_v1.sql");

    fn opened() -> (tempfile::TempDir, Connection) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nganhang-v1.sqlite");
        old_bank(&path, V1);
        let conn = store::open(&path).unwrap();
        (dir, conn)
    }

    #[test]
    fn its_items_read_back_with_their_status_usage_and_images() {
        let (_dir, conn) = opened();
        assert_eq!(user_version(&conn), migrations::CURRENT_VERSION);

        let first = store::get(&conn, ItemId::new(1)).unwrap();
        assert_eq!(first.item, fixtures::menh_de());
        assert_eq!(first.status, Status::Approved);
        assert_eq!((first.usage_count, first.last_used_ms), (2, Some(1_757_289_600_000)));
        assert_eq!((first.created_ms, first.updated_ms), (1_757_030_400_000, 1_757_116_800_000));
        assert_eq!(first.content_hash, fixtures::menh_de().content_hash());

        let second = store::get(&conn, ItemId::new(2)).unwrap();
        assert_eq!(second.item, fixtures::tap_hop());
        assert_eq!(second.status, Status::Draft);
    }

    #[test]
    fn its_history_search_and_dedup_keep_working() {
        let (_dir, conn) = opened();
        let history = store::history(&conn, ItemId::new(1)).unwrap();
        let steps: Vec<(Option<Status>, Status, &str)> =
            history.iter().map(|e| (e.from, e.to, e.by.as_str())).collect();
        assert_eq!(
            steps,
            [
                (None, Status::Draft, "Nguyễn Văn An"),
                (Some(Status::Draft), Status::Submitted, "Nguyễn Văn An"),
                (Some(Status::Submitted), Status::Approved, "Trần Thị Bình"),
            ]
        );
        let found = |text: &str| -> Vec<i64> {
            let filter = ItemFilter { search: Some(text.into()), subject: Some("TOÁN".into()), ..Default::default() };
            store::list(&conn, &filter).unwrap().iter().map(|s| s.id.get()).collect()
        };
        assert_eq!(found("Mệnh đề"), [1]);
        assert_eq!(found("phan tu"), [2]);

        let summary = store::import_items(&conn, &fixtures::all(), NOW).unwrap();
        assert_eq!(summary.existing, [ItemId::new(1), ItemId::new(2)]);
        // New numbers continue after the old ones.
        assert_eq!(summary.inserted.first(), Some(&ItemId::new(3)));
        store::retire(&conn, ItemId::new(1), "Trần Thị Bình", None, NOW).unwrap();
    }

    #[test]
    fn its_upgraded_schema_is_the_schema_of_a_new_bank() {
        let (_dir, upgraded) = opened();
        let (_fresh_dir, fresh) = bank();
        assert_eq!(schema(&upgraded), schema(&fresh));
    }
}
