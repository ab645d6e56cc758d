//! Benchmark of `qbank print`'s layout: 24 forms of a 50-question 2025-style test laid out and
//! written as PDF booklets, plus the answer-key sheet (target: under 5 s in release).
//!
//! Run with `cargo bench -p phongthi-question-bank --bench print`.

#![allow(clippy::expect_used)] // a benchmark binary: setup failures abort loudly

use criterion::{Criterion, criterion_group, criterion_main};
use phongthi_items::{
    Body, Choice, ClusterTable, Fraction, Image, Item, ItemId, ItemKind, MilliPoints, NumericAnswer, NumericValue,
    Statement,
};
use phongthi_question_bank::assembly::{Test, TestPart};
use phongthi_question_bank::blueprint::FormSpec;
use phongthi_question_bank::exam::Exam;
use phongthi_question_bank::forms::make_forms;
use phongthi_question_bank::print::{Header, form_pdf, key_pdf};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::hint::black_box;

/// A 2025-style paper of 50 items: 40 single choice (every fourth with a pinned "all of the
/// above", every eighth with a figure), 4 true/false clusters and 6 numeric answers.
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
                text: format!("Phương án {i}: $x^2 - {k}x + {i} = 0$"),
                fraction: if i == k % 3 { Fraction::ONE } else { Fraction::ZERO },
                pinned: i == 3 && k.is_multiple_of(4),
                feedback: None,
            })
            .collect();
        let figure = if k.is_multiple_of(8) { " <img src=\"@@PLUGINFILE@@/do-thi.png\">" } else { "" };
        let mut item = Item::new(
            format!(
                "Câu {k}: cho hàm số $y = \\frac{{x + {k}}}{{x - 1}}$.{figure} Khẳng định nào sau đây về tiệm cận, tính đơn điệu và cực trị của đồ thị hàm số là đúng?"
            ),
            Body::SingleChoice { options },
        );
        if !figure.is_empty() {
            item.images.push(Image { name: "do-thi.png".to_owned(), bytes: graph_png() });
        }
        item
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

/// A 400×300 graph-like picture with a gradient and noise, about the size of a figure pasted
/// from a drawing tool (tens of kilobytes as PNG).
fn graph_png() -> Vec<u8> {
    let picture = image::RgbaImage::from_fn(400, 300, |x, y| {
        let curve = (150.0 - 100.0 * ((x as f32 - 200.0) / 80.0).tanh()) as u32;
        let noise = ((x.wrapping_mul(7919) ^ y.wrapping_mul(104_729)) % 23) as u8;
        if curve.abs_diff(y) < 3 || x == 200 || y == 150 {
            image::Rgba([20, 20, 120, 255])
        } else {
            image::Rgba([240 - noise, 245 - noise, 250, 255])
        }
    });
    let mut bytes = Vec::new();
    picture.write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png).expect("png");
    bytes
}

fn benchmarks(c: &mut Criterion) {
    let test = fifty_item_test();
    let forms = make_forms(&test, &FormSpec { count: 24, ..FormSpec::default() }, 2025);
    let exam = Exam::new(test, forms).expect("exam");
    let header = Header {
        department: "SỞ GD&ĐT HÀ NỘI".to_owned(),
        school: "TRƯỜNG THPT CHU VĂN AN".to_owned(),
        exam_name: "ĐỀ KHẢO SÁT CHẤT LƯỢNG".to_owned(),
        subject: "Môn: Toán 12".to_owned(),
        minutes: 90,
    };
    let mut group = c.benchmark_group("print");
    group.sample_size(10);
    group.bench_function("print 24 forms × 50 questions + key", |b| {
        b.iter(|| {
            let mut bytes = 0;
            for form in exam.forms() {
                bytes += form_pdf(black_box(&exam), form, &header).expect("form").len();
            }
            bytes + key_pdf(&exam, &header).expect("key").len()
        })
    });
    group.finish();
}

criterion_group!(benches, benchmarks);
criterion_main!(benches);
