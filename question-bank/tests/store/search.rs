//! Listing with filters, and full-text search with Vietnamese diacritics folded.

use crate::fixtures::{self, NOW, bank};
use phongthi_items::{ItemId, ItemKind, Level, Status};
use phongthi_question_bank::store::{self, Connection, Decision, ItemFilter};
use proptest::prelude::*;

/// Names of the fixtures by id, so expectations read as words.
const NAMES: [&str; 7] = ["menh_de", "tap_hop", "tap_hop_hinh", "dong_luong", "oxi_hoa_khu", "so_oxi_hoa", "don_vi"];

fn filled_bank() -> (tempfile::TempDir, Connection) {
    let (dir, conn) = bank();
    store::import_items(&conn, &fixtures::all(), NOW).unwrap();
    // menh_de and dong_luong approved (by someone who wrote neither), tap_hop submitted, the
    // rest drafts.
    store::submit(&conn, &[ItemId::new(1), ItemId::new(2), ItemId::new(4)], "Nguyễn Văn An", NOW).unwrap();
    for id in [1, 4] {
        store::review(&conn, ItemId::new(id), Decision::Approve, "Hoàng Văn Dũng", None, NOW).unwrap();
    }
    (dir, conn)
}

fn check(conn: &Connection, filter: ItemFilter, expected: &[&str]) {
    let found: Vec<&str> =
        store::list(conn, &filter).unwrap().iter().map(|stored| NAMES[stored.id.get() as usize - 1]).collect();
    assert_eq!(found, expected, "{filter:?}");
}

fn search(text: &str) -> ItemFilter {
    ItemFilter { search: Some(text.to_owned()), ..ItemFilter::default() }
}

#[test]
fn each_filter_on_its_own() {
    let (_dir, conn) = filled_bank();
    let subject = |s: &str| ItemFilter { subject: Some(s.into()), ..Default::default() };
    let topic = |t: &str| ItemFilter { topic: Some(t.into()), ..Default::default() };
    check(&conn, ItemFilter::default(), &NAMES);
    check(&conn, subject("Toán"), &["menh_de", "tap_hop", "tap_hop_hinh"]);
    check(&conn, subject("toán"), &["menh_de", "tap_hop", "tap_hop_hinh"]);
    check(&conn, subject(" TOÁN  "), &["menh_de", "tap_hop", "tap_hop_hinh"]);
    check(&conn, subject("To\u{0061}\u{0301}n"), &["menh_de", "tap_hop", "tap_hop_hinh"]);
    check(&conn, subject("Toan"), &[]);
    check(&conn, subject("Hóa  học"), &["oxi_hoa_khu", "so_oxi_hoa"]);
    check(&conn, topic("MỆNH ĐỀ"), &["menh_de"]);
    check(&conn, topic("tập hợp"), &["tap_hop", "tap_hop_hinh"]);
    check(&conn, topic("Phản ứng oxi hóa – khử"), &["oxi_hoa_khu", "so_oxi_hoa"]);
    check(&conn, ItemFilter { grade: Some(10), ..Default::default() }, &NAMES);
    check(&conn, ItemFilter { grade: Some(11), ..Default::default() }, &[]);
    check(&conn, ItemFilter { level: Some(Level::Biet), ..Default::default() }, &["menh_de", "oxi_hoa_khu", "don_vi"]);
    check(&conn, ItemFilter { level: Some(Level::VanDung), ..Default::default() }, &["tap_hop_hinh", "dong_luong"]);
    check(&conn, ItemFilter { level: Some(Level::VanDungCao), ..Default::default() }, &[]);
    check(
        &conn,
        ItemFilter { kind: Some(ItemKind::SingleChoice), ..Default::default() },
        &["menh_de", "tap_hop_hinh", "oxi_hoa_khu"],
    );
    check(&conn, ItemFilter { kind: Some(ItemKind::Matching), ..Default::default() }, &["don_vi"]);
    check(&conn, ItemFilter { status: Some(Status::Approved), ..Default::default() }, &["menh_de", "dong_luong"]);
    check(&conn, ItemFilter { status: Some(Status::Submitted), ..Default::default() }, &["tap_hop"]);
    check(
        &conn,
        ItemFilter { status: Some(Status::Draft), ..Default::default() },
        &["tap_hop_hinh", "oxi_hoa_khu", "so_oxi_hoa", "don_vi"],
    );
}

#[test]
fn filters_combine() {
    let (_dir, conn) = filled_bank();
    let filter = ItemFilter {
        subject: Some("toán".into()),
        kind: Some(ItemKind::SingleChoice),
        status: Some(Status::Draft),
        ..Default::default()
    };
    check(&conn, filter, &["tap_hop_hinh"]);
    let filter =
        ItemFilter { subject: Some("Vật lí".into()), search: Some("dong luong".into()), ..Default::default() };
    check(&conn, filter, &["dong_luong", "don_vi"]);
    let filter = ItemFilter { subject: Some("Toán".into()), search: Some("dong luong".into()), ..Default::default() };
    check(&conn, filter, &[]);
}

#[test]
fn search_ignores_diacritics_and_case() {
    let (_dir, conn) = filled_bank();
    for text in ["menh de", "Mệnh đề", "MỆNH ĐỀ", "me\u{0323}\u{0302}nh đe\u{0302}\u{0300}", "đề mệnh"]
    {
        check(&conn, search(text), &["menh_de"]);
    }
    for text in ["tap hop", "Tập hợp", "TAP HOP"] {
        check(&conn, search(text), &["tap_hop", "tap_hop_hinh"]);
    }
    for text in ["dong luong", "Động lượng", "ĐỘNG LƯỢNG"] {
        check(&conn, search(text), &["dong_luong", "don_vi"]);
    }
    for text in ["oxi hoa khu", "Phản ứng oxi hóa – khử", "phan ung oxi-hoa/khu"] {
        check(&conn, search(text), &["oxi_hoa_khu"]);
    }
    check(&conn, search("oxi hoa"), &["oxi_hoa_khu", "so_oxi_hoa"]);
}

#[test]
fn search_reaches_options_statements_answers_pairs_and_names() {
    let (_dir, conn) = filled_bank();
    check(&conn, search("nhuong electron"), &["oxi_hoa_khu"]);
    check(&conn, search("setminus"), &["tap_hop"]);
    check(&conn, search("phần tử"), &["tap_hop", "tap_hop_hinh"]);
    check(&conn, search("6"), &["so_oxi_hoa"]);
    check(&conn, search("xung luong"), &["don_vi"]);
    check(&conn, search("J"), &["don_vi"]);
    check(&conn, search("MĐ-01"), &["menh_de"]);
    check(&conn, search("md 01"), &["menh_de"]);
    // Whole words: a syllable's prefix is another word.
    check(&conn, search("men"), &[]);
    check(&conn, search("menh de sinh hoc"), &[]);
}

#[test]
fn search_text_with_fts_syntax_is_taken_literally() {
    let (_dir, conn) = filled_bank();
    // Operators and quotes are not FTS5 syntax here: punctuation separates words...
    for text in ["\"menh de", "menh\" \"de", "menh* de*", "-menh de", "menh:de", "^menh de", "(menh) {de}", "menh + de"]
    {
        check(&conn, search(text), &["menh_de"]);
    }
    // ...and keywords are plain words, which no item contains.
    for text in ["menh AND de", "menh OR electron", "NEAR(menh de)", "menh NOT de"] {
        check(&conn, search(text), &[]);
    }
    // No letters or digits at all: nothing to search for, so nothing is filtered out.
    for text in ["", "   ", "\"", "*", "–", "()\"*:^"] {
        check(&conn, search(text), &NAMES);
    }
}

#[test]
fn any_search_text_lists_without_error() {
    let (_dir, conn) = bank();
    store::import_items(&conn, &[fixtures::menh_de()], NOW).unwrap();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(256));
    let text = prop_oneof![any::<String>(), "[\"*():^ +\\-a-zA-ZđĐ]{0,30}"];
    runner
        .run(&text, |text| {
            let listed = store::list(&conn, &search(&text));
            prop_assert!(listed.is_ok(), "{text:?}: {listed:?}");
            Ok(())
        })
        .unwrap();
}
