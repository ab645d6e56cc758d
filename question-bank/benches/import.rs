//! Import throughput: 10,000 GIFT questions parsed (target < 1 s in `performance.md`), and the
//! same items stored in a SQLite bank in one transaction.
//!
//! Run with `cargo bench -p phongthi-question-bank --bench import`.

#![allow(missing_docs, clippy::expect_used)] // a benchmark binary: setup failures abort loudly

use criterion::{Criterion, criterion_group, criterion_main};
use phongthi_formats::gift;
use phongthi_question_bank::store;
use std::hint::black_box;

/// 10,000 questions of every GIFT kind, Vietnamese text with math, in 2,500 blocks of four.
fn ten_thousand_questions() -> String {
    let mut text = String::new();
    for k in 0..2_500 {
        text.push_str(&format!("$CATEGORY: Toán 10/Chủ đề {}\n\n", k % 12));
        text.push_str(&format!(
            "// level: Hiểu\n::TN-{k}:: Cho tập hợp $A = \\\\\\{{1; 2; {k}\\\\\\}}$. Khẳng định nào đúng? {{\n  =${k} \\\\in A$\n  ~$0 \\\\in A$ #Sai: 0 không thuộc A\n  ~$A \\= \\\\varnothing$\n  ~Tất cả đều sai\n}}\n\n"
        ));
        text.push_str(&format!("// level: Biết\n::ĐS-{k}:: Số ${k}$ là số tự nhiên. {{T}}\n\n"));
        text.push_str(&format!("// level: Vận dụng\n::SA-{k}:: Tính $2 \\\\cdot {k},5$. {{#{}:0,1}}\n\n", 2 * k + 1));
        text.push_str(&format!(
            "::MR-{k}:: Chọn các số chẵn trong dãy {k}, {}, {}: {{\n  ~%50%{}\n  ~%50%{}\n  ~%-100%{}\n}}\n\n",
            k + 1,
            k + 2,
            2 * k,
            2 * k + 2,
            2 * k + 1
        ));
    }
    text
}

fn benchmarks(c: &mut Criterion) {
    let text = ten_thousand_questions();
    let parsed = gift::import("bench.gift", &text);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors.first());
    assert_eq!(parsed.items.len(), 10_000);

    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    group.bench_function("parse 10,000 GIFT questions", |b| b.iter(|| gift::import("bench.gift", black_box(&text))));
    group.bench_function("store 10,000 items in a new SQLite bank", |b| {
        b.iter_with_setup(
            || tempfile::tempdir().expect("tempdir"),
            |dir| {
                let conn = store::open(dir.path().join("bank.sqlite")).expect("open");
                store::import_items(&conn, &parsed.items, 0).expect("import").inserted.len()
            },
        )
    });
    group.finish();
}

criterion_group!(benches, benchmarks);
criterion_main!(benches);
