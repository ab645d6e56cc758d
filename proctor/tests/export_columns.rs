//! A school's column mapping through `proctor export --columns`: the XLSX read back with
//! calamine (sheet names, headers, cells), the CSV, `--save-columns` making it the default, and
//! a broken mapping refused with every problem named.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)] // a test: a panic is the report

mod support;

use calamine::{Data, Reader as _, Xlsx, open_workbook};
use phongthi_store::admin::open_store;
use phongthi_store::demo::exam_day;
use std::path::Path;
use std::process::{Command, Output};

const ROSTER: &str = "STT,Mã học sinh,Họ và tên,Lớp,Ngày sinh
1,0123456789,Nguyễn Văn An,10A1,05/03/2010
2,0123456790,Trần Thị Bích Ngọc,10A1,17/11/2010
3,0223456791,Lê Hoàng Phúc,10A2,01/01/2010
";

const SMAS: &str = r#"# Mẫu nhập điểm SMAS của trường THPT Chu Văn An
sheet_name = "Điểm {class}"

[[column]]
key = "student_id"
header = "Mã định danh"

[[column]]
key = "full_name"

[[column]]
key = "score"
header = "Điểm KTGK"
"#;

fn proctor(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_proctor"))
        .arg("--data")
        .arg(data)
        .args(["--lang", "en"])
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn cells(book: &mut Xlsx<std::io::BufReader<std::fs::File>>, sheet: &str) -> Vec<Vec<String>> {
    let range = book.worksheet_range(sheet).unwrap();
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::Empty => String::new(),
                    Data::Float(f) => format!("{f}"),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn a_school_mapping_renames_reorders_omits_and_names_the_sheets() {
    let dir = tempfile::tempdir().unwrap();
    let day = exam_day(dir.path(), 2, ROSTER).await.unwrap();
    let (store, _) = open_store(&day.data, None).unwrap();
    support::sessions::scored(&store, day.exam_id, 0, &[("0123456789", Some(8_250)), ("0223456791", Some(6_000))])
        .await;
    store.close().unwrap();
    let data = day.data.path();
    let exam = day.exam_id.to_hex();
    let mapping = dir.path().join("smas.toml");
    std::fs::write(&mapping, SMAS).unwrap();

    let out = dir.path().join("xlsx");
    let run = proctor(
        data,
        &[
            "export",
            "--exam",
            &exam,
            "--format",
            "xlsx",
            "--out",
            out.to_str().unwrap(),
            "--columns",
            mapping.to_str().unwrap(),
        ],
    );
    assert!(run.status.success(), "{}", text(&run.stderr));
    let mut book: Xlsx<_> = open_workbook(out.join(format!("diem-{exam}.xlsx"))).unwrap();
    assert_eq!(book.sheet_names(), vec!["Điểm 10A1".to_owned(), "Điểm 10A2".to_owned()]);
    assert_eq!(
        cells(&mut book, "Điểm 10A1"),
        vec![
            vec!["Mã định danh", "Họ và tên", "Điểm KTGK"],
            vec!["0123456789", "Nguyễn Văn An", "8.3"],
            vec!["0123456790", "Trần Thị Bích Ngọc", ""],
        ]
    );
    assert_eq!(cells(&mut book, "Điểm 10A2")[1], vec!["0223456791", "Lê Hoàng Phúc", "6"]);
    assert!(proctor(data, &["verify-export", out.to_str().unwrap()]).status.success());

    // Saved as the default: a later CSV export without --columns uses it.
    let out = dir.path().join("luu");
    let run = proctor(
        data,
        &[
            "export",
            "--exam",
            &exam,
            "--format",
            "csv",
            "--out",
            out.to_str().unwrap(),
            "--columns",
            mapping.to_str().unwrap(),
            "--save-columns",
        ],
    );
    assert!(run.status.success() && text(&run.stdout).contains("Saved the column mapping"), "{}", text(&run.stderr));
    assert_eq!(std::fs::read_to_string(data.join("columns.toml")).unwrap(), SMAS);
    let out = dir.path().join("csv");
    let run = proctor(data, &["export", "--exam", &exam, "--format", "csv", "--out", out.to_str().unwrap()]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let csv = std::fs::read_to_string(out.join(format!("diem-{exam}.csv"))).unwrap();
    assert!(csv.starts_with("\u{feff}Mã định danh,Họ và tên,Điểm KTGK\r\n"), "{csv}");
    assert!(csv.contains("0123456789,Nguyễn Văn An,\"8,3\"\r\n"), "{csv}");

    // A broken mapping: refused, every problem named, nothing written.
    let broken = dir.path().join("hong.toml");
    std::fs::write(&broken, "[[column]]\nkey = \"diem_so\"\n[[column]]\nkey = \"full_name\"\nheader = \"Điểm\"\n[[column]]\nkey = \"score\"\n").unwrap();
    let out = dir.path().join("hong");
    let run = proctor(
        data,
        &[
            "export",
            "--exam",
            &exam,
            "--format",
            "xlsx",
            "--out",
            out.to_str().unwrap(),
            "--columns",
            broken.to_str().unwrap(),
        ],
    );
    assert!(!run.status.success());
    let stderr = text(&run.stderr);
    assert!(stderr.contains("hong.toml") && stderr.contains("unknown key \"diem_so\""), "{stderr}");
    assert!(stderr.contains("duplicate header \"Điểm\""), "{stderr}");
    assert!(!out.exists());
}
