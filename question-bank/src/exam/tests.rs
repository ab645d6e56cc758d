use super::*;
use crate::assembly::assemble;
use crate::forms::{FormQuestion, make_forms};
use crate::scoring::CellError;
use crate::test_fixtures::*;
use proptest::prelude::*;

fn milli(m: i64) -> MilliPoints {
    MilliPoints::from_milli(m)
}

fn example_test() -> Test {
    assemble(&example_blueprint(), &toan10_bank(), 0).unwrap()
}

/// Form questions for items `ids` in this order, with the given option orders (empty = none).
fn hand_form(code: &str, test: &Test, layout: &[(i64, &[u8])]) -> Form {
    let questions = layout
        .iter()
        .map(|&(id, order)| {
            let id = ItemId::new(id);
            let part = test.parts.iter().position(|p| p.items.contains(&id)).unwrap();
            FormQuestion { item: id, part, points: test.parts[part].points_each, option_order: order.to_vec() }
        })
        .collect();
    Form { code: FormCode::new(code), questions }
}

const IDENTITY: &[u8] = &[0, 1, 2, 3];

/// Forms 101–104 of the example test, laid out by hand so the results can be worked out on
/// paper: 101, 103 and 104 show the items as authored; 102 swaps the clusters and shuffles
/// some options.
fn hand_exam() -> Exam {
    let test = example_test();
    let authored: Vec<(i64, &[u8])> = (1..=10).map(|id| (id, if id <= 6 { IDENTITY } else { &[][..] })).collect();
    let shuffled: Vec<(i64, &[u8])> = vec![
        (1, &[1, 0, 2, 3]), // correct B shown at A
        (2, IDENTITY),
        (3, IDENTITY),
        (4, &[0, 1, 3, 2]), // correct C shown at D
        (5, &[2, 1, 0, 3]), // correct C shown at A, pinned D stays
        (6, &[1, 2, 3, 0]), // correct A shown at D
        (8, &[]),
        (7, &[]),
        (9, &[]),
        (10, &[]),
    ];
    let forms = vec![
        hand_form("101", &test, &authored),
        hand_form("102", &test, &shuffled),
        hand_form("103", &test, &authored),
        hand_form("104", &test, &authored),
    ];
    Exam::new(test, forms).unwrap()
}

fn grade(exam: &Exam, text: &str) -> Result<Vec<StudentResult>, SheetErrors> {
    exam.grade_sheets_csv("sheets.csv", text.as_bytes())
}

#[test]
fn the_example_sheets_grade_as_worked_out_by_hand() {
    let results = grade(&hand_exam(), EXAMPLE_SHEETS).unwrap();
    let summary: Vec<(&str, &str, i64, i64, i64)> = results
        .iter()
        .map(|r| (r.student_id.as_str(), r.form.as_str(), r.raw.milli(), r.max.milli(), r.scaled.milli()))
        .collect();
    assert_eq!(
        summary,
        [
            ("0123456789", "101", 10_000, 10_000, 10_000),
            // 3 choices right + cluster 2/4 (0.25) + cluster 3/4 (0.5) + both numbers = 5.75 → 5.8
            ("0123456790", "102", 5_750, 10_000, 5_800),
            ("0123456791", "103", 0, 10_000, 0),
        ]
    );
    let second: Vec<i64> = results[1].per_question.iter().map(|p| p.milli()).collect();
    assert_eq!(second, [1000, 0, 1000, 1000, 0, 0, 250, 500, 1000, 1000]);
    assert!(results.iter().all(|r| r.pending_manual.is_empty()));
}

#[test]
fn separators_bom_line_ends_and_vietnamese_headers_are_accepted() {
    let exam = hand_exam();
    let expected = grade(&exam, EXAMPLE_SHEETS).unwrap();
    let semicolons = EXAMPLE_SHEETS.replace("\"4,5\"", "4#5").replace(',', ";").replace('#', ",");
    let variants = [
        format!("\u{FEFF}{EXAMPLE_SHEETS}"),
        EXAMPLE_SHEETS.replace('\n', "\r\n"),
        format!("\u{FEFF}{semicolons}"),
        EXAMPLE_SHEETS.replacen("student_id,form", "Mã học sinh,Mã đề", 1),
        format!("{EXAMPLE_SHEETS},,,,,,,,,,,\n\n"),
    ];
    for text in variants {
        assert_eq!(grade(&exam, &text).unwrap(), expected, "{text:?}");
    }
}

#[test]
fn every_problem_of_a_sheet_file_is_reported_with_line_and_column() {
    let exam = hand_exam();
    let header = "student_id,form,1,2,3,4,5,6,7,8,9,10\n";
    let text = format!(
        "{header}\
         0123456789,105,B,A,C,C,C,A,ĐĐSĐ,ĐĐSS,5,4\n\
         0123456790,101,B,A,C,E,C,A,ĐĐXĐ,ĐĐSS,năm,4\n\
         0123456791,101,B,A\n\
         ,101,,,,,,,,,,\n\
         0123456790,102,,,,,,,,,,\n"
    );
    let SheetErrors(errors) = grade(&exam, &text).unwrap_err();
    let found: Vec<String> = errors.iter().map(ToString::to_string).collect();
    let expected = [
        "sheets.csv:2:2: không có mã đề \"105\" / no form \"105\"",
        "sheets.csv:3:6: câu 4: câu này chỉ có 4 phương án, không có E / this question has 4 options, no E",
        "sheets.csv:3:9: câu 7: 'X' không phải Đ, S hoặc - / 'X' is not Đ, S or -",
        "sheets.csv:3:11: câu 9: \"năm\" không phải số / \"năm\" is not a number",
        "sheets.csv:4: dòng có 4 cột, tiêu đề có 12 / the row has 4 columns, the header 12",
        "sheets.csv:5:1: thiếu mã học sinh / missing student_id",
        "sheets.csv:6:1: học sinh 0123456790 đã có ở dòng 3 / student 0123456790 already on line 3",
    ];
    assert_eq!(found, expected);
    assert_eq!(SheetErrors(errors).to_string().lines().count(), expected.len());
}

#[test]
fn header_problems() {
    let exam = hand_exam();
    #[track_caller]
    fn check(exam: &Exam, text: &str, expected: &[&str]) {
        let SheetErrors(errors) = grade(exam, text).unwrap_err();
        let found: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(found, expected, "{text:?}");
    }
    check(&exam, "", &["sheets.csv: tệp trống / the file is empty"]);
    check(
        &exam,
        "id,form,1,2,3,4,5,6,7,8,9,10\n",
        &[
            "sheets.csv:1:1: tiêu đề cột phải là \"student_id\", có \"id\" / column header must be \"student_id\", found \"id\"",
        ],
    );
    check(
        &exam,
        "student_id,đề,1,2,3,4,5,6,7,8,9,10\n",
        &["sheets.csv:1:2: tiêu đề cột phải là \"form\", có \"đề\" / column header must be \"form\", found \"đề\""],
    );
    check(
        &exam,
        "student_id,form,1,2,3,5,4,6,7,8,9,10\n",
        &[
            "sheets.csv:1:6: tiêu đề cột phải là \"4\", có \"5\" / column header must be \"4\", found \"5\"",
            "sheets.csv:1:7: tiêu đề cột phải là \"5\", có \"4\" / column header must be \"5\", found \"4\"",
        ],
    );
    check(
        &exam,
        "student_id,form,1,2,3\n",
        &["sheets.csv: có 3 cột câu hỏi, đề có 10 câu / 3 question columns, the exam has 10 questions"],
    );
    let SheetErrors(errors) = exam.grade_sheets_csv("sheets.csv", b"student_id,form\n\xff\xfe,101\n").unwrap_err();
    assert_eq!(errors[0].to_string(), "sheets.csv:2: tệp không phải UTF-8 / the file is not UTF-8");
}

#[test]
fn a_header_only_file_grades_nobody() {
    assert_eq!(grade(&hand_exam(), "student_id,form,1,2,3,4,5,6,7,8,9,10\n").unwrap(), []);
}

#[test]
fn key_rows_follow_each_forms_order() {
    let rows = hand_exam().key_rows();
    assert_eq!(rows.len(), 40);
    let form_102: Vec<(usize, &str)> =
        rows.iter().filter(|r| r.form.as_str() == "102").map(|r| (r.question, r.answer.as_str())).collect();
    assert_eq!(
        form_102,
        [(1, "A"), (2, "A"), (3, "C"), (4, "D"), (5, "A"), (6, "D"), (7, "ĐĐSS"), (8, "ĐĐSĐ"), (9, "5"), (10, "4,5")]
    );
    let form_101: Vec<&str> = rows.iter().filter(|r| r.form.as_str() == "101").map(|r| r.answer.as_str()).collect();
    assert_eq!(form_101, ["B", "A", "C", "C", "C", "A", "ĐĐSĐ", "ĐĐSS", "5", "4,5"]);
}

#[test]
fn the_exam_round_trips_through_serde_and_refuses_tampering() {
    let test = example_test();
    let forms = make_forms(&test, example_blueprint().forms(), 9);
    let exam = Exam::new(test, forms).unwrap();
    let json = serde_json::to_string(&exam).unwrap();
    assert_eq!(serde_json::from_str::<Exam>(&json).unwrap(), exam);
    assert_eq!(
        (exam.title(), exam.subject(), exam.grade(), exam.duration_minutes()),
        ("Kiểm tra giữa kỳ I — Toán 10", "Toán", 10, 45)
    );
    assert_eq!((exam.scale(), exam.rounding_step(), exam.question_count()), (milli(10_000), milli(100), 10));
    assert_eq!(exam.parts().len(), 3);
    assert_eq!(exam.items().len(), 10);
    assert_eq!(exam.form(&FormCode::new("103")).map(|f| f.code.as_str()), Some("103"));
    assert!(exam.form(&FormCode::new("105")).is_none());

    let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
    value["forms"][1]["questions"][0]["option_order"] = serde_json::json!([0, 0, 1, 2]);
    let error = serde_json::from_value::<Exam>(value).unwrap_err().to_string();
    assert!(error.contains("form 102, question 1: bad option order"), "{error}");
}

#[test]
fn inconsistent_exams_are_refused() {
    #[track_caller]
    fn check(change: impl Fn(&mut Vec<Form>), expected: ExamError) {
        let test = example_test();
        let mut forms = make_forms(&test, example_blueprint().forms(), 1);
        change(&mut forms);
        let error = Exam::new(test, forms).unwrap_err();
        assert_eq!(error, expected);
        assert!(error.to_string().contains(" / "), "{error}");
    }
    let code = FormCode::new;
    check(|forms| forms.clear(), ExamError::NoForms);
    check(|forms| forms[2].code = code("101"), ExamError::DuplicateForm(code("101")));
    check(
        |forms| {
            forms[1].questions.pop();
        },
        ExamError::FormLength { form: code("102"), found: 9, expected: 10 },
    );
    check(
        |forms| forms[0].questions[3].item = ItemId::new(11),
        ExamError::MissingItem { form: code("101"), position: 4, item: ItemId::new(11) },
    );
    check(|forms| forms[3].questions[0].part = 7, ExamError::BadPart { form: code("104"), position: 1 });
    check(|forms| forms[3].questions[0].part = 2, ExamError::BadPart { form: code("104"), position: 1 });
    check(
        |forms| forms[0].questions[0].option_order.push(4),
        ExamError::BadOptionOrder { form: code("101"), position: 1 },
    );
    check(
        |forms| forms[0].questions[9].option_order.push(0),
        ExamError::BadOptionOrder { form: code("101"), position: 10 },
    );
}

#[test]
fn essays_on_a_sheet_wait_for_marks() {
    let mut items = toan10_items();
    items.truncate(2);
    items.push(science_items()[2].clone());
    let test = test_of(vec![(1000, items[..2].to_vec()), (2000, vec![items[2].clone()])]);
    let forms = make_forms(&test, &crate::blueprint::FormSpec::default(), 0);
    let exam = Exam::new(test, forms).unwrap();
    let key: Vec<String> = exam.key_rows().into_iter().map(|r| r.answer).collect();
    let sheet = format!("student_id,form,1,2,3\n01,101,{},{},Sắt tan dần.\n02,101,,,\n", key[0], key[1]);
    let results = grade(&exam, &sheet).unwrap();
    assert_eq!((results[0].raw, results[0].max, results[0].scaled), (milli(2000), milli(4000), milli(5000)));
    assert_eq!(results[0].pending_manual, [3]);
    assert!(results[1].pending_manual.is_empty());
    assert_eq!(key[2], "");
}

#[test]
fn cell_errors_name_the_question_kind() {
    let exam = hand_exam();
    let text = "student_id,form,1,2,3,4,5,6,7,8,9,10\n01,101,Đúng,,,,,,,,,\n";
    let SheetErrors(errors) = grade(&exam, text).unwrap_err();
    assert!(matches!(&errors[..], [SheetError::BadCell { question: 1, problem: CellError::NotALetter('Đ'), .. }]));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn a_sheet_written_from_the_key_scores_full_marks_on_every_form(seed in any::<u64>()) {
        let blueprint = crate::blueprint::Blueprint::parse("toan12.toml", TOAN12_BLUEPRINT).unwrap();
        let test = assemble(&blueprint, &toan12_bank(), seed).unwrap();
        let exam = Exam::new(test.clone(), make_forms(&test, blueprint.forms(), seed)).unwrap();
        let mut sheet = String::from("student_id,form");
        for question in 1..=exam.question_count() {
            sheet.push_str(&format!(",{question}"));
        }
        for form in exam.forms() {
            sheet.push_str(&format!("\nHS{},{}", form.code, form.code));
            for row in exam.key_rows().iter().filter(|r| r.form == form.code) {
                sheet.push_str(&format!(",\"{}\"", row.answer));
            }
        }
        let results = grade(&exam, &sheet).unwrap();
        prop_assert_eq!(results.len(), 24);
        for result in results {
            prop_assert_eq!(result.scaled, milli(10_000), "form {}", result.form);
        }
    }

    #[test]
    fn arbitrary_sheet_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = hand_exam().grade_sheets_csv("x.csv", &bytes);
    }

    #[test]
    fn mutated_sheets_never_panic(cut in 0usize..200, insert in "[,;\"ĐSđs0-9A-E\n -]{0,5}") {
        let mut text = EXAMPLE_SHEETS.to_owned();
        let mut at = cut.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        text.insert_str(at, &insert);
        let _ = grade(&hand_exam(), &text);
    }
}
