//! Tests of the GIFT importer and exporter: the example data contract `examples/toan10.gift`,
//! realistic fixtures for every syntax feature, every error path, the exporter's output, and
//! property tests (no panics on any input; export → import round-trips).

// clippy's allow-unwrap-in-tests covers `#[test]` functions only; the shared helpers and
// proptest strategies here are test code too, where a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod errors;
mod example;
mod export;
mod moodle;
mod properties;
mod syntax;

use phongthi_formats::gift;
use phongthi_items::{Choice, Fraction, Item};
use rust_decimal::Decimal;

/// Imports `text`, failing the test on any error, with `meta.source` cleared for comparison.
fn import_clean(text: &str) -> Vec<Item> {
    let report = gift::import("test.gift", text);
    assert!(report.errors.is_empty(), "unexpected errors: {:#?}\nin:\n{text}", report.errors);
    report
        .items
        .into_iter()
        .map(|mut item| {
            item.meta.source = None;
            item
        })
        .collect()
}

/// The only item `text` holds.
fn import_one(text: &str) -> Item {
    let mut items = import_clean(text);
    assert_eq!(items.len(), 1, "expected one item in:\n{text}\ngot {items:#?}");
    items.remove(0)
}

/// A percentage such as `"50"` or `"-33.33333"`.
fn percent(text: &str) -> Fraction {
    Fraction::parse_percent(text).unwrap()
}

/// An exact decimal such as `"9.8"`.
fn decimal(text: &str) -> Decimal {
    text.parse().unwrap()
}

/// An option with its credit in percent and no feedback.
fn option(text: &str, credit: &str) -> Choice {
    Choice { text: text.to_owned(), fraction: percent(credit), pinned: false, feedback: None }
}
