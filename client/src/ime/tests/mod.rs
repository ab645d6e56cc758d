//! Tests of the input method, one file per concern, all through one `check` helper per feature.

mod composer;
mod properties;
mod round_trip;
mod telex;
mod vni;

use super::{InputMethod, ToneStyle, transform_with_style};

/// Types each row's keys with `method` into an empty field and compares with the row's
/// expected text, reporting every row that fails rather than only the first.
fn check_table(method: InputMethod, style: ToneStyle, table: &[(&str, &str)]) {
    let failures: Vec<String> = table
        .iter()
        .filter_map(|(keys, expected)| {
            let got = transform_with_style(method, style, keys);
            (got != *expected).then(|| format!("{keys:?}: expected {expected:?}, got {got:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "{method} ({style:?}) rows failing:\n{}", failures.join("\n"));
}
