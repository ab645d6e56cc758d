//! Exports: the example file goes out and comes back unchanged, and every item the template
//! cannot express is listed in `skipped` with its reason instead of being dropped or bent.

use super::{EXAMPLE_CSV, items_without_errors, without_source};
use crate::template::{export_csv, export_xlsx, import_csv, import_xlsx};
use phongthi_items::{
    Body, Choice, ClusterTable, Fraction, Image, Item, MatchPair, MatchScoring, NumericAnswer, NumericValue,
    TextAnswer, TextFormat,
};
use rust_decimal::Decimal;

fn example_items() -> Vec<Item> {
    items_without_errors(import_csv("questions.csv", EXAMPLE_CSV))
}

#[test]
fn example_round_trips_through_csv_and_xlsx() {
    let items = example_items();
    let csv = export_csv(&items);
    assert!(csv.skipped.is_empty(), "{:?}", csv.skipped);
    assert!(csv.text.starts_with(
        "\u{FEFF}subject,grade,topic,level,kind,stem,a,b,c,d,e,f,answer,tolerance,pin,points,name,tags,author,four_char\r\n"
    ));
    assert!(csv.text.contains(",\"4,5\",0.05,"), "numeric key with a decimal comma: {}", csv.text);
    let again = items_without_errors(import_csv("export.csv", csv.text.as_bytes()));
    assert_eq!(without_source(again), without_source(items.clone()));

    let xlsx = export_xlsx(&items).unwrap();
    assert!(xlsx.skipped.is_empty());
    let again = items_without_errors(import_xlsx("export.xlsx", &xlsx.bytes));
    assert_eq!(again[0].meta.source.as_ref().unwrap().line, 2);
    assert_eq!(without_source(again), without_source(items));
}

fn single_choice() -> Item {
    let mut item = example_items().remove(0);
    item.meta.source = None;
    item
}

fn choice(text: &str, fraction: Fraction) -> Choice {
    Choice { text: text.to_owned(), fraction, pinned: false, feedback: None }
}

/// Exports `item` between two exportable ones and checks that exactly it is skipped, for a
/// reason containing `why`, by both exporters.
fn check_skipped(item: Item, why: &str) {
    let items = vec![single_choice(), item, single_choice()];
    let csv = export_csv(&items);
    assert_eq!(csv.skipped.len(), 1, "{:?}", csv.skipped);
    assert_eq!(csv.skipped[0].index, 1);
    assert!(csv.skipped[0].reason.contains(why), "{:?} should contain {why:?}", csv.skipped[0].reason);
    assert!(csv.skipped[0].reason.contains(" / "), "bilingual");
    assert_eq!(items_without_errors(import_csv("e.csv", csv.text.as_bytes())).len(), 2);
    let xlsx = export_xlsx(&items).unwrap();
    assert_eq!(xlsx.skipped, csv.skipped);
}

#[test]
fn what_the_template_cannot_express_is_skipped() {
    let half = Fraction::from_raw(5_000_000).unwrap();
    let with = |change: &dyn Fn(&mut Item)| {
        let mut item = single_choice();
        change(&mut item);
        item
    };
    let cases: Vec<(Item, &str)> = vec![
        (
            Item::new(
                "Ghép chất với công thức",
                Body::Matching {
                    pairs: vec![
                        MatchPair { prompt: "Nước".to_owned(), answer: "H₂O".to_owned() },
                        MatchPair { prompt: "Muối ăn".to_owned(), answer: "NaCl".to_owned() },
                    ],
                    distractors: vec![],
                    scoring: MatchScoring::PerPair,
                },
            ),
            "matching items",
        ),
        (Item::new("Đọc đoạn văn sau.", Body::Description), "descriptions"),
        (with(&|i| i.stem_tail = Some("là số nguyên tố.".to_owned())), "text after the blank"),
        (with(&|i| i.format = TextFormat::Html), "another text format"),
        (with(&|i| i.general_feedback = Some("Xem lại định nghĩa.".to_owned())), "general feedback"),
        (with(&|i| i.images = vec![Image { name: "h1.png".to_owned(), bytes: vec![1, 2] }]), "images"),
        (with(&|i| i.group = Some("Nhóm 1".to_owned())), "group"),
        (with(&|i| i.meta.tags = vec!["a;b".to_owned()]), "tags column"),
        (with(&|i| i.meta.grade = Some(13)), "grade"),
        (with(&|i| i.stem = String::new()), "invalid item"),
        (
            with(&|i| {
                if let Body::SingleChoice { options } = &mut i.body {
                    options[2].fraction = half;
                }
            }),
            "partial credit",
        ),
        (
            with(&|i| {
                if let Body::SingleChoice { options } = &mut i.body {
                    options[0].feedback = Some("Sai vì…".to_owned());
                }
            }),
            "an option has feedback",
        ),
        (
            Item::new(
                "Chọn các số chẵn:",
                Body::MultipleResponse {
                    options: vec![choice("2", half), choice("4", half), choice("5", Fraction::ZERO)],
                },
            ),
            "own credit fractions",
        ),
        (
            Item::new(
                "Chọn số lớn nhất:",
                Body::SingleChoice {
                    options: (1..=7)
                        .map(|n| choice(&n.to_string(), if n == 7 { Fraction::ONE } else { Fraction::ZERO }))
                        .collect(),
                },
            ),
            "at most 6 columns",
        ),
        (
            Item::new(
                "Xét tính đúng sai:",
                Body::TrueFalseCluster {
                    statements: ["p", "q", "r", "s"]
                        .map(|t| phongthi_items::Statement { text: t.to_owned(), correct: true })
                        .to_vec(),
                    table: ClusterTable::new(
                        [2_500_000, 5_000_000, 7_500_000, 10_000_000].map(|r| Fraction::from_raw(r).unwrap()).to_vec(),
                    )
                    .unwrap(),
                },
            ),
            "own credit table",
        ),
        (
            Item::new(
                "Kí hiệu hóa học của natri?",
                Body::ShortText {
                    answers: vec![TextAnswer { text: "Na".to_owned(), fraction: Fraction::ONE }],
                    case_sensitive: true,
                },
            ),
            "case-sensitive",
        ),
        (
            Item::new(
                "Kí hiệu hóa học của natri?",
                Body::ShortText {
                    answers: vec![
                        TextAnswer { text: "Na".to_owned(), fraction: Fraction::ONE },
                        TextAnswer { text: "N".to_owned(), fraction: half },
                    ],
                    case_sensitive: false,
                },
            ),
            "partial-credit answers",
        ),
        (
            Item::new(
                "Kí hiệu?",
                Body::ShortText {
                    answers: vec![TextAnswer { text: "Na|K".to_owned(), fraction: Fraction::ONE }],
                    case_sensitive: false,
                },
            ),
            "holds |",
        ),
        (numeric(vec![NumericValue::Range { min: Decimal::new(98, 1), max: Decimal::new(99, 1) }], false), "range"),
        (
            numeric(
                vec![
                    NumericValue::Exact { value: Decimal::new(98, 1), tolerance: Decimal::ZERO },
                    NumericValue::Exact { value: Decimal::new(10, 0), tolerance: Decimal::ZERO },
                ],
                false,
            ),
            "2 accepted answers",
        ),
        (
            numeric(vec![NumericValue::Exact { value: Decimal::new(12345, 0), tolerance: Decimal::ZERO }], true),
            "4-character rule",
        ),
    ];
    for (item, why) in cases {
        check_skipped(item, why);
    }
}

fn numeric(values: Vec<NumericValue>, four_char_rule: bool) -> Item {
    let answers = values.into_iter().map(|value| NumericAnswer { value, fraction: Fraction::ONE }).collect();
    Item::new("Gia tốc rơi tự do g (m/s²)?", Body::Numeric { answers, four_char_rule })
}

#[test]
fn four_char_is_written_only_when_it_differs_from_the_key() {
    let cases = [
        (Decimal::new(45, 1), true, ""),
        (Decimal::new(45, 1), false, "0"),
        (Decimal::new(1275, 2), false, ""),
        (Decimal::new(1000, 3), true, "1"),
    ];
    for (value, rule, expected) in cases {
        let item = numeric(vec![NumericValue::Exact { value, tolerance: Decimal::ZERO }], rule);
        let text = export_csv(std::slice::from_ref(&item)).text;
        let row = text.lines().nth(1).unwrap();
        assert!(row.ends_with(&format!(",{expected}")), "{row}");
        let again = items_without_errors(import_csv("e.csv", text.as_bytes()));
        assert_eq!(without_source(again), vec![item]);
    }
}

#[test]
fn xlsx_skips_cells_longer_than_excel_allows() {
    let mut long = single_choice();
    long.stem = "Rất dài. ".repeat(4000);
    let xlsx = export_xlsx(&[single_choice(), long.clone()]).unwrap();
    assert_eq!(xlsx.skipped.len(), 1);
    assert_eq!(xlsx.skipped[0].index, 1);
    assert!(xlsx.skipped[0].reason.contains("32767"));
    assert_eq!(items_without_errors(import_xlsx("e.xlsx", &xlsx.bytes)).len(), 1);
    // CSV has no such limit.
    assert!(export_csv(&[long]).skipped.is_empty());
}
