//! Import without duplicates, atomic imports, images, reading back and usage counts.

use crate::fixtures::{self, NOW, bank};
use phongthi_items::{Body, Image, ItemError, ItemId, ItemKind, Status};
use phongthi_question_bank::store::{
    self, Decision, ImportSummary, ItemFilter, Operation, StoreError, images, import_items, review,
};

fn ids(range: std::ops::RangeInclusive<i64>) -> Vec<ItemId> {
    range.map(ItemId::new).collect()
}

#[test]
fn new_items_are_stored_as_drafts_and_read_back_unchanged() {
    let (_dir, conn) = bank();
    let items = fixtures::all();
    let summary = import_items(&conn, &items, NOW).unwrap();
    assert_eq!(summary, ImportSummary { inserted: ids(1..=7), existing: vec![] });
    for (id, item) in summary.inserted.iter().zip(&items) {
        let stored = store::get(&conn, *id).unwrap();
        assert_eq!(&stored.item, item);
        assert_eq!(stored.id, *id);
        assert_eq!(stored.status, Status::Draft);
        assert_eq!(stored.content_hash, item.content_hash());
        assert_eq!((stored.usage_count, stored.last_used_ms), (0, None));
        assert_eq!((stored.created_ms, stored.updated_ms), (NOW, NOW));
    }
}

#[test]
fn importing_the_same_items_again_stores_nothing_and_names_the_stored_ones() {
    let (_dir, conn) = bank();
    import_items(&conn, &fixtures::all(), NOW).unwrap();
    let again = import_items(&conn, &fixtures::all(), NOW + 1000).unwrap();
    assert_eq!(again, ImportSummary { inserted: vec![], existing: ids(1..=7) });
    assert_eq!(store::list(&conn, &ItemFilter::default()).unwrap().len(), 7);
    assert_eq!(store::get(&conn, ItemId::new(1)).unwrap().created_ms, NOW);
}

#[test]
fn a_repeat_inside_one_import_and_a_copy_with_other_metadata_are_the_same_item() {
    let (_dir, conn) = bank();
    let mut retagged = fixtures::menh_de();
    retagged.meta.topic = Some("Mệnh đề và tập hợp".to_owned());
    retagged.meta.author = Some("Đỗ Thu Hà".to_owned());
    let summary = import_items(&conn, &[fixtures::menh_de(), fixtures::dong_luong(), retagged], NOW).unwrap();
    assert_eq!(summary, ImportSummary { inserted: ids(1..=2), existing: ids(1..=1) });
    // The first copy's metadata is kept.
    assert_eq!(store::get(&conn, ItemId::new(1)).unwrap().item, fixtures::menh_de());
}

#[test]
fn text_typed_with_combining_marks_is_stored_in_nfc_and_matches_the_precomposed_item() {
    let (_dir, conn) = bank();
    let mut decomposed = fixtures::menh_de();
    decomposed.stem =
        "Trong ca\u{0301}c câu sau, câu na\u{0300}o la\u{0300} me\u{0323}\u{0302}nh đê\u{0300}?".to_owned();
    decomposed.meta.subject = Some("To\u{0061}\u{0301}n".to_owned());
    let first = import_items(&conn, &[decomposed], NOW).unwrap();
    assert_eq!(store::get(&conn, first.inserted[0]).unwrap().item, fixtures::menh_de());
    let second = import_items(&conn, &[fixtures::menh_de()], NOW).unwrap();
    assert_eq!(second.existing, first.inserted);
}

#[test]
fn an_invalid_item_midway_leaves_nothing_behind() {
    let (_dir, conn) = bank();
    let mut broken = fixtures::oxi_hoa_khu();
    broken.body = Body::SingleChoice { options: vec![fixtures::choice("nhường electron.", false)] };
    let items = [fixtures::menh_de(), fixtures::tap_hop(), broken, fixtures::dong_luong()];
    let error = import_items(&conn, &items, NOW).unwrap_err();
    assert!(matches!(error, StoreError::InvalidItem { index: 2, source: ItemError::TooFewOptions(1) }), "{error}");
    assert!(
        error.to_string().starts_with("câu hỏi thứ 3 trong danh sách nhập không hợp lệ / item 3 of the import"),
        "{error}"
    );
    assert_nothing_stored(&conn);
}

#[test]
fn a_database_failure_midway_leaves_nothing_behind() {
    let (_dir, conn) = bank();
    // A temporary trigger makes SQLite itself fail on the fourth item, after three were written.
    conn.execute_batch(
        "CREATE TEMP TRIGGER fail_on_momentum BEFORE INSERT ON main.items \
         WHEN NEW.item_json LIKE '%Động lượng%' BEGIN SELECT RAISE(ABORT, 'ổ đĩa đầy giả lập'); END;",
    )
    .unwrap();
    let error = import_items(&conn, &fixtures::all(), NOW).unwrap_err();
    assert!(matches!(error, StoreError::Sqlite { operation: Operation::Import, .. }), "{error}");
    assert!(error.to_string().contains("lỗi SQLite khi nhập câu hỏi / SQLite error while importing items"), "{error}");
    assert_nothing_stored(&conn);
    // The connection is usable afterwards: the failed transaction was rolled back, not left open.
    conn.execute_batch("DROP TRIGGER temp.fail_on_momentum").unwrap();
    assert_eq!(import_items(&conn, &fixtures::all(), NOW).unwrap().inserted.len(), 7);
}

fn assert_nothing_stored(conn: &store::Connection) {
    assert_eq!(store::list(conn, &ItemFilter::default()).unwrap(), vec![]);
    assert_eq!(images::count(conn).unwrap(), 0);
    assert_eq!(
        store::list(conn, &ItemFilter { search: Some("menh de".into()), ..Default::default() }).unwrap(),
        vec![]
    );
}

#[test]
fn images_are_stored_once_and_given_back_under_each_items_names() {
    let (_dir, conn) = bank();
    let summary = import_items(&conn, &[fixtures::tap_hop(), fixtures::tap_hop_hinh()], NOW).unwrap();
    // venn.png and hinh1.png are the same file.
    assert_eq!(images::count(&conn).unwrap(), 2);
    let first = store::get(&conn, summary.inserted[0]).unwrap();
    assert_eq!(first.item.images, vec![Image { name: "venn.png".into(), bytes: fixtures::venn_png() }]);
    let second = store::get(&conn, summary.inserted[1]).unwrap();
    let names: Vec<&str> = second.item.images.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["hinh1.png", "truc.png"]);
    assert_eq!(second.item.images[0].bytes, fixtures::venn_png());
    assert_eq!(second.item.images[1].bytes, fixtures::axes_png());
    // The same picture again under a third name adds no file.
    let mut third = fixtures::dong_luong();
    third.images = vec![Image { name: "so-do.png".into(), bytes: fixtures::axes_png() }];
    import_items(&conn, &[third], NOW).unwrap();
    assert_eq!(images::count(&conn).unwrap(), 2);
}

#[test]
fn an_unknown_number_is_not_found() {
    let (_dir, conn) = bank();
    import_items(&conn, &[fixtures::menh_de()], NOW).unwrap();
    let error = store::get(&conn, ItemId::new(42)).unwrap_err();
    assert!(matches!(error, StoreError::NotFound(id) if id == ItemId::new(42)), "{error}");
    assert_eq!(error.to_string(), "không có câu hỏi số 42 / there is no item 42");
}

#[test]
fn a_row_edited_into_nonsense_is_reported_as_corrupt() {
    let check = |column: &str, value: &str, detail_starts: &str| {
        let (_dir, conn) = bank();
        import_items(&conn, &[fixtures::menh_de()], NOW).unwrap();
        // Bypass the CHECK constraints the way a hand edit with constraints off would.
        conn.execute_batch("PRAGMA ignore_check_constraints = ON").unwrap();
        conn.execute(&format!("UPDATE items SET {column} = ?1 WHERE id = 1"), [value]).unwrap();
        let error = store::get(&conn, ItemId::new(1)).unwrap_err();
        match &error {
            StoreError::Corrupt { id, detail } => {
                assert_eq!(*id, ItemId::new(1));
                assert!(detail.starts_with(detail_starts), "{detail}");
            }
            other => panic!("{column}: expected Corrupt, got {other}"),
        }
        assert!(error.to_string().starts_with("dữ liệu câu hỏi 1 bị hỏng / item 1 is corrupt"), "{error}");
        let listed = store::list(&conn, &ItemFilter::default()).unwrap_err();
        assert!(matches!(listed, StoreError::Corrupt { .. }), "{listed}");
    };
    check("item_json", "{\"stem\": ", "item_json");
    check("item_json", "{\"stem\": \"x\"}", "item_json");
    check("status", "published", "status");
    check("content_hash", "ABC", "content_hash");
    check("usage_count", "-3", "usage_count");
}

#[test]
fn usage_is_counted_once_per_call_and_all_or_nothing() {
    let (_dir, conn) = bank();
    import_items(&conn, &fixtures::all(), NOW).unwrap();
    let [a, b] = [ItemId::new(1), ItemId::new(4)];
    store::record_usage(&conn, &[a, b, a], NOW + 1).unwrap();
    store::record_usage(&conn, &[a], NOW + 2).unwrap();
    let usage = |id| {
        let stored = store::get(&conn, id).unwrap();
        (stored.usage_count, stored.last_used_ms)
    };
    assert_eq!(usage(a), (2, Some(NOW + 2)));
    assert_eq!(usage(b), (1, Some(NOW + 1)));
    assert_eq!(usage(ItemId::new(2)), (0, None));

    let error = store::record_usage(&conn, &[b, ItemId::new(99)], NOW + 3).unwrap_err();
    assert!(matches!(error, StoreError::NotFound(id) if id == ItemId::new(99)), "{error}");
    assert_eq!(usage(b), (1, Some(NOW + 1)));
}

#[test]
fn candidates_are_the_approved_items_of_a_subject_and_kind() {
    let (_dir, conn) = bank();
    import_items(&conn, &fixtures::all(), NOW).unwrap();
    let all_ids = ids(1..=7);
    store::submit(&conn, &all_ids, "Nguyễn Văn An", NOW).unwrap();
    for id in [1, 3, 4, 5] {
        review(&conn, ItemId::new(id), Decision::Approve, "Hoàng Văn Dũng", None, NOW).unwrap();
    }
    let check = |subject: Option<&str>, kind, expected: &[i64]| {
        let found: Vec<i64> = store::candidates(&conn, subject, kind).unwrap().iter().map(|s| s.id.get()).collect();
        assert_eq!(found, expected, "{subject:?} {kind}");
    };
    check(Some("Toán"), ItemKind::SingleChoice, &[1, 3]);
    check(Some("  toán "), ItemKind::SingleChoice, &[1, 3]);
    check(None, ItemKind::SingleChoice, &[1, 3, 5]);
    check(Some("HÓA HỌC"), ItemKind::SingleChoice, &[5]);
    check(Some("Vật lí"), ItemKind::Numeric, &[4]);
    // Submitted but not approved: not a candidate.
    check(Some("Toán"), ItemKind::TrueFalseCluster, &[]);
    check(Some("Sinh học"), ItemKind::SingleChoice, &[]);
}
