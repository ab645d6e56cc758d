//! Signed submissions and reviews: an author cannot approve their own item (by key or by name),
//! the statements travel from the bank into a sealed bundle unchanged and still match the items
//! there, and an item edited after its approval no longer counts as approved.

use crate::fixtures::{self, NOW, bank};
use phongthi_crypto::{KdfParams, Passphrase, PublicKey, ReviewKind, SigningKey, TrustedTeachers};
use phongthi_items::{ItemId, Status};
use phongthi_question_bank::approval::{Refusal, check_approvals, item_digest};
use phongthi_question_bank::assembly::{Candidate, assemble};
use phongthi_question_bank::blueprint::Blueprint;
use phongthi_question_bank::bundle::ExamBundle;
use phongthi_question_bank::exam::Exam;
use phongthi_question_bank::forms::make_forms;
use phongthi_question_bank::store::{
    self, Connection, Decision, SelfApproval, StoreError, import_items, review, review_signed, submit, submit_signed,
};

const AUTHOR: &str = "Nguyễn Văn An";
const REVIEWER: &str = "Hoàng Văn Dũng";

fn key() -> SigningKey {
    SigningKey::generate().unwrap()
}

fn submitted(count: usize, author: &SigningKey) -> (tempfile::TempDir, Connection, Vec<ItemId>) {
    let (dir, conn) = bank();
    let ids = import_items(&conn, &fixtures::all()[..count], NOW).unwrap().inserted;
    submit_signed(&conn, &ids, AUTHOR, author, NOW + 1).unwrap();
    (dir, conn, ids)
}

fn status(conn: &Connection, id: ItemId) -> Status {
    store::get(conn, id).unwrap().status
}

#[test]
fn a_signed_review_is_kept_beside_the_history_and_matches_the_item() {
    let (author, reviewer) = (key(), key());
    let (_dir, conn, ids) = submitted(2, &author);
    review_signed(&conn, ids[0], Decision::Approve, REVIEWER, Some("Đạt"), &reviewer, NOW + 2).unwrap();
    review_signed(&conn, ids[1], Decision::Reject, REVIEWER, Some("Sai đáp án"), &reviewer, NOW + 3).unwrap();

    let first = store::statements(&conn, ids[0]).unwrap();
    let kinds: Vec<(ReviewKind, PublicKey, &str, bool)> = first
        .iter()
        .map(|s| (s.signed.statement().kind, s.signed.signer(), s.signed.statement().name.as_str(), s.current))
        .collect();
    assert_eq!(
        kinds,
        [
            (ReviewKind::Author, author.public_key(), AUTHOR, true),
            (ReviewKind::Approve, reviewer.public_key(), REVIEWER, true)
        ]
    );
    let digest = item_digest(&store::get(&conn, ids[0]).unwrap().item);
    assert!(
        first
            .iter()
            .all(|s| s.signed.statement().item_digest == digest && s.signed.statement().item_id == ids[0].get())
    );
    assert_eq!(store::statements(&conn, ids[1]).unwrap()[1].signed.statement().comment, "Sai đáp án");

    // A bundle carries the author statements and approvals, not the rejection.
    let carried = store::carried_statements(&conn, &ids).unwrap();
    assert_eq!(carried[&ids[0]].len(), 2);
    assert_eq!(carried[&ids[1]].len(), 1);
    assert_eq!(status(&conn, ids[0]), Status::Approved);
}

#[test]
fn an_author_cannot_approve_with_their_own_key() {
    let author = key();
    let (_dir, conn, ids) = submitted(1, &author);
    let error = review_signed(&conn, ids[0], Decision::Approve, "Tổ trưởng", None, &author, NOW + 2).unwrap_err();
    assert!(
        matches!(&error, StoreError::SelfApproval { id, how: SelfApproval::Key(fp), .. } if *id == ids[0] && *fp == author.public_key().fingerprint()),
        "{error}"
    );
    let message = error.to_string();
    assert!(message.contains("tự duyệt") && message.contains("cannot approve their own item"), "{message}");
    assert!(message.contains(&format!("câu hỏi {}", ids[0])) && message.contains("Trong các câu sau"), "{message}");
    // Nothing changed: still submitted, no approval signed.
    assert_eq!(status(&conn, ids[0]), Status::Submitted);
    assert_eq!(store::statements(&conn, ids[0]).unwrap().len(), 1);
    // The same author may still send it back (a rejection is no approval).
    review_signed(&conn, ids[0], Decision::Reject, "Tổ trưởng", Some("Sửa lại"), &author, NOW + 3).unwrap();
}

#[test]
fn an_author_cannot_approve_under_their_own_name() {
    let (_dir, conn) = bank();
    let ids = import_items(&conn, &fixtures::all()[..2], NOW).unwrap().inserted;
    // Item 1 was written by Nguyễn Văn An (its metadata); item 2 is submitted by Lê Thị Cúc.
    submit(&conn, &ids[..1], "cô Lan", NOW + 1).unwrap();
    submit(&conn, &ids[1..], "Lê Thị Cúc", NOW + 1).unwrap();
    for (id, name, expected) in
        [(ids[0], " nguyễn   VĂN an ", AUTHOR), (ids[0], "Cô Lan", "cô Lan"), (ids[1], "lê thị cúc", "Lê Thị Cúc")]
    {
        let error = review(&conn, id, Decision::Approve, name, None, NOW + 2).unwrap_err();
        assert!(
            matches!(&error, StoreError::SelfApproval { how: SelfApproval::Name(n), .. } if n == expected),
            "{name}: {error}"
        );
        assert!(error.to_string().contains(&format!("«{expected}»")), "{error}");
    }
    review(&conn, ids[0], Decision::Approve, REVIEWER, None, NOW + 3).unwrap();
    assert_eq!(status(&conn, ids[0]), Status::Approved);
    // Unsigned: the history has it, the statements do not.
    assert!(store::statements(&conn, ids[0]).unwrap().is_empty());
}

/// The example bank, every item submitted by `author` and approved by `reviewer`.
fn example_bank(author: &SigningKey, reviewer: &SigningKey) -> (tempfile::TempDir, Connection, Vec<ItemId>) {
    let (dir, conn) = bank();
    let csv = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/questions.csv")).unwrap();
    let report = phongthi_formats::template::import_csv("questions.csv", &csv);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let ids = import_items(&conn, &report.items, NOW).unwrap().inserted;
    submit_signed(&conn, &ids, AUTHOR, author, NOW + 1).unwrap();
    for &id in &ids {
        review_signed(&conn, id, Decision::Approve, REVIEWER, None, reviewer, NOW + 2).unwrap();
    }
    (dir, conn, ids)
}

/// What `qbank assemble` does: the approved items, drawn and shuffled, sealed with their
/// statements, then opened as the proctor opens it.
fn assembled(conn: &Connection) -> ExamBundle {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/blueprint.toml")).unwrap();
    let blueprint = Blueprint::parse("blueprint.toml", &text).unwrap();
    let mut candidates = Vec::new();
    for part in blueprint.parts() {
        for stored in store::candidates(conn, Some("Toán"), part.kind).unwrap() {
            candidates.push(Candidate { id: stored.id, item: stored.item, usage_count: 0 });
        }
    }
    let test = assemble(&blueprint, &candidates, 2026).unwrap();
    let forms = make_forms(&test, blueprint.forms(), 2026);
    let exam = Exam::new(test, forms).unwrap();
    let ids: Vec<ItemId> = exam.items().keys().copied().collect();
    let statements = store::carried_statements(conn, &ids).unwrap();
    let bundle = ExamBundle { exam_id: phongthi_crypto::ExamId::generate().unwrap(), created_ms: 0, exam, statements };
    let teacher = key();
    let passphrase = Passphrase::new("mật khẩu");
    let sealed = bundle.seal(&teacher, &passphrase, KdfParams::with_iterations(1_000).unwrap()).unwrap();
    let opened = ExamBundle::open(&sealed, &passphrase, TrustedTeachers::Any).unwrap().bundle;
    assert_eq!(opened, bundle);
    opened
}

#[test]
fn approvals_from_the_bank_still_match_the_items_inside_a_sealed_bundle() {
    let (author, reviewer) = (key(), key());
    let (_dir, conn, _) = example_bank(&author, &reviewer);
    let bundle = assembled(&conn);
    for (id, item) in bundle.exam.items() {
        // Byte for byte: the digest of the item as the proctor reads it is the one signed in the
        // bank (clusters included, whose credit table the blueprint replaced).
        let in_bank = item_digest(&store::get(&conn, *id).unwrap().item);
        assert_eq!(item_digest(item), in_bank, "item {id}");
    }
    let report = check_approvals(&bundle.exam, &bundle.statements, |k| *k == reviewer.public_key());
    assert!(report.unapproved.is_empty(), "{:?}", report.unapproved);
    assert_eq!(report.approved.len(), bundle.exam.items().len());
}

#[test]
fn an_item_edited_after_its_approval_is_no_longer_approved() {
    let (author, reviewer) = (key(), key());
    let (_dir, conn, ids) = example_bank(&author, &reviewer);
    let edited = *assembled(&conn).exam.items().keys().next().unwrap();
    let untouched = *ids.iter().find(|id| **id != edited).unwrap();
    // The bank has no edit command; what one would do (or a hand edit of the file) is change
    // the item's JSON. Its status still says approved, but its signatures say otherwise.
    let changed = conn
        .execute(
            "UPDATE items SET item_json = json_set(item_json, '$.stem', json_extract(item_json, '$.stem') || ' (đã sửa)') \
             WHERE id = ?1",
            [edited.get()],
        )
        .unwrap();
    assert_eq!(changed, 1);
    assert_eq!(status(&conn, edited), Status::Approved);
    let statements = store::statements(&conn, edited).unwrap();
    assert!(statements.iter().all(|s| !s.current), "{statements:?}");
    assert!(store::statements(&conn, untouched).unwrap().iter().all(|s| s.current));

    let bundle = assembled(&conn);
    assert!(bundle.exam.items().contains_key(&edited), "the blueprint draws item {edited}");
    let report = check_approvals(&bundle.exam, &bundle.statements, |k| *k == reviewer.public_key());
    let refused: Vec<(ItemId, Refusal)> = report.unapproved.iter().map(|u| (u.item, u.refusal.clone())).collect();
    assert_eq!(refused, [(edited, Refusal::OtherVersion)]);
}

#[test]
fn review_statements_cannot_be_rewritten_or_deleted() {
    let (author, reviewer) = (key(), key());
    let (_dir, conn, ids) = submitted(1, &author);
    review_signed(&conn, ids[0], Decision::Approve, REVIEWER, None, &reviewer, NOW + 2).unwrap();
    for sql in ["UPDATE item_statements SET kind = 'author'", "DELETE FROM item_statements"] {
        let error = conn.execute(sql, []).unwrap_err();
        assert!(error.to_string().contains("append-only"), "{sql}: {error}");
    }
}
