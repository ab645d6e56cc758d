//! `qbank print` end to end: the example files assembled into 4 forms, printed, and the PDFs
//! read back with a real PDF reader (`pdftotext` from poppler-utils).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is the failure report

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn qbank(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qbank"))
        .args(["--db", "bank.sqlite", "--lang", "vi"])
        .args(args)
        .current_dir(dir)
        .env_remove("QBANK_DB")
        .output()
        .unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = qbank(dir, args);
    assert!(out.status.success(), "qbank {args:?} failed:\n{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn fails(dir: &Path, args: &[&str]) -> String {
    let out = qbank(dir, args);
    assert!(!out.status.success(), "qbank {args:?} should fail");
    String::from_utf8(out.stderr).unwrap()
}

/// The examples imported, approved and assembled into `de.exam` (4 forms, 101–104).
fn assembled() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    for name in ["questions.csv", "toan10.gift", "blueprint.toml"] {
        std::fs::copy(examples.join(name), dir.path().join(name)).unwrap();
    }
    std::fs::write(dir.path().join("pass.txt"), "mật khẩu tổ Toán\n").unwrap();
    let d = dir.path();
    ok(d, &["import", "questions.csv", "toan10.gift", "--subject", "Toán", "--grade", "10"]);
    let list: serde_json::Value = serde_json::from_str(&ok(d, &["list", "--json"])).unwrap();
    let ids: Vec<String> = list.as_array().unwrap().iter().map(|i| i["id"].to_string()).collect();
    let mut submit = vec!["submit", "--by", "cô Lan"];
    submit.extend(ids.iter().map(String::as_str));
    ok(d, &submit);
    for id in &ids {
        ok(d, &["review", id, "--approve", "--by", "tổ trưởng"]);
    }
    ok(d, &["keygen", "--out", "gv.key"]);
    ok(
        d,
        &[
            "assemble",
            "blueprint.toml",
            "--forms",
            "4",
            "--seed",
            "7",
            "--out",
            "de.exam",
            "--passphrase-file",
            "pass.txt",
            "--key",
            "gv.key",
        ],
    );
    dir
}

fn pdftotext(path: &Path) -> String {
    let out = Command::new("pdftotext").arg("-layout").arg(path).arg("-").output().expect("pdftotext (poppler-utils)");
    assert!(out.status.success(), "pdftotext {}: {}", path.display(), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn prints_every_form_and_the_key_sheet() {
    let dir = assembled();
    let d = dir.path();
    let out = qbank(
        d,
        &[
            "print",
            "de.exam",
            "--passphrase-file",
            "pass.txt",
            "--out",
            "in",
            "--school",
            "TRƯỜNG THPT CHU VĂN AN",
            "--department",
            "SỞ GD&ĐT HÀ NỘI",
            "--exam-name",
            "ĐỀ KIỂM TRA GIỮA KỲ I",
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let progress = String::from_utf8(out.stderr).unwrap();
    assert!(progress.contains("Đang in mã đề 103 (3/4)…"), "{progress}");

    let key_csv = ok(d, &["key", "de.exam", "--passphrase-file", "pass.txt"]);
    let key_rows: Vec<Vec<String>> = csv::Reader::from_reader(key_csv.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    let key_text = pdftotext(&d.join("in/dap-an.pdf"));
    assert!(key_text.contains("ĐÁP ÁN") && key_text.contains("TỔ TRƯỞNG CHUYÊN MÔN"), "{key_text}");

    for code in ["101", "102", "103", "104"] {
        let path: PathBuf = d.join(format!("in/ma-de-{code}.pdf"));
        let text = pdftotext(&path);
        for expected in [
            "SỞ GD&ĐT HÀ NỘI",
            "TRƯỜNG THPT CHU VĂN AN",
            "ĐỀ KIỂM TRA GIỮA KỲ I",
            "Môn: Toán 10",
            "Thời gian làm bài: 45 phút, không kể thời gian phát đề",
            "Họ, tên thí sinh:",
            "Số báo danh:",
            "PHẦN I. TRẮC NGHIỆM NHIỀU LỰA CHỌN",
            "PHẦN II. TRẮC NGHIỆM ĐÚNG SAI",
            "PHẦN III. TRẢ LỜI NGẮN",
            "------ HẾT ------",
        ] {
            assert!(text.contains(expected), "form {code} lacks {expected:?}:\n{text}");
        }
        assert!(text.contains(&format!("Mã đề {code}")), "{text}");
        let pages = text.matches("Trang ").count();
        assert!(pages >= 1);
        for page in 1..=pages {
            assert!(text.contains(&format!("Trang {page}/{pages} - Mã đề {code}")), "page {page}:\n{text}");
        }
        // Every question number, in order.
        let mut at = 0;
        for number in 1..=10 {
            let label = format!("Câu {number}.");
            let found = text[at..].find(&label).unwrap_or_else(|| panic!("form {code}: {label} after {at}:\n{text}"));
            at += found + label.len();
        }
        assert!(text.contains("a)") && text.contains("d)"), "cluster statements a)–d)");
        // Formulas are typeset (letters in mathematical italic, the square a raised 2), symbols
        // through the Noto Sans Math fallback; never the LaTeX source.
        assert!(text.contains("∀𝑥 ∈ ℝ, 𝑥"), "{text}");
        assert!(text.contains("𝐴 ∩ 𝐵"), "{text}");
        assert!(!text.contains('$') && !text.contains("\\mathbb"), "{text}");
        // The key sheet's column of this form matches `qbank key`.
        let column: Vec<&str> = key_rows.iter().filter(|r| r[0] == code).map(|r| r[2].as_str()).collect();
        assert_eq!(column.len(), 10);
        let index = ["101", "102", "103", "104"].iter().position(|c| *c == code).unwrap();
        for (question, answer) in column.iter().enumerate() {
            let line = key_text
                .lines()
                .find(|l| l.split_whitespace().next() == Some(&(question + 1).to_string()))
                .unwrap_or_else(|| panic!("key row {}:\n{key_text}", question + 1));
            let cells: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(cells.get(index + 1), Some(answer), "form {code} question {}: {line}", question + 1);
        }
    }
    assert!(d.join("in/dap-an.xlsx").is_file());
    let leftovers: Vec<_> = std::fs::read_dir(d.join("in"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn bad_input_is_refused_and_writes_nothing() {
    let dir = assembled();
    let d = dir.path();
    std::fs::write(d.join("sai.txt"), "mật khẩu khác\n").unwrap();
    let err = fails(d, &["print", "de.exam", "--passphrase-file", "sai.txt", "--out", "in"]);
    assert!(err.to_lowercase().contains("passphrase") || err.contains("mật khẩu"), "{err}");
    assert!(!d.join("in").exists(), "nothing written for a wrong passphrase");

    // An unknown format is refused in both languages, whatever --lang says, before anything is
    // read or written; so is one in a list.
    for format in ["odt", "pdf,odt", ""] {
        let err = fails(d, &["print", "de.exam", "--passphrase-file", "pass.txt", "--format", format, "--out", "in"]);
        let named = format.rsplit(',').next().unwrap();
        assert!(err.contains(&format!("--format {named:?}")), "{err}");
        assert!(err.contains("chỉ nhận pdf, docx") && err.contains("only pdf, docx"), "{err}");
    }
    assert!(!d.join("in").exists());

    // docx is no longer refused: it writes the Word papers (print_docx_cli.rs reads them).
    ok(d, &["print", "de.exam", "--passphrase-file", "pass.txt", "--format", "docx", "--out", "in"]);
    let mut names: Vec<String> =
        std::fs::read_dir(d.join("in")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert_eq!(
        names,
        ["dap-an.docx", "dap-an.xlsx", "ma-de-101.docx", "ma-de-102.docx", "ma-de-103.docx", "ma-de-104.docx"]
    );
    // Both at once.
    let out = ok(d, &["print", "de.exam", "--passphrase-file", "pass.txt", "--format", "pdf,docx", "--out", "ca-hai"]);
    assert!(out.contains("(PDF, DOCX, XLSX)"), "{out}");
    assert_eq!(std::fs::read_dir(d.join("ca-hai")).unwrap().count(), 11);

    // An output path that is a file, not a folder.
    std::fs::write(d.join("tep"), "x").unwrap();
    let err = fails(d, &["print", "de.exam", "--passphrase-file", "pass.txt", "--out", "tep"]);
    assert!(err.contains("tep"), "{err}");
}
