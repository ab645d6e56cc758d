//! The Word papers read back: the package holds the parts Word needs with their content types
//! and relationships, every part is well-formed XML, a form shows its questions and options in
//! the form's order, formulas are Word equations, pictures are embedded and sized, and what a
//! teacher typed (`&`, `<`, Vietnamese in any normalisation) arrives intact.

use super::reading::{Parts, relationships, walk};
use super::{form_docx, key_docx};
use crate::blueprint::FormSpec;
use crate::exam::Exam;
use crate::forms::{letter, make_forms};
use crate::print::{Header, PrintError};
use crate::test_fixtures::{cluster, single_choice, test_of};
use phongthi_items::{Body, Image, Level};

const MAIN: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";

fn header() -> Header {
    Header {
        department: "SỞ GD&ĐT HÀ NỘI".to_owned(),
        school: "TRƯỜNG THPT <CHU VĂN AN>".to_owned(),
        exam_name: "ĐỀ KIỂM TRA GIỮA KỲ I".to_owned(),
        subject: "Môn: Toán 10".to_owned(),
        minutes: 45,
    }
}

/// Six questions whose every stem and option is told apart by its text ("Q3", "Q3-o2"), two
/// forms shuffled differently, and a true/false cluster in a second part.
fn exam() -> Exam {
    let choices: Vec<_> = (0..6)
        .map(|k| {
            let options: Vec<String> = (0..4).map(|o| format!("Q{k}-o{o}")).collect();
            let options: Vec<&str> = options.iter().map(String::as_str).collect();
            single_choice("Hàm số", Level::Biet, &format!("Q{k} chọn một"), &options, k % 4, &[])
        })
        .collect();
    let clusters = vec![cluster("Tập hợp", Level::VanDung, "Q6 xét", &["s0", "s1", "s2", "s3"], "ĐSĐS")];
    let test = test_of(vec![(250, choices), (1000, clusters)]);
    let forms = make_forms(&test, &FormSpec { count: 2, ..FormSpec::default() }, 11);
    Exam::new(test, forms).unwrap()
}

/// An exam of one question with `stem`, options `options` and `images`.
fn one_question(stem: &str, options: &[&str], images: Vec<Image>) -> Exam {
    let mut item = single_choice("Hình học", Level::Hieu, stem, options, 0, &[]);
    item.images = images;
    let test = test_of(vec![(1000, vec![item])]);
    let forms = make_forms(&test, &FormSpec::default(), 1);
    Exam::new(test, forms).unwrap()
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let picture = image::RgbaImage::from_fn(width, height, |x, _| image::Rgba([(x % 256) as u8, 80, 200, 255]));
    let mut bytes = Vec::new();
    picture.write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
    bytes
}

/// Checks what every package must satisfy and returns its parts.
fn checked(bytes: &[u8]) -> Parts {
    let parts = Parts::of(bytes);
    let names: Vec<&str> = parts.0.keys().map(String::as_str).collect();
    for required in ["[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels"] {
        assert!(names.contains(&required), "no {required} in {names:?}");
    }
    // Every part has a content type, by its own override or its extension's default.
    let types = walk(parts.text("[Content_Types].xml"));
    let attribute = |attributes: &[(String, String)], key: &str| {
        attributes.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default()
    };
    let mut defaults = std::collections::BTreeMap::new();
    let mut overrides = std::collections::BTreeMap::new();
    for (element, attributes) in &types.starts {
        match element.as_str() {
            "Default" => defaults.insert(attribute(attributes, "Extension"), attribute(attributes, "ContentType")),
            "Override" => overrides.insert(attribute(attributes, "PartName"), attribute(attributes, "ContentType")),
            _ => None,
        };
    }
    assert_eq!(overrides.get("/word/document.xml").map(String::as_str), Some(MAIN));
    for name in names.iter().filter(|n| **n != "[Content_Types].xml") {
        let extension = name.rsplit('.').next().unwrap();
        assert!(
            overrides.contains_key(&format!("/{name}")) || defaults.contains_key(extension),
            "{name} has no content type"
        );
    }
    for override_name in overrides.keys() {
        assert!(names.contains(&&override_name[1..]), "an override for the missing part {override_name}");
    }
    // A paragraph follows every table: Word wants one after the last, and LibreOffice keeps a
    // heading with its questions only when it does not follow a table directly.
    let document = parts.text("word/document.xml");
    assert_eq!(document.matches("</w:tbl>").count(), document.matches("</w:tbl><w:p>").count());
    // Every XML part is well-formed.
    for name in names.iter().filter(|n| n.ends_with(".xml") || n.ends_with(".rels")) {
        walk(parts.text(name));
    }
    // The package's relationships reach the main document; the document's reach their parts.
    let package = relationships(parts.text("_rels/.rels"));
    assert!(package.values().any(|(kind, target)| kind.ends_with("/officeDocument") && target == "word/document.xml"));
    let document_rels = relationships(parts.text("word/_rels/document.xml.rels"));
    for (id, (_, target)) in &document_rels {
        assert!(names.contains(&format!("word/{target}").as_str()), "{id} points at the missing word/{target}");
    }
    // Every r:id and r:embed of the document and its footer is one of them.
    for part in ["word/document.xml", "word/footer1.xml"] {
        for (element, attribute, id) in walk(parts.text(part)).relationship_refs {
            assert!(document_rels.contains_key(&id), "{part}: <{element} {attribute}=\"{id}\"> resolves to nothing");
        }
    }
    parts
}

#[test]
fn a_form_is_a_complete_package_with_its_questions_and_options_in_the_forms_order() {
    let exam = exam();
    assert_ne!(exam.forms()[0].questions, exam.forms()[1].questions, "the two forms are shuffled apart");
    for form in exam.forms() {
        let parts = checked(&form_docx(&exam, form, &header()).unwrap());
        let paragraphs = walk(parts.text("word/document.xml")).paragraphs;
        let questions: Vec<(usize, &String)> =
            paragraphs.iter().enumerate().filter(|(_, p)| p.starts_with("Câu ")).collect();
        assert_eq!(questions.len(), form.questions.len(), "{paragraphs:#?}");
        for (number, ((at, text), question)) in questions.iter().zip(&form.questions).enumerate() {
            let item = &exam.items()[&question.item];
            assert_eq!(**text, format!("Câu {}. {}", number + 1, item.stem), "question {}", number + 1);
            // The paragraphs up to the next question: options "A. …" in the form's order.
            let end = questions.get(number + 1).map_or(paragraphs.len(), |(next, _)| *next);
            let shown: Vec<&String> = paragraphs[at + 1..end].iter().filter(|p| !p.is_empty()).collect();
            match &item.body {
                Body::SingleChoice { options } => {
                    let expected: Vec<String> = question
                        .option_order
                        .iter()
                        .enumerate()
                        .map(|(p, &i)| format!("{}. {}", letter(p), options[usize::from(i)].text))
                        .collect();
                    let shown: Vec<&String> = shown.into_iter().take(expected.len()).collect();
                    assert_eq!(shown, expected.iter().collect::<Vec<_>>(), "question {}", number + 1);
                }
                Body::TrueFalseCluster { statements, .. } => {
                    let expected: Vec<String> = statements
                        .iter()
                        .enumerate()
                        .map(|(i, s)| format!("{})\t{}", "abcd".as_bytes()[i] as char, s.text))
                        .collect();
                    let shown: Vec<&String> = shown.into_iter().take(4).collect();
                    assert_eq!(shown, expected.iter().collect::<Vec<_>>());
                }
                _ => unreachable!(),
            }
        }
        let code = form.code.to_string();
        assert!(paragraphs.iter().any(|p| p == "------ HẾT ------"));
        assert!(paragraphs.iter().any(|p| p.contains(&format!(" Mã đề {code} "))), "the boxed code");
        assert!(paragraphs.iter().any(|p| p.contains("Thí sinh trả lời từ câu 1 đến câu 6.")));
        // The footer counts pages with Word's fields, which the reader fills in.
        let footer = parts.text("word/footer1.xml");
        assert!(footer.contains(" PAGE ") && footer.contains(" NUMPAGES ") && footer.contains("fldCharType=\"begin\""));
        assert_eq!(walk(footer).paragraphs, [format!("Trang 1/1 - Mã đề {code}")]);
    }
}

#[test]
fn the_same_exam_gives_the_same_bytes() {
    let exam = exam();
    let form = &exam.forms()[1];
    assert_eq!(form_docx(&exam, form, &header()).unwrap(), form_docx(&exam, form, &header()).unwrap());
    assert_eq!(key_docx(&exam, &header()).unwrap(), key_docx(&exam, &header()).unwrap());
}

#[test]
fn formulas_are_word_equations() {
    let exam = one_question(
        "Tính $\\frac{1}{2} + \\sqrt{x^2 + 1}$ với $a_n = 3$",
        &["$\\sqrt[3]{8}$", "$x_1^2$", "$\\unknowncommand{x}$", "$2$"],
        Vec::new(),
    );
    let parts = checked(&form_docx(&exam, &exam.forms()[0], &header()).unwrap());
    let document = walk(parts.text("word/document.xml"));
    for element in ["m:oMath", "m:f", "m:num", "m:den", "m:rad", "m:deg", "m:sSup", "m:sSub", "m:sSubSup"] {
        assert!(document.elements.contains(element), "no <{element}>");
    }
    let stem = document.paragraphs.iter().find(|p| p.starts_with("Câu 1.")).unwrap();
    // Letters in the runs as typed (Word italicises them), no LaTeX left.
    assert_eq!(stem, "Câu 1. Tính 12+x2+1 với an=3");
    // A formula outside the subset prints as typed rather than vanishing.
    assert!(document.paragraphs.iter().any(|p| p.contains("$\\unknowncommand{x}$")));
}

#[test]
fn what_the_teacher_typed_arrives_escaped_and_in_nfc() {
    // "Việt" typed with combining marks, as some keyboards and PDF copies give it.
    let decomposed = "Vie\u{302}\u{323}t";
    let stem = format!("Cho A & B < C và {decomposed}\u{7} \"trích\"");
    let exam = one_question(&stem, &["x &lt; 1", "&amp;", "Đúng", "$a < b$"], Vec::new());
    let bytes = form_docx(&exam, &exam.forms()[0], &header()).unwrap();
    let parts = checked(&bytes);
    let xml = parts.text("word/document.xml");
    assert!(xml.contains("A &amp; B &lt; C"), "escaped in the XML");
    let paragraphs = walk(xml).paragraphs;
    assert!(paragraphs.contains(&"Câu 1. Cho A & B < C và Việt \"trích\"".to_owned()), "{paragraphs:#?}");
    assert!(!xml.contains(decomposed) && xml.contains("Việt"), "NFC");
    let options = paragraphs.iter().filter(|p| p.len() > 3 && p.as_bytes()[1] == b'.').cloned().collect::<Vec<_>>();
    for expected in ["x < 1", "&", "Đúng", "a<b"] {
        assert!(options.iter().any(|o| o.ends_with(expected)), "{expected:?} in {options:?}");
    }
    assert!(
        paragraphs.iter().any(|p| p == "SỞ GD&ĐT HÀ NỘI") && paragraphs.iter().any(|p| p == "TRƯỜNG THPT <CHU VĂN AN>")
    );
}

#[test]
fn pictures_are_embedded_once_at_96_dpi_within_the_caps() {
    let small = png(120, 80);
    let wide = png(2000, 300);
    let stem = "Xem <img src=\"@@PLUGINFILE@@/tam%20giac.png\"> và <img src=\"@@PLUGINFILE@@/rong.png\"> rồi chọn";
    let images = vec![
        Image { name: "tam giac.png".to_owned(), bytes: small.clone() },
        Image { name: "rong.png".to_owned(), bytes: wide },
    ];
    let options =
        ["<img src=\"@@PLUGINFILE@@/tam%20giac.png\">", "B", "<img src=\"@@PLUGINFILE@@/khong-co.png\">", "D"];
    let exam = one_question(stem, &options, images);
    let parts = checked(&form_docx(&exam, &exam.forms()[0], &header()).unwrap());
    // The small figure is shown twice but stored once.
    let media: Vec<&String> = parts.0.keys().filter(|n| n.starts_with("word/media/")).collect();
    assert_eq!(media.len(), 2, "{media:?}");
    assert_eq!(parts.0["word/media/image1.png"], small);
    let document = walk(parts.text("word/document.xml"));
    let extents: Vec<(u64, u64)> = document
        .starts
        .iter()
        .filter(|(name, _)| name == "wp:extent")
        .map(|(_, a)| (a[0].1.parse().unwrap(), a[1].1.parse().unwrap()))
        .collect();
    // 120 × 80 pixels at 96 dpi; 2000 pixels wide shrunk to 60 % of the text width.
    assert!(extents.contains(&(120 * 9_525, 80 * 9_525)), "{extents:?}");
    let cap = u64::from(super::body::TEXT_WIDTH * 3 / 5) * 635;
    assert!(extents.iter().any(|&(w, h)| w == cap && h == 300 * cap / 2000), "{extents:?}");
    assert!(extents.iter().all(|&(w, h)| w <= cap && h <= 180 * 12_700));
    // Drawing ids are unique in the document.
    let ids: Vec<&String> = document.starts.iter().filter(|(n, _)| n == "wp:docPr").map(|(_, a)| &a[0].1).collect();
    let unique: std::collections::BTreeSet<_> = ids.iter().collect();
    assert_eq!(ids.len(), 3);
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
    // A name the item does not carry prints as a placeholder, as on the PDF.
    assert!(document.paragraphs.iter().any(|p| p.contains("[Hình: khong-co.png]")));
}

#[test]
fn a_picture_that_cannot_be_read_stops_the_print_naming_question_and_file() {
    let images = vec![Image { name: "hong.png".to_owned(), bytes: b"\x89PNG\r\n\x1a\n not really".to_vec() }];
    let exam = one_question("Xem <img src=\"@@PLUGINFILE@@/hong.png\">", &["A", "B", "C", "D"], images);
    let error = form_docx(&exam, &exam.forms()[0], &header()).unwrap_err();
    assert!(matches!(error, PrintError::Figure { question: 1, .. }), "{error}");
    assert!(error.to_string().contains("hong.png"), "{error}");
}

#[test]
fn the_key_sheet_is_a_table_of_every_forms_answers() {
    let exam = exam();
    let parts = checked(&key_docx(&exam, &header()).unwrap());
    let paragraphs = walk(parts.text("word/document.xml")).paragraphs;
    let head = paragraphs.iter().position(|p| p == "Câu").unwrap();
    assert_eq!(paragraphs[head + 1..head + 3], ["Mã 101", "Mã 102"]);
    let rows = exam.key_rows();
    for question in 1..=exam.question_count() {
        let at = head + 3 * question;
        assert_eq!(paragraphs[at], question.to_string());
        for (column, code) in ["101", "102"].iter().enumerate() {
            let row = rows.iter().find(|r| r.form.as_str() == *code && r.question == question).unwrap();
            assert_eq!(paragraphs[at + 1 + column], row.answer, "question {question}, form {code}");
        }
    }
    for expected in ["ĐÁP ÁN", "NGƯỜI RA ĐỀ", "TỔ TRƯỞNG CHUYÊN MÔN"] {
        assert!(paragraphs.iter().any(|p| p == expected), "{expected}");
    }
    assert!(paragraphs.iter().any(|p| p.starts_with("Câu đúng/sai")), "the Đ/S note: the exam has a cluster");
}
