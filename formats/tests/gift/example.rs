//! The data contract: `examples/toan10.gift` imports exactly as the README describes.

use super::{decimal, import_clean, option, percent};
use phongthi_formats::gift;
use phongthi_items::{Body, Choice, ItemKind, Level, MatchPair, MatchScoring, NumericAnswer, NumericValue, SourceRef};

const TOAN10: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/toan10.gift"));

#[test]
fn toan10_imports_seven_items_with_kinds_topics_levels_and_names() {
    let report = gift::import("toan10.gift", TOAN10);
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    let summary: Vec<_> = report
        .items
        .iter()
        .map(|item| {
            (
                item.name.as_deref().unwrap(),
                item.kind(),
                item.meta.topic.as_deref().unwrap(),
                item.meta.level.unwrap(),
                item.meta.source.clone().unwrap().line,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("MĐ-01", ItemKind::SingleChoice, "Mệnh đề", Level::Biet, 7),
            ("MĐ-02", ItemKind::TrueFalse, "Mệnh đề", Level::Hieu, 15),
            ("MĐ-03", ItemKind::Numeric, "Mệnh đề", Level::VanDung, 18),
            ("TH-01", ItemKind::SingleChoice, "Tập hợp", Level::Biet, 23),
            ("TH-02", ItemKind::MultipleResponse, "Tập hợp", Level::Hieu, 31),
            ("TH-03", ItemKind::Matching, "Tập hợp", Level::VanDung, 39),
            ("TH-04", ItemKind::Essay, "Tập hợp", Level::VanDungCao, 46),
        ]
    );
    assert_eq!(report.items[0].meta.category.as_deref(), Some("Toán 10/Mệnh đề"));
    assert_eq!(report.items[6].meta.category.as_deref(), Some("Toán 10/Tập hợp"));
    assert_eq!(report.items[0].meta.source, Some(SourceRef { file: "toan10.gift".to_owned(), line: 7 }));
}

#[test]
fn toan10_answers_fractions_and_latex_escapes() {
    let items = import_clean(TOAN10);

    assert_eq!(items[0].stem, "Trong các câu sau, câu nào là mệnh đề?");
    assert_eq!(
        items[0].body,
        Body::SingleChoice {
            options: vec![
                option("$3$ là số nguyên tố.", "100"),
                option("Bạn học lớp mấy?", "0"),
                option("Mấy giờ rồi?", "0"),
                option("Hãy đóng cửa lại!", "0"),
            ]
        }
    );

    assert_eq!(items[1].stem, r#"Mệnh đề "$\forall x \in \mathbb{R}, x^2 + 1 > 0$" là mệnh đề đúng."#);
    assert_eq!(items[1].body, Body::TrueFalse { answer: true });

    assert_eq!(
        items[2].body,
        Body::Numeric {
            answers: vec![NumericAnswer {
                value: NumericValue::Exact { value: decimal("6"), tolerance: decimal("0") },
                fraction: percent("100"),
            }],
            four_char_rule: false,
        }
    );

    let Body::SingleChoice { options } = &items[3].body else { panic!("TH-01 is single choice") };
    assert_eq!(
        options[0],
        Choice {
            text: r"$\in$".to_owned(),
            fraction: percent("0"),
            pinned: false,
            feedback: Some("Kí hiệu này chỉ phần tử.".to_owned()),
        }
    );
    assert_eq!(options[1], option(r"$\subset$", "100"));

    assert_eq!(items[4].stem, r"Chọn các số thuộc tập $\mathbb{N}$:");
    assert_eq!(
        items[4].body,
        Body::MultipleResponse {
            options: vec![
                option("$0$", "50"),
                option("$5$", "50"),
                option("$-1$", "-100"),
                option(r"$\frac{1}{2}$", "-100"),
            ]
        }
    );

    let pair = |prompt: &str, answer: &str| MatchPair { prompt: prompt.to_owned(), answer: answer.to_owned() };
    assert_eq!(
        items[5].body,
        Body::Matching {
            pairs: vec![pair(r"$\{1; 2\}$", "2"), pair(r"$\varnothing$", "0"), pair(r"$\{a; b; c\}$", "3")],
            distractors: vec![],
            scoring: MatchScoring::PerPair,
        }
    );

    assert_eq!(items[6].body, Body::Essay);
    assert_eq!(
        items[6].stem,
        r"Trình bày lời giải: chứng minh rằng $A \setminus (B \cup C) = (A \setminus B) \cap (A \setminus C)$."
    );
}

#[test]
fn toan10_with_bom_and_crlf_imports_the_same() {
    let windows = format!("\u{feff}{}", TOAN10.replace('\n', "\r\n"));
    let report = gift::import("toan10.gift", &windows);
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    assert_eq!(report.items, gift::import("toan10.gift", TOAN10).items);
}

#[test]
fn toan10_round_trips_through_the_exporter() {
    let items = import_clean(TOAN10);
    let exported = gift::export(&items);
    assert!(exported.skipped.is_empty(), "{:?}", exported.skipped);
    assert_eq!(import_clean(&exported.text), items, "exported:\n{}", exported.text);
}

const LY_HOA_10: &str = include_str!("ly-hoa-10.gift");

#[test]
fn physics_and_chemistry_fixture_imports_every_feature() {
    let report = gift::import("ly-hoa-10.gift", LY_HOA_10);
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    let summary: Vec<_> = report
        .items
        .iter()
        .map(|item| (item.name.as_deref().unwrap(), item.kind(), item.meta.topic.as_deref().unwrap()))
        .collect();
    assert_eq!(
        summary,
        [
            ("VL-01", ItemKind::SingleChoice, "Động học"),
            ("VL-02", ItemKind::Numeric, "Động học"),
            ("VL-03", ItemKind::Numeric, "Động học"),
            ("VL-04", ItemKind::SingleChoice, "Động học"),
            ("VL-05", ItemKind::TrueFalse, "Động lực học"),
            ("VL-06", ItemKind::Matching, "Động lực học"),
            ("HH-01", ItemKind::SingleChoice, "Nguyên tử"),
            ("HH-02", ItemKind::MultipleResponse, "Nguyên tử"),
            ("HH-03", ItemKind::ShortText, "Nguyên tử"),
            ("HH-04", ItemKind::Essay, "Nguyên tử"),
            ("HH-05", ItemKind::Description, "Nguyên tử"),
        ]
    );
    let items = &report.items;
    assert_eq!(items[2].stem, "Một ô tô tăng tốc từ 10 m/s lên 20 m/s trong 5 s.\nGia tốc của ô tô (m/s²) là");
    assert_eq!(items[2].general_feedback.as_deref(), Some(r"$a = \frac{v - v_0}{t}$"));
    assert_eq!(items[3].stem_tail.as_deref(), Some("tính từ lúc thả."));
    assert_eq!(items[8].stem_tail.as_deref(), Some("."));
    assert!(matches!(items[1].body, Body::Numeric { four_char_rule: true, .. }));
    assert!(
        matches!(items[5].body, Body::Matching { scoring: MatchScoring::AllOrNothing, ref distractors, .. } if distractors == &["W"])
    );
    assert!(matches!(&items[6].body, Body::SingleChoice { options } if options[3].pinned && !options[2].pinned));
    assert_eq!(items[0].meta.points.map(|p| p.to_string()).as_deref(), Some("0.25"));
    assert_eq!(items[4].format, phongthi_items::TextFormat::Markdown);
    assert_eq!(items[9].general_feedback.as_deref(), Some("Chú ý: bớt electron ở phân lớp 4s trước."));
    assert_eq!(items[10].meta.source.as_ref().map(|source| source.line), Some(69));

    let exported = gift::export(items);
    assert!(exported.skipped.is_empty());
    assert_eq!(import_clean(&exported.text), import_clean(LY_HOA_10), "exported:\n{}", exported.text);
}
