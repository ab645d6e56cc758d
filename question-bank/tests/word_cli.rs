//! `qbank import de.docx` as a teacher runs it: a Word paper written by the project's fixture
//! writer (the one `phongthi-formats` tests with), imported, shown, refused when broken.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code, missing_docs)] // a test: a panic is the report

#[path = "../../formats/tests/word/writer.rs"]
mod writer;

use std::process::{Command, Output};
use writer::{Doc, b, red, t, u};

fn qbank(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qbank"))
        .args(["--db", "bank.sqlite", "--lang", "vi"])
        .args(args)
        .current_dir(dir)
        .env_remove("QBANK_DB")
        .output()
        .unwrap()
}

fn paper(mark_second: bool) -> Vec<u8> {
    let mut doc = Doc::new();
    doc.line("TRƯỜNG THPT NGUYỄN TRÃI")
        .p(&[b("PHẦN I. Câu trắc nghiệm nhiều phương án lựa chọn.")])
        .p(&[b("Câu 1."), t(" [TH] Số nào là số nguyên tố?")])
        .p(&[t("A. 4\t"), u("B"), t(". 7\tC. 9\tD. 15")])
        .p(&[b("Câu 2."), t(" Thủ đô của Việt Nam là")]);
    if mark_second {
        doc.p(&[t("A. Huế\t"), red("B. Hà Nội")]);
    } else {
        doc.line("A. Huế\tB. Hà Nội");
    }
    doc.line("Lời giải: Hà Nội là thủ đô từ năm 1010.");
    doc.bytes()
}

#[test]
fn a_word_paper_imports_and_shows() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("de.docx"), paper(true)).unwrap();
    let out = qbank(dir.path(), &["import", "de.docx", "--subject", "Toán", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["inserted"].as_array().unwrap().len(), 2);
    let conventions = json["files"][0]["conventions"].to_string();
    assert!(conventions.contains("level tags") && conventions.contains("explanations"), "{conventions}");
    assert_eq!(json["files"][0]["notes"][0]["paragraph"], 1, "the school's name is noted, not an error");

    let shown = qbank(dir.path(), &["show", "2", "--json"]);
    let shown: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(shown["item"]["body"]["options"][1]["text"], "Hà Nội");
    assert_eq!(shown["item"]["general_feedback"], "Hà Nội là thủ đô từ năm 1010.");
    assert_eq!(shown["item"]["meta"]["source"]["file"], "de.docx");
}

#[test]
fn a_broken_paper_imports_nothing_and_names_the_paragraph() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("de.docx"), paper(false)).unwrap();
    let out = qbank(dir.path(), &["import", "de.docx"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("de.docx, đoạn 5 / paragraph 5: Câu 2 «Câu 2. Thủ đô của Việt Nam là»"), "{stderr}");
    assert!(stderr.contains("không có phương án nào được đánh dấu đúng"), "{stderr}");
    let list = qbank(dir.path(), &["list", "--json"]);
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&list.stdout).unwrap().as_array().map_or(0, Vec::len), 0);

    // Only stars count: neither underline nor red marks a key now.
    std::fs::write(dir.path().join("de2.docx"), paper(true)).unwrap();
    let out = qbank(dir.path(), &["import", "de2.docx", "--correct", "star"]);
    assert!(!out.status.success());
    let bad = qbank(dir.path(), &["import", "de2.docx", "--correct", "bold"]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("bold"));
}

#[test]
fn a_word_file_without_its_extension_is_still_word() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("de-thi"), paper(true)).unwrap();
    let out = qbank(dir.path(), &["import", "de-thi"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}
