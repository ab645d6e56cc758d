use super::*;
use crate::assembly::assemble;
use crate::forms::make_forms;
use crate::test_fixtures::*;
use phongthi_crypto::{ReviewStatement, SigningKey};
use phongthi_items::{Fraction, ItemKind};

struct Keys {
    author: SigningKey,
    reviewer: SigningKey,
}

fn keys() -> Keys {
    Keys { author: SigningKey::generate().unwrap(), reviewer: SigningKey::generate().unwrap() }
}

fn example_exam() -> Exam {
    let blueprint = example_blueprint();
    let test = assemble(&blueprint, &toan10_bank(), 0).unwrap();
    let forms = make_forms(&test, blueprint.forms(), 0);
    Exam::new(test, forms).unwrap()
}

fn sign(key: &SigningKey, kind: ReviewKind, id: ItemId, item: &Item, name: &str) -> Vec<u8> {
    let statement = ReviewStatement {
        kind,
        item_id: id.get(),
        item_digest: item_digest(item),
        at_ms: 1,
        name: name.into(),
        comment: String::new(),
    };
    statement.sign(key).unwrap().as_bytes().to_vec()
}

/// Every item signed by `author` and approved by `approver`.
fn signed_by(exam: &Exam, author: &SigningKey, approver: &SigningKey) -> Statements {
    exam.items()
        .iter()
        .map(|(id, item)| {
            (
                *id,
                vec![
                    sign(author, ReviewKind::Author, *id, item, "cô Lan"),
                    sign(approver, ReviewKind::Approve, *id, item, "tổ trưởng"),
                ],
            )
        })
        .collect()
}

fn check(exam: &Exam, statements: &Statements, trusted: &[PublicKey], expected: &[(i64, Refusal)]) {
    let report = check_approvals(exam, statements, |key| trusted.contains(key));
    let found: Vec<(i64, Refusal)> = report.unapproved.iter().map(|u| (u.item.get(), u.refusal.clone())).collect();
    let mut expected = expected.to_vec();
    expected.sort_by_key(|(id, _)| report.unapproved.iter().position(|u| u.item.get() == *id));
    assert_eq!(found, expected);
    assert_eq!(report.approved.len() + report.unapproved.len(), exam.items().len());
}

#[test]
fn an_exam_approved_by_a_trusted_reviewer_passes() {
    let exam = example_exam();
    let k = keys();
    let statements = signed_by(&exam, &k.author, &k.reviewer);
    check(&exam, &statements, &[k.reviewer.public_key()], &[]);
    let report = check_approvals(&exam, &statements, |key| *key == k.reviewer.public_key());
    assert_eq!(report.reviewers().len(), 1);
    assert_eq!(report.reviewers()[0].name, "tổ trưởng");
}

#[test]
fn each_way_of_falling_short_is_named_against_its_item() {
    let exam = example_exam();
    let k = keys();
    let trusted = [k.reviewer.public_key(), k.author.public_key()];
    let ids: Vec<ItemId> = exam.items().keys().copied().collect();
    let mut statements = signed_by(&exam, &k.author, &k.reviewer);
    let item = |id: ItemId| exam.items()[&id].clone();

    // 0: no statements at all.
    statements.remove(&ids[0]);
    // 1: the author approved their own item (a key the school trusts, even).
    statements.insert(
        ids[1],
        vec![
            sign(&k.author, ReviewKind::Author, ids[1], &item(ids[1]), "cô Lan"),
            sign(&k.author, ReviewKind::Approve, ids[1], &item(ids[1]), "cô Lan"),
        ],
    );
    // 2: approved by a stranger's key.
    let stranger = SigningKey::generate().unwrap();
    statements.insert(
        ids[2],
        vec![
            sign(&k.author, ReviewKind::Author, ids[2], &item(ids[2]), "cô Lan"),
            sign(&stranger, ReviewKind::Approve, ids[2], &item(ids[2]), "người lạ"),
        ],
    );
    // 3: approved, then edited: the statements are of the earlier version.
    let mut before = item(ids[3]);
    before.stem.push_str(" (bản cũ)");
    statements.insert(
        ids[3],
        vec![
            sign(&k.author, ReviewKind::Author, ids[3], &before, "cô Lan"),
            sign(&k.reviewer, ReviewKind::Approve, ids[3], &before, "tổ trưởng"),
        ],
    );
    // 4: approved, but no author signed it.
    statements.insert(ids[4], vec![sign(&k.reviewer, ReviewKind::Approve, ids[4], &item(ids[4]), "tổ trưởng")]);
    // 5: a damaged statement is all there is.
    let mut damaged = sign(&k.reviewer, ReviewKind::Approve, ids[5], &item(ids[5]), "tổ trưởng");
    let last = damaged.len() - 1;
    damaged[last] ^= 1;
    statements.insert(ids[5], vec![sign(&k.author, ReviewKind::Author, ids[5], &item(ids[5]), "cô Lan"), damaged]);
    // 6: a valid approval copied from another item.
    statements.insert(
        ids[6],
        vec![
            sign(&k.author, ReviewKind::Author, ids[6], &item(ids[6]), "cô Lan"),
            sign(&k.reviewer, ReviewKind::Approve, ids[7], &item(ids[7]), "tổ trưởng"),
        ],
    );
    // 7: a rejection is not an approval.
    statements.insert(
        ids[7],
        vec![
            sign(&k.author, ReviewKind::Author, ids[7], &item(ids[7]), "cô Lan"),
            sign(&k.reviewer, ReviewKind::Reject, ids[7], &item(ids[7]), "tổ trưởng"),
        ],
    );

    let tampered = format!(
        "{} / {}",
        "review statement đã bị sửa đổi hoặc hỏng", "review statement was tampered with or corrupted"
    );
    check(
        &exam,
        &statements,
        &trusted,
        &[
            (ids[0].get(), Refusal::NotApproved),
            (ids[1].get(), Refusal::SelfApproved),
            (ids[2].get(), Refusal::UntrustedReviewer { key: stranger.public_key(), name: "người lạ".into() }),
            (ids[3].get(), Refusal::OtherVersion),
            (ids[4].get(), Refusal::NoAuthorStatement),
            (ids[5].get(), Refusal::BadStatement(tampered)),
            (ids[6].get(), Refusal::BadStatement(format!("nói về câu {} / names item {}", ids[7], ids[7]))),
            (ids[7].get(), Refusal::NotApproved),
        ],
    );
}

#[test]
fn a_valid_approval_beside_failing_ones_is_enough() {
    let exam = example_exam();
    let k = keys();
    let stranger = SigningKey::generate().unwrap();
    let mut statements = signed_by(&exam, &k.author, &k.reviewer);
    for (id, item) in exam.items() {
        let list = statements.get_mut(id).unwrap();
        list.insert(0, sign(&stranger, ReviewKind::Approve, *id, item, "người lạ"));
        list.insert(0, sign(&k.author, ReviewKind::Approve, *id, item, "cô Lan"));
    }
    check(&exam, &statements, &[k.reviewer.public_key()], &[]);
}

#[test]
fn an_untrusted_reviewer_is_refused_even_when_everything_else_holds() {
    let exam = example_exam();
    let k = keys();
    let statements = signed_by(&exam, &k.author, &k.reviewer);
    let report = check_approvals(&exam, &statements, |_| false);
    assert!(report.approved.is_empty());
    assert_eq!(report.unapproved.len(), exam.items().len());
    assert!(report.unapproved.iter().all(|u| matches!(u.refusal, Refusal::UntrustedReviewer { .. })));
    // Named as a proctor finds them: question numbers of the first form, in order.
    let numbers: Vec<usize> = report.unapproved.iter().filter_map(|u| u.question).collect();
    assert_eq!(numbers, (1..=exam.question_count()).collect::<Vec<_>>());
    let shown = report.unapproved[0].to_string();
    assert!(shown.starts_with("câu 1 / question 1 (#"), "{shown}");
    assert!(shown.contains("chưa tin cậy") && shown.contains(&k.reviewer.public_key().fingerprint()), "{shown}");
}

#[test]
fn the_digest_covers_what_students_and_graders_see_but_not_the_blueprints_cluster_table() {
    let items = toan10_items();
    let base = &items[0];
    let digest = item_digest(base);
    let mut changed = base.clone();
    changed.stem.push('!');
    assert_ne!(item_digest(&changed), digest);
    let mut keyed = base.clone();
    if let Body::SingleChoice { options } = &mut keyed.body {
        options.swap(0, 1);
    }
    assert_ne!(item_digest(&keyed), digest);
    let mut feedback = base.clone();
    feedback.general_feedback = Some("Xem lại định nghĩa.".into());
    assert_ne!(item_digest(&feedback), digest);

    let cluster = items.iter().find(|i| i.kind() == ItemKind::TrueFalseCluster).unwrap();
    let mut rescored = cluster.clone();
    if let Body::TrueFalseCluster { table, .. } = &mut rescored.body {
        let steps = [2_500_000, 5_000_000, 7_500_000, 10_000_000];
        *table = ClusterTable::new(steps.into_iter().filter_map(Fraction::from_raw).collect()).unwrap();
    }
    assert_ne!(rescored, *cluster);
    assert_eq!(item_digest(&rescored), item_digest(cluster));
}

#[test]
fn the_digest_is_the_same_after_the_exam_goes_through_a_bundle() {
    let exam = example_exam();
    let before: Vec<Digest> = exam.items().values().map(item_digest).collect();
    let json = serde_json::to_vec(&exam).unwrap();
    let again: Exam = serde_json::from_slice(&json).unwrap();
    let after: Vec<Digest> = again.items().values().map(item_digest).collect();
    assert_eq!(before, after);
}
