//! Running the real `proctor` binary on a data directory, and reading what it said.

use std::path::Path;
use std::process::{Command, Output};

/// `proctor --data DATA ARGS…`.
pub(crate) fn proctor(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_proctor")).arg("--data").arg(data).args(args).output().unwrap()
}

pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Its stdout, after checking it succeeded.
#[track_caller]
pub(crate) fn ok(output: &Output) -> String {
    assert!(output.status.success(), "stdout: {}\nstderr: {}", text(&output.stdout), text(&output.stderr));
    text(&output.stdout)
}

/// Its stderr, after checking it failed.
#[track_caller]
pub(crate) fn refused(output: &Output) -> String {
    assert!(!output.status.success(), "stdout: {}", text(&output.stdout));
    text(&output.stderr)
}
