//! `exam-client --print-integrity` prints SHA-256 of the executable it runs from, and nothing
//! else goes into the value: a copy with one more byte prints another value, equal to the
//! copy's own SHA-256. No `lab.toml` is needed to print it.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)] // a test: a panic is the report

use std::path::Path;
use std::process::Command;

fn print_integrity(binary: &Path) -> String {
    let out = Command::new(binary).arg("--print-integrity").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn sha256_hex(path: &Path) -> String {
    phongthi_crypto::sha256(&std::fs::read(path).unwrap()).to_hex()
}

#[test]
fn the_printed_value_is_sha256_of_the_running_file() {
    let binary = Path::new(env!("CARGO_BIN_EXE_exam-client"));
    let printed = print_integrity(binary);
    assert_eq!(printed, format!("{}\n", sha256_hex(binary)), "one line, the value alone");

    // A changed build: the same program with one byte appended (an ELF or PE file runs the same).
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join(binary.file_name().unwrap());
    std::fs::copy(binary, &copy).unwrap();
    let mut bytes = std::fs::read(&copy).unwrap();
    bytes.push(0);
    std::fs::write(&copy, &bytes).unwrap();
    let changed = print_integrity(&copy);
    assert_eq!(changed.trim(), sha256_hex(&copy));
    assert_ne!(changed, printed);
}

#[test]
fn without_print_integrity_a_lab_config_is_still_required() {
    let out = Command::new(env!("CARGO_BIN_EXE_exam-client")).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--config"), "{}", String::from_utf8_lossy(&out.stderr));
}
