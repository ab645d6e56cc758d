//! `proctor stats`, `proctor report` and `proctor lab-sheet` end to end through the real
//! binary, on a data directory set up as a school would (example bundle, a two-class roster with
//! seats and PINs), with signed receipts and scores stored for four of six students; the PDFs
//! are read back (pages, text through the ToUnicode map) and their folders verified.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)] // a test: a panic is the report

mod support;

use phongthi_crypto::Receipt;
use phongthi_pdf::inspect;
use phongthi_server::{ServeOptions, serve};
use phongthi_store::admin::open_store;
use phongthi_store::demo::{ExamDay, exam_day};
use phongthi_store::{ScoreRecord, Submission};
use std::path::Path;
use std::process::{Command, Output};

const ROSTER: &str = "STT,Mã học sinh,Họ và tên,Lớp,Chỗ ngồi,PIN\n\
1,HS001,Nguyễn Thị Ánh Tuyết,10A1,A1,4821\n\
2,HS002,Trần Đức Thắng,10A1,A2,7305\n\
3,HS003,Lê Thị Mỹ Duyên,10A1,A3,1196\n\
4,HS004,Phạm Quốc Huy,10A2,B1,5530\n\
5,HS005,Võ Ngọc Ẩn,10A2,B2,2468\n\
6,HS006,Đỗ Thị Hằng,10A2,,9012\n";

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

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Scores on the 10-point scale: 10,0; 3,5 (a band boundary); 7,95 → 8,0 (rounds into 8–10);
/// 4,99 → 5,0; HS005 logged in without submitting; HS006 absent.
/// Returns the receipt codes by student.
async fn graded_day(dir: &Path) -> (ExamDay, Vec<(String, String)>) {
    let day = exam_day(dir, 2, ROSTER).await.unwrap();
    let (store, identity) = open_store(&day.data, None).unwrap();
    let mut codes = Vec::new();
    for (student, milli) in [
        ("HS001", Some(10_000)),
        ("HS002", Some(3_500)),
        ("HS003", Some(7_950)),
        ("HS004", Some(4_990)),
        ("HS005", None),
    ] {
        let session = support::sessions::log_in(&store, day.exam_id, student, 1).await;
        let Some(milli) = milli else { continue };
        let sheet = format!("bài làm của {student}").into_bytes();
        let receipt = Receipt {
            exam: day.exam_id,
            session,
            student_id: student.into(),
            sheet_hash: phongthi_crypto::sheet_hash(&sheet),
            received_ms: 1_795_338_900_000,
        }
        .sign(&identity)
        .unwrap();
        codes.push((student.to_owned(), receipt.short_code().to_string()));
        let score = ScoreRecord {
            raw_milli: milli,
            max_milli: 10_000,
            scaled_milli: milli,
            per_question_json: r#"["0.25","0","0.5","1.25"]"#.into(),
            scored_ms: 1_795_338_900_000,
        };
        store.record_submission(Submission { sheet, receipt, score }).await.unwrap();
    }
    store.close().unwrap();
    (day, codes)
}

#[tokio::test]
async fn stats_in_both_languages_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let (day, _) = graded_day(dir.path()).await;
    let exam = day.exam_id.to_hex();
    let data = day.data.path();

    let run = proctor(data, "vi", &["stats", "--exam", &exam]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let stdout = text(&run.stdout);
    // 10A1: 10,0 3,5 8,0 → mean 7,17, median 8,00, σ = √6650/3 tenths = 2,72.
    let class_line = stdout.lines().find(|line| line.starts_with("10A1")).unwrap();
    let cells: Vec<&str> = class_line.split_whitespace().collect();
    assert_eq!(cells, ["10A1", "3", "3", "0", "0", "7,17", "8,00", "2,72", "0", "1", "0", "0", "2"], "{stdout}");
    let class_line = stdout.lines().find(|line| line.starts_with("10A2")).unwrap();
    let cells: Vec<&str> = class_line.split_whitespace().collect();
    assert_eq!(cells, ["10A2", "3", "1", "1", "1", "5,00", "5,00", "0,00", "0", "0", "1", "0", "0"], "{stdout}");
    assert!(stdout.contains("Trung vị") && stdout.contains("3,5–<5"), "{stdout}");

    let english = text(&proctor(data, "en", &["stats", "--exam", &exam]).stdout);
    assert!(english.contains("Median") && english.contains("7.17") && english.contains("Total"), "{english}");

    let json = proctor(data, "vi", &["stats", "--exam", &exam, "--json"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["classes"][0]["class"], "10A1");
    assert_eq!(value["classes"][0]["mean"], "7.17");
    assert_eq!(value["classes"][0]["std_dev"], "2.72");
    assert_eq!(value["overall"]["sat"], 4);
    assert_eq!(value["overall"]["bands"]["8–10"], 2);
    assert_eq!(value["overall"]["bands"]["3.5–<5"], 1);
}

#[tokio::test]
async fn department_report_beside_a_csv_export_and_both_verify() {
    let dir = tempfile::tempdir().unwrap();
    let (day, _) = graded_day(dir.path()).await;
    let exam = day.exam_id.to_hex();
    let data = day.data.path();
    let out = dir.path().join("bao-cao");
    let out_text = out.to_str().unwrap();
    let export = proctor(data, "vi", &["export", "--exam", &exam, "--format", "csv", "--out", out_text]);
    assert!(export.status.success(), "{}", text(&export.stderr));

    let pdf_path = out.join("thong-ke.pdf");
    let run = proctor(
        data,
        "vi",
        &["report", "--exam", &exam, "--school", "Trường THPT Nguyễn Trãi", "--out", pdf_path.to_str().unwrap()],
    );
    assert!(run.status.success(), "{}", text(&run.stderr));
    let pdf = std::fs::read(&pdf_path).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(inspect::page_count(&pdf), Some(1));
    let lines: Vec<String> = inspect::page_texts(&pdf).unwrap().concat();
    let date_line = format!("Ngày thi: 22/11/2026 · Mã kỳ thi: {exam}");
    assert!(lines.contains(&date_line), "{date_line:?} not in {lines:?}");
    for expected in ["Trường THPT Nguyễn Trãi", "BÁO CÁO THỐNG KÊ ĐIỂM", "10A1", "7,17", "2,72", "Tổng", "3,5–<5"]
    {
        assert!(lines.iter().any(|line| line == expected), "{expected:?} not in {lines:?}");
    }
    // The chart: 2 of 4 scores in 8–10, 1 in 3,5–<5, none below 3,5.
    for expected in ["2 (50,0 %)", "1 (25,0 %)", "0 (0,0 %)", "Phân bố điểm toàn kỳ thi"] {
        assert!(lines.iter().any(|line| line == expected), "{expected:?} not in {lines:?}");
    }
    assert!(lines.iter().any(|line| line.contains(&day.exam.title().to_owned())), "{lines:?}");

    let verified = proctor(data, "en", &["verify-export", out_text]);
    let stdout = text(&verified.stdout);
    assert!(verified.status.success(), "{}", text(&verified.stderr));
    assert!(stdout.contains("thong-ke.pdf") && stdout.contains(&format!("diem-{exam}.csv")), "{stdout}");
    assert!(!stdout.contains("not signed"), "{stdout}");

    // Writing the report again (same bytes, new manifest) keeps both files signed.
    let again = proctor(data, "vi", &["report", "--exam", &exam, "--out", pdf_path.to_str().unwrap()]);
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(proctor(data, "en", &["verify-export", out_text]).status.success());
}

#[tokio::test]
async fn score_slips_one_pdf_per_class_with_receipts_and_a_tamper_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let (day, codes) = graded_day(dir.path()).await;
    let exam = day.exam_id.to_hex();
    let data = day.data.path();
    let out = dir.path().join("phieu");
    let run = proctor(data, "vi", &["report", "--exam", &exam, "--students", "--out", out.to_str().unwrap()]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let mut names: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    let first = format!("phieu-diem-{exam}-10A1.pdf");
    let second = format!("phieu-diem-{exam}-10A2.pdf");
    assert_eq!(names, ["manifest.txt".to_owned(), first.clone(), second.clone()]);

    let pdf = std::fs::read(out.join(&first)).unwrap();
    assert_eq!(inspect::page_count(&pdf), Some(3));
    let pages = inspect::page_texts(&pdf).unwrap();
    // Class-list order: Duyên, Thắng, Tuyết (given names).
    assert!(pages[0].contains(&"Lê Thị Mỹ Duyên".to_owned()), "{:?}", pages[0]);
    assert!(pages[0].contains(&"8,0 / 10".to_owned()), "{:?}", pages[0]);
    assert!(pages[2].contains(&"Nguyễn Thị Ánh Tuyết".to_owned()), "{:?}", pages[2]);
    assert!(pages[2].contains(&"10,0 / 10".to_owned()), "{:?}", pages[2]);
    assert!(pages[2].contains(&"Câu 4: 1,25".to_owned()), "{:?}", pages[2]);
    let tuyet_code = &codes.iter().find(|(student, _)| student == "HS001").unwrap().1;
    assert!(pages[2].contains(tuyet_code), "{tuyet_code} not in {:?}", pages[2]);
    assert!(pages[2].contains(&"Phụ huynh học sinh".to_owned()));

    let pdf = std::fs::read(out.join(&second)).unwrap();
    let pages = inspect::page_texts(&pdf).unwrap();
    assert_eq!(pages.len(), 3);
    let all: Vec<String> = pages.concat();
    assert!(all.contains(&"Vắng".to_owned()) && all.contains(&"Chưa nộp bài".to_owned()), "{all:?}");

    // Without the per-question points.
    let plain = dir.path().join("phieu-gon");
    let run = proctor(
        data,
        "vi",
        &["report", "--exam", &exam, "--per-student", "--no-per-question", "--out", plain.to_str().unwrap()],
    );
    assert!(run.status.success(), "{}", text(&run.stderr));
    let lines = inspect::page_texts(&std::fs::read(plain.join(&first)).unwrap()).unwrap().concat();
    assert!(!lines.iter().any(|line| line.starts_with("Câu ")), "{lines:?}");

    assert!(proctor(data, "en", &["verify-export", out.to_str().unwrap()]).status.success());
    let mut bytes = std::fs::read(out.join(&first)).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    std::fs::write(out.join(&first), bytes).unwrap();
    let refused = proctor(data, "en", &["verify-export", out.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(text(&refused.stderr).contains(&first), "{}", text(&refused.stderr));
}

#[tokio::test]
async fn report_errors_are_clear_and_leave_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let day = exam_day(dir.path(), 2, ROSTER).await.unwrap();
    let exam = day.exam_id.to_hex();
    let data = day.data.path();
    let out = dir.path().join("ra");
    let out_pdf = out.join("thong-ke.pdf");

    let unknown = "00112233445566778899aabbccddeeff";
    for args in
        [vec!["stats", "--exam", unknown], vec!["report", "--exam", unknown, "--out", out_pdf.to_str().unwrap()]]
    {
        let run = proctor(data, "en", &args);
        assert!(!run.status.success());
        assert!(text(&run.stderr).contains("no exam"), "{}", text(&run.stderr));
    }
    for args in [
        vec!["stats", "--exam", &exam],
        vec!["report", "--exam", &exam, "--out", out_pdf.to_str().unwrap()],
        vec!["report", "--exam", &exam, "--students", "--out", out.to_str().unwrap()],
    ] {
        let run = proctor(data, "en", &args);
        assert!(!run.status.success());
        assert!(text(&run.stderr).contains("no graded sheets"), "{}", text(&run.stderr));
    }
    assert!(!out.exists(), "nothing is written for a failed report");

    let run = proctor(data, "en", &["report", "--exam", &exam, "--students"]);
    assert!(!run.status.success());
    assert!(text(&run.stderr).contains("--out"), "{}", text(&run.stderr));

    // An output folder that is a file.
    std::fs::create_dir(dir.path().join("co-diem")).unwrap();
    let (day, _) = graded_day(&dir.path().join("co-diem")).await;
    let exam = day.exam_id.to_hex();
    let blocker = dir.path().join("khong-phai-thu-muc");
    std::fs::write(&blocker, "tệp").unwrap();
    let inside = blocker.join("thong-ke.pdf");
    let run = proctor(day.data.path(), "en", &["report", "--exam", &exam, "--out", inside.to_str().unwrap()]);
    assert!(!run.status.success());
    assert!(text(&run.stderr).contains("khong-phai-thu-muc"), "{}", text(&run.stderr));
}

#[tokio::test]
async fn lab_sheet_from_the_served_exam() {
    let dir = tempfile::tempdir().unwrap();
    let day = exam_day(dir.path(), 2, ROSTER).await.unwrap();
    let data = day.data.path();
    let sheet = dir.path().join("phieu-phong-may.pdf");
    let sheet_text = sheet.to_str().unwrap();

    // Before the exam was ever served there is no room code.
    let early = proctor(data, "en", &["lab-sheet", "--out", sheet_text, "--address", "192.168.1.10:4433"]);
    assert!(!early.status.success());
    assert!(text(&early.stderr).contains("proctor serve"), "{}", text(&early.stderr));
    assert!(!sheet.exists());

    let lab_path = dir.path().join("lab.toml");
    let options = ServeOptions {
        listen: "127.0.0.1:0".parse().unwrap(),
        lab_config_out: Some(lab_path.clone()),
        ..ServeOptions::default()
    };
    let serving = serve(day.data.clone(), None, options).await.unwrap();
    let (address, fingerprint, room_code) =
        (serving.lab.address.to_string(), serving.fingerprint.to_string(), serving.room_code.clone());
    serving.shutdown().await;

    let missing = proctor(data, "en", &["lab-sheet", "--out", sheet_text]);
    assert!(!missing.status.success());
    assert!(text(&missing.stderr).contains("--lab-config"), "{}", text(&missing.stderr));

    let run = proctor(data, "vi", &["lab-sheet", "--out", sheet_text, "--lab-config", lab_path.to_str().unwrap()]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let pdf = std::fs::read(&sheet).unwrap();
    // A room page, then six slips on one page of ten.
    assert_eq!(inspect::page_count(&pdf), Some(2));
    let pages = inspect::page_texts(&pdf).unwrap();
    assert!(pages[0].contains(&address), "{address} not in {:?}", pages[0]);
    assert!(pages[0].contains(&room_code));
    let printed_fingerprint =
        pages[0].iter().filter(|line| line.len() > 30 && line.contains(':') && !line.contains(' ')).cloned();
    assert_eq!(printed_fingerprint.collect::<Vec<_>>().join(":"), fingerprint);
    let slips = &pages[1];
    for name in ["Nguyễn Thị Ánh Tuyết", "Võ Ngọc Ẩn", "Đỗ Thị Hằng", "HS006", "Lớp: 10A2    Máy: B2", "Lớp: 10A2"]
    {
        assert!(slips.contains(&name.to_owned()), "{name:?} not in {slips:?}");
    }
    // PINs are hashed in the store: without the roster file the slips have a blank to fill.
    assert!(slips.iter().filter(|line| *line == "PIN:").count() == 6);
    assert!(!slips.contains(&"4821".to_owned()));

    let roster = dir.path().join("danh-sach.csv");
    let with_pins = proctor(
        data,
        "vi",
        &["lab-sheet", "--out", sheet_text, "--address", "10.0.0.5:4433", "--roster", roster.to_str().unwrap()],
    );
    assert!(with_pins.status.success(), "{}", text(&with_pins.stderr));
    let pages = inspect::page_texts(&std::fs::read(&sheet).unwrap()).unwrap();
    assert!(pages[0].contains(&"10.0.0.5:4433".to_owned()));
    assert!(pages[1].contains(&"4821".to_owned()) && pages[1].contains(&"9012".to_owned()), "{:?}", pages[1]);

    // A lab.toml of another proctor (another certificate) is refused.
    let lab_text = std::fs::read_to_string(&lab_path).unwrap();
    let first_group = &fingerprint[..4];
    let other_group = if first_group == "0000" { "1111" } else { "0000" };
    let foreign = dir.path().join("lab-khac.toml");
    std::fs::write(&foreign, lab_text.replacen(first_group, other_group, 1)).unwrap();
    let refused = proctor(data, "en", &["lab-sheet", "--out", sheet_text, "--lab-config", foreign.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(text(&refused.stderr).contains("another proctor"), "{}", text(&refused.stderr));

    let unknown =
        ["lab-sheet", "--out", sheet_text, "--address", "10.0.0.5:4433", "--exam", "00112233445566778899aabbccddeeff"];
    let refused = proctor(data, "en", &unknown);
    assert!(!refused.status.success());
    assert!(text(&refused.stderr).contains("no exam 00112233"), "{}", text(&refused.stderr));

    // An output folder that is a file.
    let blocker = dir.path().join("tep");
    std::fs::write(&blocker, "x").unwrap();
    let inside = blocker.join("phieu.pdf");
    let address = ["lab-sheet", "--out", inside.to_str().unwrap(), "--address", "10.0.0.5:4433"];
    let unwritable = proctor(data, "en", &address);
    assert!(!unwritable.status.success());
    assert!(text(&unwritable.stderr).contains("tep"), "{}", text(&unwritable.stderr));

    // A roster file whose PIN was changed after the import is refused, naming the student.
    let changed = dir.path().join("danh-sach-moi.csv");
    std::fs::write(&changed, ROSTER.replace("4821", "0000")).unwrap();
    let stale = proctor(
        data,
        "en",
        &[
            "lab-sheet",
            "--out",
            sheet_text,
            "--lab-config",
            lab_path.to_str().unwrap(),
            "--roster",
            changed.to_str().unwrap(),
        ],
    );
    assert!(!stale.status.success());
    assert!(text(&stale.stderr).contains("HS001"), "{}", text(&stale.stderr));
}
