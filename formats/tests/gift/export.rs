//! The exporter: the text it writes, what it refuses, and awkward content that must survive
//! export → import.

use super::{decimal, import_clean, option, percent};
use phongthi_formats::gift;
use phongthi_items::{
    Body, Choice, ClusterTable, Image, Item, Level, MatchPair, MatchScoring, MilliPoints, NumericAnswer, NumericValue,
    Statement, TextAnswer, TextFormat,
};

/// `items` must export without skips and import back equal.
fn check_round_trip(items: &[Item]) {
    let exported = gift::export(items);
    assert!(exported.skipped.is_empty(), "{:?}", exported.skipped);
    assert_eq!(import_clean(&exported.text), items, "exported:\n{}", exported.text);
}

#[test]
fn writes_categories_conventions_escapes_and_exact_numbers() {
    let source = concat!(
        "$CATEGORY: Vật lí 10/Động học\n\n",
        "// level: biet\n// points: 0,25\n// pin: d\n",
        "::VL-01:: Đơn vị của vận tốc trong hệ SI là gì? Gợi ý\\: \\{dài\\}/\\{thời gian\\} {\n",
        "=m/s #Đúng.\n~%50%km/h #Chưa phải đơn vị SI.\n~m/s²\n~Không có đáp án nào ở trên\n}\n\n",
        "::VL-02:: Gia tốc rơi tự do $g$ (m/s²) là {#9,8:0,1}\n\n",
        "Chọn các đại lượng vectơ. {~%50%Vận tốc ~%50%Lực ~%-33,33333%Khối lượng}\n\n",
        "$CATEGORY: Hóa học 10\n\n",
        "::HH-01:: Nguyên tử gồm hạt nhân và vỏ electron. {TRUE####Khối lượng tập trung ở hạt nhân.}\n\n",
        "$CATEGORY:\n\n",
        "[html]<p>Trình bày <i>định luật bảo toàn khối lượng</i>.</p> {}\n",
    );
    let expected = concat!(
        "$CATEGORY: Vật lí 10/Động học\n\n",
        "// level: Biết\n// points: 0.25\n// pin: D\n",
        "::VL-01:: Đơn vị của vận tốc trong hệ SI là gì? Gợi ý: \\{dài\\}/\\{thời gian\\} {\n",
        "  =m/s #Đúng.\n  ~%50%km/h #Chưa phải đơn vị SI.\n  ~m/s²\n  ~Không có đáp án nào ở trên\n}\n\n",
        "::VL-02:: Gia tốc rơi tự do $g$ (m/s²) là {#9.8:0.1}\n\n",
        "Chọn các đại lượng vectơ. {\n  ~%50%Vận tốc\n  ~%50%Lực\n  ~%-33.33333%Khối lượng\n}\n\n",
        "$CATEGORY: Hóa học 10\n\n",
        "::HH-01:: Nguyên tử gồm hạt nhân và vỏ electron. {T####Khối lượng tập trung ở hạt nhân.}\n\n",
        "$CATEGORY:\n\n",
        "[html]<p>Trình bày <i>định luật bảo toàn khối lượng</i>.</p> {}\n",
    );
    let items = import_clean(source);
    let exported = gift::export(&items);
    assert!(exported.skipped.is_empty());
    assert_eq!(exported.text, expected);
    assert_eq!(import_clean(&exported.text), items);
}

#[test]
fn what_gift_cannot_hold_is_skipped_with_a_reason() {
    let fine = Item::new("Nước là hợp chất.", Body::TrueFalse { answer: true });
    let cluster = Item::new(
        "Cho phản ứng $2H_2 + O_2 \\to 2H_2O$. Xét các phát biểu:",
        Body::TrueFalseCluster {
            statements: vec![
                Statement { text: "Phản ứng tỏa nhiệt.".to_owned(), correct: true },
                Statement { text: "Hiđro là chất oxi hóa.".to_owned(), correct: false },
            ],
            table: ClusterTable::default_for(2),
        },
    );
    let mut with_image = Item::new("Quan sát hình: <img src=\"@@PLUGINFILE@@/mach.png\">", Body::Essay);
    with_image.images.push(Image { name: "mach.png".to_owned(), bytes: vec![0x89, b'P', b'N', b'G'] });
    let invalid = Item::new("   ", Body::Essay);
    let arrow_answer = Item::new(
        "Viết sơ đồ phản ứng:",
        Body::ShortText {
            answers: vec![TextAnswer { text: "H2 + Cl2 -> 2HCl".to_owned(), fraction: percent("100") }],
            case_sensitive: false,
        },
    );
    let mut description_with_feedback = Item::new("Đọc đoạn văn sau.", Body::Description);
    description_with_feedback.general_feedback = Some("Không có đáp án.".to_owned());
    let mut negative_points = fine.clone();
    negative_points.meta.points = Some(MilliPoints::from_milli(-500));
    let mut category_on_two_lines = fine.clone();
    category_on_two_lines.meta.category = Some("Toán 10\nĐại số".to_owned());

    let items = [
        fine.clone(),
        cluster,
        with_image,
        invalid,
        arrow_answer,
        description_with_feedback,
        negative_points,
        category_on_two_lines,
        fine,
    ];
    let exported = gift::export(&items);
    let skipped: Vec<usize> = exported.skipped.iter().map(|skip| skip.index).collect();
    assert_eq!(skipped, [1, 2, 3, 4, 5, 6, 7]);
    for skip in &exported.skipped {
        assert!(skip.reason.contains(" / "), "reason should be Vietnamese / English: {}", skip.reason);
    }
    assert!(exported.skipped[0].reason.contains("true/false cluster"));
    assert!(exported.skipped[1].reason.contains("image"));
    assert_eq!(import_clean(&exported.text).len(), 2);
}

#[test]
fn awkward_text_survives_export_and_import() {
    let mut starts_like_a_tag = Item::new("[Hình 2] Lực nào cân bằng với trọng lực?", Body::Essay);
    starts_like_a_tag.name = Some("VL::07".to_owned());
    let starts_like_a_comment = Item::new("//comment? Không, đây là nội dung.", Body::TrueFalse { answer: false });
    let latex = Item::new(
        "Tính $\\nu = \\frac{c}{\\lambda}$ khi $c = 3 \\cdot 10^8$; kết thúc bằng \\",
        Body::Numeric {
            answers: vec![
                NumericAnswer {
                    value: NumericValue::Exact { value: decimal("-0.000125"), tolerance: decimal("0.0000005") },
                    fraction: percent("100"),
                },
                NumericAnswer {
                    value: NumericValue::Range { min: decimal("-1"), max: decimal("1") },
                    fraction: percent("12.5"),
                },
            ],
            four_char_rule: true,
        },
    );
    let percent_texts = Item::new(
        "$CATEGORY: không phải danh mục. Lãi suất 5%/năm thì sau 1 năm được:",
        Body::SingleChoice {
            options: vec![
                option("%5 tiền gốc", "100"),
                Choice { feedback: Some("#1 sai\ndòng 2".to_owned()), ..option("%0", "0") },
                Choice { pinned: true, ..option("50%", "-50") },
            ],
        },
    );
    let mut matching = Item::new(
        "Ghép:",
        Body::Matching {
            pairs: vec![
                MatchPair {
                    prompt: "$Fe$ + $HCl$ -".to_owned(), answer: "> muối sắt(II) -> khí $H_2$".to_owned()
                },
                MatchPair { prompt: "%Cu".to_owned(), answer: "không phản ứng".to_owned() },
            ],
            distractors: vec!["muối sắt(III)".to_owned()],
            scoring: MatchScoring::AllOrNothing,
        },
    );
    matching.stem_tail = Some("(2 cặp)".to_owned());
    let short = Item::new(
        "",
        Body::ShortText {
            answers: vec![
                TextAnswer { text: "%".to_owned(), fraction: percent("100") },
                TextAnswer { text: "phần trăm".to_owned(), fraction: percent("50") },
            ],
            case_sensitive: true,
        },
    );
    let mut short = short;
    short.stem_tail = Some("là kí hiệu phần trăm.".to_owned());
    short.format = TextFormat::Markdown;
    check_round_trip(&[starts_like_a_tag, starts_like_a_comment, latex, percent_texts, matching, short]);
}

#[test]
fn metadata_gift_lacks_travels_in_comments() {
    let mut items = Vec::new();
    for (category, topic, group) in [
        (Some("Toán 10/Hàm số"), Some("Hàm số"), None),
        (Some("Toán 10/Hàm số"), Some("Hàm số bậc hai"), Some("Bài đọc 1")),
        (Some("Toán 10/Hàm số"), None, None),
        (None, Some("Vectơ"), None),
        (None, None, None),
    ] {
        let mut item = Item::new("Đồ thị hàm số $y = x^2$ là parabol.", Body::TrueFalse { answer: true });
        item.meta.category = category.map(str::to_owned);
        item.meta.topic = topic.map(str::to_owned);
        item.group = group.map(str::to_owned);
        item.meta.level = Some(Level::Hieu);
        item.meta.points = Some(MilliPoints::from_milli(125));
        items.push(item);
    }
    check_round_trip(&items);
}
