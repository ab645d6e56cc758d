//! Every GIFT syntax feature on realistic Vietnamese questions (Toán, Vật lí, Hóa học), one
//! `check(gift, expected item)` per case.

use super::{decimal, import_clean, import_one, option, percent};
use phongthi_formats::gift;
use phongthi_items::{
    Body, Choice, Item, Level, MatchPair, MatchScoring, MilliPoints, NumericAnswer, NumericValue, TextAnswer,
    TextFormat,
};

/// `gift` must import as exactly `expected` (source cleared).
fn check(gift: &str, expected: Item) {
    assert_eq!(import_one(gift), expected, "in:\n{gift}");
}

/// An item with default metadata, changed by `edit`.
fn item(stem: &str, body: Body, edit: impl FnOnce(&mut Item)) -> Item {
    let mut item = Item::new(stem, body);
    edit(&mut item);
    item
}

fn same(_: &mut Item) {}

fn exact(value: &str, tolerance: &str, credit: &str) -> NumericAnswer {
    NumericAnswer {
        value: NumericValue::Exact { value: decimal(value), tolerance: decimal(tolerance) },
        fraction: percent(credit),
    }
}

fn range(min: &str, max: &str, credit: &str) -> NumericAnswer {
    NumericAnswer { value: NumericValue::Range { min: decimal(min), max: decimal(max) }, fraction: percent(credit) }
}

fn numeric(answers: Vec<NumericAnswer>) -> Body {
    Body::Numeric { answers, four_char_rule: false }
}

fn accepted(text: &str, credit: &str) -> TextAnswer {
    TextAnswer { text: text.to_owned(), fraction: percent(credit) }
}

fn with_feedback(mut choice: Choice, feedback: &str) -> Choice {
    choice.feedback = Some(feedback.to_owned());
    choice
}

#[test]
fn descriptions_and_essays() {
    check(
        "Đọc đoạn thông tin sau và trả lời các câu hỏi 1–3: một vật rơi tự do từ độ cao 20 m.",
        item(
            "Đọc đoạn thông tin sau và trả lời các câu hỏi 1–3: một vật rơi tự do từ độ cao 20 m.",
            Body::Description,
            same,
        ),
    );
    check(
        "::Tự luận 1:: Viết phương trình phản ứng đốt cháy metan. {}",
        item("Viết phương trình phản ứng đốt cháy metan.", Body::Essay, |i| {
            i.name = Some("Tự luận 1".to_owned())
        }),
    );
    check(
        "Giải thích vì sao trời mưa thường có sấm sét. {####Chú ý sự phóng điện giữa các đám mây.}",
        item("Giải thích vì sao trời mưa thường có sấm sét.", Body::Essay, |i| {
            i.general_feedback = Some("Chú ý sự phóng điện giữa các đám mây.".to_owned())
        }),
    );
}

#[test]
fn numerical_answers_with_tolerance_ranges_and_decimal_commas() {
    check(
        "Gia tốc rơi tự do gần mặt đất (m/s²) là {#9,8:0,1}",
        item("Gia tốc rơi tự do gần mặt đất (m/s²) là", numeric(vec![exact("9.8", "0.1", "100")]), same),
    );
    check(
        "Số $\\pi$ xấp xỉ bằng {#3.141..3.142}",
        item("Số $\\pi$ xấp xỉ bằng", numeric(vec![range("3.141", "3.142", "100")]), same),
    );
    check(
        "Nhiệt độ không tuyệt đối theo thang Celsius là {#-273,15}",
        item("Nhiệt độ không tuyệt đối theo thang Celsius là", numeric(vec![exact("-273.15", "0", "100")]), same),
    );
    check(
        "Độ pH của nước tinh khiết ở 25 °C nằm trong khoảng {#6,5..7,5 }",
        item("Độ pH của nước tinh khiết ở 25 °C nằm trong khoảng", numeric(vec![range("6.5", "7.5", "100")]), same),
    );
    check(
        "Một vật rơi tự do 2 s thì đi được bao nhiêu mét ($g = 9,8$ m/s²)? {#\n  =19.6:0.1\n  =%50%20:0.5\n  =%25%18..22\n}",
        item(
            "Một vật rơi tự do 2 s thì đi được bao nhiêu mét ($g = 9,8$ m/s²)?",
            numeric(vec![exact("19.6", "0.1", "100"), exact("20", "0.5", "50"), range("18", "22", "25")]),
            same,
        ),
    );
}

#[test]
fn missing_word_questions_keep_the_text_after_the_blank() {
    check(
        "Thủ đô của Việt Nam là {=Hà Nội =%50%Ha Noi} và là thành phố lớn thứ hai cả nước.",
        item(
            "Thủ đô của Việt Nam là",
            Body::ShortText {
                answers: vec![accepted("Hà Nội", "100"), accepted("Ha Noi", "50")],
                case_sensitive: false,
            },
            |i| i.stem_tail = Some("và là thành phố lớn thứ hai cả nước.".to_owned()),
        ),
    );
    check(
        "Ở áp suất 1 atm, nước sôi ở {~90 =100 ~110} °C.",
        item(
            "Ở áp suất 1 atm, nước sôi ở",
            Body::SingleChoice { options: vec![option("90", "0"), option("100", "100"), option("110", "0")] },
            |i| i.stem_tail = Some("°C.".to_owned()),
        ),
    );
    check(
        "{=Natri} là kim loại kiềm có kí hiệu Na.",
        item("", Body::ShortText { answers: vec![accepted("Natri", "100")], case_sensitive: false }, |i| {
            i.stem_tail = Some("là kim loại kiềm có kí hiệu Na.".to_owned())
        }),
    );
}

#[test]
fn choices_with_partial_credit_feedback_and_general_feedback() {
    check(
        "::HH-05:: Chất nào sau đây là oxit bazơ? {\n  =CaO #Đúng: oxit của kim loại.\n  ~%50%$Al_2O_3$ #Oxit lưỡng tính.\n  ~$SO_2$\n  ~$CO_2$ #Đây là oxit axit.\n  ####Oxit bazơ là oxit của kim loại tác dụng với axit.\n}",
        item(
            "Chất nào sau đây là oxit bazơ?",
            Body::SingleChoice {
                options: vec![
                    with_feedback(option("CaO", "100"), "Đúng: oxit của kim loại."),
                    with_feedback(option("$Al_2O_3$", "50"), "Oxit lưỡng tính."),
                    option("$SO_2$", "0"),
                    with_feedback(option("$CO_2$", "0"), "Đây là oxit axit."),
                ],
            },
            |i| {
                i.name = Some("HH-05".to_owned());
                i.general_feedback = Some("Oxit bazơ là oxit của kim loại tác dụng với axit.".to_owned());
            },
        ),
    );
    check(
        "Những chất nào là axit? {~%50%HCl ~%50%$H_2SO_4$ ~%-100%NaOH ~%-33,33333%NaCl}",
        item(
            "Những chất nào là axit?",
            Body::MultipleResponse {
                options: vec![
                    option("HCl", "50"),
                    option("$H_2SO_4$", "50"),
                    option("NaOH", "-100"),
                    option("NaCl", "-33.33333"),
                ],
            },
            same,
        ),
    );
}

#[test]
fn true_false_in_every_spelling() {
    for (written, answer) in
        [("T", true), ("TRUE", true), ("true", true), ("F", false), ("FALSE", false), (" f ", false)]
    {
        check(
            &format!("Kim cương và than chì đều được cấu tạo từ cacbon. {{{written}}}"),
            item("Kim cương và than chì đều được cấu tạo từ cacbon.", Body::TrueFalse { answer }, same),
        );
    }
    check(
        "Ánh sáng truyền trong chân không với tốc độ $3 \\cdot 10^8$ m/s. {T####Đây là hằng số c.}",
        item(
            "Ánh sáng truyền trong chân không với tốc độ $3 \\cdot 10^8$ m/s.",
            Body::TrueFalse { answer: true },
            |i| i.general_feedback = Some("Đây là hằng số c.".to_owned()),
        ),
    );
}

#[test]
fn short_answers_and_matching() {
    check(
        "Kí hiệu hóa học của sắt là gì? {=Fe}",
        item(
            "Kí hiệu hóa học của sắt là gì?",
            Body::ShortText { answers: vec![accepted("Fe", "100")], case_sensitive: false },
            same,
        ),
    );
    let pair = |prompt: &str, answer: &str| MatchPair { prompt: prompt.to_owned(), answer: answer.to_owned() };
    check(
        "Ghép đại lượng với đơn vị SI của nó. {\n  =Lực -> N\n  =Công -> J\n  =Công suất -> W\n  = -> Pa\n}",
        item(
            "Ghép đại lượng với đơn vị SI của nó.",
            Body::Matching {
                pairs: vec![pair("Lực", "N"), pair("Công", "J"), pair("Công suất", "W")],
                distractors: vec!["Pa".to_owned()],
                scoring: MatchScoring::PerPair,
            },
            same,
        ),
    );
    check(
        "Ghép chất với màu của nó. {=$CuSO_4$ khan -> trắng =$CuSO_4 \\cdot 5H_2O$ -> xanh lam -> đậm}",
        item(
            "Ghép chất với màu của nó.",
            Body::Matching {
                pairs: vec![pair("$CuSO_4$ khan", "trắng"), pair("$CuSO_4 \\cdot 5H_2O$", "xanh lam -> đậm")],
                distractors: vec![],
                scoring: MatchScoring::PerPair,
            },
            same,
        ),
    );
}

#[test]
fn names_format_tags_and_escapes() {
    check(
        "::Câu 1\\: Động học::[html]<p>Vận tốc <b>trung bình</b> là gì?</p>{}",
        item("<p>Vận tốc <b>trung bình</b> là gì?</p>", Body::Essay, |i| {
            i.name = Some("Câu 1: Động học".to_owned());
            i.format = TextFormat::Html;
        }),
    );
    for (tag, format) in [
        ("[markdown]", TextFormat::Markdown),
        ("[plain]", TextFormat::Plain),
        ("[moodle]", TextFormat::Moodle),
        ("[HTML]", TextFormat::Html),
    ] {
        check(
            &format!("{tag}Nước là hợp chất. {{T}}"),
            item("Nước là hợp chất.", Body::TrueFalse { answer: true }, |i| i.format = format),
        );
    }
    check(
        "[Hình 1] Quan sát đồ thị và cho biết vật chuyển động đều. {F}",
        item("[Hình 1] Quan sát đồ thị và cho biết vật chuyển động đều.", Body::TrueFalse { answer: false }, same),
    );
    check(
        "Tập $A = \\\\\\{x \\in \\mathbb\\{N\\} \\: x < 3\\\\\\}$ có mấy phần tử? Chú ý\\: 10\\:30 \\~ 10h30, \\#1, a \\= b\\ndòng mới {#3}",
        item(
            "Tập $A = \\{x \\in \\mathbb{N} : x < 3\\}$ có mấy phần tử? Chú ý: 10:30 ~ 10h30, #1, a = b\ndòng mới",
            numeric(vec![exact("3", "0", "100")]),
            same,
        ),
    );
    check(
        "Phương án nào đúng? {=a \\= b \\~ c ~chỉ có \\{ và \\} ~$\\\\nu$ là tần số}",
        item(
            "Phương án nào đúng?",
            Body::SingleChoice {
                options: vec![
                    option("a = b ~ c", "100"),
                    option("chỉ có { và }", "0"),
                    option("$\\nu$ là tần số", "0"),
                ],
            },
            same,
        ),
    );
}

#[test]
fn multi_line_questions_and_comments_inside() {
    check(
        "::VL-03:: Một ô tô chuyển động thẳng đều\n    với vận tốc 54 km/h.\nVận tốc đó bằng bao nhiêu m/s? {\n  // đổi đơn vị: chia cho 3,6\n  =15\n  ~54\n  ~150\n}",
        item(
            "Một ô tô chuyển động thẳng đều\nvới vận tốc 54 km/h.\nVận tốc đó bằng bao nhiêu m/s?",
            Body::SingleChoice { options: vec![option("15", "100"), option("54", "0"), option("150", "0")] },
            |i| i.name = Some("VL-03".to_owned()),
        ),
    );
}

#[test]
fn comment_conventions_above_a_question() {
    check(
        "// mức độ: van-dung-cao\n// điểm: 0,25\n// pin: D\n// group: Bài đọc 1\n// Lưu ý: câu này lấy từ đề minh họa\n::HH-09:: Chọn phát biểu đúng. {\n  ~A sai\n  ~B sai\n  =C đúng\n  ~Tất cả các đáp án trên\n}",
        item(
            "Chọn phát biểu đúng.",
            Body::SingleChoice {
                options: vec![
                    option("A sai", "0"),
                    option("B sai", "0"),
                    option("C đúng", "100"),
                    Choice { pinned: true, ..option("Tất cả các đáp án trên", "0") },
                ],
            },
            |i| {
                i.name = Some("HH-09".to_owned());
                i.meta.level = Some(Level::VanDungCao);
                i.meta.points = Some(MilliPoints::from_milli(250));
                i.group = Some("Bài đọc 1".to_owned());
            },
        ),
    );
    check(
        "// pin: c, d\nCâu nào đúng? {~%50%a ~%50%b ~c ~d}",
        item(
            "Câu nào đúng?",
            Body::MultipleResponse {
                options: vec![
                    option("a", "50"),
                    option("b", "50"),
                    Choice { pinned: true, ..option("c", "0") },
                    Choice { pinned: true, ..option("d", "0") },
                ],
            },
            same,
        ),
    );
    check(
        "// scoring: four-char\nĐộ lớn gia tốc (m/s²) là {#2,5}",
        item(
            "Độ lớn gia tốc (m/s²) là",
            Body::Numeric { answers: vec![exact("2.5", "0", "100")], four_char_rule: true },
            same,
        ),
    );
    check(
        "// scoring: Case Sensitive\nKí hiệu của đơn vị niutơn là {=N}",
        item(
            "Kí hiệu của đơn vị niutơn là",
            Body::ShortText { answers: vec![accepted("N", "100")], case_sensitive: true },
            same,
        ),
    );
    let Body::Matching { scoring, .. } = import_one("// scoring: all-or-nothing\nGhép. {=a -> 1 =b -> 2}").body else {
        panic!("matching expected")
    };
    assert_eq!(scoring, MatchScoring::AllOrNothing);
}

#[test]
fn categories_set_category_and_topic_until_the_next_one() {
    let items = import_clean(concat!(
        "$CATEGORY: $course$/top/Vật lí 10/Động học chất điểm\n\n",
        "Câu 1 {T}\n\n",
        "// topic: Chuyển động thẳng đều\n",
        "Câu 2 {T}\n\n",
        "// topic:\n",
        "Câu 3 {T}\n\n",
        "$CATEGORY: Hóa học 10/Nguyên tử/\n",
        "Câu 4 {F}\n\n",
        "$CATEGORY:\n\n",
        "Câu 5 {F}\n",
    ));
    let meta: Vec<_> = items.iter().map(|i| (i.meta.category.as_deref(), i.meta.topic.as_deref())).collect();
    assert_eq!(
        meta,
        [
            (Some("$course$/top/Vật lí 10/Động học chất điểm"), Some("Động học chất điểm")),
            (Some("$course$/top/Vật lí 10/Động học chất điểm"), Some("Chuyển động thẳng đều")),
            (Some("$course$/top/Vật lí 10/Động học chất điểm"), None),
            (Some("Hóa học 10/Nguyên tử/"), Some("Nguyên tử")),
            (None, None),
        ]
    );
}

#[test]
fn comments_not_directly_above_do_not_apply() {
    let items = import_clean("// level: Biết\n\nCâu 1 {T}\n\n// level: Hiểu\n$CATEGORY: Toán 11\n\nCâu 2 {T}");
    assert!(items.iter().all(|i| i.meta.level.is_none()), "{items:#?}");
}

#[test]
fn text_is_stored_as_nfc_and_sources_name_the_first_question_line() {
    // "Tiếng Việt" typed with combining marks, as some IMEs and Word produce it.
    let decomposed = "Tie\u{0302}\u{0301}ng Vie\u{0323}\u{0302}t {=Tie\u{0302}\u{0301}ng Vie\u{0323}\u{0302}t}";
    let report = gift::import("nfd.gift", &format!("// level: Biết\n// points: 1\n\n\n// level: Hiểu\n{decomposed}"));
    let item = &report.items[0];
    assert_eq!(item.stem, "Tiếng Việt");
    assert_eq!(item.body, Body::ShortText { answers: vec![accepted("Tiếng Việt", "100")], case_sensitive: false });
    assert_eq!(item.meta.source.as_ref().map(|s| (s.file.as_str(), s.line)), Some(("nfd.gift", 6)));
    assert_eq!(item.meta.level, Some(Level::Hieu));
    assert_eq!(item.meta.points, None);
}

#[test]
fn moodle_export_style_with_empty_feedback_markers() {
    let items = import_clean(concat!(
        "// question: 0  name: Switch category to $course$/top/Vật lí 10\n",
        "$CATEGORY: $course$/top/Vật lí 10\n\n\n",
        "// question: 101  name: VL-20\n",
        "::VL-20::[html]Tốc độ âm thanh trong không khí khoảng bao nhiêu m/s?{#\n",
        "\t=%100%340:10#\n\t=%50%300..400#\n}\n\n\n",
        "// question: 102  name: VL-21\n",
        "::VL-21::[html]Đơn vị của điện trở là gì?{\n\t=%100%ôm#\n\t=%100%Ω#\n}\n\n",
        "// question: 103  name: VL-22\n",
        "::VL-22::[html]Chọn đáp án đúng.{\n\t=Vôn kế mắc song song#\n\t~%-50%Vôn kế mắc nối tiếp#Sai vì điện trở lớn.\n}\n",
    ));
    assert_eq!(items.len(), 3);
    assert_eq!(items[0].body, numeric(vec![exact("340", "10", "100"), range("300", "400", "50")]));
    assert_eq!(items[0].format, TextFormat::Html);
    assert_eq!(items[0].meta.topic.as_deref(), Some("Vật lí 10"));
    assert_eq!(
        items[1].body,
        Body::ShortText { answers: vec![accepted("ôm", "100"), accepted("Ω", "100")], case_sensitive: false }
    );
    assert_eq!(
        items[2].body,
        Body::SingleChoice {
            options: vec![
                option("Vôn kế mắc song song", "100"),
                with_feedback(option("Vôn kế mắc nối tiếp", "-50"), "Sai vì điện trở lớn."),
            ]
        }
    );
}
