//! `proctor backup` / `restore` on a real data directory: the copy is sealed, restores to the
//! same store, and a wrong passphrase, a cut file and a changed byte are refused, each with its
//! own reason and without leaving a data directory behind.

use super::*;
use crate::backup::{BackupError, backup, restore, verify};
use crate::datadir::DataDir;
use crate::{Reader, private};
use phongthi_crypto::{KdfParams, Passphrase};

fn fast() -> KdfParams {
    KdfParams::with_iterations(KdfParams::MIN_ITERATIONS).unwrap()
}

const NAME: &str = "Nguyễn Thị Bích Ngọc";

/// An initialised data directory with an exam, a roster, a session with an answer, and an
/// export file in a subfolder.
async fn exam_day(root: &Path) -> DataDir {
    let data = DataDir::new(root.join("phong-may-1"));
    data.init(&[], None).unwrap();
    let store = Store::open(data.path(), data.identity(None).unwrap()).unwrap();
    store.add_exam(toan_10(), None).await.unwrap();
    let mut roster = lop_10a1();
    roster[0].full_name = NAME.to_owned();
    store.replace_roster(roster, None).await.unwrap();
    let mut an = Candidate::new(toan_10().id, "0101000001");
    store.create_session(an.new_session(1), None).await.unwrap();
    store.append_event(an.answer(1, "B"), T0 + 1_000).await.unwrap();
    // Left open on purpose: a backup is taken while `serve` may be writing.
    std::mem::forget(store);
    private::create_private_dir(&data.path().join("ket-qua")).unwrap();
    std::fs::write(data.path().join("ket-qua/diem.csv"), "ma,diem\n0101000001,7.25\n").unwrap();
    data
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

fn sealed_error(error: BackupError) -> phongthi_crypto::Error {
    match error {
        BackupError::Sealed { source, .. } => source,
        other => panic!("expected a sealed-stream error, got {other}"),
    }
}

#[tokio::test]
async fn a_backup_restores_to_the_same_store_and_reveals_nothing() {
    let root = tempfile::tempdir().unwrap();
    let data = exam_day(root.path()).await;
    let out = root.path().join("sao-luu.ptbk");
    let passphrase = Passphrase::new("sao lưu tháng 10");
    let made = backup(&data, &out, &passphrase, fast()).unwrap();
    let names: Vec<_> = made.files.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["ket-qua/diem.csv", "proctor.key", "tls-cert.der", "tls-key.der", "proctor.sqlite"]);
    let counts = made.counts.unwrap();
    assert_eq!((counts.exams, counts.students, counts.sessions, counts.events), (1, 4, 1, 1));

    let bytes = std::fs::read(&out).unwrap();
    for secret in [NAME, "0101000001", "PRIVATE KEY", "SQLite format 3"] {
        assert!(!contains(&bytes, secret), "{secret:?} is readable in the backup");
    }
    // No scratch file stays behind, beside the output or in the data directory.
    let beside: Vec<_> = std::fs::read_dir(root.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(beside.len(), 2, "{beside:?}");
    assert!(
        std::fs::read_dir(data.path()).unwrap().all(|e| !e.unwrap().file_name().to_string_lossy().starts_with('.'))
    );

    let target = root.path().join("phong-may-moi");
    let restored = restore(&out, &target, &passphrase).unwrap();
    assert_eq!(restored, made);
    let key = DataDir::new(&target).identity(None).unwrap();
    assert_eq!(key.public_key(), data.identity(None).unwrap().public_key());
    let store = Store::open(&target, key).unwrap();
    let reader = store.reader().unwrap();
    assert_eq!(reader.exam(&toan_10().id).unwrap(), Some(toan_10()));
    assert_eq!(reader.students().unwrap()[0].full_name, NAME);
    assert_eq!(std::fs::read_to_string(target.join("ket-qua/diem.csv")).unwrap(), "ma,diem\n0101000001,7.25\n");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&target).unwrap().permissions().mode() & 0o777, 0o700);
        assert!(private::loose_modes(&target).unwrap().is_empty());
        assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600);
    }
    assert_eq!(verify(&out, &passphrase).unwrap(), made);
}

#[tokio::test]
async fn a_wrong_passphrase_a_cut_file_and_a_changed_byte_restore_nothing() {
    let root = tempfile::tempdir().unwrap();
    let data = exam_day(root.path()).await;
    let out = root.path().join("sao-luu.ptbk");
    backup(&data, &out, &Passphrase::new("đúng"), fast()).unwrap();
    let bytes = std::fs::read(&out).unwrap();
    let target = root.path().join("moi");

    let error = sealed_error(restore(&out, &target, &Passphrase::new("sai")).unwrap_err());
    assert!(matches!(error, phongthi_crypto::Error::WrongPassphrase { .. }), "{error}");
    assert!(error.to_string().contains("sai mật khẩu"), "{error}");

    let cut = root.path().join("cut.ptbk");
    std::fs::write(&cut, &bytes[..bytes.len() * 2 / 3]).unwrap();
    let error = restore(&cut, &target, &Passphrase::new("đúng")).unwrap_err();
    assert!(error.to_string().contains("cut.ptbk"), "{error}");
    assert!(matches!(sealed_error(error), phongthi_crypto::Error::Truncated { .. }));

    let changed = root.path().join("changed.ptbk");
    let mut flipped = bytes.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x20;
    std::fs::write(&changed, &flipped).unwrap();
    let error = sealed_error(restore(&changed, &target, &Passphrase::new("đúng")).unwrap_err());
    assert!(matches!(error, phongthi_crypto::Error::Tampered { .. }), "{error}");

    assert!(!target.exists(), "a failed restore leaves no data directory");
    let leftovers: Vec<_> = std::fs::read_dir(root.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[tokio::test]
async fn restore_refuses_a_folder_with_data_and_backup_an_existing_file() {
    let root = tempfile::tempdir().unwrap();
    let data = exam_day(root.path()).await;
    let out = root.path().join("sao-luu.ptbk");
    let passphrase = Passphrase::new("p");
    backup(&data, &out, &passphrase, fast()).unwrap();
    assert!(matches!(backup(&data, &out, &passphrase, fast()), Err(BackupError::Exists(_))));
    assert!(matches!(restore(&out, data.path(), &passphrase), Err(BackupError::TargetNotEmpty(_))));
    // An empty folder (made by the operator beforehand) is fine.
    let empty = root.path().join("trong");
    std::fs::create_dir(&empty).unwrap();
    restore(&out, &empty, &passphrase).unwrap();
    assert!(Reader::open_in(&empty).is_ok());
    let not_initialised = DataDir::new(root.path().join("chua-co"));
    assert!(matches!(
        backup(&not_initialised, &root.path().join("x"), &passphrase, fast()),
        Err(BackupError::DataDir(_))
    ));
}
