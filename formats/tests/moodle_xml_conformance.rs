//! Conformance with Moodle's own Moodle XML tests (`question/format/xml/tests/xmlformat_test.php`):
//! each import case written again in our own words and data, checked against what Moodle
//! imports. The table in `docs/qbank.md` ("Conformance with Moodle") lists them with any
//! difference and its reason.
#![allow(clippy::unwrap_used, reason = "test helpers; a failed unwrap is a failed test")]

use phongthi_formats::moodle_xml::{export, import};
use phongthi_items::{
    Body, Choice, Fraction, Image, Item, MatchPair, MatchScoring, NumericAnswer, NumericValue, TextAnswer, TextFormat,
};
use rust_decimal::Decimal;

const FILE: &str = "moodle.xml";

fn one(question: &str) -> Item {
    let report = import(FILE, &format!("<quiz>\n{question}\n</quiz>\n"));
    assert_eq!(report.errors, vec![], "{question}");
    assert_eq!(report.items.len(), 1);
    report.items.into_iter().next().unwrap()
}

fn refused(question: &str) -> String {
    let report = import(FILE, &format!("<quiz>\n{question}\n</quiz>\n"));
    assert!(report.items.is_empty(), "{:#?}", report.items);
    assert_eq!(report.errors.len(), 1, "{:#?}", report.errors);
    let error = &report.errors[0];
    assert!(error.message.contains(" / "), "bilingual: {error}");
    error.to_string()
}

fn fraction(percent: &str) -> Fraction {
    Fraction::parse_percent(percent).unwrap()
}

fn round_trips(item: &Item) {
    let exported = export(std::slice::from_ref(item));
    assert_eq!(exported.skipped, vec![]);
    let mut back = import("lai.xml", &exported.text).items;
    assert_eq!(back.len(), 1, "{}", exported.text);
    back[0].meta.source = item.meta.source.clone();
    assert_eq!(&back[0], item, "{}", exported.text);
}

#[test]
fn description_with_tags() {
    let item = one(r#"<question type="description">
  <name><text>Giới thiệu</text></name>
  <questiontext format="html"><text>Đọc đoạn văn sau.</text></questiontext>
  <generalfeedback><text>Phản hồi chung.</text></generalfeedback>
  <defaultgrade>0</defaultgrade><penalty>0</penalty><hidden>0</hidden>
  <tags><tag><text>đọc hiểu</text></tag><tag><text>lớp 10</text></tag></tags>
</question>"#);
    assert_eq!(item.body, Body::Description);
    assert_eq!((item.format, item.meta.points), (TextFormat::Html, None));
    assert_eq!(item.general_feedback.as_deref(), Some("Phản hồi chung."));
    assert_eq!(item.meta.tags, vec!["đọc hiểu".to_owned(), "lớp 10".to_owned()]);
    round_trips(&item);
}

#[test]
fn essay_old_and_new_style() {
    for extra in [
        "",
        r#"<responseformat>monospaced</responseformat><responserequired>0</responserequired>
  <responsefieldlines>42</responsefieldlines><attachments>-1</attachments>
  <graderinfo format="html"><text><![CDATA[<p>Chấm <b>rộng tay</b>!</p>]]></text></graderinfo>
  <responsetemplate format="html"><text><![CDATA[<p>Mở bài...</p>]]></text></responsetemplate>"#,
    ] {
        let item = one(&format!(
            r#"<question type="essay">
  <name><text>Tự luận</text></name>
  <questiontext format="moodle_auto_format"><text>Viết một đoạn văn.</text></questiontext>
  <generalfeedback><text>Mong em viết hay.</text></generalfeedback>
  <defaultgrade>1</defaultgrade>
  {extra}
  <tags><tag><text>tự luận</text></tag></tags>
</question>"#
        ));
        assert_eq!((item.body.clone(), item.format), (Body::Essay, TextFormat::Moodle));
        assert_eq!(item.meta.points, Some(phongthi_items::MilliPoints::from_milli(1000)));
        assert_eq!(item.meta.tags, vec!["tự luận".to_owned()]);
    }
}

#[test]
fn matching_with_an_extra_answer() {
    let item = one(r#"<question type="matching">
  <name><text>Ghép chữ</text></name>
  <questiontext format="html"><text>Ghép chữ hoa với chữ thường.</text></questiontext>
  <generalfeedback><text>A -> a, B -> b, C -> c.</text></generalfeedback>
  <defaultgrade>1</defaultgrade><shuffleanswers>false</shuffleanswers>
  <correctfeedback><text>Giỏi.</text></correctfeedback>
  <subquestion><text>A</text><answer><text>a</text></answer></subquestion>
  <subquestion><text>B</text><answer><text>b</text></answer></subquestion>
  <subquestion><text>C</text><answer><text>c</text></answer></subquestion>
  <subquestion><text></text><answer><text>d</text></answer></subquestion>
  <hint><text>Gợi ý 1</text><shownumcorrect /></hint>
  <tags><tag><text>ghép</text></tag></tags>
</question>"#);
    let pair = |p: &str, a: &str| MatchPair { prompt: p.to_owned(), answer: a.to_owned() };
    assert_eq!(
        item.body,
        Body::Matching {
            pairs: vec![pair("A", "a"), pair("B", "b"), pair("C", "c")],
            distractors: vec!["d".to_owned()],
            scoring: MatchScoring::PerPair,
        }
    );
    assert_eq!(item.general_feedback.as_deref(), Some("A -> a, B -> b, C -> c."));
    round_trips(&item);
}

const EVEN_NUMBERS: &str = r#"<question type="multichoice">
  <name><text>Số chẵn</text></name>
  <questiontext format="html"><text>Số nào là số chẵn?</text></questiontext>
  <defaultgrade>2</defaultgrade><single>false</single>
  <answer fraction="0"><text>1</text><feedback><text></text></feedback></answer>
  <answer fraction="FIRST"><text>2</text><feedback><text></text></feedback></answer>
  <answer fraction="0"><text>3</text><feedback><text></text></feedback></answer>
  <answer fraction="SECOND"><text>4</text><feedback><text></text></feedback></answer>
</question>"#;

#[test]
fn multiple_response_as_in_moodles_test_is_refused_for_its_200_percent() {
    // Moodle's unit test reads this with 100 % on both even numbers by calling the reader
    // directly; through an import (`importprocess`), Moodle refuses it: the grades add up to
    // 200 %. So do we, naming the sum.
    let error = refused(&EVEN_NUMBERS.replace("FIRST", "100").replace("SECOND", "100"));
    assert!(error.contains("200%"), "{error}");
    assert!(error.starts_with("moodle.xml:2:1"), "{error}");
}

#[test]
fn multiple_response_with_grades_adding_to_100_imports() {
    let item = one(&EVEN_NUMBERS.replace("FIRST", "50").replace("SECOND", "50"));
    let Body::MultipleResponse { options } = &item.body else { panic!("multiple response expected") };
    let grades: Vec<Fraction> = options.iter().map(|o| o.fraction).collect();
    assert_eq!(grades, vec![fraction("0"), fraction("50"), fraction("0"), fraction("50")]);
    assert!(options.iter().all(|o| o.feedback.is_none()), "empty feedback is no feedback");
    round_trips(&item);
}

#[test]
fn invalid_grades_are_refused_naming_the_line() {
    // 33 % is not one of Moodle's grades (33.33333 % is).
    let error = refused(&EVEN_NUMBERS.replace("FIRST", "33").replace("SECOND", "67"));
    assert!(
        error.starts_with("moodle.xml:7:3: fraction=\"33\": điểm 0.33 (33%) không phải mức điểm hợp lệ"),
        "{error}"
    );
    assert!(error.contains("grade 0.33 (33%) is not a valid Moodle grade"), "{error}");
    // Within Moodle's tolerance a grade is the listed one: 33.333333 % is 33.33333 %.
    let item =
        one(r#"<question type="multichoice"><questiontext><text>Chọn</text></questiontext><single>false</single>
<answer fraction="33.333333"><text>a</text></answer><answer fraction="33.33333"><text>b</text></answer>
<answer fraction="33.33333"><text>c</text></answer><answer fraction="-100"><text>d</text></answer></question>"#);
    let Body::MultipleResponse { options } = &item.body else { panic!() };
    assert_eq!(options[0].fraction.raw(), 3_333_333);
}

#[test]
fn single_choice_needs_a_full_grade() {
    let error = refused(
        r#"<question type="multichoice"><questiontext><text>Chọn</text></questiontext>
<answer fraction="50"><text>a</text></answer><answer fraction="0"><text>b</text></answer></question>"#,
    );
    assert!(error.contains("the highest grade is 50%"), "{error}");
}

#[test]
fn numerical_with_feedback_and_catch_all() {
    let item = one(r#"<question type="numerical">
  <name><text>Câu số</text></name>
  <questiontext format="html"><text>Đáp số là bao nhiêu?</text></questiontext>
  <generalfeedback><text>Nghĩ tới số 42.</text></generalfeedback>
  <defaultgrade>1</defaultgrade><penalty>0.1</penalty>
  <answer fraction="100"><text>42</text><feedback><text>Giỏi!</text></feedback><tolerance>0.001</tolerance></answer>
  <answer fraction="0"><text>13</text><feedback><text>Sao lại thế?!</text></feedback><tolerance>1</tolerance></answer>
  <answer fraction="0"><text>*</text><feedback><text>Sai hẳn.</text></feedback><tolerance></tolerance></answer>
</question>"#);
    let exact = |value: i64, tolerance: Decimal, credit: &str| NumericAnswer {
        value: NumericValue::Exact { value: value.into(), tolerance },
        fraction: fraction(credit),
    };
    assert_eq!(
        item.body,
        Body::Numeric {
            answers: vec![
                exact(42, Decimal::new(1, 3), "100"),
                exact(13, Decimal::ONE, "0"),
                NumericAnswer { value: NumericValue::Any, fraction: Fraction::ZERO },
            ],
            four_char_rule: false
        }
    );
    assert_eq!(
        item.answer_feedback,
        vec![Some("Giỏi!".to_owned()), Some("Sao lại thế?!".to_owned()), Some("Sai hẳn.".to_owned())]
    );
    round_trips(&item);
}

#[test]
fn credited_catch_all_is_refused() {
    let error = refused(
        r#"<question type="numerical"><questiontext><text>Số?</text></questiontext>
<answer fraction="100"><text>3</text></answer><answer fraction="50"><text>*</text></answer></question>"#,
    );
    assert!(error.contains("credited * (any answer) is not supported"), "{error}");
}

#[test]
fn short_answer_with_feedback_and_catch_all() {
    let item = one(r#"<question type="shortanswer">
  <name><text>Điền khuyết</text></name>
  <questiontext format="html"><text>Điền vào dãy: Alpha, ________, Gamma.</text></questiontext>
  <generalfeedback><text>Là Beta.</text></generalfeedback>
  <defaultgrade>1</defaultgrade><usecase>0</usecase>
  <answer fraction="100" format="plain_text"><text>Beta</text><feedback><text>Giỏi!</text></feedback></answer>
  <answer fraction="0" format="plain_text"><text>*</text><feedback><text>Chưa đúng!</text></feedback></answer>
  <hint><text>Gợi ý 1</text></hint>
</question>"#);
    assert_eq!(
        item.body,
        Body::ShortText {
            answers: vec![TextAnswer { text: "Beta".to_owned(), fraction: Fraction::ONE }],
            case_sensitive: false
        }
    );
    assert_eq!(item.answer_feedback, vec![Some("Giỏi!".to_owned())]);
    round_trips(&item);
}

const TRUE_FALSE: &str = r#"<question type="truefalse">
  <name><text>Đúng sai</text></name>
  <questiontext format="html"><text>Câu trả lời là đúng.</text></questiontext>
  <generalfeedback><text>Nên chọn đúng.</text></generalfeedback>
  <defaultgrade>1</defaultgrade><penalty>1</penalty>
  IDNUMBER
  <answer fraction="100"><text>true</text><feedback><text>Giỏi!</text></feedback></answer>
  <answer fraction="0"><text>false</text><feedback><text>Tiếc quá!</text></feedback></answer>
</question>"#;

#[test]
fn true_false_with_feedback() {
    let item = one(&TRUE_FALSE.replace("IDNUMBER", ""));
    assert_eq!(item.body, Body::TrueFalse { answer: true });
    assert_eq!(item.answer_feedback, vec![Some("Giỏi!".to_owned()), Some("Tiếc quá!".to_owned())]);
    assert_eq!(item.meta.idnumber, None);
    round_trips(&item);
}

#[test]
fn true_false_with_idnumber() {
    let item = one(&TRUE_FALSE.replace("IDNUMBER", "<idnumber>MaCau1</idnumber>"));
    assert_eq!(item.meta.idnumber.as_deref(), Some("MaCau1"));
    // Metadata, not content: the same question without an idnumber is the same content.
    assert_eq!(item.content_hash(), one(&TRUE_FALSE.replace("IDNUMBER", "")).content_hash());
    round_trips(&item);
    assert!(export(&[item]).text.contains("<idnumber>MaCau1</idnumber>"));
}

#[test]
fn cloze_is_refused_naming_each_gap() {
    let error = refused(
        r#"<question type="cloze">
  <name><text>Cloze</text></name>
  <questiontext format="html"><text><![CDATA[Câu thơ: "Con {1:SHORTANSWER:Chó#Sai!~=Cú#Đúng!~*#Sai} và con {1:MULTICHOICE:Gâu gâu#Sai~=Mèo#Đúng} ra biển".]]></text></questiontext>
  <penalty>0.5</penalty>
</question>"#,
    );
    assert!(error.contains("ô 1 (trả lời ngắn), ô 2 (trắc nghiệm)"), "{error}");
    assert!(error.contains("gap 1 (short answer), gap 2 (choice)"), "{error}");
}

#[test]
fn files_in_a_folder_keep_their_path() {
    let item = one(r#"<question type="truefalse">
  <name><text>Có tệp</text></name>
  <questiontext format="html"><text><![CDATA[<p><a href="@@PLUGINFILE@@/thu-muc/moodle.txt">Tệp này</a> có chữ Moodle.</p>]]></text>
<file name="moodle.txt" path="/thu-muc/" encoding="base64">TW9vZGxl</file>
  </questiontext>
  <defaultgrade>1.0000000</defaultgrade>
  <answer fraction="100" format="moodle_auto_format"><text>true</text><feedback format="html"><text></text></feedback></answer>
  <answer fraction="0" format="moodle_auto_format"><text>false</text><feedback format="html"><text></text></feedback></answer>
</question>"#);
    assert_eq!(item.images, vec![Image { name: "thu-muc/moodle.txt".to_owned(), bytes: b"Moodle".to_vec() }]);
    assert!(item.stem.contains("@@PLUGINFILE@@/thu-muc/moodle.txt"));
    assert!(item.answer_feedback.is_empty());
    round_trips(&item);
}

#[test]
fn legacy_image_base64_becomes_an_item_image() {
    let item = one(r#"<question type="multichoice">
  <questiontext format="html"><text>Hình bên là hình gì?</text></questiontext>
  <image>hinh/tamgiac.png</image>
  <image_base64>iVBORw0KGgo=</image_base64>
  <answer fraction="100"><text>Tam giác</text></answer><answer fraction="0"><text>Hình vuông</text></answer>
</question>"#);
    assert_eq!(item.images.len(), 1);
    assert_eq!(item.images[0].name, "hinh_tamgiac.png");
    assert_eq!(item.images[0].bytes[..4], [0x89, b'P', b'N', b'G']);
    assert_eq!(item.stem, "Hình bên là hình gì? <img src=\"@@PLUGINFILE@@/hinh_tamgiac.png\" />");
    round_trips(&item);
}

#[test]
fn rich_html_survives_import_and_export() {
    let rich = "<p>x<sup>2</sup> + H<sub>2</sub>O<br>dòng hai</p><table><tr><td>1</td><td>2</td></tr></table>";
    let item = one(&format!(
        r#"<question type="multichoice"><questiontext format="html"><text><![CDATA[{rich}]]></text></questiontext>
<answer fraction="100"><text><![CDATA[10<sup>3</sup>]]></text></answer><answer fraction="0"><text>10</text></answer></question>"#
    ));
    assert_eq!(item.stem, rich);
    let Body::SingleChoice { options } = &item.body else { panic!() };
    assert_eq!(
        options[0],
        Choice { text: "10<sup>3</sup>".to_owned(), fraction: Fraction::ONE, pinned: false, feedback: None }
    );
    round_trips(&item);
}
