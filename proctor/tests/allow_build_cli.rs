//! `proctor allow-build` through the real binary: a value is added with its name, listed,
//! renamed, removed; a mistyped value or a missing name is refused in both languages before the
//! store is touched; every change is in the audit log, which still verifies.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)] // a test: a panic is the report

use std::path::Path;
use std::process::{Command, Output};

fn proctor(data: &Path, lang: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_proctor"))
        .arg("--data")
        .arg(data)
        .arg("--lang")
        .arg(lang)
        .args(args)
        .output()
        .unwrap()
}

fn ok(run: &Output) -> String {
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    String::from_utf8(run.stdout.clone()).unwrap()
}

fn failed(run: &Output) -> String {
    assert!(!run.status.success(), "{}", String::from_utf8_lossy(&run.stdout));
    String::from_utf8(run.stderr.clone()).unwrap()
}

#[test]
fn builds_are_added_listed_renamed_removed_and_audited() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("proctor-data");
    ok(&proctor(&data, "en", &["init"]));
    let windows = "5d".repeat(32);
    let linux = "a0".repeat(32);

    let added = ok(&proctor(&data, "en", &["allow-build", &windows.to_uppercase(), "--name", "Phòng Thi 0.3 Windows"]));
    assert!(added.contains("Allowed client build: Phòng Thi 0.3 Windows"), "{added}");
    assert!(added.contains(&windows), "the value, lower-case: {added}");
    ok(&proctor(&data, "vi", &["allow-build", &linux, "--name", "Phòng Thi 0.3 Linux"]));
    let renamed = ok(&proctor(&data, "en", &["allow-build", &windows, "--name", "Phòng Thi 0.3.1 Windows"]));
    assert!(renamed.contains("Renamed client build: Phòng Thi 0.3.1 Windows"), "{renamed}");

    let list = ok(&proctor(&data, "en", &["allow-build", "--list"]));
    assert!(list.starts_with("Allowed client builds: 2\n"), "{list}");
    assert!(list.contains(&format!("{windows}  Phòng Thi 0.3.1 Windows")), "{list}");
    assert!(list.contains(&format!("{linux}  Phòng Thi 0.3 Linux")), "{list}");
    let list_vi = ok(&proctor(&data, "vi", &["allow-build", "--list"]));
    assert!(list_vi.starts_with("Bản máy khách được phép: 2\n"), "{list_vi}");

    let removed = ok(&proctor(&data, "en", &["allow-build", "--remove", &linux]));
    assert!(removed.contains("Removed client build: Phòng Thi 0.3 Linux"), "{removed}");
    let again = failed(&proctor(&data, "en", &["allow-build", "--remove", &linux]));
    assert!(again.contains("is not on the list of allowed builds"), "{again}");
    let list = ok(&proctor(&data, "en", &["allow-build", "--list"]));
    assert!(list.starts_with("Allowed client builds: 1\n") && !list.contains(&linux), "{list}");

    let verified = ok(&proctor(&data, "en", &["audit", "verify"]));
    assert!(verified.contains("Audit log intact: 4 entries"), "allow ×3, remove ×1: {verified}");
    let reader = phongthi_store::Reader::open_in(&data).unwrap();
    let entries: Vec<(String, String)> =
        reader.audit_entries().unwrap().into_iter().map(|e| (e.entry.action, e.entry.detail)).collect();
    assert_eq!(entries[0].0, "build.allow");
    assert!(entries[0].1.contains(&windows) && entries[0].1.contains("Phòng Thi 0.3 Windows"), "{entries:?}");
    assert_eq!(entries[3].0, "build.remove");
    assert!(entries[3].1.contains(&linux), "{entries:?}");
}

#[test]
fn bad_values_and_missing_names_are_refused_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("proctor-data");
    ok(&proctor(&data, "en", &["init"]));
    for bad in ["abc", &"zz".repeat(32), &"ab".repeat(31)] {
        let error = failed(&proctor(&data, "en", &["allow-build", bad, "--name", "x"]));
        assert!(error.contains("64 chữ số hex") && error.contains("exactly 64 hex digits"), "{error}");
        let error = failed(&proctor(&data, "en", &["allow-build", "--remove", bad]));
        assert!(error.contains("64 hex digits"), "{error}");
    }
    let error = failed(&proctor(&data, "en", &["allow-build", &"ab".repeat(32)]));
    assert!(error.contains("cần đặt tên") && error.contains("the build needs a name"), "{error}");
    let error = failed(&proctor(&data, "en", &["allow-build", &"ab".repeat(32), "--name", "  "]));
    assert!(error.contains("the build needs a name"), "{error}");
    let list = ok(&proctor(&data, "en", &["allow-build", "--list"]));
    assert!(list.starts_with("Allowed client builds: 0\n"), "nothing was stored: {list}");
}
