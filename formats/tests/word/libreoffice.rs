//! A second, independent producer: LibreOffice (`soffice --headless --convert-to docx`) rewrites
//! the fixture paper in its own way (its own run splitting, styles, relationship ids and picture
//! markup), and writes a paper from HTML as a teacher's "Save as Word" would. Both must import
//! as the fixture does. `scripts/test.sh` (and so CI) installs LibreOffice from Debian's
//! packages; without it these tests fail and say so rather than pass unseen.

use super::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn soffice() -> PathBuf {
    for candidate in ["soffice", "libreoffice"] {
        if Command::new(candidate).arg("--version").output().is_ok_and(|o| o.status.success()) {
            return PathBuf::from(candidate);
        }
    }
    panic!("LibreOffice (soffice) is needed by this test: run scripts/test.sh, which installs it");
}

/// Converts `input` to `.docx` in `out`, returning the new file's bytes.
fn convert(input: &Path, out: &Path) -> Vec<u8> {
    // A profile of its own: a second LibreOffice instance would otherwise hand the job to a
    // running one, or wait on its lock.
    let profile = out.join("profile");
    let status = Command::new(soffice())
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--norestore", "--convert-to", "docx:MS Word 2007 XML", "--outdir"])
        .arg(out)
        .arg(input)
        .output()
        .unwrap();
    assert!(status.status.success(), "soffice failed: {}", String::from_utf8_lossy(&status.stderr));
    let name = input.file_stem().unwrap().to_string_lossy().into_owned() + ".docx";
    std::fs::read(out.join(name)).unwrap()
}

fn summary(report: &WordReport) -> Vec<(String, String)> {
    report
        .import
        .items
        .iter()
        .map(|item| {
            let key = match &item.body {
                Body::SingleChoice { .. } | Body::MultipleResponse { .. } => correct_letters(&item.body),
                Body::TrueFalseCluster { statements, .. } => {
                    statements.iter().map(|s| if s.correct { 'Đ' } else { 'S' }).collect()
                }
                other => format!("{:?}", other.kind()),
            };
            (item.stem.clone(), key)
        })
        .collect()
}

#[test]
fn libreoffice_rewritten_paper_imports_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let mut doc = Doc::new();
    paper_2025(&mut doc);
    let source = dir.join("de-goc.docx");
    std::fs::write(&source, doc.bytes()).unwrap();
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let rewritten = convert(&source, &out);
    assert_ne!(rewritten, doc.bytes(), "LibreOffice wrote its own file");
    let direct = read(&doc);
    let through = import("de-goc.docx", &rewritten, WordOptions::default());
    assert_eq!(through.import.errors, vec![]);
    assert_eq!(summary(&through), summary(&direct));
    assert_eq!(through.import.items[2].images.len(), 1, "the picture survives LibreOffice");
    assert!(through.import.items[0].meta.level.is_some());
}

#[test]
fn a_paper_saved_as_word_from_html_imports() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let html = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>Đề</title></head><body>
<p><b>PHẦN I. Câu trắc nghiệm nhiều phương án lựa chọn.</b></p>
<p><b>Câu 1.</b> [TH] Số nào là số nguyên tố?</p>
<p>A. 4</p><p><u>B</u>. 7</p><p>C. 9</p><p>D. 15</p>
<p><b>Câu 2.</b> Thủ đô của Việt Nam?</p>
<p>A. Huế&#9;B. Đà Nẵng&#9;<span style="color:#ff0000">C. Hà Nội</span>&#9;D. Cần Thơ</p>
<p><b>PHẦN II. Câu trắc nghiệm đúng sai.</b></p>
<p><b>Câu 1.</b> Cho tam giác đều ABC cạnh 2.</p>
<p><u>a</u>) Chu vi bằng 6.</p><p>b) Diện tích bằng 4.</p><p><u>c</u>) Mọi góc bằng 60°.</p><p>d) Đường cao bằng 2.</p>
<p>------ HẾT ------</p></body></html>"#;
    let source = dir.join("de-html.html");
    std::fs::write(&source, html).unwrap();
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let bytes = convert(&source, &out);
    let report = import("de-html.docx", &bytes, WordOptions::default());
    assert_eq!(report.import.errors, vec![]);
    assert_eq!(
        summary(&report),
        [
            ("Số nào là số nguyên tố?".to_owned(), "B".to_owned()),
            ("Thủ đô của Việt Nam?".to_owned(), "C".to_owned()),
            ("Cho tam giác đều ABC cạnh 2.".to_owned(), "ĐSĐS".to_owned()),
        ]
    );
}
