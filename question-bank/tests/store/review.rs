//! The subject group's workflow: transitions, their history, and the ones refused.

use crate::fixtures::{self, NOW, bank};
use phongthi_items::{ItemId, Status};
use phongthi_question_bank::store::{
    self, Connection, Decision, HistoryEntry, StoreError, history, import_items, reopen, restore, retire, review,
    submit,
};

const AUTHOR: &str = "Nguyễn Văn An";
const REVIEWER: &str = "Trần Thị Bình";

fn with_items(count: usize) -> (tempfile::TempDir, Connection, Vec<ItemId>) {
    let (dir, conn) = bank();
    let ids = import_items(&conn, &fixtures::all()[..count], NOW).unwrap().inserted;
    (dir, conn, ids)
}

fn status(conn: &Connection, id: ItemId) -> Status {
    store::get(conn, id).unwrap().status
}

fn entry(item: ItemId, from: Option<Status>, to: Status, by: &str, comment: Option<&str>, at_ms: i64) -> HistoryEntry {
    HistoryEntry { item, from, to, by: by.to_owned(), comment: comment.map(str::to_owned), at_ms }
}

#[test]
fn the_whole_workflow_is_recorded_in_order() {
    let (_dir, conn, ids) = with_items(2);
    let [a, b] = [ids[0], ids[1]];
    submit(&conn, &[a, b], AUTHOR, NOW + 1).unwrap();
    review(&conn, a, Decision::Approve, REVIEWER, Some("Đạt yêu cầu"), NOW + 2).unwrap();
    review(&conn, b, Decision::Reject, REVIEWER, Some("Ý b) sai đáp án"), NOW + 3).unwrap();
    reopen(&conn, b, AUTHOR, NOW + 4).unwrap();
    submit(&conn, &[b], AUTHOR, NOW + 5).unwrap();
    review(&conn, b, Decision::Approve, " Lê Thị Cúc ", None, NOW + 6).unwrap();
    retire(&conn, a, REVIEWER, Some("Đã dùng cho đề thi học kì"), NOW + 7).unwrap();
    restore(&conn, a, REVIEWER, None, NOW + 8).unwrap();

    use Status::*;
    assert_eq!(
        history(&conn, a).unwrap(),
        [
            entry(a, None, Draft, AUTHOR, None, NOW),
            entry(a, Some(Draft), Submitted, AUTHOR, None, NOW + 1),
            entry(a, Some(Submitted), Approved, REVIEWER, Some("Đạt yêu cầu"), NOW + 2),
            entry(a, Some(Approved), Retired, REVIEWER, Some("Đã dùng cho đề thi học kì"), NOW + 7),
            entry(a, Some(Retired), Approved, REVIEWER, None, NOW + 8),
        ]
    );
    assert_eq!(
        history(&conn, b).unwrap(),
        [
            entry(b, None, Draft, AUTHOR, None, NOW),
            entry(b, Some(Draft), Submitted, AUTHOR, None, NOW + 1),
            entry(b, Some(Submitted), Rejected, REVIEWER, Some("Ý b) sai đáp án"), NOW + 3),
            entry(b, Some(Rejected), Draft, AUTHOR, None, NOW + 4),
            entry(b, Some(Draft), Submitted, AUTHOR, None, NOW + 5),
            entry(b, Some(Submitted), Approved, "Lê Thị Cúc", None, NOW + 6),
        ]
    );
    assert_eq!((status(&conn, a), status(&conn, b)), (Approved, Approved));
    let stored = store::get(&conn, a).unwrap();
    assert_eq!((stored.created_ms, stored.updated_ms), (NOW, NOW + 8));
}

#[test]
fn a_rejected_item_can_be_submitted_again_directly() {
    let (_dir, conn, ids) = with_items(1);
    submit(&conn, &ids, AUTHOR, NOW).unwrap();
    review(&conn, ids[0], Decision::Reject, REVIEWER, Some("Thiếu hình"), NOW).unwrap();
    submit(&conn, &ids, AUTHOR, NOW).unwrap();
    assert_eq!(status(&conn, ids[0]), Status::Submitted);
}

/// Brings a fresh item to `status` through allowed steps.
fn item_in(conn: &Connection, id: ItemId, status: Status) {
    let steps: &[fn(&Connection, ItemId)] = match status {
        Status::Draft => &[],
        Status::Submitted => &[to_submitted],
        Status::Approved => &[to_submitted, to_approved],
        Status::Rejected => &[to_submitted, to_rejected],
        Status::Retired => &[to_submitted, to_approved, to_retired],
    };
    for step in steps {
        step(conn, id);
    }
    assert_eq!(self::status(conn, id), status);
}

fn to_submitted(conn: &Connection, id: ItemId) {
    submit(conn, &[id], AUTHOR, NOW).unwrap();
}
fn to_approved(conn: &Connection, id: ItemId) {
    review(conn, id, Decision::Approve, REVIEWER, None, NOW).unwrap();
}
fn to_rejected(conn: &Connection, id: ItemId) {
    review(conn, id, Decision::Reject, REVIEWER, Some("Sai chính tả"), NOW).unwrap();
}
fn to_retired(conn: &Connection, id: ItemId) {
    retire(conn, id, REVIEWER, None, NOW).unwrap();
}

#[test]
fn transitions_the_workflow_does_not_allow_are_refused_and_change_nothing() {
    type Action = fn(&Connection, ItemId) -> Result<(), StoreError>;
    let approve: Action = |c, id| review(c, id, Decision::Approve, REVIEWER, None, NOW);
    let reject: Action = |c, id| review(c, id, Decision::Reject, REVIEWER, Some("Không rõ"), NOW);
    let submit_one: Action = |c, id| submit(c, &[id], AUTHOR, NOW);
    let retire_one: Action = |c, id| retire(c, id, REVIEWER, None, NOW);
    let reopen_one: Action = |c, id| reopen(c, id, AUTHOR, NOW);
    let restore_one: Action = |c, id| restore(c, id, REVIEWER, None, NOW);
    let check = |from: Status, action: Action, to: Status| {
        let (_dir, conn, ids) = with_items(1);
        let id = ids[0];
        item_in(&conn, id, from);
        let before = history(&conn, id).unwrap();
        let error = action(&conn, id).unwrap_err();
        match error {
            StoreError::BadTransition { id: e_id, from: e_from, to: e_to } => {
                assert_eq!((e_id, e_from, e_to), (id, from, to));
            }
            ref other => panic!("{from:?} → {to:?}: expected BadTransition, got {other}"),
        }
        assert_eq!(status(&conn, id), from);
        assert_eq!(history(&conn, id).unwrap(), before);
    };
    use Status::*;
    check(Draft, approve, Approved);
    check(Draft, reject, Rejected);
    check(Draft, retire_one, Retired);
    check(Draft, reopen_one, Draft);
    check(Draft, restore_one, Approved);
    check(Submitted, submit_one, Submitted);
    check(Submitted, retire_one, Retired);
    check(Approved, submit_one, Submitted);
    check(Approved, approve, Approved);
    check(Approved, reject, Rejected);
    check(Approved, reopen_one, Draft);
    check(Rejected, approve, Approved);
    check(Rejected, retire_one, Retired);
    check(Retired, submit_one, Submitted);
    check(Retired, reopen_one, Draft);
    check(Retired, reject, Rejected);
}

#[test]
fn a_refused_transition_names_the_item_and_both_statuses() {
    let (_dir, conn, ids) = with_items(1);
    let error = review(&conn, ids[0], Decision::Approve, REVIEWER, None, NOW).unwrap_err();
    assert_eq!(
        error.to_string(),
        "câu hỏi 1: không thể chuyển từ «Nháp» sang «Đã duyệt» / item 1: cannot go from draft to approved"
    );
}

#[test]
fn submitting_several_items_is_all_or_nothing() {
    let (_dir, conn, ids) = with_items(3);
    item_in(&conn, ids[1], Status::Approved);
    let error = submit(&conn, &ids, AUTHOR, NOW).unwrap_err();
    assert!(matches!(error, StoreError::BadTransition { id, .. } if id == ids[1]), "{error}");
    assert_eq!(status(&conn, ids[0]), Status::Draft);
    assert_eq!(status(&conn, ids[2]), Status::Draft);
    assert_eq!(history(&conn, ids[0]).unwrap().len(), 1);

    let error = submit(&conn, &[ids[0], ItemId::new(77)], AUTHOR, NOW).unwrap_err();
    assert!(matches!(error, StoreError::NotFound(id) if id == ItemId::new(77)), "{error}");
    assert_eq!(status(&conn, ids[0]), Status::Draft);
}

#[test]
fn a_decision_needs_a_reviewer_and_a_rejection_needs_a_reason() {
    let (_dir, conn, ids) = with_items(1);
    let id = ids[0];
    item_in(&conn, id, Status::Submitted);
    for nobody in ["", "   "] {
        for decision in [Decision::Approve, Decision::Reject] {
            let error = review(&conn, id, decision, nobody, Some("Được"), NOW).unwrap_err();
            assert!(matches!(error, StoreError::MissingReviewer(e) if e == id), "{error}");
        }
    }
    assert_eq!(
        review(&conn, id, Decision::Approve, "", None, NOW).unwrap_err().to_string(),
        "câu hỏi 1: cần tên người duyệt / item 1: the reviewer's name is required"
    );
    for reason in [None, Some(""), Some("  ")] {
        let error = review(&conn, id, Decision::Reject, REVIEWER, reason, NOW).unwrap_err();
        assert!(matches!(error, StoreError::MissingComment(e) if e == id), "{error}");
    }
    assert_eq!(status(&conn, id), Status::Submitted);
    assert_eq!(history(&conn, id).unwrap().len(), 2);
}

#[test]
fn unknown_items_are_not_found_by_every_action() {
    let (_dir, conn, _ids) = with_items(1);
    let ghost = ItemId::new(9);
    let results = [
        submit(&conn, &[ghost], AUTHOR, NOW),
        review(&conn, ghost, Decision::Approve, REVIEWER, None, NOW),
        retire(&conn, ghost, REVIEWER, None, NOW),
        restore(&conn, ghost, REVIEWER, None, NOW),
        reopen(&conn, ghost, AUTHOR, NOW),
        history(&conn, ghost).map(|_| ()),
    ];
    for result in results {
        assert!(matches!(result, Err(StoreError::NotFound(id)) if id == ghost), "{result:?}");
    }
}

#[test]
fn a_database_failure_while_recording_the_history_undoes_the_status_change() {
    let (_dir, conn, ids) = with_items(1);
    item_in(&conn, ids[0], Status::Submitted);
    // The status UPDATE succeeds, then SQLite refuses the history row.
    conn.execute_batch(
        "CREATE TEMP TRIGGER refuse_approval BEFORE INSERT ON main.item_history \
         WHEN NEW.to_status = 'approved' BEGIN SELECT RAISE(ABORT, 'giả lập lỗi ghi'); END;",
    )
    .unwrap();
    let error = review(&conn, ids[0], Decision::Approve, REVIEWER, None, NOW).unwrap_err();
    assert!(matches!(error, StoreError::Sqlite { operation: store::Operation::Review, .. }), "{error}");
    assert!(
        error.to_string().starts_with("lỗi SQLite khi duyệt câu hỏi / SQLite error while reviewing items"),
        "{error}"
    );
    assert_eq!(status(&conn, ids[0]), Status::Submitted);
    assert_eq!(history(&conn, ids[0]).unwrap().len(), 2);
}
