//! Exports of a real exam day (the example roster of 10A1, three students who logged in, two
//! who did not): bytes of the CSV, the XLSX read back with calamine, the OneRoster files column
//! by column, and the signed manifest refusing any change.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the report

use super::oneroster::{BINDING_FILES, ExamFacts};
use super::*;
use calamine::{Data, Reader as _, Xlsx, open_workbook_from_rs};
use phongthi_crypto::{JournalSecret, SessionId};
use phongthi_store::admin::open_store;
use phongthi_store::demo::{ROSTER_CSV, exam_day};
use phongthi_store::{NewSession, ScoreRecord, StoredScore, StudentRecord};
use proptest::prelude::*;
use std::io::Read as _;
use std::path::PathBuf;

/// 2026-11-22 09:00 in Hà Nội.
const EXPORTED_MS: u64 = 1_795_341_600_000;
/// 2026-11-22 08:15 in Hà Nội.
const SCORED_MS: u64 = 1_795_338_900_000;

struct Day {
    _dir: tempfile::TempDir,
    data: PathBuf,
    exam: ExamId,
    identity: SigningKey,
    added_ms: u64,
    title: String,
}

/// The example roster; An scores 8.25 (exported 8,3), Phúc 10, Ngọc logged in and never
/// submitted, Châu and Dương never came.
async fn exam_day_with_scores() -> Day {
    let dir = tempfile::tempdir().unwrap();
    let day = exam_day(dir.path(), 2, ROSTER_CSV).await.unwrap();
    let (store, identity) = open_store(&day.data, None).unwrap();
    for (student, score) in [("0123456789", Some(8_250)), ("0123456791", Some(10_000)), ("0123456790", None)] {
        let session = SessionId::generate().unwrap();
        let new = NewSession {
            id: session,
            exam: day.exam_id,
            student_id: student.to_owned(),
            form_index: 0,
            session_key: SigningKey::generate().unwrap().public_key(),
            journal_secret: JournalSecret::from_bytes([7; 32]),
            created_ms: SCORED_MS - 2_700_000,
        };
        store.create_session(new, None).await.unwrap();
        if let Some(milli) = score {
            let record = ScoreRecord {
                raw_milli: milli,
                max_milli: 10_000,
                scaled_milli: milli,
                per_question_json: "[]".to_owned(),
                scored_ms: SCORED_MS,
            };
            store.record_score(session, record, None).await.unwrap();
        }
    }
    let reader = store.reader().unwrap();
    let record = reader.exam(&day.exam_id).unwrap().unwrap();
    drop(reader);
    store.close().unwrap();
    Day {
        data: day.data.path().to_path_buf(),
        exam: day.exam_id,
        identity,
        added_ms: record.added_ms,
        title: record.title,
        _dir: dir,
    }
}

impl Day {
    fn export(&self, format: ExportFormat, decimal: DecimalMark) -> (tempfile::TempDir, ExportReport) {
        let out = tempfile::tempdir().unwrap();
        let (store, _) = open_store(&phongthi_store::datadir::DataDir::new(&self.data), None).unwrap();
        let reader = store.reader().unwrap();
        let report =
            export_exam(&reader, &self.identity, &self.exam, format, decimal, out.path(), EXPORTED_MS).unwrap();
        drop(reader);
        store.close().unwrap();
        (out, report)
    }

    fn file(&self, out: &tempfile::TempDir, format: ExportFormat) -> Vec<u8> {
        std::fs::read(out.path().join(format.file_name(&self.exam.to_hex()))).unwrap()
    }
}

const CSV_COMMA: &str = "\u{feff}STT,Mã học sinh,Họ và tên,Lớp,Điểm,Ghi chú\r\n\
    1,0123456789,Nguyễn Văn An,10A1,\"8,3\",\r\n\
    2,0123456792,Phạm Minh Châu,10A1,,Vắng\r\n\
    3,0123456793,Đặng Thùy Dương,10A1,,Vắng\r\n\
    4,0123456790,Trần Thị Bích Ngọc,10A1,,Chưa nộp bài\r\n\
    5,0123456791,Lê Hoàng Phúc,10A1,\"10,0\",\r\n";

#[tokio::test]
async fn csv_has_bom_header_class_order_comma_decimal_and_absent_students() {
    let day = exam_day_with_scores().await;
    let (out, report) = day.export(ExportFormat::Csv, DecimalMark::Comma);
    let bytes = day.file(&out, ExportFormat::Csv);
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    assert_eq!(String::from_utf8(bytes).unwrap(), CSV_COMMA);
    let csv_name = format!("diem-{}.csv", day.exam.to_hex());
    assert_eq!(
        report,
        ExportReport { files: vec![csv_name, MANIFEST_FILE.to_owned()], graded: 2, not_submitted: 1, absent: 2 }
    );
}

#[tokio::test]
async fn csv_with_a_decimal_dot_needs_no_quotes() {
    let day = exam_day_with_scores().await;
    let (out, _) = day.export(ExportFormat::Csv, DecimalMark::Dot);
    let expected = CSV_COMMA.replace("\"8,3\"", "8.3").replace("\"10,0\"", "10.0");
    assert_eq!(String::from_utf8(day.file(&out, ExportFormat::Csv)).unwrap(), expected);
}

#[tokio::test]
async fn xlsx_reads_back_cell_by_cell() {
    let day = exam_day_with_scores().await;
    let (out, _) = day.export(ExportFormat::Xlsx, DecimalMark::Comma);
    let bytes = day.file(&out, ExportFormat::Xlsx);
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
    assert_eq!(book.sheet_names(), vec!["10A1".to_owned()]);
    let range = book.worksheet_range("10A1").unwrap();
    let s = |text: &str| Data::String(text.to_owned());
    let expected: Vec<Vec<Data>> = vec![
        COLUMNS.iter().map(|c| s(c)).collect(),
        vec![Data::Float(1.0), s("0123456789"), s("Nguyễn Văn An"), s("10A1"), Data::Float(8.3), Data::Empty],
        vec![Data::Float(2.0), s("0123456792"), s("Phạm Minh Châu"), s("10A1"), Data::Empty, s("Vắng")],
        vec![Data::Float(3.0), s("0123456793"), s("Đặng Thùy Dương"), s("10A1"), Data::Empty, s("Vắng")],
        vec![Data::Float(4.0), s("0123456790"), s("Trần Thị Bích Ngọc"), s("10A1"), Data::Empty, s("Chưa nộp bài")],
        vec![Data::Float(5.0), s("0123456791"), s("Lê Hoàng Phúc"), s("10A1"), Data::Float(10.0), Data::Empty],
    ];
    assert_eq!(range.start(), Some((0, 0)), "the header is in row 1, column A");
    assert_eq!(range.height(), expected.len());
    for (r, row) in expected.iter().enumerate() {
        for (c, want) in row.iter().enumerate() {
            let got = range.get((r, c)).cloned().unwrap_or(Data::Empty);
            assert_eq!(&got, want, "row {} column {}", r + 1, c + 1);
        }
    }
    // The score cells carry the number format 0.0 and the header is bold.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut styles = String::new();
    zip.by_name("xl/styles.xml").unwrap().read_to_string(&mut styles).unwrap();
    assert!(styles.contains(r#"formatCode="0.0""#), "{styles}");
    assert!(styles.contains("<b/>"), "{styles}");
}

fn read_zip_csv(zip: &mut zip::ZipArchive<std::io::Cursor<Vec<u8>>>, name: &str) -> Vec<Vec<String>> {
    let mut bytes = Vec::new();
    zip.by_name(name).unwrap().read_to_end(&mut bytes).unwrap();
    assert!(!bytes.starts_with(b"\xEF\xBB\xBF"), "{name}: OneRoster files carry no BOM");
    let mut reader = ::csv::ReaderBuilder::new().has_headers(false).from_reader(bytes.as_slice());
    reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect()
}

fn check_table(name: &str, got: &[Vec<String>], want: &[Vec<&str>]) {
    assert_eq!(got.len(), want.len(), "{name}: record count");
    for (r, (got_row, want_row)) in got.iter().zip(want).enumerate() {
        assert_eq!(got_row.len(), want_row.len(), "{name} line {}: column count", r + 1);
        for (c, (g, w)) in got_row.iter().zip(want_row).enumerate() {
            assert_eq!(g, w, "{name} line {} column {} ({})", r + 1, c + 1, want[0][c]);
        }
    }
}

#[tokio::test]
async fn oneroster_files_column_by_column() {
    let day = exam_day_with_scores().await;
    let (out, _) = day.export(ExportFormat::OneRoster, DecimalMark::Comma);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(day.file(&out, ExportFormat::OneRoster))).unwrap();
    let mut sorted: Vec<String> = zip.file_names().map(|name| name.unwrap().into_owned()).collect();
    sorted.sort_unstable();
    assert_eq!(sorted, ["categories.csv", "lineItems.csv", "manifest.csv", "results.csv"]);

    let mut manifest: Vec<Vec<&str>> =
        vec![vec!["propertyName", "value"], vec!["manifest.version", "1.0"], vec!["oneroster.version", "1.2"]];
    let file_keys: Vec<String> = BINDING_FILES.iter().map(|f| format!("file.{f}")).collect();
    for (key, file) in file_keys.iter().zip(BINDING_FILES) {
        let mode = if ["categories", "lineItems", "results"].contains(&file) { "bulk" } else { "absent" };
        manifest.push(vec![key, mode]);
    }
    manifest.push(vec!["source.systemName", "Phòng Thi"]);
    manifest.push(vec!["source.systemCode", "phongthi"]);
    check_table("manifest.csv", &read_zip_csv(&mut zip, "manifest.csv"), &manifest);
    assert_eq!(BINDING_FILES.len(), 21);

    let hex = day.exam.to_hex();
    let category = format!("phongthi-{hex}");
    let line_item = format!("phongthi-{hex}-10A1");
    check_table(
        "categories.csv",
        &read_zip_csv(&mut zip, "categories.csv"),
        &[vec!["sourcedId", "status", "dateLastModified", "title", "weight"], vec![&category, "", "", &day.title, ""]],
    );

    let assigned = oneroster::iso_date(day.added_ms);
    let description = format!("Phòng Thi {hex}");
    check_table(
        "lineItems.csv",
        &read_zip_csv(&mut zip, "lineItems.csv"),
        &[
            vec![
                "sourcedId",
                "status",
                "dateLastModified",
                "title",
                "description",
                "assignDate",
                "dueDate",
                "classSourcedId",
                "categorySourcedId",
                "academicSessionSourcedId",
                "resultValueMin",
                "resultValueMax",
                "schoolSourcedId",
            ],
            vec![
                &line_item,
                "",
                "",
                &day.title,
                &description,
                &assigned,
                "2026-11-22",
                "10A1",
                &category,
                "",
                "0.0",
                "10.0",
                "",
            ],
        ],
    );

    let result = |student: &str| format!("phongthi-{hex}-{student}");
    let ids: Vec<String> = ["0123456789", "0123456792", "0123456793", "0123456790", "0123456791"].map(result).to_vec();
    let row = |i: usize, student: &'static str, status: &'static str, score: &'static str, comment: &'static str| {
        let missing = if status == "fully graded" { "false" } else { "true" };
        vec![
            ids[i].clone(),
            String::new(),
            String::new(),
            line_item.clone(),
            student.to_owned(),
            status.to_owned(),
            score.to_owned(),
            "2026-11-22".to_owned(),
            comment.to_owned(),
            String::new(),
            "10A1".to_owned(),
            "false".to_owned(),
            "false".to_owned(),
            "false".to_owned(),
            missing.to_owned(),
        ]
    };
    let rows = [
        row(0, "0123456789", "fully graded", "8.3", ""),
        row(1, "0123456792", "not submitted", "", "Vắng"),
        row(2, "0123456793", "not submitted", "", "Vắng"),
        row(3, "0123456790", "not submitted", "", "Chưa nộp bài"),
        row(4, "0123456791", "fully graded", "10.0", ""),
    ];
    let mut want: Vec<Vec<&str>> = vec![vec![
        "sourcedId",
        "status",
        "dateLastModified",
        "lineItemSourcedId",
        "studentSourcedId",
        "scoreStatus",
        "score",
        "scoreDate",
        "comment",
        "textScore",
        "classSourcedId",
        "inProgress",
        "incomplete",
        "late",
        "missing",
    ]];
    want.extend(rows.iter().map(|r| r.iter().map(String::as_str).collect::<Vec<_>>()));
    check_table("results.csv", &read_zip_csv(&mut zip, "results.csv"), &want);
}

#[tokio::test]
async fn manifest_verifies_and_refuses_changes_naming_the_file() {
    let day = exam_day_with_scores().await;
    let (out, _) = day.export(ExportFormat::Csv, DecimalMark::Comma);
    let proctor = day.identity.public_key();
    let checked = verify_export(out.path(), &proctor).unwrap();
    let name = format!("diem-{}.csv", day.exam.to_hex());
    assert_eq!(checked.manifest.signer, proctor);
    assert_eq!(checked.manifest.manifest.created_ms, EXPORTED_MS);
    assert_eq!(checked.manifest.manifest.files.len(), 1);
    assert_eq!(checked.manifest.manifest.files[0].name, name);
    assert!(checked.unlisted.is_empty(), "no temporary file is left: {:?}", checked.unlisted);

    let path = out.path().join(&name);
    let original = std::fs::read(&path).unwrap();
    let refused = |why: &str| {
        let error = verify_export(out.path(), &proctor).unwrap_err().to_string();
        assert!(error.contains(&name), "{why}: {error}");
        error
    };
    // One changed digit: same size, other hash.
    let tampered = String::from_utf8(original.clone()).unwrap().replacen("\"8,3\"", "\"9,3\"", 1);
    std::fs::write(&path, tampered).unwrap();
    assert!(refused("tampered").contains("content differs"));
    let mut longer = original.clone();
    longer.push(b'\n');
    std::fs::write(&path, longer).unwrap();
    assert!(refused("extra byte").contains("size"));
    std::fs::remove_file(&path).unwrap();
    assert!(refused("missing").contains("cannot read"));

    // Restored, it verifies again; a stray file is reported, not signed.
    std::fs::write(&path, &original).unwrap();
    std::fs::write(out.path().join("ghi-chu.txt"), "sửa điểm").unwrap();
    assert_eq!(verify_export(out.path(), &proctor).unwrap().unlisted, vec!["ghi-chu.txt".to_owned()]);

    // Another proctor's key, and a manifest edited by hand, are refused.
    let other = SigningKey::generate().unwrap().public_key();
    assert!(matches!(
        verify_export(out.path(), &other),
        Err(ExportError::Manifest(phongthi_crypto::Error::WrongKey { .. }))
    ));
    let manifest_path = out.path().join(MANIFEST_FILE);
    let text = std::fs::read_to_string(&manifest_path).unwrap();
    std::fs::write(&manifest_path, text.replacen("created-ms 1", "created-ms 2", 1)).unwrap();
    assert!(matches!(
        verify_export(out.path(), &proctor),
        Err(ExportError::Manifest(phongthi_crypto::Error::Tampered { .. }))
    ));
    std::fs::remove_file(&manifest_path).unwrap();
    assert!(matches!(verify_export(out.path(), &proctor), Err(ExportError::Read { .. })));
}

#[tokio::test]
async fn an_unknown_exam_is_an_error_and_writes_nothing() {
    let day = exam_day_with_scores().await;
    let out = tempfile::tempdir().unwrap();
    let (store, _) = open_store(&phongthi_store::datadir::DataDir::new(&day.data), None).unwrap();
    let reader = store.reader().unwrap();
    let unknown = ExamId::generate().unwrap();
    let error = export_exam(&reader, &day.identity, &unknown, ExportFormat::Csv, DecimalMark::Comma, out.path(), 0)
        .unwrap_err();
    assert!(matches!(error, ExportError::UnknownExam(id) if id == unknown), "{error}");
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
}

#[test]
fn a_write_into_a_file_path_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("khong-phai-thu-muc");
    std::fs::write(&blocker, "x").unwrap();
    let key = SigningKey::generate().unwrap();
    let error = manifest::write_with_manifest(&blocker, &[("a.csv".to_owned(), b"1".to_vec())], &key, 0).unwrap_err();
    assert!(matches!(error, ExportError::Write { .. }), "{error}");
    assert!(error.to_string().contains("không ghi được"), "{error}");
}

#[test]
fn adding_to_a_manifest_keeps_the_earlier_files_signed() {
    let dir = tempfile::tempdir().unwrap();
    let key = SigningKey::generate().unwrap();
    let csv = ("diem.csv".to_owned(), "Nguyễn Văn An;8,3".as_bytes().to_vec());
    manifest::write_with_manifest(dir.path(), std::slice::from_ref(&csv), &key, 1).unwrap();
    let pdf = ("thong-ke.pdf".to_owned(), b"%PDF-1.7 bao cao".to_vec());
    let written = manifest::add_to_manifest(dir.path(), std::slice::from_ref(&pdf), &key, 2).unwrap();
    assert_eq!(written, ["thong-ke.pdf", MANIFEST_FILE]);
    let checked = verify_export(dir.path(), &key.public_key()).unwrap();
    let names: Vec<&str> = checked.manifest.manifest.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["diem.csv", "thong-ke.pdf"]);
    assert!(checked.unlisted.is_empty());

    // The same name again replaces its entry rather than failing as a duplicate.
    let newer = ("thong-ke.pdf".to_owned(), b"%PDF-1.7 bao cao moi".to_vec());
    manifest::add_to_manifest(dir.path(), &[newer], &key, 3).unwrap();
    assert_eq!(verify_export(dir.path(), &key.public_key()).unwrap().manifest.manifest.files.len(), 2);

    // Another proctor's key does not re-sign this folder, and writes nothing.
    let stranger = SigningKey::generate().unwrap();
    let other = ("khac.pdf".to_owned(), b"%PDF".to_vec());
    assert!(manifest::add_to_manifest(dir.path(), std::slice::from_ref(&other), &stranger, 4).is_err());
    assert!(!dir.path().join("khac.pdf").exists());

    // Nor is a changed earlier file laundered into a new signature.
    std::fs::write(dir.path().join("diem.csv"), "Nguyễn Văn An;9,3").unwrap();
    let error = manifest::add_to_manifest(dir.path(), &[other], &key, 5).unwrap_err();
    assert!(error.to_string().contains("diem.csv"), "{error}");
    assert!(!dir.path().join("khac.pdf").exists());
}

fn student(id: &str, name: &str, class: &str) -> StudentRecord {
    StudentRecord {
        student_id: id.to_owned(),
        full_name: name.to_owned(),
        class: class.to_owned(),
        date_of_birth: None,
        pin_hash: None,
        seat: None,
    }
}

fn scored(id: &str, milli: i64) -> StoredScore {
    StoredScore {
        session: SessionId::from_bytes([1; 16]),
        student_id: id.to_owned(),
        score: ScoreRecord {
            raw_milli: milli,
            max_milli: 10_000,
            scaled_milli: milli,
            per_question_json: "[]".to_owned(),
            scored_ms: SCORED_MS,
        },
    }
}

#[test]
fn two_classes_restart_numbering_and_a_stray_score_is_kept() {
    let students = [
        student("HS03", "Vũ Ngọc Yến", "10A2"),
        student("HS01", "Bùi Đức Anh", "10A1"),
        student("HS02", "Hoàng Thu Hà", "10A2"),
        student("HS04", "Lê Văn Ánh", "10A1"),
    ];
    let rows = build_rows(&students, &[], &[scored("HS02", 6_750), scored("HS99", 5_000)]);
    let summary: Vec<(u32, &str, &str, Option<i64>, &str)> = rows
        .iter()
        .map(|r| (r.number, r.student_id.as_str(), r.class.as_str(), r.score_tenths, r.note.as_str()))
        .collect();
    assert_eq!(
        summary,
        vec![
            (1, "HS01", "10A1", None, "Vắng"),
            (2, "HS04", "10A1", None, "Vắng"),
            (1, "HS02", "10A2", Some(68), ""),
            (2, "HS03", "10A2", None, "Vắng"),
            (1, "HS99", "", Some(50), "Không có trong danh sách lớp"),
        ]
    );

    // One sheet per class, the stray score on a sheet of its own.
    let bytes = xlsx::grade_sheet_xlsx(&rows).unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), vec!["10A1".to_owned(), "10A2".to_owned(), "Kết quả".to_owned()]);
    let second = book.worksheet_range("10A2").unwrap();
    assert_eq!(second.get((1, 4)), Some(&Data::Float(6.8)));
    assert_eq!(second.height(), 3);

    // One line item per class in OneRoster, the stray one without a class.
    let facts = ExamFacts {
        exam_hex: "ab".repeat(16),
        title: "Kiểm tra 15 phút — Vật lí 10".to_owned(),
        scale_milli: 10_000,
        assigned_ms: SCORED_MS,
        exported_ms: EXPORTED_MS,
    };
    let files = oneroster::oneroster_files(&facts, &rows).unwrap();
    let line_items = String::from_utf8(files[2].1.clone()).unwrap();
    let ids: Vec<&str> = line_items.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    let hex = &facts.exam_hex;
    assert_eq!(ids, [format!("phongthi-{hex}-10A1"), format!("phongthi-{hex}-10A2"), format!("phongthi-{hex}")]);
}

#[test]
fn an_empty_roster_still_makes_valid_files() {
    let facts = ExamFacts {
        exam_hex: "cd".repeat(16),
        title: "Hóa học 11".to_owned(),
        scale_milli: 10_000,
        assigned_ms: 0,
        exported_ms: 0,
    };
    for format in [ExportFormat::Csv, ExportFormat::Xlsx, ExportFormat::OneRoster] {
        let files = render(format, DecimalMark::Comma, &facts, &[]).unwrap();
        assert_eq!(files.len(), 1);
        assert!(!files[0].1.is_empty(), "{format:?}");
    }
    let csv = render(ExportFormat::Csv, DecimalMark::Comma, &facts, &[]).unwrap();
    assert_eq!(csv[0].1, "\u{feff}STT,Mã học sinh,Họ và tên,Lớp,Điểm,Ghi chú\r\n".as_bytes());
}

#[test]
fn format_and_decimal_names() {
    for (text, format) in
        [("csv", ExportFormat::Csv), ("XLSX", ExportFormat::Xlsx), (" oneroster ", ExportFormat::OneRoster)]
    {
        assert_eq!(ExportFormat::parse(text), Some(format));
    }
    assert_eq!(ExportFormat::parse("pdf"), None);
    assert_eq!(DecimalMark::parse("comma"), Some(DecimalMark::Comma));
    assert_eq!(DecimalMark::parse("Dot"), Some(DecimalMark::Dot));
    assert_eq!(DecimalMark::parse(","), None);
    assert_eq!(DecimalMark::default(), DecimalMark::Comma);
}

fn any_row() -> impl Strategy<Value = ExportRow> {
    (
        1u32..500,
        "[0-9A-Za-z]{1,12}",
        "\\PC{0,30}",
        prop_oneof![Just(String::new()), "[0-9]{2}[A-Z][0-9]", "\\PC{0,40}"],
        proptest::option::of(0i64..=100),
        "\\PC{0,20}",
    )
        .prop_map(|(number, student_id, full_name, class, score_tenths, note)| ExportRow {
            number,
            student_id,
            full_name,
            class,
            status: if score_tenths.is_some() { RowStatus::Graded } else { RowStatus::Absent },
            score_tenths,
            note,
            scored_ms: Some(SCORED_MS),
            unmarked_essays: 0,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Whatever the names hold (commas, quotes, line breaks), the CSV reads back to the same
    /// cells, in both decimal marks.
    #[test]
    fn csv_round_trips(rows in proptest::collection::vec(any_row(), 0..12), comma in any::<bool>()) {
        let decimal = if comma { DecimalMark::Comma } else { DecimalMark::Dot };
        let bytes = csv::grade_sheet_csv(&rows, decimal).unwrap();
        let mut reader = ::csv::ReaderBuilder::new().has_headers(true).from_reader(&bytes[3..]);
        let headers: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
        prop_assert_eq!(headers, COLUMNS.map(str::to_owned).to_vec());
        let records: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        prop_assert_eq!(records.len(), rows.len());
        for (record, row) in records.iter().zip(&rows) {
            let score = row.score_tenths.map(|t| rows::format_tenths(t, decimal.separator())).unwrap_or_default();
            let number = row.number.to_string();
            let want = [number.as_str(), &row.student_id, &row.full_name, &row.class, &score, &row.note];
            prop_assert_eq!(record.iter().collect::<Vec<_>>(), want.to_vec());
        }
    }

    /// Any rows make a workbook calamine opens, with valid unique sheet names, and a OneRoster
    /// ZIP whose results hold one record per row.
    #[test]
    fn xlsx_and_oneroster_never_fail(rows in proptest::collection::vec(any_row(), 0..8)) {
        let bytes = xlsx::grade_sheet_xlsx(&rows).unwrap();
        let book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let names = book.sheet_names();
        for name in &names {
            prop_assert!(!name.is_empty() && name.encode_utf16().count() <= 31, "{name:?}");
            prop_assert!(!name.contains(['[', ']', ':', '*', '?', '/', '\\']), "{name:?}");
        }
        let facts = ExamFacts { exam_hex: "ef".repeat(16), title: "Toán 10".to_owned(), scale_milli: 10_000, assigned_ms: 0, exported_ms: 0 };
        let zip_bytes = oneroster::oneroster_zip(&facts, &rows).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap();
        let results = read_zip_csv(&mut zip, "results.csv");
        prop_assert_eq!(results.len(), rows.len() + 1);
        prop_assert!(results.iter().all(|r| r.len() == 15));
    }
}
