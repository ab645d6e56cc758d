//! The proctor's bridge to the question bank, on a real exam assembled from the example files:
//! what students see carries no keys, and answers given through the protocol grade exactly.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is the failure report

use phongthi_formats::template;
use phongthi_items::{Body, ItemId, MilliPoints};
use phongthi_protocol::{Answer, PresentedBody};
use phongthi_question_bank::assembly::{Candidate, assemble};
use phongthi_question_bank::blueprint::Blueprint;
use phongthi_question_bank::exam::Exam;
use phongthi_question_bank::forms::make_forms;
use phongthi_results::grading;
use phongthi_server::presented as paper;

fn exam() -> Exam {
    let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/");
    let csv = std::fs::read(format!("{examples}questions.csv")).unwrap();
    let report = template::import_csv("questions.csv", &csv);
    assert!(report.errors.is_empty());
    let candidates: Vec<Candidate> = report
        .items
        .into_iter()
        .enumerate()
        .map(|(i, item)| Candidate { id: ItemId::new(i as i64 + 1), item, usage_count: 0 })
        .collect();
    let text = std::fs::read_to_string(format!("{examples}blueprint.toml")).unwrap();
    let blueprint = Blueprint::parse("blueprint.toml", &text).unwrap();
    let test = assemble(&blueprint, &candidates, 11).unwrap();
    let forms = make_forms(&test, blueprint.forms(), 11);
    Exam::new(test, forms).unwrap()
}

/// The answer a student gives for a key row, in the protocol's terms.
fn answer_from_key(key: &str) -> Answer {
    if key.chars().all(|c| c.is_ascii_uppercase()) && key.len() == 1 {
        return Answer::Choices(vec![key.as_bytes()[0] - b'A']);
    }
    if key.chars().all(|c| c == 'Đ' || c == 'S') {
        return Answer::Cluster(key.chars().map(|c| Some(c == 'Đ')).collect());
    }
    Answer::Text(key.to_owned())
}

#[test]
fn presented_forms_follow_the_form_order_and_hold_no_keys() {
    let exam = exam();
    for form in exam.forms() {
        let presented = paper::present(&exam, form).unwrap();
        assert_eq!(presented.form_code, form.code.to_string());
        assert_eq!(presented.parts.len(), 3, "Phần I, II, III");
        assert_eq!(presented.questions().count(), 10);
        for (question, fq) in presented.questions().zip(&form.questions) {
            let item = &exam.items()[&fq.item];
            assert_eq!(question.points_milli, fq.points.milli());
            if let (Body::SingleChoice { options }, PresentedBody::SingleChoice { options: shown }) =
                (&item.body, &question.body)
            {
                let expected: Vec<&str> =
                    fq.option_order.iter().map(|&i| options[usize::from(i)].text.as_str()).collect();
                assert_eq!(shown.iter().map(String::as_str).collect::<Vec<_>>(), expected);
            }
        }
        // Nothing that says what is right survives into the bytes students receive.
        let bytes = String::from_utf8_lossy(&presented.encode().unwrap()).into_owned();
        for needle in ["fraction", "correct", "tolerance", "\"4,5\"", "ĐĐSĐ"] {
            assert!(!bytes.contains(needle), "{needle} leaked");
        }
        // The round trip the client performs.
        let decoded = phongthi_protocol::PresentedForm::decode(&presented.encode().unwrap()).unwrap();
        assert_eq!(decoded, presented);
    }
}

#[test]
fn answering_the_key_scores_ten_and_hand_computed_mistakes_score_exactly() {
    let exam = exam();
    let rows = exam.key_rows();
    for form in exam.forms() {
        let key: Vec<(u32, Answer)> = rows
            .iter()
            .filter(|r| r.form == form.code)
            .map(|r| (r.question as u32, answer_from_key(&r.answer)))
            .collect();
        let graded = grading::grade(&exam, form, &key).unwrap();
        assert_eq!(graded.raw, MilliPoints::from_milli(10_000), "form {}", form.code);
        assert_eq!(graded.scaled, MilliPoints::from_milli(10_000));

        // Question 1 wrong (−1), one statement of question 7 flipped (1 → 0.5), question 10
        // left out (−1): 7.5 exactly, 7.5 on the 10-point scale.
        let mut answers = key.clone();
        answers[0].1 = match &answers[0].1 {
            Answer::Choices(c) => Answer::Choices(vec![(c[0] + 1) % 4]),
            other => other.clone(),
        };
        if let Answer::Cluster(marks) = &mut answers[6].1 {
            marks[0] = marks[0].map(|m| !m);
        }
        answers.retain(|(n, _)| *n != 10);
        let graded = grading::grade(&exam, form, &answers).unwrap();
        assert_eq!(graded.raw, MilliPoints::from_milli(7_500));
        assert_eq!(graded.per_question[6], MilliPoints::from_milli(500));
        assert_eq!(graded.scaled, MilliPoints::from_milli(7_500));
    }
}

#[test]
fn answers_of_the_wrong_shape_count_as_unanswered() {
    let exam = exam();
    let form = &exam.forms()[0];
    let wrong: Vec<(u32, Answer)> = (1..=10).map(|n| (n, Answer::TrueFalse(true))).collect();
    let graded = grading::grade(&exam, form, &wrong).unwrap();
    assert_eq!(graded.raw, MilliPoints::ZERO);
    let two_letters = vec![(1, Answer::Choices(vec![0, 1]))];
    assert_eq!(grading::grade(&exam, form, &two_letters).unwrap().per_question[0], MilliPoints::ZERO);
}
