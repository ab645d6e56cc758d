//! Tests of the question bank's SQLite store on real database files in temporary directories.

// Test helpers outside `#[test]` functions unwrap too: a failure there is a failed test, and
// clippy's allow-unwrap-in-tests only covers the test functions themselves.
#![allow(clippy::unwrap_used)]

mod fixtures;
mod import;
mod invariants;
mod properties;
mod review;
mod schema;
mod search;
mod signed;
