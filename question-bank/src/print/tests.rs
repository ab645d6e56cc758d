//! Unit tests of the printable text and the layout's choices.

use super::rich::{Block, Glued, Inline, blocks, inlines, single_line_width, wrap};
use super::text::reduce_markup;
use phongthi_pdf::Document;

#[test]
fn markup_goes_and_formulas_stay_for_the_typesetter() {
    assert_eq!(reduce_markup("Giải <b>phương trình</b> $x^2 - 5x$"), "Giải phương trình $x^2 - 5x$");
    assert_eq!(reduce_markup("dòng 1<br>dòng 2 &amp; 3 &lt; 4"), "dòng 1\ndòng 2 & 3 < 4");
    let document = Document::new("t").unwrap();
    let laid = blocks(&document, "Xem hình <img src=\"@@PLUGINFILE@@/hinh1.png\"> rồi tính $\\frac{1}{2}$", 11.5);
    assert!(
        matches!(&laid[..], [Block::Text(_), Block::Figure(name), Block::Text(_)] if name == "hinh1.png"),
        "{laid:?}"
    );
    let Block::Text(last) = &laid[2] else { unreachable!() };
    let pieces: Vec<&Inline> = last.iter().map(|g| &g.inline).collect();
    assert!(
        matches!(&pieces[..], [Inline::Word(a), Inline::Word(b), Inline::Math(f)] if a == "rồi" && b == "tính" && f.width > 0.0),
        "{pieces:?}"
    );
    // The stacked fraction is taller than a line of words: the line grows to hold it.
    let line = &wrap(&document, last, 400.0, 0.0, 11.5)[0];
    assert!(line.ascent > 0.78 * 11.5 && line.descent > 0.22 * 11.5, "{line:?}");
}

#[test]
fn a_formula_outside_the_subset_prints_as_typed() {
    let document = Document::new("t").unwrap();
    let laid = blocks(&document, "$\\unknowncommand{x}$", 11.5);
    let [Block::Text(inlines)] = &laid[..] else { panic!("{laid:?}") };
    assert!(
        matches!(&inlines[..], [Glued { inline: Inline::Word(w), .. }] if w == "$\\unknowncommand{x}$"),
        "{inlines:?}"
    );
}

#[test]
fn punctuation_after_a_formula_keeps_to_it() {
    let document = Document::new("t").unwrap();
    let laid = inlines(&document, "Với $n = 4$: tính $S$. Rồi $a$ và $b$", 11.5);
    let glued: Vec<bool> = laid.iter().map(|g| g.glued).collect();
    // Với | n=4 | : | tính | S | . | Rồi | a | và | b
    assert_eq!(glued, [false, false, true, false, false, true, false, false, false, false]);
    let spaced = inlines(&document, "Với $n = 4$ : tính", 11.5);
    assert!(single_line_width(&document, &spaced, 11.5) > single_line_width(&document, &laid[..4], 11.5));
}

#[test]
fn wrapping_keeps_lines_within_the_width_and_a_formula_whole() {
    let document = Document::new("t").unwrap();
    let text = "Cho hàm số $y = \\frac{x^2 + 1}{x - 1}$ có đồ thị (C). Tìm các điểm trên (C) có tọa độ nguyên và tiếp tuyến song song.";
    let [Block::Text(inlines)] = &blocks(&document, text, 11.5)[..] else { panic!() };
    let lines = wrap(&document, inlines, 150.0, 30.0, 11.5);
    assert!(lines.len() > 3);
    for (index, line) in lines.iter().enumerate() {
        let room = if index == 0 { 120.0 } else { 150.0 };
        assert!(line.width <= room + 0.01 || line.pieces.len() == 1, "line {index} is {} wide", line.width);
    }
    let formulas = lines.iter().flat_map(|l| &l.pieces).filter(|(_, p)| matches!(p, Inline::Math(_))).count();
    assert_eq!(formulas, 1);
}

fn header() -> super::Header {
    super::Header {
        department: "SỞ GD&ĐT HÀ NỘI".to_owned(),
        school: "TRƯỜNG THPT CHU VĂN AN".to_owned(),
        exam_name: "ĐỀ KIỂM TRA".to_owned(),
        subject: "Môn: Toán 10".to_owned(),
        minutes: 45,
    }
}

#[test]
fn a_long_form_breaks_pages_with_a_footer_on_each_and_questions_whole() {
    use crate::blueprint::FormSpec;
    use crate::forms::make_forms;
    use crate::test_fixtures::{plain_choices, science_items, test_of};
    let test = test_of(vec![(250, plain_choices(50)), (1000, science_items()[2..].to_vec())]);
    let forms = make_forms(&test, &FormSpec { count: 2, ..FormSpec::default() }, 3);
    let exam = crate::exam::Exam::new(test, forms).unwrap();
    let form = &exam.forms()[1];
    let pdf = super::form_pdf(&exam, form, &header()).unwrap();
    let pages = pdftotext_pages(&pdf);
    let count = pages.len();
    assert!(count >= 3, "50 questions take several pages, got {count}");
    for (index, lines) in pages.iter().enumerate() {
        let footer = format!("Trang {}/{count} - Mã đề {}", index + 1, form.code);
        assert!(lines.iter().any(|l| l.contains(&footer)), "page {}: {lines:?}", index + 1);
        // A page never ends on a question's stem with its options on the next page.
        let last_stem = lines.iter().rposition(|l| l.starts_with("Câu "));
        if let Some(at) = last_stem.filter(|_| index + 1 < count) {
            assert!(
                lines[at..].iter().any(|l| l.contains("D.")),
                "page {} splits a question: {:?}",
                index + 1,
                &lines[at..]
            );
        }
    }
    let all: Vec<&String> = pages.iter().flatten().collect();
    assert!(all.iter().any(|l| l.contains("------ HẾT ------")));
    assert!(all.iter().any(|l| l.starts_with("Câu 51.")), "the essay after the 50 choices");
}

/// The text of each page as poppler reads it (a reader that is not ours), trimmed lines.
fn pdftotext_pages(pdf: &[u8]) -> Vec<Vec<String>> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("form.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed: scripts/test.sh installs it");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .unwrap()
        .split('\u{c}')
        .filter(|page| !page.trim().is_empty())
        .map(|page| page.lines().map(|l| l.trim().to_owned()).filter(|l| !l.is_empty()).collect())
        .collect()
}

/// A small PNG with transparency, as Word or a drawing tool saves a figure.
fn triangle_png() -> Vec<u8> {
    let picture = image::RgbaImage::from_fn(120, 80, |x, y| {
        if y * 3 >= 80_u32.abs_diff(x * 2) { image::Rgba([40, 80, 200, 255]) } else { image::Rgba([0, 0, 0, 0]) }
    });
    let mut bytes = Vec::new();
    picture.write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
    bytes
}

fn exam_with_figure(bytes: Vec<u8>) -> crate::exam::Exam {
    use crate::blueprint::FormSpec;
    use crate::forms::make_forms;
    use crate::test_fixtures::{plain_choices, single_choice, test_of};
    use phongthi_items::{Image, Level};
    let mut figure = single_choice(
        "Hình học",
        Level::Hieu,
        "Cho tam giác như hình vẽ <img src=\"@@PLUGINFILE@@/tamgiac.png\"> Diện tích bằng",
        &["12", "15", "24", "30"],
        0,
        &[],
    );
    figure.images.push(Image { name: "tamgiac.png".to_owned(), bytes });
    let mut items = plain_choices(2);
    items.push(figure);
    let test = test_of(vec![(1000, items)]);
    let forms = make_forms(&test, &FormSpec { count: 1, ..FormSpec::default() }, 5);
    crate::exam::Exam::new(test, forms).unwrap()
}

#[test]
fn a_figure_is_drawn_on_the_form_with_its_transparency() {
    let exam = exam_with_figure(triangle_png());
    let pdf = super::form_pdf(&exam, &exam.forms()[0], &header()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("form.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let out =
        std::process::Command::new("pdfimages").arg("-list").arg(&path).output().expect("pdfimages (poppler-utils)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let listing = String::from_utf8(out.stdout).unwrap();
    // page num type width height …: the picture and its soft mask, at the picture's pixel size.
    let rows: Vec<Vec<&str>> = listing.lines().skip(2).map(|l| l.split_whitespace().collect()).collect();
    assert!(rows.iter().any(|r| r[2] == "image" && r[3] == "120" && r[4] == "80"), "{listing}");
    assert!(rows.iter().any(|r| r[2] == "smask" && r[3] == "120" && r[4] == "80"), "{listing}");
    let text: Vec<String> = pdftotext_pages(&pdf).concat();
    assert!(!text.iter().any(|l| l.contains("[Hình")), "no placeholder when the picture is there: {text:?}");
}

#[test]
fn a_picture_that_cannot_be_read_stops_the_print_naming_question_and_file() {
    let exam = exam_with_figure(b"\x89PNG\r\n\x1a\n not really".to_vec());
    let form = &exam.forms()[0];
    let at = form.questions.iter().position(|q| exam.items()[&q.item].images.len() == 1).unwrap() + 1;
    let error = super::form_pdf(&exam, form, &header()).unwrap_err().to_string();
    assert!(error.contains(&format!("Câu {at}")) && error.contains("tamgiac.png"), "{error}");
}
