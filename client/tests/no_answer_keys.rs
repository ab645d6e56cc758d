//! The exam client never contains answer keys or scoring code (invariant 9): the built
//! `exam-client` binary is searched for the crates that hold items, keys or scoring (the item
//! model, the formats, the bank, the proctor's store, results and server) and for the scoring
//! functions.
//! Debug builds keep symbol names, so a dependency that slipped in would show here.

#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, missing_docs)] // a test: a panic is the report

#[test]
fn the_exam_client_binary_holds_no_scoring_code() {
    let binary = std::fs::read(env!("CARGO_BIN_EXE_exam-client")).unwrap();
    // The binary is real and symbolised: our own crate's name is in it.
    assert!(contains(&binary, b"phongthi_client"), "the binary should name its own crate");
    let crates = [
        &b"phongthi_items"[..],
        b"phongthi_formats",
        b"phongthi_question_bank",
        b"phongthi_store",
        b"phongthi_results",
        b"phongthi_server",
    ];
    let functions = [&b"score_question"[..], b"score_sheet", b"answer_key", b"key_rows"];
    for forbidden in crates.into_iter().chain(functions) {
        assert!(!contains(&binary, forbidden), "{} found in exam-client", String::from_utf8_lossy(forbidden));
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}
