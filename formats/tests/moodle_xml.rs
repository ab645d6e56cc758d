//! Moodle XML import and export: a realistic Toán / Vật lí / Hóa học bank checked field by field,
//! one test per error path with its line and column, and property tests (no panic on any input,
//! export → import gives back the same items).
#![allow(clippy::unwrap_used, reason = "fixture helpers outside #[test] fns; a bad fixture should fail loudly")]

use phongthi_formats::moodle_xml::{export, import};
use phongthi_formats::{ImportReport, Skipped};
use phongthi_items::{
    Body, Choice, ClusterTable, Fraction, Image, Item, Level, MatchPair, MatchScoring, MilliPoints, NumericAnswer,
    NumericValue, SourceRef, Statement, TextAnswer, TextFormat,
};
use proptest::prelude::*;
use rust_decimal::Decimal;

const FIXTURE: &str = include_str!("fixtures/toan_ly_hoa.moodle.xml");
const FILE: &str = "toan_ly_hoa.xml";

/// The 2×2 PNG embedded in the fixture.
const PNG: [u8; 75] = [
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 2, 0, 0, 0, 2, 8, 2, 0, 0, 0, 253, 212, 154,
    115, 0, 0, 0, 18, 73, 68, 65, 84, 120, 156, 99, 248, 207, 192, 192, 0, 194, 12, 255, 129, 0, 0, 31, 238, 5, 251,
    11, 217, 104, 139, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

fn percent(text: &str) -> Fraction {
    Fraction::parse_percent(text).unwrap()
}

fn points(text: &str) -> Option<MilliPoints> {
    Some(MilliPoints::parse(text).unwrap())
}

fn decimal(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn choice(fraction: &str, text: &str) -> Choice {
    Choice { text: text.to_owned(), fraction: percent(fraction), pinned: false, feedback: None }
}

/// Lines of the `<question>` tags that are not categories, in file order.
fn question_lines(text: &str) -> Vec<u32> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| line.trim_start().starts_with("<question ") && !line.contains("\"category\""))
        .map(|(i, _)| u32::try_from(i + 1).unwrap())
        .collect()
}

/// The fixture's items as they must import.
fn expected_fixture_items() -> Vec<Item> {
    let lines = question_lines(FIXTURE);
    let mut items = Vec::new();

    let mut item = Item::new(
        r"<p>Mệnh đề nào sau đây là mệnh đề <b>đúng</b>? Biết $x \in \mathbb{R}$.</p>",
        Body::SingleChoice {
            options: vec![
                Choice {
                    feedback: Some("Đúng: bình phương không âm.".to_owned()),
                    ..choice("100", r"$\forall x \in \mathbb{R},\ x^2 \ge 0$")
                },
                choice("0", r"$\exists x \in \mathbb{R},\ x^2 < 0$"),
                choice("0", r"$\forall x \in \mathbb{R},\ x > 0$"),
                Choice { pinned: true, ..choice("0", "Không có mệnh đề nào đúng") },
            ],
        },
    );
    item.name = Some("MĐ-01".to_owned());
    item.format = TextFormat::Html;
    item.general_feedback = Some(r"<p>Với mọi $x$ thực, $x^2 \ge 0$.</p>".to_owned());
    item.meta.points = points("0.25");
    item.meta.tags = vec!["mệnh đề".to_owned()];
    item.meta.level = Some(Level::Hieu);
    items.push(item);

    let mut item = Item::new(
        r"Chọn các tập hợp con của $A = \{1; 2; 3\}$ có đúng hai phần tử.",
        Body::MultipleResponse {
            options: vec![
                choice("33.33333", r"$\{1; 2\}$"),
                choice("33.33333", r"$\{1; 3\}$"),
                choice("33.33333", r"$\{2; 3\}$"),
                Choice {
                    feedback: Some("Tập này có ba phần tử.".to_owned()), ..choice("-100", r"$\{1; 2; 3\}$")
                },
            ],
        },
    );
    item.name = Some("MĐ-02 (nhiều đáp án)".to_owned());
    item.format = TextFormat::Moodle;
    item.meta.points = points("1");
    items.push(item);
    for item in &mut items {
        item.meta.category = Some("Toán 10/Mệnh đề".to_owned());
        item.meta.topic = Some("Mệnh đề".to_owned());
    }

    let mut physics = Vec::new();
    let mut item = Item::new(
        "Cường độ điện trường tại một điểm tỉ lệ thuận với độ lớn điện tích thử đặt tại điểm đó.",
        Body::TrueFalse { answer: false },
    );
    item.name = Some("ĐT-01".to_owned());
    item.format = TextFormat::Plain;
    // Moodle's feedback for a student who answers "true" (the wrong answer here).
    item.answer_feedback = vec![Some("Sai: E không phụ thuộc điện tích thử.".to_owned())];
    item.meta.points = points("1");
    physics.push(item);

    let mut item = Item::new(
        r"<p>Điện tích $q = 2 \cdot 10^{-6}$ C đặt trong điện trường đều $E = 1500$ V/m. Độ lớn lực điện (mN) là bao nhiêu?</p>",
        Body::Numeric {
            answers: vec![
                NumericAnswer {
                    value: NumericValue::Exact { value: decimal("3"), tolerance: decimal("0.05") },
                    fraction: Fraction::ONE,
                },
                NumericAnswer {
                    value: NumericValue::Exact { value: decimal("3.0"), tolerance: decimal("0.5") },
                    fraction: percent("50"),
                },
                // Moodle's `*` (any other number) at 0 %, kept for its feedback.
                NumericAnswer { value: NumericValue::Any, fraction: Fraction::ZERO },
            ],
            four_char_rule: false,
        },
    );
    item.answer_feedback = vec![None, None, Some("Dùng F = |q|E.".to_owned())];
    item.name = Some("ĐT-02".to_owned());
    item.format = TextFormat::Html;
    item.meta.points = points("0.5");
    item.meta.level = Some(Level::VanDung);
    physics.push(item);

    let mut item = Item::new(
        r#"<p>Quan sát hình dưới đây để trả lời các câu tiếp theo.</p><p><img src="@@PLUGINFILE@@/hinh1.png" alt="Đường sức điện"></p>"#,
        Body::Description,
    );
    item.name = Some("Hình vẽ điện trường".to_owned());
    item.format = TextFormat::Html;
    item.images = vec![Image { name: "hinh1.png".to_owned(), bytes: PNG.to_vec() }];
    physics.push(item);
    for item in &mut physics {
        item.meta.category = Some("Vật lí 11/Điện trường".to_owned());
        item.meta.topic = Some("Điện trường".to_owned());
    }
    items.extend(physics);

    let mut chemistry = Vec::new();
    let mut item = Item::new(
        "<p>Viết công thức hóa học của axit sunfuric.</p>",
        Body::ShortText {
            answers: vec![
                TextAnswer { text: "H2SO4".to_owned(), fraction: Fraction::ONE },
                TextAnswer { text: "H₂SO₄".to_owned(), fraction: percent("50") },
            ],
            case_sensitive: true,
        },
    );
    item.name = Some("HH-01".to_owned());
    item.format = TextFormat::Html;
    chemistry.push(item);

    let pair = |prompt: &str, answer: &str| MatchPair { prompt: prompt.to_owned(), answer: answer.to_owned() };
    let mut item = Item::new(
        "Ghép mỗi chất với màu của quỳ tím khi nhúng vào dung dịch của nó.",
        Body::Matching {
            pairs: vec![pair("HCl", "Đỏ"), pair("NaOH", "Xanh"), pair("NaCl", "Không đổi màu")],
            distractors: vec!["Vàng".to_owned()],
            scoring: MatchScoring::PerPair,
        },
    );
    item.name = Some("HH-02".to_owned());
    item.format = TextFormat::Html;
    item.meta.points = points("1");
    chemistry.push(item);

    let mut item = Item::new("Trình bày **hiện tượng** khi cho kim loại Na vào dung dịch CuSO$_4$.", Body::Essay);
    item.name = Some("HH-03".to_owned());
    item.format = TextFormat::Markdown;
    item.meta.points = points("2");
    chemistry.push(item);
    for item in &mut chemistry {
        item.meta.category = Some("Hóa học 12/Axit – bazơ".to_owned());
        item.meta.topic = Some("Axit – bazơ".to_owned());
    }
    items.extend(chemistry);

    assert_eq!(items.len(), lines.len(), "one expected item per question of the fixture");
    for (item, line) in items.iter_mut().zip(lines) {
        item.meta.source = Some(SourceRef { file: FILE.to_owned(), line });
    }
    items
}

#[test]
fn fixture_imports_every_type_field_by_field() {
    let report = import(FILE, FIXTURE);
    assert_eq!(report.errors, vec![]);
    let expected = expected_fixture_items();
    assert_eq!(report.items.len(), expected.len());
    for (got, want) in report.items.iter().zip(&expected) {
        assert_eq!(got.name, want.name);
        assert_eq!(got.stem, want.stem, "{:?}", want.name);
        assert_eq!(got.stem_tail, want.stem_tail, "{:?}", want.name);
        assert_eq!(got.format, want.format, "{:?}", want.name);
        assert_eq!(got.body, want.body, "{:?}", want.name);
        assert_eq!(got.general_feedback, want.general_feedback, "{:?}", want.name);
        assert_eq!(got.images, want.images, "{:?}", want.name);
        assert_eq!(got.group, want.group, "{:?}", want.name);
        assert_eq!(got.meta, want.meta, "{:?}", want.name);
    }
    assert_eq!(report.items, expected);
}

#[test]
fn byte_order_mark_and_crlf_are_accepted_with_the_same_lines() {
    let with_bom = format!("\u{feff}{}", FIXTURE.replace('\n', "\r\n"));
    let report = import(FILE, &with_bom);
    assert_eq!(report.errors, vec![]);
    assert_eq!(report.items, expected_fixture_items());
}

#[test]
fn text_is_stored_as_nfc() {
    // "Tiếng Việt" typed with combining marks, as some input methods and Word produce.
    let decomposed = "Tie\u{0302}\u{0301}ng Vie\u{0323}\u{0302}t";
    let xml = format!(
        "<quiz><question type=\"essay\"><name><text>{decomposed}</text></name>\
         <questiontext format=\"html\"><text>Viết về {decomposed}.</text></questiontext>\
         <tags><tag><text>{decomposed}</text></tag></tags></question></quiz>"
    );
    let report = import(FILE, &xml);
    assert_eq!(report.errors, vec![]);
    let item = &report.items[0];
    assert_eq!(item.stem, "Viết về Tiếng Việt.");
    assert_eq!(item.name.as_deref(), Some("Tiếng Việt"));
    assert_eq!(item.meta.tags, vec!["Tiếng Việt".to_owned()]);
}

#[test]
fn category_applies_until_the_next_and_top_resets_it() {
    let xml = "<quiz>
<question type=\"essay\"><questiontext><text>Câu không có chủ đề</text></questiontext></question>
<question type=\"category\"><category><text>$system$/top/Toán 11/Lượng giác</text></category></question>
<question type=\"essay\"><questiontext><text>Giải $\\sin x = 1$</text></questiontext></question>
<question type=\"category\"><category><text>$course$/top</text></category></question>
<question type=\"essay\"><questiontext><text>Lại không có chủ đề</text></questiontext></question>
</quiz>";
    let report = import(FILE, xml);
    assert_eq!(report.errors, vec![]);
    let categories: Vec<_> =
        report.items.iter().map(|i| (i.meta.category.as_deref(), i.meta.topic.as_deref(), i.format)).collect();
    assert_eq!(
        categories,
        vec![
            (None, None, TextFormat::Html),
            (Some("Toán 11/Lượng giác"), Some("Lượng giác"), TextFormat::Html),
            (None, None, TextFormat::Html)
        ]
    );
}

#[test]
fn single_defaults_to_true_and_numbers_are_read_as_one() {
    let xml = "<quiz><question type=\"multichoice\"><questiontext><text>$1 + 1 = ?$</text></questiontext>
<single>1</single>
<answer fraction=\"100\"><text>2</text></answer><answer><text>3</text></answer>
</question><question type=\"multichoice\"><questiontext><text>$2 + 2 = ?$</text></questiontext>
<answer fraction=\"100\"><text>4</text></answer><answer fraction=\"0\"><text>5</text></answer>
</question></quiz>";
    let report = import(FILE, xml);
    assert_eq!(report.errors, vec![]);
    assert!(report.items.iter().all(|i| matches!(i.body, Body::SingleChoice { .. })));
}

// ---------------------------------------------------------------------------------------------
// Error paths: each is reported at its line and column, bilingually, and reading goes on.

/// Imports `xml` and checks that there is exactly one error, at `line:column`, whose message
/// contains `fragment`.
fn check_error(xml: &str, line: u32, column: u32, fragment: &str) -> ImportReport {
    let report = import(FILE, xml);
    assert_eq!(report.errors.len(), 1, "{xml}\n{:#?}", report.errors);
    let error = &report.errors[0];
    assert_eq!(error.at.file, FILE);
    assert_eq!((error.at.line, error.at.column), (line, Some(column)), "{}", error.message);
    assert!(error.message.contains(fragment), "{:?} lacks {fragment:?}", error.message);
    assert!(error.message.contains(" / "), "not bilingual: {}", error.message);
    for item in &report.items {
        assert_eq!(item.validate(), Ok(()));
    }
    report
}

/// A quiz holding one question of `kind` with `body` lines after its question text (line 3).
fn question(kind: &str, body: &str) -> String {
    format!(
        "<quiz>\n  <question type=\"{kind}\">\n    <questiontext format=\"html\"><text>Cho hàm số $y = x^2$.</text></questiontext>\n{body}\n  </question>\n</quiz>\n"
    )
}

const FOUR_OPTIONS: &str = "    <answer fraction=\"100\"><text>A</text></answer>
    <answer fraction=\"0\"><text>B</text></answer>
    <answer fraction=\"0\"><text>C</text></answer>
    <answer fraction=\"0\"><text>D</text></answer>";

#[test]
fn unsupported_question_types_are_named() {
    for kind in ["calculated", "calculatedsimple", "multianswer", "ddwtos", "gapselect", "ordering"] {
        check_error(&question(kind, ""), 2, 3, &format!("\"{kind}\""));
    }
}

#[test]
fn question_without_type() {
    check_error("<quiz>\n<question><questiontext><text>Câu 1</text></questiontext></question>\n</quiz>", 2, 1, "type");
}

#[test]
fn bad_fraction_points_at_the_answer() {
    let body = "    <answer fraction=\"100\"><text>A</text></answer>\n    <answer fraction=\"một nửa\"><text>B</text></answer>";
    check_error(&question("multichoice", body), 5, 5, "một nửa");
}

#[test]
fn fraction_out_of_range_or_too_precise() {
    let body = "    <answer fraction=\"150\"><text>A</text></answer>\n    <answer><text>B</text></answer>";
    check_error(&question("multichoice", body), 4, 5, "150");
    // Not one of Moodle's grades: Moodle refuses the question ("0.33" is how it names it).
    let body =
        "    <answer fraction=\"33\"><text>A</text></answer>\n    <answer fraction=\"100\"><text>B</text></answer>";
    check_error(&question("multichoice", body), 4, 5, "0.33");
}

#[test]
fn units_are_not_supported() {
    let body = "    <answer fraction=\"100\"><text>3</text><tolerance>0</tolerance></answer>
    <units><unit><multiplier>1</multiplier><unit_name>cm</unit_name></unit></units>";
    check_error(&question("numerical", body), 5, 12, "\"cm\"");
}

#[test]
fn credited_any_answer_is_not_supported() {
    let body =
        "    <answer fraction=\"100\"><text>3</text></answer>\n    <answer fraction=\"50\"><text>*</text></answer>";
    check_error(&question("numerical", body), 5, 5, "*");
}

#[test]
fn numerical_value_and_tolerance_must_be_numbers() {
    let body = "    <answer fraction=\"100\"><text>ba</text></answer>";
    check_error(&question("numerical", body), 4, 5, "\"ba\"");
    let body = "    <answer fraction=\"100\"><text>3</text>\n      <tolerance>±0.1</tolerance></answer>";
    check_error(&question("numerical", body), 5, 7, "±0.1");
}

#[test]
fn truefalse_needs_exactly_one_correct() {
    let body =
        "    <answer fraction=\"0\"><text>true</text></answer>\n    <answer fraction=\"0\"><text>false</text></answer>";
    check_error(&question("truefalse", body), 2, 3, "true/false");
    let body = "    <answer fraction=\"100\"><text>đúng</text></answer>";
    check_error(&question("truefalse", body), 4, 5, "\"đúng\"");
}

#[test]
fn single_must_be_true_or_false() {
    let body = format!("    <single>có</single>\n{FOUR_OPTIONS}");
    check_error(&question("multichoice", &body), 4, 5, "\"có\"");
}

#[test]
fn unknown_text_format() {
    let xml = "<quiz>\n<question type=\"essay\">\n  <questiontext format=\"rtf\"><text>Câu 1</text></questiontext>\n</question>\n</quiz>";
    check_error(xml, 3, 3, "\"rtf\"");
}

#[test]
fn default_grade_must_be_exact_and_not_negative() {
    check_error(&question("essay", "    <defaultgrade>0.3333</defaultgrade>"), 4, 5, "0.3333");
    check_error(&question("essay", "    <defaultgrade>-1</defaultgrade>"), 4, 5, "defaultgrade");
}

#[test]
fn bad_images() {
    let file = |attributes: &str, content: &str| {
        format!(
            "<quiz>\n<question type=\"description\">\n  <questiontext><text>Xem hình</text>\n    <file {attributes}>{content}</file>\n  </questiontext>\n</question>\n</quiz>"
        )
    };
    check_error(&file("name=\"h.png\" encoding=\"base64\"", "không phải base64!"), 4, 5, "base64");
    check_error(&file("path=\"/\" encoding=\"base64\"", "iVBORw=="), 4, 5, "name");
    check_error(&file("name=\"h.png\" encoding=\"hex\"", "89504e47"), 4, 5, "\"hex\"");
    let twice = "<quiz>\n<question type=\"description\">\n  <questiontext><text>Hai hình</text>
    <file name=\"h.png\" encoding=\"base64\">AAAA</file>
    <file name=\"h.png\" encoding=\"base64\">/w==</file>\n  </questiontext>\n</question>\n</quiz>";
    check_error(twice, 5, 5, "\"h.png\"");
}

#[test]
fn bad_convention_tags() {
    let tags = |tag: &str| format!("    <tags>\n      <tag><text>{tag}</text></tag>\n    </tags>");
    let choice_with = |tag: &str| question("multichoice", &format!("{FOUR_OPTIONS}\n{}", tags(tag)));
    check_error(&choice_with("phongthi:level=khó"), 9, 7, "khó");
    check_error(&choice_with("phongthi:pin=E"), 9, 7, "5");
    check_error(&choice_with("phongthi:pin=e"), 9, 7, "\"e\"");
    check_error(&choice_with("phongthi:four-char-rule"), 9, 7, "4");
    check_error(&choice_with("phongthi:scoring=all-or-nothing"), 9, 7, "matching");
    check_error(&choice_with("phongthi:scoring=half"), 9, 7, "\"half\"");
    check_error(&choice_with("phongthi:group="), 9, 7, "group");
    check_error(&choice_with("phongthi:blank-at=x"), 9, 7, "\"x\"");
    check_error(&question("essay", &tags("phongthi:pin=A")), 5, 7, "pin");
}

#[test]
fn items_that_fail_validation_are_reported_at_their_question() {
    let no_correct = "    <answer fraction=\"50\"><text>A</text></answer>\n    <answer><text>B</text></answer>";
    check_error(&question("multichoice", no_correct), 2, 3, "cần một phương án được 100%");
    let two_correct =
        "    <answer fraction=\"100\"><text>A</text></answer>\n    <answer fraction=\"100\"><text>B</text></answer>";
    check_error(&question("multichoice", two_correct), 2, 3, "nhiều phương án đúng");
    let one_option = "    <answer fraction=\"100\"><text>A</text></answer>";
    check_error(&question("multichoice", one_option), 2, 3, "2");
    let one_pair = "    <subquestion><text>HCl</text><answer><text>Đỏ</text></answer></subquestion>";
    check_error(&question("matching", one_pair), 2, 3, "ghép đôi");
    let no_full = "    <answer fraction=\"50\"><text>H2O</text></answer>";
    check_error(&question("shortanswer", no_full), 2, 3, "tối đa");
    check_error(
        "<quiz>\n  <question type=\"essay\"><questiontext><text> </text></questiontext></question>\n</quiz>",
        2,
        3,
        "nội dung",
    );
}

#[test]
fn root_must_be_quiz() {
    let xml = "<questions>\n<question type=\"essay\"><questiontext><text>Câu 1</text></questiontext></question>\n</questions>";
    let report = check_error(xml, 1, 1, "<quiz>");
    assert_eq!(report.items.len(), 1, "its questions are still read");
}

#[test]
fn not_xml_at_all() {
    check_error("Câu 1: Thủ đô của Việt Nam là?\nA) Hà Nội\nANSWER: A\n", 1, 1, "<quiz>");
    check_error("", 1, 1, "<quiz>");
}

#[test]
fn unexpected_element_inside_quiz() {
    let xml = "<quiz>\n  <question type=\"essay\"><questiontext><text>Câu 1</text></questiontext></question>\n  <cau type=\"essay\"/>\n</quiz>";
    let report = check_error(xml, 3, 3, "<cau>");
    assert_eq!(report.items.len(), 1);
}

#[test]
fn category_without_text() {
    check_error("<quiz>\n <question type=\"category\"><category/></question>\n</quiz>", 2, 2, "category");
}

#[test]
fn mismatched_end_tag_is_located_and_the_next_question_still_imports() {
    let xml = "<quiz>
  <question type=\"essay\">
    <questiontext><text>Câu hỏng</questiontext>
  </question>
  <question type=\"essay\">
    <questiontext><text>Câu lành</text></questiontext>
  </question>
</quiz>";
    let report = check_error(xml, 3, 33, "</text>");
    assert_eq!(report.items.len(), 1);
    assert_eq!(report.items[0].stem, "Câu lành");
    assert_eq!(report.items[0].meta.source, Some(SourceRef { file: FILE.to_owned(), line: 5 }));
}

#[test]
fn question_not_closed_before_the_end() {
    let xml = "<quiz>\n  <question type=\"essay\">\n    <questiontext><text>Câu 1</text></questiontext>\n";
    check_error(xml, 2, 3, "<question>");
}

#[test]
fn undefined_entity() {
    let xml = "<quiz>\n<question type=\"essay\">\n  <questiontext><text>Nhiệt độ 25&nbsp;°C</text></questiontext>\n</question>\n</quiz>";
    check_error(xml, 3, 34, "&nbsp;");
}

#[test]
fn unclosed_cdata() {
    let xml = "<quiz>\n<question type=\"essay\">\n  <questiontext><text><![CDATA[Câu 1</text></questiontext>\n</question>\n</quiz>";
    check_error(xml, 3, 23, "XML");
}

#[test]
fn unquoted_attribute() {
    let xml = "<quiz>\n  <question type=essay><questiontext><text>Câu 1</text></questiontext></question>\n</quiz>";
    check_error(xml, 2, 3, "<question>");
}

#[test]
fn absurd_nesting_is_refused() {
    let deep = format!("<quiz><question type=\"essay\">{}", "<a>".repeat(100));
    let report = import(FILE, &deep);
    assert!(report.errors.iter().any(|e| e.message.contains("64")), "{:?}", report.errors);
    assert!(report.items.is_empty());
}

#[test]
fn one_bad_question_among_good_ones() {
    let xml = format!(
        "<quiz>\n{}\n{}\n{}\n</quiz>",
        "<question type=\"essay\"><questiontext><text>Câu 1</text></questiontext></question>",
        "<question type=\"calculated\"><questiontext><text>Câu 2: {a} + {b}</text></questiontext></question>",
        "<question type=\"essay\"><questiontext><text>Câu 3</text></questiontext></question>",
    );
    let report = check_error(&xml, 3, 1, "calculated");
    let stems: Vec<_> = report.items.iter().map(|i| i.stem.as_str()).collect();
    assert_eq!(stems, ["Câu 1", "Câu 3"]);
}

// ---------------------------------------------------------------------------------------------
// Export.

fn without_source(mut items: Vec<Item>) -> Vec<Item> {
    for item in &mut items {
        item.meta.source = None;
    }
    items
}

#[test]
fn fixture_round_trips() {
    let items = import(FILE, FIXTURE).items;
    let exported = export(&items);
    assert_eq!(exported.skipped, vec![]);
    let again = import("lai.xml", &exported.text);
    assert_eq!(again.errors, vec![]);
    assert_eq!(without_source(again.items), without_source(items));
}

#[test]
fn export_writes_exact_numbers_cdata_categories_and_images() {
    let items = import(FILE, FIXTURE).items;
    let text = export(&items).text;
    for expected in [
        "<answer fraction=\"33.33333\" format=\"moodle_auto_format\">",
        "<answer fraction=\"-100\" format=\"moodle_auto_format\">",
        "<defaultgrade>0.25</defaultgrade>",
        "<text><![CDATA[3.0]]></text>\n      <tolerance>0.5</tolerance>",
        "<text><![CDATA[$course$/top/Toán 10/Mệnh đề]]></text>",
        "<file name=\"hinh1.png\" path=\"/\" encoding=\"base64\">iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEklEQVR4nGP4z8DAAMIM/4EAAB/uBfsL2WiLAAAAAElFTkSuQmCC</file>",
        "<tag><text><![CDATA[phongthi:level=hieu]]></text></tag>",
        "<tag><text><![CDATA[phongthi:pin=D]]></text></tag>",
        "<single>false</single>",
        "<usecase>1</usecase>",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    assert_eq!(text.matches("type=\"category\"").count(), 3, "one category question per change");
}

#[test]
fn cdata_end_inside_text_survives() {
    let mut item = Item::new("Mảng a[b[0]]>1 và <b>in đậm</b> & ký hiệu", Body::Essay);
    item.general_feedback = Some("]]>]]>".to_owned());
    let report = import("x.xml", &export(std::slice::from_ref(&item)).text);
    assert_eq!(report.errors, vec![]);
    assert_eq!(without_source(report.items), vec![item]);
}

#[test]
fn clusters_are_skipped_with_a_bilingual_reason() {
    let cluster = Item::new(
        "Cho hàm số $y = x^3 - 3x$.",
        Body::TrueFalseCluster {
            statements: ["Hàm số đồng biến trên $(1; +\\infty)$", "Đạo hàm $y' = 3x^2 - 3$"]
                .map(|text| Statement { text: text.to_owned(), correct: true })
                .to_vec(),
            table: ClusterTable::default_for(2),
        },
    );
    let essay = Item::new("Nêu định nghĩa đạo hàm.", Body::Essay);
    let report = export(&[essay.clone(), cluster, essay]);
    assert_eq!(report.skipped.len(), 1);
    let Skipped { index, reason } = &report.skipped[0];
    assert_eq!(*index, 1);
    assert!(reason.contains("chùm") && reason.contains(" / "), "{reason}");
    assert_eq!(import("x.xml", &report.text).items.len(), 2);
}

#[test]
fn numeric_range_becomes_the_same_interval() {
    let item = Item::new(
        "Gia tốc rơi tự do (m/s²)",
        Body::Numeric {
            answers: vec![NumericAnswer {
                value: NumericValue::Range { min: decimal("9.7"), max: decimal("9.9") },
                fraction: Fraction::ONE,
            }],
            four_char_rule: true,
        },
    );
    let report = import("x.xml", &export(&[item]).text);
    assert_eq!(report.errors, vec![]);
    let Body::Numeric { answers, four_char_rule } = &report.items[0].body else { panic!("{:?}", report.items[0]) };
    assert!(four_char_rule);
    assert_eq!(answers[0].value, NumericValue::Exact { value: decimal("9.8"), tolerance: decimal("0.1") });
}

// ---------------------------------------------------------------------------------------------
// Property tests.

const WORDS: &[&str] = &[
    "Cho",
    "hàm số",
    "$y = x^2 - 4x + 3$",
    "điện trở",
    "$R = 10\\,\\Omega$",
    "phản ứng",
    "$\\mathrm{H_2SO_4}$",
    "<b>đúng</b>",
    "a & b",
    "]]>",
    "\"trích\"",
    "'đơn'",
    "Đạo hàm",
    "Vận tốc",
    "mol/l",
    "x < y",
    "@@PLUGINFILE@@/hinh.png",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 1..5).prop_map(|words| words.join(" "))
}

fn lines_text() -> impl Strategy<Value = String> {
    prop::collection::vec(text(), 1..3).prop_map(|lines| lines.join("\n"))
}

/// A fraction other than full credit, as Moodle files hold them.
fn partial() -> impl Strategy<Value = Fraction> {
    prop::sample::select(vec!["0", "50", "-50", "33.33333", "-100", "12.5", "14.28571", "-5"]).prop_map(percent)
}

fn options(single: bool) -> impl Strategy<Value = Vec<Choice>> {
    let option = (text(), partial(), any::<bool>(), prop::option::of(text()))
        .prop_map(|(text, fraction, pinned, feedback)| Choice { text, fraction, pinned, feedback });
    (prop::collection::vec(option, 2..6), any::<prop::sample::Index>()).prop_map(move |(mut options, correct)| {
        let correct = correct.index(options.len());
        // Single choice needs exactly one full-credit option; Moodle's own rule for multiple response: the positive grades add up to 100 %.
        options[correct].fraction = Fraction::ONE;
        if !single {
            for (index, option) in options.iter_mut().enumerate() {
                if index != correct && option.fraction > Fraction::ZERO {
                    option.fraction = Fraction::from_raw(-option.fraction.raw()).unwrap_or_default();
                }
            }
        }
        options
    })
}

fn decimal_value() -> impl Strategy<Value = Decimal> {
    (-1_000_000i64..1_000_000, 0u32..5).prop_map(|(mantissa, scale)| Decimal::new(mantissa, scale))
}

fn body() -> impl Strategy<Value = Body> {
    prop_oneof![
        options(true).prop_map(|options| Body::SingleChoice { options }),
        options(false).prop_map(|options| Body::MultipleResponse { options }),
        any::<bool>().prop_map(|answer| Body::TrueFalse { answer }),
        (prop::collection::vec((text(), partial()), 0..3), text(), any::<bool>()).prop_map(
            |(others, correct, case_sensitive)| Body::ShortText {
                answers: std::iter::once(TextAnswer { text: correct, fraction: Fraction::ONE })
                    .chain(others.into_iter().map(|(text, fraction)| TextAnswer { text, fraction }))
                    .collect(),
                case_sensitive,
            }
        ),
        (
            prop::collection::vec((decimal_value(), decimal_value(), partial()), 0..3),
            decimal_value(),
            any::<bool>(),
            any::<bool>()
        )
            .prop_map(|(others, value, four_char_rule, catch_all)| Body::Numeric {
                answers: std::iter::once(NumericAnswer {
                    value: NumericValue::Exact { value, tolerance: Decimal::ZERO },
                    fraction: Fraction::ONE
                })
                .chain(others.into_iter().map(|(value, tolerance, fraction)| NumericAnswer {
                    value: NumericValue::Exact { value, tolerance: tolerance.abs() },
                    fraction
                }))
                .chain(catch_all.then_some(NumericAnswer { value: NumericValue::Any, fraction: Fraction::ZERO }))
                .collect(),
                four_char_rule,
            }),
        (prop::collection::vec((text(), text()), 2..5), prop::collection::vec(text(), 0..3), any::<bool>()).prop_map(
            |(pairs, distractors, all)| Body::Matching {
                pairs: pairs.into_iter().map(|(prompt, answer)| MatchPair { prompt, answer }).collect(),
                distractors,
                scoring: if all { MatchScoring::AllOrNothing } else { MatchScoring::PerPair },
            }
        ),
        Just(Body::Essay),
        Just(Body::Description),
    ]
}

fn format() -> impl Strategy<Value = TextFormat> {
    prop::sample::select(vec![TextFormat::Moodle, TextFormat::Html, TextFormat::Plain, TextFormat::Markdown])
}

fn category() -> impl Strategy<Value = Option<Vec<String>>> {
    prop::option::of(prop::collection::vec(
        prop::sample::select(vec!["Toán 10", "Mệnh đề", "Vật lí 11", "Điện trường", "Hóa học 12", "Tỉ số a/b", "top"])
            .prop_map(str::to_owned),
        1..4,
    ))
}

fn item() -> impl Strategy<Value = Item> {
    (
        (body(), lines_text(), prop::option::of(text()), format(), prop::option::of(text()), prop::option::of(text())),
        (
            prop::option::of(0i64..100_000),
            prop::option::of(prop::sample::select(Level::ALL.to_vec())),
            prop::collection::vec(prop::sample::select(vec!["hàm số", "đề thi thử", "HK1", "lớp 10A1"]), 0..3),
            category(),
            prop::option::of(prop::sample::select(vec!["Nhóm 1", "Phần II"])),
            prop::collection::vec(prop::collection::vec(any::<u8>(), 0..40), 0..3),
        ),
        (prop::collection::vec(prop::option::of(text()), 0..4), prop::option::of(text())),
    )
        .prop_map(
            |(
                (body, stem, tail, format, name, feedback),
                (milli, level, tags, category, group, images),
                (mut answer_feedback, idnumber),
            )| {
                let places = match &body {
                    Body::ShortText { answers, .. } => answers.len(),
                    Body::Numeric { answers, .. } => answers.len(),
                    Body::TrueFalse { .. } => 2,
                    _ => 0,
                };
                answer_feedback.truncate(places);
                let mut item = Item::new(stem, body);
                item.answer_feedback = phongthi_items::canonical_answer_feedback(answer_feedback);
                item.meta.idnumber = idnumber;
                item.stem_tail = tail;
                item.format = format;
                item.name = name;
                item.general_feedback = feedback;
                item.meta.points = milli.map(MilliPoints::from_milli);
                if matches!(item.body, Body::Description) && item.meta.points == Some(MilliPoints::ZERO) {
                    // Moodle writes 0 points for every description: 0 and "none" are the same there.
                    item.meta.points = None;
                }
                item.meta.level = level;
                item.meta.tags = tags.into_iter().map(str::to_owned).collect();
                if let Some(segments) = category {
                    item.meta.topic = segments.last().cloned();
                    item.meta.category =
                        Some(segments.iter().map(|s| s.replace('/', "//")).collect::<Vec<_>>().join("/"));
                }
                item.group = group.map(str::to_owned);
                item.images = images
                    .into_iter()
                    .enumerate()
                    .map(|(i, bytes)| Image { name: format!("hình {i}.png"), bytes })
                    .collect();
                item
            },
        )
        .prop_filter("valid items only", |item| item.validate().is_ok())
}

/// A small edit of valid XML: cut a span, insert markup-ish noise, or duplicate a span.
fn mutate(text: &str, kind: u8, at: usize, len: usize, noise: &str) -> String {
    let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
    let start = boundaries[at % boundaries.len()];
    let end = boundaries[(at % boundaries.len() + len).min(boundaries.len() - 1)];
    match kind % 3 {
        0 => format!("{}{}", &text[..start], &text[end..]),
        1 => format!("{}{noise}{}", &text[..start], &text[start..]),
        _ => format!("{}{}{}", &text[..end], &text[start..end], &text[end..]),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn export_then_import_gives_back_the_same_items(items in prop::collection::vec(item(), 0..6)) {
        let exported = export(&items);
        prop_assert_eq!(exported.skipped, vec![]);
        let report = import("lai.xml", &exported.text);
        prop_assert_eq!(report.errors, vec![]);
        prop_assert_eq!(without_source(report.items), without_source(items));
    }

    #[test]
    fn arbitrary_input_never_panics(input in any::<String>()) {
        let report = import(FILE, &input);
        for item in report.items {
            prop_assert_eq!(item.validate(), Ok(()));
        }
    }

    #[test]
    fn markup_like_input_never_panics(input in "[<>/?!&#;=\"' \n\\[\\]a-zCDAT0-9qusetiony-]{0,300}") {
        let report = import(FILE, &input);
        for error in report.errors {
            prop_assert!(error.at.line >= 1 && error.at.column >= Some(1));
        }
    }

    #[test]
    fn mutated_exports_never_panic(
        items in prop::collection::vec(item(), 1..4),
        edits in prop::collection::vec((any::<u8>(), any::<usize>(), 0usize..40, "[<>/&;\\]\\[!a-z\"= ]{0,12}"), 1..4),
    ) {
        let mut text = export(&items).text;
        for (kind, at, len, noise) in &edits {
            text = mutate(&text, *kind, *at, *len, noise);
        }
        let report = import(FILE, &text);
        for item in &report.items {
            prop_assert_eq!(item.validate(), Ok(()));
            prop_assert!(item.meta.source.as_ref().is_some_and(|s| s.line >= 1));
        }
    }
}
