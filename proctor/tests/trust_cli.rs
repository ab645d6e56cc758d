//! `proctor trust` and the trust check of `exam add`, through the real binary: a bundle from a
//! key the school has not listed is refused with the key named, accepted once it is trusted or
//! with `--trust-once` (which the audit log records), and bad keys are refused clearly.
//! `--trust-once` does not extend to reviewers: an approval counts only from a listed key.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)] // a test: a panic is the report

mod support;

use phongthi_store::admin::open_store;
use phongthi_store::datadir::DataDir;
use phongthi_store::demo::{ROSTER_CSV, exam_day};
use support::cli::{ok, proctor, refused};

#[tokio::test]
async fn an_unknown_signer_is_refused_until_the_school_trusts_it() {
    let dir = tempfile::tempdir().unwrap();
    // The demo writes a teacher's bundle beside its own data directory.
    let day = exam_day(dir.path(), 1, ROSTER_CSV).await.unwrap();
    let bundle = dir.path().join("giua-ky-1.exam");
    let teacher = {
        let (store, _) = open_store(&day.data, None).unwrap();
        let key = store.reader().unwrap().exam(&day.exam_id).unwrap().unwrap().teacher_key;
        store.close().unwrap();
        key
    };
    let pass = dir.path().join("pass.txt");
    std::fs::write(&pass, "mật khẩu đề").unwrap();
    let add = ["exam", "add", bundle.to_str().unwrap(), "--passphrase-file", pass.to_str().unwrap()];

    let school = dir.path().join("truong");
    ok(&proctor(&school, &["init"]));
    let error = refused(&proctor(&school, &add));
    assert!(error.contains(&teacher.fingerprint()) && error.contains(&teacher.to_string()), "{error}");
    assert!(error.contains("chưa tin cậy") && error.contains("proctor trust add"), "{error}");
    let listed = ok(&proctor(&school, &["--lang", "en", "trust", "list"]));
    assert!(listed.contains("No key is trusted yet"), "{listed}");

    let bad = refused(&proctor(&school, &["trust", "add", "abc123", "--name", "x"]));
    assert!(bad.contains("64") && bad.contains("abc123"), "{bad}");
    let hex = teacher.to_string();
    let trusted = ok(&proctor(&school, &["trust", "add", &hex.to_uppercase(), "--name", "cô Lan, tổ Toán"]));
    assert!(trusted.contains("cô Lan, tổ Toán") && trusted.contains(&teacher.fingerprint()), "{trusted}");
    let listed = ok(&proctor(&school, &["trust", "list"]));
    assert!(listed.contains("cô Lan, tổ Toán") && listed.contains(&hex), "{listed}");
    // The teacher alone is not enough: the items' reviewer must be listed too.
    let error = refused(&proctor(&school, &add));
    assert!(error.contains("chưa tin cậy") && error.contains(&day.reviewer.to_string()), "{error}");
    ok(&proctor(&school, &["trust", "add", &day.reviewer.to_string(), "--name", "thầy Hùng, tổ trưởng"]));
    let added = ok(&proctor(&school, &add));
    assert!(added.contains("cô Lan, tổ Toán") && added.contains("thầy Hùng, tổ trưởng"), "{added}");

    ok(&proctor(&school, &["trust", "remove", &hex]));
    let again = refused(&proctor(&school, &["trust", "remove", &hex]));
    assert!(again.contains("nothing removed"), "{again}");
    assert!(!ok(&proctor(&school, &["trust", "list"])).contains(&hex));

    // Another school accepts this one bundle without listing the key, but not its reviewer's
    // approvals: only as a practice test. The log says both.
    let other = dir.path().join("truong-khac");
    ok(&proctor(&other, &["init"]));
    let mut once = add.to_vec();
    once.push("--trust-once");
    let error = refused(&proctor(&other, &once));
    assert!(error.contains(&day.reviewer.to_string()) && error.contains("--practice"), "{error}");
    once.push("--practice");
    let added = ok(&proctor(&other, &once));
    assert!(added.contains("chưa tin cậy") && added.contains("Bài luyện tập"), "{added}");
    let (store, _) = open_store(&DataDir::new(&other), None).unwrap();
    let entries = store.reader().unwrap().audit_entries().unwrap();
    let add_entry = entries.iter().find(|e| e.entry.action == "exam.add").unwrap();
    assert!(add_entry.entry.detail.contains("\"trust_once\":true"), "{}", add_entry.entry.detail);
    assert!(add_entry.entry.detail.contains("\"practice\":true"), "{}", add_entry.entry.detail);
    assert!(store.reader().unwrap().exam(&day.exam_id).unwrap().unwrap().practice);
    assert!(store.reader().unwrap().trusted_signers().unwrap().is_empty(), "trust-once lists nothing");
    store.close().unwrap();
}
