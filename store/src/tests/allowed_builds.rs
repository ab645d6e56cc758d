//! Allowed client builds (schema v6): added, renamed, listed, removed, each change in the audit
//! log, and the list survives reopening the store.

use super::*;
use crate::{AllowedBuildRecord, AuditNote, BuildAdded};
use phongthi_crypto::BuildDigest;

fn build(bytes: &[u8], name: &str, at: u64) -> AllowedBuildRecord {
    AllowedBuildRecord { digest: BuildDigest::of_bytes(bytes), name: name.to_owned(), added_ms: T0 + at }
}

fn note(at: u64, action: &str, detail: &str) -> AuditNote {
    AuditNote::new(T0 + at, "giám thị", action, detail)
}

#[tokio::test]
async fn builds_are_added_renamed_removed_and_audited() {
    let site = Site::new();
    let windows = build(b"exam-client.exe 0.3", "Phòng Thi 0.3 Windows", 1);
    let linux = build(b"exam-client 0.3", "Phòng Thi 0.3 Linux", 2);
    let store = &site.store;
    assert_eq!(store.allow_build(windows.clone(), note(1, "build.allow", "w")).await.unwrap(), BuildAdded::Added);
    assert_eq!(store.allow_build(linux.clone(), note(2, "build.allow", "l")).await.unwrap(), BuildAdded::Added);
    let renamed = AllowedBuildRecord {
        name: "  Phòng Thi 0.3 Windows (phòng 2)  ".into(),
        ..build(b"exam-client.exe 0.3", "", 3)
    };
    assert_eq!(store.allow_build(renamed, note(3, "build.allow", "w2")).await.unwrap(), BuildAdded::Renamed);

    let listed = store.reader().unwrap().allowed_builds().unwrap();
    let names: Vec<&str> = listed.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["Phòng Thi 0.3 Linux", "Phòng Thi 0.3 Windows (phòng 2)"], "trimmed, oldest first");

    let removed = store.remove_build(linux.digest, note(4, "build.remove", "l")).await.unwrap();
    assert_eq!(removed, Some(linux.clone()));
    let again = store.remove_build(linux.digest, note(5, "build.remove", "l")).await.unwrap();
    assert_eq!(again, None, "nothing left to remove");

    let site = site.reopen();
    let reader = site.store.reader().unwrap();
    let listed: Vec<BuildDigest> = reader.allowed_builds().unwrap().into_iter().map(|b| b.digest).collect();
    assert_eq!(listed, [windows.digest]);
    let actions: Vec<String> = reader.audit_entries().unwrap().into_iter().map(|e| e.entry.action).collect();
    assert_eq!(actions, ["build.allow", "build.allow", "build.allow", "build.remove"], "no entry for a no-op");
    reader.verify_audit(&site.key().public_key()).unwrap();
}

#[tokio::test]
async fn a_build_without_a_name_is_refused_and_nothing_is_audited() {
    let site = Site::new();
    let error = site.store.allow_build(build(b"x", "   ", 1), note(1, "build.allow", "x")).await.unwrap_err();
    assert!(error.to_string().contains("bản máy khách"), "{error}");
    let reader = site.store.reader().unwrap();
    assert!(reader.allowed_builds().unwrap().is_empty());
    assert!(reader.audit_entries().unwrap().is_empty());
}
