//! Word import: a 200-question paper with 100 equations and 20 pictures, from the `.docx` bytes
//! to validated items (target < 1 s, issue "Teachers' own documents").
//!
//! Run with `cargo bench -p phongthi-formats --bench word`.

#![allow(missing_docs, clippy::unwrap_used, dead_code)] // a benchmark binary: setup failures abort loudly

#[path = "../tests/word/writer.rs"]
mod writer;

use criterion::{Criterion, criterion_group, criterion_main};
use phongthi_formats::docx::{WordOptions, import};
use std::hint::black_box;
use writer::{Doc, math, mr, t, u};

/// A quadratic-formula-sized equation: a fraction with a radical and scripts.
fn equation(k: usize) -> writer::Run {
    math(&format!(
        "{x}<m:r><m:t>=</m:t></m:r><m:f><m:num>{minus}<m:r><m:t>{k}</m:t></m:r><m:r><m:t>±</m:t></m:r><m:rad><m:radPr><m:degHide m:val=\"1\"/></m:radPr><m:deg/><m:e><m:sSup><m:e>{b}</m:e><m:sup>{two}</m:sup></m:sSup><m:r><m:t>−4ac</m:t></m:r></m:e></m:rad></m:num><m:den><m:r><m:t>2a</m:t></m:r></m:den></m:f>",
        x = mr("x"),
        minus = mr("−"),
        b = mr("b"),
        two = mr("2"),
    ))
}

fn paper() -> Vec<u8> {
    let mut doc = Doc::new();
    // 30 KB pictures: the size of a scanned figure in a real paper.
    let picture_bytes: Vec<u8> = (0..30_000u32).map(|i| (i * 31 % 251) as u8).collect();
    doc.line("PHẦN I. Câu trắc nghiệm nhiều phương án lựa chọn.");
    for k in 0..200 {
        let mut stem = vec![t(&format!("Câu {}. [TH] Cho phương trình bậc hai thứ {k}, nghiệm là ", k + 1))];
        if k % 2 == 0 {
            stem.push(equation(k));
        }
        if k % 10 == 0 {
            let picture = doc.picture(&format!("image{k}.png"), &picture_bytes);
            stem.push(picture);
        }
        doc.p(&stem);
        doc.p(&[t("A. "), t(&format!("{k}\t")), u("B"), t(&format!(". {}\tC. {}\tD. {}", k + 1, k + 2, k + 3))]);
    }
    doc.bytes()
}

fn benchmarks(c: &mut Criterion) {
    let bytes = paper();
    let report = import("bench.docx", &bytes, WordOptions::default());
    assert!(report.import.errors.is_empty(), "{:?}", report.import.errors.first());
    assert_eq!(report.import.items.len(), 200);
    assert_eq!(report.import.items.iter().filter(|i| i.stem.contains('$')).count(), 100);
    assert_eq!(report.import.items.iter().map(|i| i.images.len()).sum::<usize>(), 20);
    let mut group = c.benchmark_group("word");
    group.sample_size(10);
    group.bench_function("import a 200-question paper (100 equations, 20 pictures)", |b| {
        b.iter(|| import("bench.docx", black_box(&bytes), WordOptions::default()).import.items.len())
    });
    group.finish();
}

criterion_group!(benches, benchmarks);
criterion_main!(benches);
