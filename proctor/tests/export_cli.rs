//! `proctor export` and `proctor verify-export` end to end through the real binary: an exam day
//! from the example files, scores stored for three of the five students, each format exported,
//! the folder verified, then refused after a score is changed by hand.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)] // a test: a panic is the report

mod support;

use phongthi_crypto::SigningKey;
use phongthi_store::admin::open_store;
use phongthi_store::demo::{ROSTER_CSV, exam_day};
use std::path::Path;
use std::process::{Command, Output};

fn proctor(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_proctor"))
        .arg("--data")
        .arg(data)
        .arg("--lang")
        .arg("en")
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn export_each_format_then_verify_and_refuse_a_changed_score() {
    let dir = tempfile::tempdir().unwrap();
    let day = exam_day(dir.path(), 2, ROSTER_CSV).await.unwrap();
    let (store, _) = open_store(&day.data, None).unwrap();
    let students = [("0123456789", Some(7_250)), ("0123456793", Some(9_000)), ("0123456790", None)];
    support::sessions::scored(&store, day.exam_id, 1, &students).await;
    store.close().unwrap();
    let data = day.data.path();
    let exam = day.exam_id.to_hex();

    for (format, file) in [
        ("csv", format!("diem-{exam}.csv")),
        ("xlsx", format!("diem-{exam}.xlsx")),
        ("oneroster", format!("oneroster-{exam}.zip")),
    ] {
        let out = dir.path().join(format!("xuat-{format}"));
        let out_text = out.to_str().unwrap();
        let run = proctor(data, &["export", "--exam", &exam, "--format", format, "--out", out_text]);
        assert!(run.status.success(), "{format}: {}", text(&run.stderr));
        let stdout = text(&run.stdout);
        assert!(stdout.contains(&file) && stdout.contains("manifest.txt"), "{stdout}");
        assert!(stdout.contains("Scored: 2, Not submitted: 1, Absent: 2"), "{stdout}");
        let mut names: Vec<String> =
            std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        names.sort();
        let mut want = [file.clone(), "manifest.txt".to_owned()];
        want.sort();
        assert_eq!(names, want, "{format}: only the export and its manifest");

        let ok = proctor(data, &["verify-export", out_text]);
        assert!(ok.status.success(), "{format}: {}", text(&ok.stderr));
        assert!(text(&ok.stdout).starts_with("OK"), "{}", text(&ok.stdout));
    }

    // The CSV with the default decimal comma, and a hand-edited score refused with the file named.
    let csv_dir = dir.path().join("xuat-csv");
    let csv_path = csv_dir.join(format!("diem-{exam}.csv"));
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv.contains("1,0123456789,Nguyễn Văn An,10A1,\"7,3\",\r\n"), "{csv}");
    assert!(csv.contains("3,0123456793,Đặng Thùy Dương,10A1,\"9,0\",\r\n"), "{csv}");
    assert!(csv.contains("2,0123456792,Phạm Minh Châu,10A1,,Vắng\r\n"), "{csv}");
    std::fs::write(&csv_path, csv.replace("\"7,3\"", "\"9,3\"")).unwrap();
    let refused = proctor(data, &["verify-export", csv_dir.to_str().unwrap()]);
    assert!(!refused.status.success());
    let stderr = text(&refused.stderr);
    assert!(stderr.contains("EXPORT NOT VALID") && stderr.contains(&format!("diem-{exam}.csv")), "{stderr}");

    // --decimal dot, and the Vietnamese output by default.
    let dot_dir = dir.path().join("xuat-dot");
    let run = Command::new(env!("CARGO_BIN_EXE_proctor"))
        .arg("--data")
        .arg(data)
        .args(["--lang", "vi", "export", "--exam", &exam, "--format", "csv", "--decimal", "dot", "--out"])
        .arg(&dot_dir)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(text(&run.stdout).contains("Đã xuất vào"), "{}", text(&run.stdout));
    let dot = std::fs::read_to_string(dot_dir.join(format!("diem-{exam}.csv"))).unwrap();
    assert!(dot.contains(",Nguyễn Văn An,10A1,7.3,\r\n"), "{dot}");

    // On another machine, with the proctor's public key given instead of its data directory.
    let elsewhere = dir.path().join("may-khac");
    let key = phongthi_store::datadir::DataDir::new(data).identity(None).unwrap().public_key().to_hex();
    let run = proctor(&elsewhere, &["verify-export", dot_dir.to_str().unwrap(), "--signer", &key]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let stranger = SigningKey::generate().unwrap().public_key().to_hex();
    let run = proctor(&elsewhere, &["verify-export", dot_dir.to_str().unwrap(), "--signer", &stranger]);
    assert!(!run.status.success() && text(&run.stderr).contains("expected key"), "{}", text(&run.stderr));
    let run = proctor(&elsewhere, &["verify-export", dot_dir.to_str().unwrap(), "--signer", "abc"]);
    assert!(!run.status.success() && text(&run.stderr).contains("64 hex"), "{}", text(&run.stderr));

    // A missing manifest, an unknown format and an unknown exam fail with a message.
    let empty = dir.path().join("trong");
    std::fs::create_dir(&empty).unwrap();
    let run = proctor(data, &["verify-export", empty.to_str().unwrap()]);
    assert!(!run.status.success() && text(&run.stderr).contains("manifest.txt"), "{}", text(&run.stderr));
    let run = proctor(data, &["export", "--exam", &exam, "--format", "pdf", "--out", empty.to_str().unwrap()]);
    assert!(!run.status.success() && text(&run.stderr).contains("oneroster"), "{}", text(&run.stderr));
    let unknown = "0".repeat(32);
    let run = proctor(data, &["export", "--exam", &unknown, "--format", "csv", "--out", empty.to_str().unwrap()]);
    assert!(!run.status.success() && text(&run.stderr).contains("no exam"), "{}", text(&run.stderr));
    assert_eq!(std::fs::read_dir(&empty).unwrap().count(), 0);
}
