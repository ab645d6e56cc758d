//! Word test papers in: the conventions of Vietnamese papers, each on a document written by the
//! project's fixture writer, and the same papers after LibreOffice rewrote them (`libreoffice`).

#![allow(clippy::unwrap_used, missing_docs)] // tests: a panic is the report

mod libreoffice;
mod writer;

use phongthi_formats::docx::{Convention, CorrectMarks, WordOptions, WordReport, import};
use phongthi_items::{Body, Fraction, Level};
use writer::{Doc, b, hl, math, mr, red, sup, t, tab, u};

fn read(doc: &Doc) -> WordReport {
    import("de.docx", &doc.bytes(), WordOptions::default())
}

fn correct_letters(body: &Body) -> String {
    match body {
        Body::SingleChoice { options } | Body::MultipleResponse { options } => options
            .iter()
            .enumerate()
            .filter(|(_, o)| o.fraction > Fraction::ZERO)
            .map(|(i, _)| char::from(b'A' + u8::try_from(i).unwrap()))
            .collect(),
        other => panic!("not a choice: {other:?}"),
    }
}

/// A paper in the 2025 format: a header, three parts, every way of marking a key.
pub(crate) fn paper_2025(doc: &mut Doc) {
    let picture = doc.picture("image1.png", &writer::png());
    doc.line("SỞ GD&ĐT HÀ NỘI")
        .line("TRƯỜNG THPT CHU VĂN AN")
        .p(&[b("ĐỀ KIỂM TRA GIỮA KỲ I — MÔN TOÁN 12")])
        .p(&[b("PHẦN I. Câu trắc nghiệm nhiều phương án lựa chọn.")])
        .line("Chủ đề: Hàm số")
        .p(&[b("Câu 1"), t(" [NB]. Hàm số y = x"), sup("2"), t(" nghịch biến trên khoảng nào?")])
        .p(&[u("A"), t(". (−∞; 0)")])
        .line("B. (0; +∞)")
        .line("C. ℝ")
        .line("#D. Không có khoảng nào")
        .p(&[
            b("Câu 2:"),
            t(" [TH] Giá trị lớn nhất của hàm số "),
            math(&format!("{}<m:f><m:num>{}</m:num><m:den>{}</m:den></m:f>", mr("y="), mr("1"), mr("x+1"))),
            t(" trên đoạn [0; 2] là"),
        ])
        .p(&[t("A. 1"), tab(), t("B. 2"), tab(), red("C. 3"), tab(), t("D. 4")])
        .p(&[b("Câu 3."), t(" Quan sát đồ thị: "), picture.clone()])
        .table(&[vec![vec![t("A. y = x")], vec![t("*B. y = −x")]], vec![vec![t("C. y = 2x")], vec![t("D. y = x + 1")]]])
        .line("Lời giải: Đồ thị đi qua gốc và nghiêng xuống.")
        .line("Vậy chọn B.")
        .p(&[b("Câu 4."), t(" [VD] Số nghiệm của phương trình là")])
        .p(&[t("A. 0   B. 1   "), hl("C. 2"), t("   D. 3")])
        .p(&[b("PHẦN II. Câu trắc nghiệm đúng sai.")])
        .p(&[b("Câu 1."), t(" Cho hàm số f(x) = x"), sup("3"), t(" − 3x.")])
        .p(&[u("a"), t(") f(0) = 0.")])
        .line("b) f đồng biến trên ℝ.")
        .p(&[u("c"), t(") f'(1) = 0.")])
        .line("d) f có ba cực trị.")
        .p(&[b("PHẦN III. Câu trắc nghiệm trả lời ngắn.")])
        .p(&[b("Câu 1."), t(" Tính giá trị của 5 : 2.")])
        .line("Đáp án: 2,5")
        .p(&[b("Câu 2."), t(" Nghiệm âm của x"), sup("2"), t(" = 4 là bao nhiêu?")])
        .line("Đáp án: -2")
        .line("------ HẾT ------")
        .line("BẢNG ĐÁP ÁN: 1A 2C 3B 4C");
}

#[test]
fn a_2025_paper_reads_with_every_convention() {
    let mut doc = Doc::new();
    paper_2025(&mut doc);
    let report = read(&doc);
    assert_eq!(report.import.errors, vec![], "no errors expected");
    let items = &report.import.items;
    assert_eq!(items.len(), 7);

    let q1 = &items[0];
    assert_eq!(q1.stem, "Hàm số y = x² nghịch biến trên khoảng nào?");
    assert_eq!(correct_letters(&q1.body), "A");
    assert_eq!(q1.meta.level, Some(Level::Biet));
    assert_eq!(q1.meta.topic.as_deref(), Some("Hàm số"));
    let Body::SingleChoice { options } = &q1.body else { panic!() };
    assert!(options[3].pinned && !options[0].pinned, "#D. pins D only");
    assert_eq!(options[3].text, "Không có khoảng nào");
    assert_eq!(q1.meta.source.as_ref().unwrap().line, 6, "paragraph 6");

    assert_eq!(correct_letters(&items[1].body), "C", "red option");
    assert_eq!(items[1].stem, "Giá trị lớn nhất của hàm số $y=\\frac{1}{x+1}$ trên đoạn [0; 2] là");
    assert_eq!(items[1].meta.level, Some(Level::Hieu));
    assert_eq!(correct_letters(&items[2].body), "B", "star in a table cell");
    assert_eq!(items[2].stem, "Quan sát đồ thị: @@PLUGINFILE@@/image1.png");
    assert_eq!(items[2].images.len(), 1);
    assert_eq!(items[2].images[0].name, "image1.png");
    assert_eq!(items[2].images[0].bytes, writer::png());
    assert_eq!(items[2].general_feedback.as_deref(), Some("Đồ thị đi qua gốc và nghiêng xuống.\nVậy chọn B."));
    assert_eq!(correct_letters(&items[3].body), "C", "highlight, options split on spaces");
    assert_eq!(items[3].meta.level, Some(Level::VanDung));

    let Body::TrueFalseCluster { statements, table } = &items[4].body else { panic!("{:?}", items[4].body) };
    assert_eq!(statements.iter().map(|s| s.correct).collect::<Vec<_>>(), [true, false, true, false]);
    assert_eq!(statements[1].text, "f đồng biến trên ℝ.");
    assert_eq!(table, &phongthi_items::ClusterTable::graduation_exam());

    let Body::Numeric { answers, four_char_rule } = &items[5].body else { panic!("{:?}", items[5].body) };
    assert!(*four_char_rule);
    assert_eq!(answers.len(), 1);
    assert!(answers[0].value.accepts("2.5".parse().unwrap()));
    assert!(matches!(&items[6].body, Body::Numeric { four_char_rule: true, .. }));

    for convention in [
        Convention::Parts,
        Convention::Topics,
        Convention::LevelTags,
        Convention::OptionsOnOneLine,
        Convention::Pins,
        Convention::AnswerLines,
        Convention::Explanations,
        Convention::Pictures,
        Convention::Tables,
        Convention::Equations,
    ] {
        assert!(report.conventions.contains(&convention), "{convention:?} in {:?}", report.conventions);
    }
    // The header lines are noted as skipped, not errors; nothing after HẾT is read.
    assert!(report.notes.iter().any(|n| n.message.contains("SỞ GD&ĐT HÀ NỘI")), "{:?}", report.notes);
    assert!(!report.notes.iter().any(|n| n.message.contains("BẢNG ĐÁP ÁN")));
}

#[test]
fn which_marks_count_is_a_choice() {
    let mut doc = Doc::new();
    doc.line("Câu 1. Chọn số chẵn.").p(&[u("A"), t(". 1")]).line("*B. 2").line("C. 3");
    let star_only = WordOptions { correct: CorrectMarks::parse("star").unwrap() };
    let report = import("de.docx", &doc.bytes(), star_only);
    assert_eq!(correct_letters(&report.import.items[0].body), "B");
    // With every mark, two options are marked and no part says single choice: multiple response.
    let report = read(&doc);
    assert_eq!(correct_letters(&report.import.items[0].body), "AB");
    assert!(matches!(report.import.items[0].body, Body::MultipleResponse { .. }));
}

#[test]
fn bad_questions_are_named_by_paragraph_and_words() {
    let mut doc = Doc::new();
    doc.p(&[b("PHẦN I. Trắc nghiệm nhiều phương án lựa chọn")])
        .line("Câu 1. Một câu đúng.")
        .p(&[u("A"), t(". 1")])
        .line("B. 2")
        .line("Câu 12. Không có đáp án nào được gạch chân.")
        .line("A. 1")
        .line("B. 2")
        .line("Câu 13. Hai đáp án.")
        .p(&[u("A"), t(". 1")])
        .p(&[u("B"), t(". 2")])
        .p(&[b("PHẦN III. Trả lời ngắn")])
        .line("Câu 1. Số nào?")
        .line("Đáp án: 12,345");
    let report = read(&doc);
    let messages: Vec<String> = report.import.errors.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 3, "{messages:#?}");
    assert!(
        messages[0].starts_with("de.docx, đoạn 5 / paragraph 5: Câu 12 «Câu 12. Không có đáp án nào được gạch ch…»"),
        "{}",
        messages[0]
    );
    assert!(messages[0].contains("không có phương án nào được đánh dấu đúng / no option marked correct"));
    assert!(messages[1].contains("Câu 13") && messages[1].contains("(AB)"), "{}", messages[1]);
    assert!(messages[2].contains("12,345") && messages[2].contains("4"), "{}", messages[2]);
    assert_eq!(report.import.items.len(), 1, "only the valid question is an item; the caller refuses the file");
}

#[test]
fn pictures_the_client_cannot_show_are_refused_by_question() {
    let mut doc = Doc::new();
    let emf = doc.picture("image1.emf", b"\x01\x00\x00\x00 emf");
    doc.p(&[t("Câu 1. Hình vẽ: "), emf]).p(&[u("A"), t(". 1")]).line("B. 2");
    let report = read(&doc);
    assert_eq!(report.import.errors.len(), 1);
    let message = report.import.errors[0].to_string();
    assert!(message.contains("Câu 1") && message.contains("image1.emf") && message.contains("PNG"), "{message}");
}

#[test]
fn word_numbering_supplies_question_numbers_and_letters() {
    let mut doc = Doc::new();
    doc.question_numbering("Câu %1.")
        .numbered(1, 0, &[t("Thủ đô của Việt Nam là")])
        .numbered(1, 1, &[t("Huế")])
        .numbered(1, 1, &[red("Hà Nội")])
        .numbered(1, 0, &[t("2 + 2 bằng")])
        .numbered(1, 1, &[hl("4")])
        .numbered(1, 1, &[t("5")]);
    let report = read(&doc);
    assert_eq!(report.import.errors, vec![]);
    assert_eq!(report.import.items.len(), 2);
    assert_eq!(report.import.items[0].stem, "Thủ đô của Việt Nam là");
    assert_eq!(correct_letters(&report.import.items[0].body), "B");
    assert_eq!(correct_letters(&report.import.items[1].body), "A", "the letters restart under question 2");
    assert!(report.conventions.contains(&Convention::AutoNumbering));
}

#[test]
fn essays_and_text_answers() {
    let mut doc = Doc::new();
    doc.p(&[b("II. TỰ LUẬN (3 điểm)")])
        .line("Câu 1. Trình bày cách giải phương trình bậc hai.")
        .line("Hướng dẫn giải")
        .line("Tính biệt thức Δ.")
        .line("Câu 2. Thủ đô của Pháp?")
        .line("Đáp án: Paris; Pa-ri");
    let report = read(&doc);
    assert_eq!(report.import.errors, vec![]);
    assert_eq!(report.import.items[0].body, Body::Essay);
    assert_eq!(report.import.items[0].general_feedback.as_deref(), Some("Tính biệt thức Δ."));
    let Body::ShortText { answers, .. } = &report.import.items[1].body else { panic!() };
    assert_eq!(answers.iter().map(|a| a.text.as_str()).collect::<Vec<_>>(), ["Paris", "Pa-ri"]);
}

#[test]
fn headings_set_topics_and_answer_lines_key_unmarked_options() {
    let mut doc = Doc::new();
    doc.styled("Heading1", &[t("Hàm số")])
        .line("Câu 1. Đạo hàm của x² là")
        .line("A. x\tB. 2x\t#$C. 2\t#!D. x²")
        .line("Đáp án: B")
        .styled("Heading2", &[t("Hình học")])
        .line("Câu 2. Tam giác đều có mấy trục đối xứng?")
        .line("Đáp án: 3");
    let report = read(&doc);
    assert_eq!(report.import.errors, vec![]);
    let items = &report.import.items;
    assert_eq!(items[0].meta.topic.as_deref(), Some("Hàm số"));
    assert_eq!(items[0].stem, "Đạo hàm của x² là", "the next heading is not part of the question");
    // `#!D` is pinned and marked; the Đáp án line is only used when no option is marked.
    assert_eq!(correct_letters(&items[0].body), "D");
    let Body::SingleChoice { options } = &items[0].body else { panic!() };
    assert_eq!(options.iter().map(|o| o.pinned).collect::<Vec<_>>(), [false, false, true, true]);
    assert_eq!(items[1].meta.topic.as_deref(), Some("Hình học"));

    let mut unmarked = Doc::new();
    unmarked.line("Câu 1. Chọn B.").line("A. 1").line("B. 2").line("Đáp án: B");
    assert_eq!(correct_letters(&read(&unmarked).import.items[0].body), "B");
}

#[test]
fn mathtype_keeps_a_png_preview_with_a_note_and_refuses_wmf() {
    let mut doc = Doc::new();
    let png_preview = doc.mathtype("image1.png", &writer::png());
    let wmf_preview = doc.mathtype("image2.wmf", b"\xd7\xcd\xc6\x9a wmf");
    doc.p(&[t("Câu 1. Tính "), png_preview]).p(&[u("A"), t(". 1")]).line("B. 2");
    doc.p(&[t("Câu 2. Tính "), wmf_preview]).p(&[u("A"), t(". 1")]).line("B. 2");
    let report = read(&doc);
    assert_eq!(report.import.items.len(), 1);
    assert_eq!(report.import.items[0].stem, "Tính @@PLUGINFILE@@/image1.png");
    assert!(
        report.notes.iter().any(|n| n.message.contains("Câu 1") && n.message.contains("MathType")),
        "{:?}",
        report.notes
    );
    assert_eq!(report.import.errors.len(), 1);
    assert!(report.import.errors[0].message.contains("Câu 2") && report.import.errors[0].message.contains("wmf"));
}

#[test]
fn word_equations_become_formulas_the_client_typesets() {
    let mut doc = Doc::new();
    let fraction = math(&format!("<m:f><m:num>{}</m:num><m:den>{}</m:den></m:f>", mr("1"), mr("2")));
    let root =
        math(&format!("<m:rad><m:radPr><m:degHide m:val=\"1\"/></m:radPr><m:deg/><m:e>{}</m:e></m:rad>", mr("x")));
    doc.p(&[t("Câu 1. Tính "), fraction.clone(), t(" + "), math(&mr("α"))])
        .p(&[u("A"), t(". "), root])
        .p(&[t("B. "), fraction]);
    let report = read(&doc);
    assert_eq!(report.import.errors, vec![]);
    let item = &report.import.items[0];
    assert_eq!(item.stem, "Tính $\\frac{1}{2}$ + $\\alpha$");
    let Body::SingleChoice { options } = &item.body else { panic!() };
    assert_eq!(options[0].text, "$\\sqrt{x}$");
    assert!(report.conventions.contains(&Convention::Equations));
}

#[test]
fn files_that_are_not_word_papers() {
    let report = import("de.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old Word", WordOptions::default());
    assert!(report.import.errors[0].to_string().contains(".doc"), "{:?}", report.import.errors);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("hello.txt", zip::write::SimpleFileOptions::default()).unwrap();
    let not_word = zip.finish().unwrap().into_inner();
    let report = import("x.docx", &not_word, WordOptions::default());
    assert!(report.import.errors[0].to_string().contains("word/document.xml"));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Any bytes: an error or a report, never a panic.
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = import("x.docx", &bytes, WordOptions::default());
        }

        /// A real paper's document.xml cut or changed anywhere: never a panic.
        #[test]
        fn damaged_documents_never_panic(cut in 0usize..6000, flip in 0usize..6000, byte in any::<u8>()) {
            let mut doc = Doc::new();
            paper_2025(&mut doc);
            let bytes = doc.bytes();
            let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            let mut xml = Vec::new();
            std::io::Read::read_to_end(&mut archive.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
            let at = flip % xml.len();
            xml[at] = byte;
            xml.truncate(cut.max(1).min(xml.len()));
            let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
            zip.start_file("word/document.xml", zip::write::SimpleFileOptions::default()).unwrap();
            std::io::Write::write_all(&mut zip, &xml).unwrap();
            let damaged = zip.finish().unwrap().into_inner();
            let _ = import("x.docx", &damaged, WordOptions::default());
        }
    }
}
