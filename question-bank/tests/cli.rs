//! End-to-end tests of the `qbank` binary: the commands of the contract, run as a teacher would
//! run them, on the example files and on broken input.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is the failure report

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Bank {
    dir: tempfile::TempDir,
}

impl Bank {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
        for name in ["questions.csv", "toan10.gift", "blueprint.toml", "sheets.csv"] {
            std::fs::copy(examples.join(name), dir.path().join(name)).unwrap();
        }
        std::fs::write(dir.path().join("pass.txt"), "mật khẩu tổ Toán\n").unwrap();
        Self { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn qbank(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_qbank"))
            .args(["--db", "bank.sqlite", "--lang", "vi"])
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("QBANK_DB")
            .output()
            .unwrap()
    }

    /// Runs and expects success; returns stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.qbank(args);
        assert!(
            out.status.success(),
            "qbank {args:?} failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs and expects failure; returns stderr.
    fn fails(&self, args: &[&str]) -> String {
        let out = self.qbank(args);
        assert!(!out.status.success(), "qbank {args:?} should fail:\n{}", String::from_utf8_lossy(&out.stdout));
        String::from_utf8(out.stderr).unwrap()
    }

    fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    /// Imports the examples and approves everything.
    fn approved(self) -> Self {
        self.ok(&["import", "questions.csv", "toan10.gift", "--subject", "Toán", "--grade", "10"]);
        let ids: Vec<String> =
            self.json(&["list", "--json"]).as_array().unwrap().iter().map(|i| i["id"].to_string()).collect();
        let mut submit = vec!["submit", "--by", "cô Lan"];
        submit.extend(ids.iter().map(String::as_str));
        self.ok(&submit);
        for id in &ids {
            self.ok(&["review", id, "--approve", "--by", "tổ trưởng"]);
        }
        self
    }

    fn assembled(self) -> Self {
        self.ok(&["keygen", "--out", "gv.key"]);
        self.ok(&[
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
        ]);
        self
    }
}

#[test]
fn import_list_show_and_dedupe() {
    let bank = Bank::new();
    let out = bank.json(&["import", "questions.csv", "toan10.gift", "--subject", "Toán", "--grade", "10", "--json"]);
    assert_eq!(out["inserted"].as_array().unwrap().len(), 19);
    assert_eq!(out["errors"].as_array().unwrap().len(), 0);
    // Importing the same files again stores nothing new.
    let again = bank.json(&["import", "questions.csv", "toan10.gift", "--json"]);
    assert_eq!(again["inserted"].as_array().unwrap().len(), 0);
    assert_eq!(again["existing"].as_array().unwrap().len(), 19);

    let clusters = bank.json(&["list", "--kind", "true_false_cluster", "--json"]);
    assert_eq!(clusters.as_array().unwrap().len(), 2);
    let found = bank.json(&["list", "--search", "tap rong", "--json"]);
    assert_eq!(found.as_array().unwrap().len(), 1, "diacritic-free search finds 'tập rỗng'");
    let hieu = bank.json(&["list", "--level", "Hiểu", "--topic", "tập hợp", "--json"]);
    assert_eq!(hieu.as_array().unwrap().len(), 3);

    let shown = bank.json(&["show", "5", "--json"]);
    assert_eq!(shown["item"]["body"]["options"][3]["pinned"], true, "row 6 pins D");
    assert_eq!(shown["status"], "draft");
    let human = bank.ok(&["show", "7"]);
    assert!(human.contains("a) $A = \\{0; 1; 2; 3\\}$ — Đ"), "{human}");
}

#[test]
fn review_workflow_is_enforced() {
    let bank = Bank::new();
    bank.ok(&["import", "questions.csv"]);
    let err = bank.fails(&["review", "1", "--approve", "--by", "tổ trưởng"]);
    assert!(err.contains("draft") || err.contains("Nháp"), "{err}");
    bank.ok(&["submit", "1", "2", "--by", "cô Lan"]);
    let err = bank.fails(&["review", "2", "--reject", "--by", "tổ trưởng"]);
    assert!(err.to_lowercase().contains("comment") || err.contains("nhận xét"), "{err}");
    bank.ok(&["review", "2", "--reject", "--by", "tổ trưởng", "--comment", "Phương án B sai dấu"]);
    bank.ok(&["review", "1", "--approve", "--by", "tổ trưởng"]);
    assert_eq!(bank.json(&["list", "--status", "approved", "--json"]).as_array().unwrap().len(), 1);
    let shown = bank.json(&["show", "2", "--json"]);
    assert_eq!(shown["history"].as_array().unwrap().last().unwrap()["comment"], "Phương án B sai dấu");
}

#[test]
fn bad_files_import_nothing_unless_told_to_skip() {
    let bank = Bank::new();
    std::fs::write(
        bank.path("loi.gift"),
        "::A:: Câu đúng {=x ~y}\n\n::B:: Thiếu ngoặc đóng {=x ~y\n\n::C:: Câu đúng nữa {T}\n",
    )
    .unwrap();
    let err = bank.fails(&["import", "loi.gift"]);
    assert!(err.contains("loi.gift:3"), "names file and line: {err}");
    assert_eq!(bank.json(&["list", "--json"]).as_array().unwrap().len(), 0, "nothing imported");

    let out = bank.json(&["import", "loi.gift", "--skip-invalid", "--json"]);
    assert_eq!(out["inserted"].as_array().unwrap().len(), 2);
    assert_eq!(out["errors"][0]["line"], 3);

    assert!(bank.fails(&["import", "missing.gift"]).contains("missing.gift"));
    std::fs::write(bank.path("x.doc"), "?").unwrap();
    assert!(bank.fails(&["import", "x.doc"]).contains("--format"));
    assert!(bank.fails(&["import", "questions.csv", "--level", "khó"]).contains("--level"));
}

#[test]
fn assemble_key_and_grade_with_hand_computed_scores() {
    let bank = Bank::new().approved().assembled();
    let key = bank.ok(&["key", "de.exam", "--passphrase-file", "pass.txt"]);
    let mut lines = key.lines();
    assert_eq!(lines.next(), Some("form,question,answer"));
    let rows: Vec<Vec<String>> = lines
        .map(|l| {
            csv::ReaderBuilder::new().has_headers(false).from_reader(l.as_bytes()).records().next().unwrap().unwrap()
        })
        .map(|r| r.iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(rows.len(), 40, "4 forms × 10 questions");
    let key_101: Vec<String> = rows.iter().filter(|r| r[0] == "101").map(|r| r[2].clone()).collect();
    assert_eq!(key_101.len(), 10);
    assert!(key_101[6].chars().all(|c| c == 'Đ' || c == 'S') && key_101[6].chars().count() == 4, "{key_101:?}");

    // Student 1 copies the key: 10 points. Student 2: question 1 wrong (−1), one statement of
    // the first cluster flipped (1.0 → 0.5), question 10 blank (−1): 7.5 exactly.
    let mut wrong_1 = key_101.clone();
    wrong_1[0] = if key_101[0] == "A" { "B".into() } else { "A".into() };
    let flipped: String = key_101[6]
        .chars()
        .enumerate()
        .map(|(i, c)| if i == 0 { if c == 'Đ' { 'S' } else { 'Đ' } } else { c })
        .collect();
    wrong_1[6] = flipped;
    wrong_1[9] = String::new();
    let quote = |v: &[String]| v.iter().map(|a| format!("\"{a}\"")).collect::<Vec<_>>().join(",");
    let sheets = format!(
        "student_id,form,1,2,3,4,5,6,7,8,9,10\n0123456789,101,{}\n0123456790,101,{}\n0123456791,102,,,,,,,,,,\n",
        quote(&key_101),
        quote(&wrong_1)
    );
    std::fs::write(bank.path("phieu.csv"), sheets).unwrap();
    let graded = bank.json(&["grade", "de.exam", "--passphrase-file", "pass.txt", "phieu.csv", "--json"]);
    let results = graded["results"].as_array().unwrap();
    assert_eq!(results[0]["raw"], "10");
    assert_eq!(results[0]["score"], "10.0");
    assert_eq!(results[1]["raw"], "7.5");
    assert_eq!(results[1]["score"], "7.5");
    assert_eq!(results[1]["per_question"][6], "0.5");
    assert_eq!(results[2]["score"], "0.0");

    // The example sheets grade too (their answers do not follow this seed's keys).
    let example = bank.json(&["grade", "de.exam", "--passphrase-file", "pass.txt", "sheets.csv", "--json"]);
    assert_eq!(example["results"].as_array().unwrap().len(), 3);

    // Usage counts went up for the 10 drawn items.
    let used = bank.json(&["list", "--json"]);
    assert_eq!(used.as_array().unwrap().iter().filter(|i| i["usage_count"] == 1).count(), 10);

    let xlsx = bank.path("dap-an.xlsx");
    bank.ok(&["key", "de.exam", "--passphrase-file", "pass.txt", "--format", "xlsx", "--out", xlsx.to_str().unwrap()]);
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
}

#[test]
fn exam_files_refuse_wrong_passphrase_and_tampering() {
    let bank = Bank::new().approved().assembled();
    std::fs::write(bank.path("sai.txt"), "không phải mật khẩu\n").unwrap();
    let err = bank.fails(&["key", "de.exam", "--passphrase-file", "sai.txt"]);
    assert!(err.contains("sai mật khẩu"), "{err}");
    let mut bytes = std::fs::read(bank.path("de.exam")).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x20;
    std::fs::write(bank.path("hong.exam"), bytes).unwrap();
    let err = bank.fails(&["key", "hong.exam", "--passphrase-file", "pass.txt"]);
    assert!(err.contains("bị sửa đổi"), "{err}");
    std::fs::write(bank.path("rac.exam"), "not an exam").unwrap();
    assert!(bank.fails(&["grade", "rac.exam", "--passphrase-file", "pass.txt", "sheets.csv"]).contains("rac.exam"));
}

#[test]
fn assembly_shortfall_lists_every_short_cell() {
    let bank = Bank::new();
    bank.ok(&["import", "questions.csv"]);
    bank.ok(&["keygen", "--out", "gv.key"]);
    let err = bank.fails(&[
        "assemble",
        "blueprint.toml",
        "--out",
        "de.exam",
        "--passphrase-file",
        "pass.txt",
        "--key",
        "gv.key",
    ]);
    // Nothing is approved: all 8 cells of the example blueprint are short.
    assert_eq!(err.matches("Vận dụng").count() + err.matches("Biết").count() + err.matches("Hiểu").count(), 8, "{err}");
    assert!(!bank.path("de.exam").exists(), "no half-written exam");
}

#[test]
fn export_round_trips_through_a_new_bank() {
    let bank = Bank::new();
    bank.ok(&["import", "toan10.gift", "--subject", "Toán"]);
    bank.ok(&["export", "--format", "gift", "--out", "xuat.gift"]);
    bank.ok(&["export", "--format", "moodle-xml", "--out", "xuat.xml"]);
    for file in ["xuat.gift", "xuat.xml"] {
        let out = Command::new(env!("CARGO_BIN_EXE_qbank"))
            .args(["--db", "new.sqlite", "import", file, "--json"])
            .current_dir(bank.dir.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let total = json["inserted"].as_array().unwrap().len() + json["existing"].as_array().unwrap().len();
        assert_eq!(total, 7, "{file}");
        std::fs::remove_file(bank.path("new.sqlite")).unwrap();
    }
}

#[test]
fn qti_export_reimports_as_the_same_items_and_qti_xml_is_detected() {
    let bank = Bank::new();
    let first = bank.json(&["import", "questions.csv", "toan10.gift", "--json"]);
    let stored = first["inserted"].as_array().unwrap().len();
    let out = bank.qbank(&["export", "--format", "qti3", "--out", "xuat.zip"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let skipped = String::from_utf8_lossy(&out.stderr).matches("bỏ qua #").count();
    assert!(skipped >= 1, "true/false clusters are listed, not dropped");
    // Every exported item comes back with the same content hash: nothing new in the bank.
    let again = bank.json(&["import", "xuat.zip", "--json"]);
    assert_eq!(again["inserted"].as_array().unwrap().len(), 0, "{again}");
    assert_eq!(again["existing"].as_array().unwrap().len(), stored - skipped);
    bank.fails(&["export", "--format", "qti3"]);

    std::fs::write(
        bank.path("cau.xml"),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" identifier="q1" title="Q1">
  <qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier">
    <qti-correct-response><qti-value>b</qti-value></qti-correct-response>
  </qti-response-declaration>
  <qti-item-body>
    <qti-choice-interaction response-identifier="RESPONSE" max-choices="1">
      <qti-prompt>1 + 1 = ?</qti-prompt>
      <qti-simple-choice identifier="a">1</qti-simple-choice>
      <qti-simple-choice identifier="b">2</qti-simple-choice>
    </qti-choice-interaction>
  </qti-item-body>
  <qti-response-processing template="https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct"/>
</qti-assessment-item>"#,
    )
    .unwrap();
    let xml = bank.json(&["import", "cau.xml", "--json"]);
    assert_eq!(xml["inserted"].as_array().unwrap().len(), 1, "{xml}");
}

#[test]
fn keygen_never_overwrites_and_english_is_available() {
    let bank = Bank::new();
    let out = bank.ok(&["keygen", "--out", "gv.key"]);
    assert!(out.contains("Dấu vân tay"));
    assert!(bank.fails(&["keygen", "--out", "gv.key"]).contains("gv.key"));
    let english = Command::new(env!("CARGO_BIN_EXE_qbank"))
        .args(["--db", "bank.sqlite", "--lang", "en", "import", "questions.csv"])
        .current_dir(bank.dir.path())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&english.stdout).contains("Imported: 12 new"));
}

#[test]
fn moodle_xml_with_a_grade_moodle_refuses_imports_nothing_and_names_the_line() {
    let bank = Bank::new();
    std::fs::write(
        bank.path("moodle.xml"),
        r#"<quiz>
<question type="multichoice"><questiontext><text>Chọn các số nguyên tố</text></questiontext><single>false</single>
<answer fraction="33"><text>2</text></answer><answer fraction="33"><text>3</text></answer>
<answer fraction="33"><text>5</text></answer><answer fraction="0"><text>4</text></answer>
</question>
<question type="truefalse"><questiontext><text>2 là số nguyên tố.</text></questiontext><idnumber>NT-01</idnumber>
<answer fraction="100"><text>true</text><feedback><text>Đúng.</text></feedback></answer>
<answer fraction="0"><text>false</text><feedback><text>2 chỉ chia hết cho 1 và 2.</text></feedback></answer>
</question>
</quiz>
"#,
    )
    .unwrap();
    let err = bank.fails(&["import", "moodle.xml"]);
    assert!(err.contains("moodle.xml:3:1"), "names file and line: {err}");
    assert!(err.contains("0.33"), "names the grade: {err}");
    assert_eq!(bank.json(&["list", "--json"]).as_array().unwrap().len(), 0, "nothing imported");

    let out = bank.json(&["import", "moodle.xml", "--skip-invalid", "--json"]);
    assert_eq!(out["inserted"].as_array().unwrap().len(), 1);
    let list = bank.json(&["list", "--json"]);
    let id = list[0]["id"].to_string();
    let shown = bank.json(&["show", &id, "--json"]).to_string();
    assert!(shown.contains("NT-01") && shown.contains("2 chỉ chia hết cho 1 và 2."), "{shown}");
}
