//! The exam content is sealed on disk: a copied database file reveals no question or key, and
//! a store from before version 4 is sealed the first time the identity opens it.

use super::*;
use crate::{Reader, StoreError};

/// Every file of the store (database, WAL, shared memory), as someone copying the folder gets it.
fn file_bytes(site: &Site) -> Vec<u8> {
    let mut bytes = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let path = site.data_dir().join(format!("{}{suffix}", super::super::FILE_NAME));
        bytes.extend(std::fs::read(path).unwrap_or_default());
    }
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// An exam whose content has unmistakable option texts and an answer key.
fn secret_exam() -> ExamRecord {
    ExamRecord {
        exam_json: r#"{"options":["Hà Nội là thủ đô từ năm 1010","Huế là cố đô"],"key":"ĐÁP-ÁN-BÍ-MẬT"}"#.to_owned(),
        ..toan_10()
    }
}

const SECRETS: [&str; 3] = ["Hà Nội là thủ đô từ năm 1010", "Huế là cố đô", "ĐÁP-ÁN-BÍ-MẬT"];

#[tokio::test]
async fn a_copied_store_reveals_no_question_or_key() {
    let site = Site::new();
    site.store.add_exam(secret_exam(), None).await.unwrap();
    // Read back through the identity's key, it is the exam as added.
    assert_eq!(site.store.reader().unwrap().exam(&toan_10().id).unwrap(), Some(secret_exam()));
    let bytes = file_bytes(&site);
    assert!(contains(&bytes, "Kiểm tra giữa kì I"), "the title stays readable (the search works)");
    for secret in SECRETS {
        assert!(!contains(&bytes, secret), "{secret:?} is in the file in clear");
    }
    // A reader without the identity (a copied file) cannot open the exam, and says why.
    let bare = Reader::open_in(&site.data_dir()).unwrap();
    let error = bare.exam(&toan_10().id).unwrap_err();
    assert!(matches!(error, StoreError::Sealed { .. }), "{error}");
    assert!(error.to_string().contains("niêm phong"), "{error}");
    let site = site.reopen();
    assert_eq!(site.store.reader().unwrap().exams().unwrap(), vec![secret_exam()]);
}

#[tokio::test]
async fn another_identity_cannot_open_the_exam() {
    let site = Site::new();
    site.store.add_exam(secret_exam(), None).await.unwrap();
    let stranger = crate::AtRestKey::exam_content(&SigningKey::generate().unwrap());
    let reader = Reader::open_in(&site.data_dir()).unwrap().with_exam_key(stranger);
    assert!(matches!(reader.exam(&toan_10().id), Err(StoreError::Corrupt { .. })));
}

#[tokio::test]
async fn an_older_store_with_clear_exams_is_sealed_on_open() {
    let site = Site::new();
    let exam = secret_exam();
    // As a version-3 store kept it: the JSON in clear, nothing sealed.
    site.raw_connection()
        .execute(
            "INSERT INTO exams (exam_id, title, duration_ms, exam_json, teacher_key, content_key, added_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            rusqlite::params![
                exam.id.as_bytes(),
                exam.title,
                exam.duration_ms as i64,
                exam.exam_json,
                exam.teacher_key.as_bytes(),
                exam.sealed_content_key,
                exam.added_ms as i64
            ],
        )
        .unwrap();
    assert!(contains(&file_bytes(&site), SECRETS[0]), "the fixture is in clear before");
    let site = site.reopen();
    assert_eq!(site.store.reader().unwrap().exam(&exam.id).unwrap(), Some(exam));
    let bytes = file_bytes(&site);
    for secret in SECRETS {
        assert!(!contains(&bytes, secret), "{secret:?} is still in the file after sealing");
    }
}

/// The data directory and every file SQLite makes in it are private to the proctor's account,
/// whatever the umask: the roster, sheets and scores are personal data.
#[cfg(unix)]
#[tokio::test]
async fn the_data_directory_is_0700_and_its_files_0600() {
    use std::os::unix::fs::PermissionsExt;
    let root = tempfile::tempdir().unwrap();
    let data = crate::datadir::DataDir::new(root.path().join("phong-may"));
    data.init(&[], None).unwrap();
    let store = crate::Store::open(data.path(), data.identity(None).unwrap()).unwrap();
    store.add_exam(secret_exam(), None).await.unwrap();
    let mut seen = Vec::new();
    for entry in std::fs::read_dir(data.path()).unwrap() {
        let entry = entry.unwrap();
        let mode = entry.metadata().unwrap().permissions().mode() & 0o777;
        seen.push((entry.file_name().into_string().unwrap(), mode));
    }
    seen.sort();
    // The WAL and its index exist while the store is open; both take the database's mode.
    let names: Vec<_> = seen.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        ["proctor.key", "proctor.sqlite", "proctor.sqlite-shm", "proctor.sqlite-wal", "tls-cert.der", "tls-key.der"]
    );
    assert!(seen.iter().all(|(_, mode)| *mode == 0o600), "{seen:?}");
    assert_eq!(std::fs::metadata(data.path()).unwrap().permissions().mode() & 0o777, 0o700);
    assert!(data.loose_modes().unwrap().is_empty());
    store.close().unwrap();
}
