//! Unit tests of the printable text and the layout's choices.

use super::text::printable;

#[test]
fn markup_goes_and_formulas_are_read_out() {
    assert_eq!(printable("Giải <b>phương trình</b> $x^2 - 5x + 6 = 0$"), vec!["Giải phương trình x² − 5x + 6 = 0"]);
    assert_eq!(printable("dòng 1<br>dòng 2 &amp; 3"), vec!["dòng 1", "dòng 2 & 3"]);
    assert_eq!(printable("<img src=\"@@PLUGINFILE@@/hinh1.png\">"), vec!["[Hình: hinh1.png]"]);
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
    let pages = phongthi_pdf::inspect::page_texts(&pdf).unwrap();
    let count = pages.len();
    assert!(count >= 3, "50 questions take several pages, got {count}");
    for (index, lines) in pages.iter().enumerate() {
        let footer = format!("Trang {}/{count} - Mã đề {}", index + 1, form.code);
        assert!(lines.contains(&footer), "page {}: {lines:?}", index + 1);
        // A page never ends on a question's stem with its options on the next page.
        let last_stem = lines.iter().rposition(|l| l.starts_with("Câu "));
        if let Some(at) = last_stem.filter(|_| index + 1 < count) {
            assert!(lines[at..].iter().any(|l| l == "D."), "page {} splits a question: {:?}", index + 1, &lines[at..]);
        }
    }
    let all: Vec<&String> = pages.iter().flatten().collect();
    assert!(all.iter().any(|l| *l == "------ HẾT ------"));
    assert!(all.iter().any(|l| *l == "Câu 51."), "the essay after the 50 choices");
}
