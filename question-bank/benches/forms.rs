//! Benchmarks for the performance targets of `performance.md`: generating 1,000 forms of a
//! 50-item test (shuffle, letter balance, keys) in under 100 ms, and scoring answer sheets of 50
//! items (100,000 in under 1 s).
//!
//! Run with `cargo bench -p phongthi-question-bank --bench forms`.

#![allow(clippy::expect_used)] // a benchmark binary: setup failures abort loudly

use criterion::{Criterion, criterion_group, criterion_main};
use phongthi_items::{
    Body, Choice, ClusterTable, Fraction, Item, ItemId, ItemKind, MilliPoints, NumericAnswer, NumericValue, Statement,
};
use phongthi_question_bank::assembly::{Test, TestPart};
use phongthi_question_bank::blueprint::FormSpec;
use phongthi_question_bank::exam::Exam;
use phongthi_question_bank::forms::{answer_key, make_forms};
use phongthi_question_bank::scoring::{Response, score_sheet};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::hint::black_box;

/// A 2025-style paper of 50 items: 40 single choice (every fourth with a pinned "all of the
/// above"), 4 true/false clusters and 6 numeric answers.
fn fifty_item_test() -> Test {
    let mut items = BTreeMap::new();
    let mut parts = Vec::new();
    let mut next_id = 1;
    let mut add = |items: &mut BTreeMap<ItemId, Item>, item: Item| {
        let id = ItemId::new(next_id);
        next_id += 1;
        items.insert(id, item);
        id
    };
    let choice = |k: usize| {
        let options = (0..4)
            .map(|i| Choice {
                text: format!("Phương án {i} của câu {k}"),
                fraction: if i == k % 3 { Fraction::ONE } else { Fraction::ZERO },
                pinned: i == 3 && k.is_multiple_of(4),
                feedback: None,
            })
            .collect();
        Item::new(format!("Câu {k}: chọn đáp án đúng."), Body::SingleChoice { options })
    };
    let single: Vec<ItemId> = (0..40).map(|k| add(&mut items, choice(k))).collect();
    parts.push(TestPart {
        name: "Phần I".to_owned(),
        kind: ItemKind::SingleChoice,
        points_each: MilliPoints::from_milli(250),
        items: single,
    });
    let cluster = |k: usize| {
        let statements =
            (0..4).map(|i| Statement { text: format!("Ý {i}"), correct: (i + k).is_multiple_of(2) }).collect();
        Item::new(format!("Chùm {k}"), Body::TrueFalseCluster { statements, table: ClusterTable::graduation_exam() })
    };
    let clusters: Vec<ItemId> = (0..4).map(|k| add(&mut items, cluster(k))).collect();
    parts.push(TestPart {
        name: "Phần II".to_owned(),
        kind: ItemKind::TrueFalseCluster,
        points_each: MilliPoints::from_milli(1000),
        items: clusters,
    });
    let numeric = |k: i64| {
        let answers = vec![NumericAnswer {
            value: NumericValue::Exact { value: Decimal::new(k * 5, 1), tolerance: Decimal::ZERO },
            fraction: Fraction::ONE,
        }];
        Item::new(format!("Tính giá trị {k}"), Body::Numeric { answers, four_char_rule: true })
    };
    let numerics: Vec<ItemId> = (0..6).map(|k| add(&mut items, numeric(k))).collect();
    parts.push(TestPart {
        name: "Phần III".to_owned(),
        kind: ItemKind::Numeric,
        points_each: MilliPoints::from_milli(500),
        items: numerics,
    });
    Test {
        title: "Đề khảo sát".to_owned(),
        subject: "Toán".to_owned(),
        grade: 12,
        duration_minutes: 90,
        scale: MilliPoints::from_milli(10_000),
        rounding_step: MilliPoints::from_milli(100),
        parts,
        items,
    }
}

fn benchmarks(c: &mut Criterion) {
    let test = fifty_item_test();
    let spec = FormSpec { count: 1000, ..FormSpec::default() };
    c.bench_function("make_forms 1000 × 50 items", |b| b.iter(|| make_forms(black_box(&test), &spec, 2025)));
    c.bench_function("make_forms + answer keys 1000 × 50 items", |b| {
        b.iter(|| {
            let forms = make_forms(black_box(&test), &spec, 2025);
            forms.iter().map(|f| answer_key(f, &test.items).map_or(0, |k| k.len())).sum::<usize>()
        })
    });
    let forms = make_forms(&test, &FormSpec { count: 4, ..FormSpec::default() }, 1);
    let key = answer_key(&forms[0], &test.items).unwrap_or_default();
    let responses: Vec<Response> = key
        .iter()
        .map(|entry| {
            let kind = test.items.get(&entry.item).map_or(ItemKind::SingleChoice, Item::kind);
            Response::parse_cell(kind, &entry.answer).unwrap_or(Response::Unanswered)
        })
        .collect();
    c.bench_function("score_sheet 50 items", |b| {
        b.iter(|| score_sheet(black_box(&forms[0]), &test.items, black_box(&responses)).map(|s| s.raw))
    });

    // The path `qbank grade` takes: 100,000 sheets of 50 answers in a CSV file, parsed and scored.
    let exam = Exam::new(test.clone(), forms.clone()).expect("exam");
    let mut csv = String::from("student_id,form");
    for n in 1..=50 {
        csv.push_str(&format!(",{n}"));
    }
    csv.push('\n');
    let keys: Vec<Vec<String>> = forms
        .iter()
        .map(|f| answer_key(f, &test.items).unwrap_or_default().into_iter().map(|k| k.answer).collect())
        .collect();
    for student in 0..100_000usize {
        let form = student % forms.len();
        csv.push_str(&format!("{:010},{}", 1_000_000 + student, forms[form].code));
        for (q, answer) in keys[form].iter().enumerate() {
            // Every seventh answer blank, the rest from the key.
            let cell = if (student + q) % 7 == 0 { "" } else { answer.as_str() };
            csv.push_str(&format!(",\"{cell}\""));
        }
        csv.push('\n');
    }
    let mut group = c.benchmark_group("grade");
    group.sample_size(10);
    group.bench_function("grade 100,000 sheets × 50 items from CSV", |b| {
        b.iter(|| exam.grade_sheets_csv("bench.csv", black_box(csv.as_bytes())).map(|r| r.len()).unwrap_or(0))
    });
    group.finish();
}

criterion_group!(benches, benchmarks);
criterion_main!(benches);
