//! `qbank print --format docx` end to end: the example files plus a Moodle XML question with a
//! PNG figure, a fraction and a square root, assembled into 4 forms and printed as Word
//! documents, which LibreOffice (a program that is not ours) then lays out as PDF for
//! `pdftotext` to read: the fields are evaluated, the equations drawn, the figure embedded.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is the failure report

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const CODES: [&str; 4] = ["101", "102", "103", "104"];

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

/// Standard base64, for the picture inside the Moodle XML file.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for (index, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if index <= chunk.len() {
                out.push(ALPHABET[(n >> shift & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A right triangle drawn on white, 240 × 160 pixels, as a teacher's figure.
fn triangle_png() -> Vec<u8> {
    let picture = image::RgbImage::from_fn(240, 160, |x, y| {
        let (x, y) = (x as i64, y as i64);
        // Legs along the left and bottom edges, the hypotenuse from (20, 20) to (220, 140).
        let inside = x >= 20 && y <= 140 && (y - 20) * 200 >= (x - 20) * 120;
        let edge = inside && (x < 23 || y > 137 || (y - 20) * 200 - (x - 20) * 120 < 600);
        if edge {
            image::Rgb([20, 40, 120])
        } else if inside {
            image::Rgb([200, 220, 250])
        } else {
            image::Rgb([255, 255, 255])
        }
    });
    let mut bytes = Vec::new();
    picture.write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
    bytes
}

/// A Moodle XML question in topic "Hình học" with `picture` as its figure.
fn figure_question(picture: &[u8]) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/Hình học</text></category></question>
  <question type="multichoice">
    <name><text>Tam giác vuông</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>Cho tam giác vuông như hình vẽ, cạnh huyền $c = \sqrt{{a^2 + b^2}}$ và diện tích $S = \frac{{1}}{{2}}ab$.</p><p><img src="@@PLUGINFILE@@/tam-giac.png"></p><p>Với $a = 3$ và $b = 4$ thì $c$ bằng</p>]]></text>
      <file name="tam-giac.png" path="/" encoding="base64">{}</file>
    </questiontext>
    <single>true</single>
    <answer fraction="100"><text>$5$</text></answer>
    <answer fraction="0"><text>$7$</text></answer>
    <answer fraction="0"><text>$\sqrt{{7}}$</text></answer>
    <answer fraction="0"><text>$\frac{{7}}{{2}}$</text></answer>
    <tags><tag><text>phongthi:level=biet</text></tag></tags>
  </question>
</quiz>
"#,
        base64(picture)
    )
}

/// The examples and the figure question imported, approved and assembled into `de.exam` (4
/// forms, 101–104); the blueprint's Phần I draws the figure question too.
fn assembled(picture: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    for name in ["questions.csv", "toan10.gift"] {
        std::fs::copy(examples.join(name), d.join(name)).unwrap();
    }
    let blueprint = std::fs::read_to_string(examples.join("blueprint.toml")).unwrap();
    let cell = "  { topic = \"Tập hợp\", level = \"Hiểu\", count = 2 },\n";
    assert!(blueprint.contains(cell), "the example blueprint changed: update this test");
    let blueprint =
        blueprint.replacen(cell, &format!("{cell}  {{ topic = \"Hình học\", level = \"Biết\", count = 1 }},\n"), 1);
    std::fs::write(d.join("blueprint.toml"), blueprint).unwrap();
    std::fs::write(d.join("hinh.xml"), figure_question(picture)).unwrap();
    std::fs::write(d.join("pass.txt"), "mật khẩu tổ Toán\n").unwrap();
    ok(d, &["import", "questions.csv", "toan10.gift", "hinh.xml", "--subject", "Toán", "--grade", "10"]);
    let list: serde_json::Value = serde_json::from_str(&ok(d, &["list", "--json"])).unwrap();
    let ids: Vec<String> = list.as_array().unwrap().iter().map(|i| i["id"].to_string()).collect();
    let mut submit = vec!["submit", "--by", "cô Lan"];
    submit.extend(ids.iter().map(String::as_str));
    ok(d, &submit);
    for id in &ids {
        ok(d, &["review", id, "--approve", "--by", "tổ trưởng"]);
    }
    ok(d, &["keygen", "--out", "gv.key"]);
    let assemble = [
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
    ];
    ok(d, &assemble);
    dir
}

/// `files` laid out by LibreOffice as PDFs in `out`, with a profile of their own (a user's
/// running LibreOffice or a parallel test never shares it).
fn libreoffice_to_pdf(files: &[PathBuf], out: &Path) {
    let profile = tempfile::tempdir().unwrap();
    let result = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.path().display()))
        .args(["--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
        .arg(out)
        .args(files)
        .output();
    let output = match result {
        Ok(output) => output,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => panic!(
            "soffice (LibreOffice) is needed to check the Word papers: scripts/test.sh installs it \
             (libreoffice-writer-nogui, fonts-noto-core)"
        ),
        Err(error) => panic!("soffice: {error}"),
    };
    assert!(output.status.success(), "soffice: {}", String::from_utf8_lossy(&output.stderr));
}

fn pdftotext(path: &Path) -> String {
    let out = Command::new("pdftotext").arg("-layout").arg(path).arg("-").output().expect("pdftotext (poppler-utils)");
    assert!(out.status.success(), "pdftotext {}: {}", path.display(), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn print_docx(d: &Path) -> Output {
    let args = [
        "print",
        "de.exam",
        "--passphrase-file",
        "pass.txt",
        "--format",
        "docx",
        "--out",
        "in",
        "--school",
        "TRƯỜNG THPT CHU VĂN AN",
        "--department",
        "SỞ GD&ĐT HÀ NỘI",
        "--exam-name",
        "ĐỀ KIỂM TRA GIỮA KỲ I",
    ];
    qbank(d, &args)
}

#[test]
fn word_papers_open_in_libreoffice_with_fields_equations_and_the_figure() {
    let dir = assembled(&triangle_png());
    let d = dir.path();
    let out = print_docx(d);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut names: Vec<String> =
        std::fs::read_dir(d.join("in")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    let expected =
        ["dap-an.docx", "dap-an.xlsx", "ma-de-101.docx", "ma-de-102.docx", "ma-de-103.docx", "ma-de-104.docx"];
    assert_eq!(names, expected, "the Word files and the workbook, no PDF, no temporary file left");

    let pdf = d.join("pdf");
    let files: Vec<PathBuf> = names.iter().filter(|n| n.ends_with(".docx")).map(|n| d.join("in").join(n)).collect();
    libreoffice_to_pdf(&files, &pdf);

    let key_csv = ok(d, &["key", "de.exam", "--passphrase-file", "pass.txt"]);
    let key_rows: Vec<Vec<String>> = csv::Reader::from_reader(key_csv.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    let key_text = pdftotext(&pdf.join("dap-an.pdf"));
    for expected in ["ĐÁP ÁN", "ĐỀ KIỂM TRA GIỮA KỲ I", "NGƯỜI RA ĐỀ", "TỔ TRƯỞNG CHUYÊN MÔN", "Trang 1/1 - ĐÁP ÁN"]
    {
        assert!(key_text.contains(expected), "the key lacks {expected:?}:\n{key_text}");
    }

    for (index, code) in CODES.iter().enumerate() {
        let path = pdf.join(format!("ma-de-{code}.pdf"));
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
            "Thí sinh trả lời từ câu 1 đến câu 7. Mỗi câu hỏi thí sinh chỉ chọn một phương án.",
            "PHẦN II. TRẮC NGHIỆM ĐÚNG SAI",
            "PHẦN III. TRẢ LỜI NGẮN",
            "Cho tam giác vuông như hình vẽ",
            "------ HẾT ------",
        ] {
            assert!(text.contains(expected), "form {code} lacks {expected:?}:\n{text}");
        }
        assert!(text.contains(&format!("Mã đề {code}")), "{text}");
        // The page fields are evaluated by LibreOffice: "Trang i/n" on every page, and the
        // count under the school's name.
        let pages = text.split('\u{c}').filter(|page| !page.trim().is_empty()).count();
        assert!(pages >= 2, "11 questions and a figure take two pages at least:\n{text}");
        for page in 1..=pages {
            assert!(text.contains(&format!("Trang {page}/{pages} - Mã đề {code}")), "page {page}/{pages}:\n{text}");
        }
        assert!(text.contains(&format!("(Đề có {pages} trang)")), "{text}");
        // No page ends on a part's heading or instruction, nor on a stem whose options are on
        // the next page: LibreOffice honours the keep-with-next the paper asks for.
        for (number, page) in text.split('\u{c}').filter(|page| !page.trim().is_empty()).enumerate() {
            let lines: Vec<&str> =
                page.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with("Trang ")).collect();
            let last = lines.last().copied().unwrap_or_default();
            assert!(
                !last.starts_with("PHẦN") && !last.starts_with("Thí sinh trả lời") && !last.starts_with("Câu "),
                "form {code}, page {} ends on {last:?}",
                number + 1
            );
        }
        // Every question number, in order; options A–D.
        let mut at = 0;
        for number in 1..=11 {
            let label = format!("Câu {number}.");
            let found = text[at..].find(&label).unwrap_or_else(|| panic!("form {code}: {label} after {at}:\n{text}"));
            at += found + label.len();
        }
        for option in ["A.", "B.", "C.", "D.", "a)", "d)"] {
            assert!(text.contains(option), "form {code} lacks {option}");
        }
        // Equations drawn by LibreOffice Math: their letters and symbols are text, never the
        // LaTeX source (a stacked fraction's 1 and 2 come out on the lines above and below).
        let squeezed: String = text.split_whitespace().collect();
        for formula in ["∀x∈ℝ,x2≥0", "c=√a2+b2", "S=ab"] {
            assert!(squeezed.contains(formula), "form {code} lacks the formula {formula}:\n{text}");
        }
        assert!(!text.contains('$') && !text.contains("\\frac") && !text.contains("\\sqrt"), "{text}");
        assert!(!text.contains("[Hình"), "the figure is there, not its placeholder:\n{text}");
        let images = Command::new("pdfimages").arg("-list").arg(&path).output().expect("pdfimages (poppler-utils)");
        let listing = String::from_utf8(images.stdout).unwrap();
        assert!(listing.lines().skip(2).any(|l| l.contains("image")), "form {code} has no picture:\n{listing}");
        // The key sheet's column of this form matches `qbank key`.
        let column: Vec<&str> = key_rows.iter().filter(|r| r[0] == *code).map(|r| r[2].as_str()).collect();
        assert_eq!(column.len(), 11);
        for (question, answer) in column.iter().enumerate() {
            let line = key_text
                .lines()
                .find(|l| l.split_whitespace().next() == Some(&(question + 1).to_string()))
                .unwrap_or_else(|| panic!("key row {}:\n{key_text}", question + 1));
            let cells: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(cells.get(index + 1), Some(answer), "form {code} question {}: {line}", question + 1);
        }
    }
}

#[test]
fn a_figure_that_cannot_be_read_stops_the_print_and_writes_nothing() {
    let dir = assembled(b"\x89PNG\r\n\x1a\n not a picture");
    let d = dir.path();
    let out = print_docx(d);
    assert!(!out.status.success(), "the print should fail");
    let error = String::from_utf8(out.stderr).unwrap();
    assert!(error.contains("tam-giac.png") && error.contains("Câu "), "{error}");
    assert!(!d.join("in").exists(), "not even the folder is made");
}
