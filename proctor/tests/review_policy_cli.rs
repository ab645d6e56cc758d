//! The review policy from the teacher's bank to the lab sheet, through the real `qbank` and
//! `proctor` binaries: an author and a reviewer each make a key, the author imports and
//! submits with theirs, the reviewer approves with theirs (the author's own approval is refused
//! by `qbank`), the test is assembled and sealed; a school that trusts both keys adds it, one
//! that does not trust the reviewer refuses it naming the items, a self-approved item (a bundle
//! a modified `qbank` could make) is refused naming it, and `--practice` lets the exam in with
//! a line on the lab sheet that says so.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)] // a test: a panic is the report

use phongthi_crypto::{KdfParams, Passphrase, ReviewKind, ReviewStatement, TrustedTeachers};
use phongthi_pdf::inspect;
use phongthi_question_bank::approval::item_digest;
use phongthi_question_bank::bundle::ExamBundle;
use phongthi_results::report::lab_sheet::PRACTICE_LINE;
use phongthi_server::{ServeOptions, serve};
use phongthi_store::datadir::DataDir;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples");

/// `qbank`, built as the workspace builds it: cargo builds only this package's binaries for its
/// tests, and `qbank` is the question bank's. A no-op when it is up to date.
fn qbank_exe() -> PathBuf {
    let proctor = Path::new(env!("CARGO_BIN_EXE_proctor"));
    let mut build = Command::new(env!("CARGO"));
    // Both packages selected, so features resolve as for this test's build and nothing common
    // is compiled a second time.
    build.args(["build", "--quiet", "-p", "phongthi-proctor", "-p", "phongthi-question-bank", "--bin", "qbank"]);
    if proctor.parent().and_then(Path::file_name).is_some_and(|name| name == "release") {
        build.arg("--release");
    }
    let status = build.current_dir(env!("CARGO_MANIFEST_DIR")).status().unwrap();
    assert!(status.success(), "cargo build qbank: {status}");
    let exe = proctor.with_file_name(format!("qbank{}", std::env::consts::EXE_SUFFIX));
    assert!(exe.exists(), "{}", exe.display());
    exe
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[track_caller]
fn ok(output: Output) -> String {
    assert!(output.status.success(), "stdout: {}\nstderr: {}", text(&output.stdout), text(&output.stderr));
    text(&output.stdout)
}

#[track_caller]
fn refused(output: Output) -> String {
    assert!(!output.status.success(), "stdout: {}", text(&output.stdout));
    text(&output.stderr)
}

struct Teacher {
    exe: PathBuf,
    dir: PathBuf,
}

impl Teacher {
    fn run(&self, args: &[&str]) -> Output {
        Command::new(&self.exe)
            .args(["--db", "bank.sqlite", "--lang", "en"])
            .args(args)
            .current_dir(&self.dir)
            .output()
            .unwrap()
    }

    /// Makes a key and returns its public key (hex), as `keygen` prints it.
    fn keygen(&self, file: &str) -> String {
        let out = ok(self.run(&["keygen", "--out", file]));
        let line = out.lines().find_map(|line| line.strip_prefix("Public key: ")).unwrap();
        line.trim().to_owned()
    }
}

fn proctor(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_proctor")).arg("--data").arg(data).args(args).output().unwrap()
}

/// A data directory with the example roster, trusting `keys`.
fn school(dir: &Path, name: &str, keys: &[(&str, &str)]) -> PathBuf {
    let data = dir.join(name);
    ok(proctor(&data, &["init"]));
    for (key, who) in keys {
        ok(proctor(&data, &["trust", "add", key, "--name", who]));
    }
    ok(proctor(&data, &["roster", "import", &format!("{EXAMPLES}/roster.csv")]));
    data
}

/// The lab sheet's first page, after one `serve` gave the exam its room code.
async fn lab_sheet_first_page(data: &Path, out: &Path) -> Vec<String> {
    let options = ServeOptions { listen: "127.0.0.1:0".parse().unwrap(), ..ServeOptions::default() };
    serve(DataDir::new(data), None, options).await.unwrap().shutdown().await;
    ok(proctor(data, &["lab-sheet", "--out", out.to_str().unwrap(), "--address", "192.168.1.10:4433"]));
    inspect::page_texts(&std::fs::read(out).unwrap()).unwrap().swap_remove(0)
}

#[tokio::test]
async fn approvals_signed_in_the_bank_are_checked_when_the_exam_is_added() {
    let dir = tempfile::tempdir().unwrap();
    let teacher = Teacher { exe: qbank_exe(), dir: dir.path().to_owned() };
    let author = teacher.keygen("giao-vien.key");
    let reviewer = teacher.keygen("to-truong.key");
    ok(teacher.run(&["import", &format!("{EXAMPLES}/questions.csv"), "--subject", "Toán", "--grade", "10"]));
    let listed: serde_json::Value = serde_json::from_str(&ok(teacher.run(&["list", "--json"]))).unwrap();
    let ids: Vec<String> = listed.as_array().unwrap().iter().map(|item| item["id"].to_string()).collect();
    let mut submit = vec!["submit", "--by", "Nguyễn Thị Lan", "--key", "giao-vien.key"];
    submit.extend(ids.iter().map(String::as_str));
    assert!(ok(teacher.run(&submit)).contains("Signed by key"));

    // The author cannot approve their own item, whatever name they give.
    let own = refused(teacher.run(&["review", &ids[0], "--approve", "--by", "Tổ trưởng", "--key", "giao-vien.key"]));
    assert!(own.contains(&format!("item {}", ids[0])) && own.contains("cannot approve their own item"), "{own}");
    assert!(own.contains("Câu nào sau đây là một mệnh đề?"), "{own}");
    for id in &ids {
        ok(teacher.run(&["review", id, "--approve", "--by", "Tổ trưởng tổ Toán", "--key", "to-truong.key"]));
    }
    let shown = ok(teacher.run(&["show", &ids[0]]));
    assert!(shown.contains("Signatures") && shown.contains("this version"), "{shown}");

    std::fs::write(dir.path().join("pass.txt"), "mật khẩu đề").unwrap();
    let assemble = ok(teacher.run(&[
        "assemble",
        &format!("{EXAMPLES}/blueprint.toml"),
        "--forms",
        "2",
        "--seed",
        "2026",
        "--out",
        "de.exam",
        "--passphrase-file",
        "pass.txt",
        "--key",
        "giao-vien.key",
    ]));
    assert!(assemble.contains("de.exam"), "{assemble}");
    let bundle = dir.path().join("de.exam");
    let pass = dir.path().join("pass.txt");
    let add = ["exam", "add", bundle.to_str().unwrap(), "--passphrase-file", pass.to_str().unwrap()];

    // A school that trusts both: added, the reviewer named.
    let trusting = school(dir.path(), "truong", &[(&author, "cô Lan"), (&reviewer, "thầy Hùng, tổ trưởng")]);
    let added = ok(proctor(&trusting, &add));
    assert!(added.contains("thầy Hùng, tổ trưởng") && !added.contains("Bài luyện tập"), "{added}");
    let page = lab_sheet_first_page(&trusting, &dir.path().join("phieu.pdf")).await;
    assert!(!page.iter().any(|line| line.contains("Bài luyện tập")), "{page:?}");

    // A school that trusts the teacher but not the reviewer: refused, every item named.
    let wary = school(dir.path(), "truong-khac", &[(&author, "cô Lan")]);
    let error = refused(proctor(&wary, &add));
    assert!(error.contains("--practice") && error.contains("câu 1 / question 1 (#"), "{error}");
    assert!(error.contains("chưa tin cậy") && error.contains(&format!("proctor trust add {reviewer}")), "{error}");
    let opened =
        ExamBundle::open(&std::fs::read(&bundle).unwrap(), &Passphrase::new("mật khẩu đề"), TrustedTeachers::Any)
            .unwrap()
            .bundle;
    for id in opened.exam.items().keys() {
        assert!(error.contains(&format!("(#{id})")), "item {id} not named: {error}");
    }

    // As a practice test it goes in, audited, and the lab sheet says so for the room.
    let mut practice = add.to_vec();
    practice.push("--practice");
    let added = ok(proctor(&wary, &practice));
    assert!(added.contains("Bài luyện tập") || added.contains("Practice test"), "{added}");
    let page = lab_sheet_first_page(&wary, &dir.path().join("phieu-luyen-tap.pdf")).await;
    assert!(page.iter().any(|line| line == PRACTICE_LINE), "{page:?}");
    let (store, _) = phongthi_store::admin::open_store(&DataDir::new(&wary), None).unwrap();
    let entries = store.reader().unwrap().audit_entries().unwrap();
    let entry = entries.iter().find(|e| e.entry.action == "exam.add").unwrap();
    assert!(entry.entry.detail.contains("\"practice\":true"), "{}", entry.entry.detail);
    store.close().unwrap();

    // What a modified qbank could seal: the author's own approval of the first question's item.
    // The teacher's key signs the bundle, so only the review policy stands in the way.
    let first = opened.exam.forms()[0].questions[0].item;
    let author_key = phongthi_crypto::load_key(&dir.path().join("giao-vien.key"), None).unwrap();
    let mut forged = opened.clone();
    let item = &opened.exam.items()[&first];
    let statement = |kind| ReviewStatement {
        kind,
        item_id: first.get(),
        item_digest: item_digest(item),
        at_ms: 0,
        name: "Tổ trưởng tổ Toán".into(),
        comment: String::new(),
    };
    forged.statements.insert(
        first,
        [ReviewKind::Author, ReviewKind::Approve]
            .into_iter()
            .map(|kind| statement(kind).sign(&author_key).unwrap().as_bytes().to_vec())
            .collect(),
    );
    let sealed = forged.seal(&author_key, &Passphrase::new("mật khẩu đề"), KdfParams::with_iterations(1_000).unwrap());
    let forged_path = dir.path().join("tu-duyet.exam");
    std::fs::write(&forged_path, sealed.unwrap()).unwrap();
    let strict = school(dir.path(), "truong-thu-ba", &[(&author, "cô Lan"), (&reviewer, "thầy Hùng")]);
    let forged_add = ["exam", "add", forged_path.to_str().unwrap(), "--passphrase-file", pass.to_str().unwrap()];
    let error = refused(proctor(&strict, &forged_add));
    assert!(error.contains(&format!("câu 1 / question 1 (#{first})")) && error.contains("tự duyệt"), "{error}");
    assert!(error.contains("1 câu hỏi chưa được duyệt"), "{error}");
    let stem_start: String = item.stem.split_whitespace().take(3).collect::<Vec<_>>().join(" ");
    assert!(error.contains(&stem_start), "{stem_start:?} not in {error}");
}
