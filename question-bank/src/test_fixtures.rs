//! Vietnamese items and blueprints shared by the unit tests of blueprint, assembly, forms,
//! scoring and exam: the twelve questions of `examples/questions.csv` built in Rust, a 2025-format
//! Mathematics bank, and a few Vật lí / Hóa học items with partial credit.

use crate::assembly::Candidate;
use crate::blueprint::Blueprint;
use phongthi_items::{
    Body, Choice, ClusterTable, Fraction, Item, ItemId, Level, MatchPair, MatchScoring, Metadata, NumericAnswer,
    NumericValue, Statement, TextAnswer,
};
use rust_decimal::Decimal;
use std::str::FromStr;

pub(crate) const EXAMPLE_BLUEPRINT: &str = include_str!("../../examples/blueprint.toml");
pub(crate) const EXAMPLE_SHEETS: &str = include_str!("../../examples/sheets.csv");

pub(crate) fn decimal(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

pub(crate) fn percent(text: &str) -> Fraction {
    Fraction::parse_percent(text).unwrap()
}

pub(crate) fn meta(subject: &str, grade: u8, topic: &str, level: Level) -> Metadata {
    Metadata {
        subject: Some(subject.to_owned()),
        grade: Some(grade),
        topic: Some(topic.to_owned()),
        level: Some(level),
        ..Metadata::default()
    }
}

pub(crate) fn option(text: &str, fraction: Fraction, pinned: bool) -> Choice {
    Choice { text: text.to_owned(), fraction, pinned, feedback: None }
}

/// A single-choice item; `correct` and `pinned` are authored indices.
pub(crate) fn single_choice(
    topic: &str,
    level: Level,
    stem: &str,
    options: &[&str],
    correct: usize,
    pinned: &[usize],
) -> Item {
    let options = options
        .iter()
        .enumerate()
        .map(|(i, text)| option(text, if i == correct { Fraction::ONE } else { Fraction::ZERO }, pinned.contains(&i)))
        .collect();
    let mut item = Item::new(stem, Body::SingleChoice { options });
    item.meta = meta("Toán", 10, topic, level);
    item
}

pub(crate) fn multiple_response(topic: &str, level: Level, stem: &str, options: &[(&str, &str)]) -> Item {
    let options = options.iter().map(|(text, pct)| option(text, percent(pct), false)).collect();
    let mut item = Item::new(stem, Body::MultipleResponse { options });
    item.meta = meta("Toán", 10, topic, level);
    item
}

/// A four-statement cluster from `ĐSĐS`-style truth marks.
pub(crate) fn cluster(topic: &str, level: Level, stem: &str, statements: &[&str], truth: &str) -> Item {
    let statements: Vec<Statement> = statements
        .iter()
        .zip(truth.chars())
        .map(|(text, mark)| Statement { text: (*text).to_owned(), correct: mark == 'Đ' })
        .collect();
    let table = ClusterTable::default_for(statements.len());
    let mut item = Item::new(stem, Body::TrueFalseCluster { statements, table });
    item.meta = meta("Toán", 10, topic, level);
    item
}

pub(crate) fn numeric(topic: &str, level: Level, stem: &str, value: &str, tolerance: &str) -> Item {
    let answers = vec![NumericAnswer {
        value: NumericValue::Exact { value: decimal(value), tolerance: decimal(tolerance) },
        fraction: Fraction::ONE,
    }];
    let mut item = Item::new(stem, Body::Numeric { answers, four_char_rule: true });
    item.meta = meta("Toán", 10, topic, level);
    item
}

pub(crate) fn short_text(topic: &str, level: Level, stem: &str, accepted: &[&str]) -> Item {
    let answers = accepted.iter().map(|a| TextAnswer { text: (*a).to_owned(), fraction: Fraction::ONE }).collect();
    let mut item = Item::new(stem, Body::ShortText { answers, case_sensitive: false });
    item.meta = meta("Toán", 10, topic, level);
    item
}

pub(crate) fn candidate(id: i64, item: Item) -> Candidate {
    Candidate { id: ItemId::new(id), item, usage_count: 0 }
}

/// The twelve rows of `examples/questions.csv`, ids 1..=12 in file order.
pub(crate) fn toan10_items() -> Vec<Item> {
    use Level::*;
    vec![
        single_choice(
            "Mệnh đề",
            Biet,
            "Câu nào sau đây là một mệnh đề?",
            &["Hôm nay trời đẹp quá!", "$2 + 3 = 6$", "Bạn có khỏe không?", "$x > 1$"],
            1,
            &[],
        ),
        single_choice(
            "Mệnh đề",
            Biet,
            "Phủ định của mệnh đề \"$\\forall x \\in \\mathbb{R}, x^2 \\ge 0$\" là",
            &[
                "$\\exists x \\in \\mathbb{R}, x^2 < 0$",
                "$\\forall x \\in \\mathbb{R}, x^2 < 0$",
                "$\\exists x \\in \\mathbb{R}, x^2 \\le 0$",
                "$\\forall x \\in \\mathbb{R}, x^2 > 0$",
            ],
            0,
            &[],
        ),
        single_choice(
            "Mệnh đề",
            Hieu,
            "Mệnh đề nào sau đây đúng?",
            &["$\\sqrt{2}$ là số hữu tỉ", "$5$ là số chẵn", "$7$ là số nguyên tố", "$1 > 2$"],
            2,
            &[],
        ),
        single_choice(
            "Tập hợp",
            Biet,
            "Cho $A = \\{1; 2; 3\\}$. Khẳng định nào đúng?",
            &["$1 \\notin A$", "$\\{1\\} \\in A$", "$\\{1; 2\\} \\subset A$", "$4 \\in A$"],
            2,
            &[],
        ),
        single_choice(
            "Tập hợp",
            Hieu,
            "Số tập con của tập hợp có 3 phần tử là",
            &["3", "6", "8", "Tất cả các đáp án trên đều sai"],
            2,
            &[3],
        ),
        single_choice(
            "Tập hợp",
            Hieu,
            "Cho $A = [1; 5]$ và $B = (3; 7)$. Tập $A \\cap B$ là",
            &["$(3; 5]$", "$[1; 7)$", "$[3; 5]$", "$(1; 3)$"],
            0,
            &[],
        ),
        cluster(
            "Tập hợp",
            VanDung,
            "Cho các tập hợp $A = \\{x \\in \\mathbb{N} \\mid x < 4\\}$ và $B = \\{2; 3; 4\\}$. Xét tính đúng sai của các khẳng định sau:",
            &[
                "$A = \\{0; 1; 2; 3\\}$",
                "$A \\cap B = \\{2; 3\\}$",
                "$A \\cup B$ có 4 phần tử",
                "$B \\setminus A = \\{4\\}$",
            ],
            "ĐĐSĐ",
        ),
        cluster(
            "Mệnh đề",
            VanDung,
            "Cho mệnh đề $P$: \"$\\exists x \\in \\mathbb{Z}, x^2 = 2$\". Xét tính đúng sai:",
            &[
                "$P$ là mệnh đề sai",
                "Phủ định của $P$ là \"$\\forall x \\in \\mathbb{Z}, x^2 \\ne 2$\"",
                "$\\overline{P}$ là mệnh đề sai",
                "$x = \\sqrt{2}$ làm $P$ đúng",
            ],
            "ĐĐSS",
        ),
        numeric("Mệnh đề", VanDung, "Có bao nhiêu số nguyên $x$ thỏa mãn $|x| < 2{,}5$?", "5", "0"),
        numeric(
            "Tập hợp",
            VanDung,
            "Cho $A = [-3; 1{,}5]$. Tính độ dài của đoạn $A$ (làm tròn đến hàng phần mười).",
            "4.5",
            "0.05",
        ),
        short_text("Tập hợp", Biet, "Tập hợp không có phần tử nào gọi là tập gì?", &["rỗng", "tập rỗng"]),
        multiple_response(
            "Mệnh đề",
            Hieu,
            "Chọn các mệnh đề đúng:",
            &[
                ("$2 \\in \\mathbb{N}$", "50"),
                ("$-1 \\in \\mathbb{N}$", "-50"),
                ("$\\pi \\in \\mathbb{Q}$", "-50"),
                ("$0 \\in \\mathbb{Z}$", "50"),
            ],
        ),
    ]
}

/// The bank of `examples/questions.csv` as candidates with ids 1..=12.
pub(crate) fn toan10_bank() -> Vec<Candidate> {
    toan10_items().into_iter().zip(1..).map(|(item, id)| candidate(id, item)).collect()
}

pub(crate) fn example_blueprint() -> Blueprint {
    Blueprint::parse("blueprint.toml", EXAMPLE_BLUEPRINT).unwrap()
}

/// A 2025 graduation-format Mathematics paper: 12 × 0.25 + 4 × 1.0 + 6 × 0.5 = 10 points.
pub(crate) const TOAN12_BLUEPRINT: &str = r#"
title = "Đề minh họa tốt nghiệp THPT 2025 — Toán"
subject = "Toán"
grade = 12
duration_minutes = 90

[forms]
count = 24
code_start = 101

[[part]]
name = "PHẦN I. Câu trắc nghiệm nhiều phương án lựa chọn"
kind = "single_choice"
points_each = 0.25
cells = [
  { topic = "Ứng dụng đạo hàm", level = "Biết", count = 4 },
  { topic = "Nguyên hàm và tích phân", level = "Biết", count = 4 },
  { topic = "Xác suất", level = "Hiểu", count = 4 },
]

[[part]]
name = "PHẦN II. Câu trắc nghiệm đúng sai"
kind = "true_false_cluster"
points_each = 1.0
cluster_table = [10, 25, 50, 100]
cells = [
  { topic = "Ứng dụng đạo hàm", level = "Vận dụng", count = 2 },
  { topic = "Xác suất", level = "Vận dụng", count = 2 },
]

[[part]]
name = "PHẦN III. Câu trắc nghiệm trả lời ngắn"
kind = "numeric"
points_each = "0,5"
cells = [
  { topic = "Nguyên hàm và tích phân", level = "Vận dụng", count = 3 },
  { topic = "Xác suất", level = "Vận dụng cao", count = 3 },
]
"#;

/// Items for [`TOAN12_BLUEPRINT`] with two spare items per cell, ids from 1001.
pub(crate) fn toan12_bank() -> Vec<Candidate> {
    let mut items = Vec::new();
    let topics =
        [("Ứng dụng đạo hàm", Level::Biet), ("Nguyên hàm và tích phân", Level::Biet), ("Xác suất", Level::Hieu)];
    for (topic, level) in topics {
        for k in 0..6usize {
            let pinned: &[usize] = if k % 3 == 0 { &[3] } else { &[] };
            let last = if pinned.is_empty() { format!("${}$", k + 9) } else { "Cả ba phương án trên".to_owned() };
            let options = [format!("${}$", k + 1), format!("${}$", k + 2), format!("${}$", 2 * k + 3), last];
            let options: Vec<&str> = options.iter().map(String::as_str).collect();
            items.push(single_choice(topic, level, &format!("{topic}: câu hỏi số {k}?"), &options, k % 3, pinned));
        }
    }
    for topic in ["Ứng dụng đạo hàm", "Xác suất"] {
        for (k, truth) in ["ĐSĐS", "SSĐĐ", "ĐĐĐS", "SĐSĐ"].iter().enumerate() {
            let statements = ["Ý a) đúng", "Ý b) sai", "Ý c) cần xét", "Ý d) kết luận"];
            items.push(cluster(
                topic,
                Level::VanDung,
                &format!("{topic}: xét tính đúng sai ({k})"),
                &statements,
                truth,
            ));
        }
    }
    for (topic, level) in [("Nguyên hàm và tích phân", Level::VanDung), ("Xác suất", Level::VanDungCao)] {
        for (k, value) in ["-1.5", "75", "0.25", "12", "2.5"].iter().enumerate() {
            items.push(numeric(topic, level, &format!("{topic}: tính giá trị ({k})"), value, "0"));
        }
    }
    for item in &mut items {
        item.meta.grade = Some(12);
    }
    items.into_iter().zip(1001..).map(|(item, id)| candidate(id, item)).collect()
}

/// Vật lí and Hóa học items covering the remaining kinds (true/false, matching, essay).
pub(crate) fn science_items() -> Vec<Item> {
    let mut true_false = Item::new(
        "Trong chân không, ánh sáng truyền với tốc độ xấp xỉ $3 \\cdot 10^8$ m/s.",
        Body::TrueFalse { answer: true },
    );
    true_false.meta = meta("Vật lí", 11, "Sóng ánh sáng", Level::Biet);
    let mut matching = Item::new(
        "Ghép mỗi chất với công thức hóa học của nó:",
        Body::Matching {
            pairs: vec![
                MatchPair { prompt: "Nước".to_owned(), answer: "H₂O".to_owned() },
                MatchPair { prompt: "Muối ăn".to_owned(), answer: "NaCl".to_owned() },
                MatchPair { prompt: "Khí cacbonic".to_owned(), answer: "CO₂".to_owned() },
            ],
            distractors: vec!["NaOH".to_owned()],
            scoring: MatchScoring::PerPair,
        },
    );
    matching.meta = meta("Hóa học", 10, "Chất và công thức", Level::Biet);
    let mut essay = Item::new("Trình bày hiện tượng khi cho đinh sắt vào dung dịch $CuSO_4$.", Body::Essay);
    essay.meta = meta("Hóa học", 12, "Kim loại", Level::Hieu);
    vec![true_false, matching, essay]
}

/// A test built directly (no blueprint): one part per `(points in milli, items)`, ids from 1.
pub(crate) fn test_of(parts: Vec<(i64, Vec<Item>)>) -> crate::assembly::Test {
    use crate::assembly::{Test, TestPart};
    use phongthi_items::MilliPoints;
    let mut next_id = 1;
    let mut items = std::collections::BTreeMap::new();
    let parts = parts
        .into_iter()
        .enumerate()
        .map(|(index, (points, part_items))| {
            let kind = part_items[0].kind();
            let ids = part_items
                .into_iter()
                .map(|item| {
                    let id = ItemId::new(next_id);
                    next_id += 1;
                    items.insert(id, item);
                    id
                })
                .collect();
            TestPart {
                name: format!("Phần {}", index + 1),
                kind,
                points_each: MilliPoints::from_milli(points),
                items: ids,
            }
        })
        .collect();
    Test {
        title: "Kiểm tra".to_owned(),
        subject: "Toán".to_owned(),
        grade: 10,
        duration_minutes: 45,
        scale: MilliPoints::from_milli(10_000),
        rounding_step: MilliPoints::from_milli(100),
        parts,
        items,
    }
}

/// `count` four-option single-choice items without pins, the correct option cycling A–D.
pub(crate) fn plain_choices(count: usize) -> Vec<Item> {
    (0..count)
        .map(|k| {
            let options = [format!("${k}$"), format!("${}$", k + 1), format!("${}$", k + 2), format!("${}$", k + 3)];
            let options: Vec<&str> = options.iter().map(String::as_str).collect();
            single_choice("Hàm số", Level::Biet, &format!("Câu hỏi {k}: chọn giá trị đúng."), &options, k % 4, &[])
        })
        .collect()
}

/// A form question showing `item` as authored (no shuffling).
pub(crate) fn authored_question(id: i64, item: &Item, part: usize, points: i64) -> crate::forms::FormQuestion {
    let count = match &item.body {
        Body::SingleChoice { options } | Body::MultipleResponse { options } => options.len(),
        Body::Matching { pairs, distractors, .. } => pairs.len() + distractors.len(),
        _ => 0,
    };
    crate::forms::FormQuestion {
        item: ItemId::new(id),
        part,
        points: phongthi_items::MilliPoints::from_milli(points),
        option_order: (0..count as u8).collect(),
    }
}
