//! `proctor backup`, `restore` and `purge` through the real binary, on an exam day from the
//! example files with students logged in: the backup restores into a new folder that opens with
//! the same identity; a wrong passphrase and a cut file restore nothing; a purge inside the
//! retention period is refused, and with `--force` erases the sessions; a data directory with
//! loose modes is warned about.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)] // a test: a panic is the report

mod support;

use phongthi_store::admin::open_store;
use phongthi_store::demo::{ROSTER_CSV, exam_day};
use support::cli::{ok, proctor, refused, text};

#[tokio::test]
async fn backup_restore_and_purge_as_a_proctor_runs_them() {
    let dir = tempfile::tempdir().unwrap();
    let day = exam_day(dir.path(), 2, ROSTER_CSV).await.unwrap();
    let data = day.data.path();
    {
        let (store, _) = open_store(&day.data, None).unwrap();
        support::sessions::log_in(&store, day.exam_id, "0123456789", 0).await;
        support::sessions::log_in(&store, day.exam_id, "0123456790", 1).await;
        store.close().unwrap();
    }
    let pass = dir.path().join("pass.txt");
    std::fs::write(&pass, "mật khẩu sao lưu\n").unwrap();
    let wrong = dir.path().join("wrong.txt");
    std::fs::write(&wrong, "không phải\n").unwrap();
    let out = dir.path().join("sao-luu.ptbk");
    let out_str = out.to_str().unwrap();
    let pass_str = pass.to_str().unwrap();

    let printed = ok(&proctor(data, &["backup", "--out", out_str, "--passphrase-file", pass_str]));
    assert!(printed.contains("Đã sao lưu và kiểm tra") && printed.contains("proctor.sqlite"), "{printed}");
    let again = refused(&proctor(data, &["backup", "--out", out_str, "--passphrase-file", pass_str]));
    assert!(again.contains("không ghi đè"), "{again}");
    let checked = ok(&proctor(data, &["--lang", "en", "restore", out_str, "--passphrase-file", pass_str, "--check"]));
    assert!(checked.contains("The backup is intact"), "{checked}");

    let target = dir.path().join("may-moi");
    let error = refused(&proctor(&target, &["restore", out_str, "--passphrase-file", wrong.to_str().unwrap()]));
    assert!(error.contains("sai mật khẩu") && error.contains("wrong passphrase"), "{error}");
    let bytes = std::fs::read(&out).unwrap();
    let cut = dir.path().join("cut.ptbk");
    std::fs::write(&cut, &bytes[..bytes.len() - 100]).unwrap();
    let error = refused(&proctor(&target, &["restore", cut.to_str().unwrap(), "--passphrase-file", pass_str]));
    assert!(error.contains("bị cắt cụt") && error.contains("cut.ptbk"), "{error}");
    assert!(!target.exists());

    let restored = ok(&proctor(&target, &["restore", out_str, "--passphrase-file", pass_str]));
    assert!(restored.contains("Đã khôi phục"), "{restored}");
    let verified = ok(&proctor(&target, &["--lang", "en", "audit", "verify"]));
    assert!(verified.contains("Audit log intact"), "{verified}");
    let occupied = refused(&proctor(&target, &["restore", out_str, "--passphrase-file", pass_str]));
    assert!(occupied.contains("đã có dữ liệu"), "{occupied}");

    let exam = day.exam_id.to_hex();
    let early = refused(&proctor(data, &["purge", "--exam", &exam, "--by", "cô Lan"]));
    assert!(early.contains("thời hạn lưu trữ") && early.contains("--force"), "{early}");
    let purged = ok(&proctor(data, &["--lang", "en", "purge", "--exam", &exam, "--by", "cô Lan", "--force"]));
    assert!(purged.contains("2 sessions"), "{purged}");
    let (store, _) = open_store(&day.data, None).unwrap();
    let reader = store.reader().unwrap();
    assert!(reader.sessions_of_exam(&day.exam_id).unwrap().is_empty());
    assert_eq!(reader.audit_entries().unwrap().last().unwrap().entry.action, "exam.purge");
    drop(reader);
    store.close().unwrap();
    // The restored copy still has them: a backup is taken before a purge for this reason.
    let (store, _) = open_store(&phongthi_store::datadir::DataDir::new(&target), None).unwrap();
    assert_eq!(store.reader().unwrap().sessions_of_exam(&day.exam_id).unwrap().len(), 2);
    store.close().unwrap();
}

#[cfg(unix)]
#[tokio::test]
async fn a_data_directory_others_can_read_is_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let day = exam_day(dir.path(), 1, ROSTER_CSV).await.unwrap();
    let data = day.data.path();
    let quiet = proctor(data, &["audit", "verify"]);
    assert!(!text(&quiet.stderr).contains("chmod"), "{}", text(&quiet.stderr));
    std::fs::set_permissions(data.join("proctor.sqlite"), std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(data, std::fs::Permissions::from_mode(0o755)).unwrap();
    let warned = text(&proctor(data, &["audit", "verify"]).stderr);
    assert!(warned.contains(&format!("chmod 600 {}", data.join("proctor.sqlite").display())), "{warned}");
    assert!(warned.contains(&format!("chmod 700 {}", data.display())), "{warned}");
}
