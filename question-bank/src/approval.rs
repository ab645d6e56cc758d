//! The review policy an exam bundle is held to: every item approved, by a key the school trusts,
//! for the version the exam carries, by someone other than its author.
//!
//! The bank signs statements ([`phongthi_crypto::SignedReview`]) about one version of an item,
//! named by [`item_digest`]; assembly copies an item's author statements and approvals into the
//! bundle ([`Statements`]); `proctor exam add` runs [`check_approvals`] with the school's trusted
//! keys. The check lives here, beside the digest, so the bank's warning at assembly and the
//! proctor's refusal are the same rule.

use crate::exam::Exam;
use phongthi_crypto::{Digest, PublicKey, ReviewKind, SignedReview};
use phongthi_items::{Body, ClusterTable, Item, ItemId};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Each item's signed statements (author statements and approvals) as carried in a bundle: the
/// signed bytes, checked only by [`check_approvals`], so a bad statement is reported against its
/// item instead of making the whole exam unreadable.
pub type Statements = BTreeMap<ItemId, Vec<Vec<u8>>>;

/// The digest reviewers sign: SHA-256 of the item's JSON (serde writes fields in declaration
/// order, so the encoding is stable for a model version; the prefix names the version), with
/// everything a student or a grader sees — texts, options and keys, feedback, images, metadata.
///
/// One thing is left out on purpose: a true/false cluster's credit table, which the blueprint
/// sets for its part (assembly replaces the item's own). The table is the exam's scoring rule,
/// signed by the teacher with the bundle, not part of the question the group reviewed; without
/// this the digest of a cluster would differ between bank and exam.
pub fn item_digest(item: &Item) -> Digest {
    let mut reviewed = item.clone();
    if let Body::TrueFalseCluster { table, .. } = &mut reviewed.body {
        *table = ClusterTable::graduation_exam();
    }
    // An item always serialises (no maps with non-string keys, no floats); an empty encoding
    // would still be a digest no reviewer signed.
    let encoded = serde_json::to_vec(&reviewed).unwrap_or_default();
    phongthi_crypto::sha256_parts(&[b"phongthi/item-review/v1\0", &encoded])
}

/// Why an item does not meet the policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No approval at all.
    NotApproved,
    /// Approved only by a key that also signed as the item's author.
    SelfApproved,
    /// Approved only by keys the school does not trust.
    UntrustedReviewer {
        /// The first such key.
        key: PublicKey,
        /// The name the reviewer gave.
        name: String,
    },
    /// The approvals are of another version of the item (it changed after it was approved).
    OtherVersion,
    /// Approved, but no author signed this version, so "someone other than the author" cannot
    /// be checked.
    NoAuthorStatement,
    /// A statement does not verify or names another item.
    BadStatement(String),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::NotApproved => f.write_str("chưa được duyệt có chữ ký / not approved with a signature"),
            Refusal::SelfApproved => {
                f.write_str("tác giả tự duyệt (cùng khóa ký) / approved by its own author (same signing key)")
            }
            Refusal::UntrustedReviewer { key, name } => write!(
                f,
                "người duyệt «{name}» dùng khóa {} mà nhà trường chưa tin cậy / reviewer «{name}» signed with key {}, \
                 which the school does not trust",
                key.fingerprint(),
                key.fingerprint()
            ),
            Refusal::OtherVersion => f.write_str(
                "chữ ký duyệt dành cho phiên bản khác của câu hỏi (câu đã sửa sau khi duyệt) / the approval is for \
                 another version of the item (edited after approval)",
            ),
            Refusal::NoAuthorStatement => f.write_str(
                "không có chữ ký của tác giả cho phiên bản này (qbank submit --key) / no author signed this version \
                 (qbank submit --key)",
            ),
            Refusal::BadStatement(detail) => write!(f, "chữ ký duyệt hỏng / a review statement is invalid: {detail}"),
        }
    }
}

impl Refusal {
    /// Which reason to report when several approvals fail differently: the one that says most
    /// about what to do (lower is reported first).
    fn rank(&self) -> u8 {
        match self {
            Refusal::SelfApproved => 0,
            Refusal::UntrustedReviewer { .. } => 1,
            Refusal::NoAuthorStatement => 2,
            Refusal::OtherVersion => 3,
            Refusal::BadStatement(_) => 4,
            Refusal::NotApproved => 5,
        }
    }
}

/// An item that does not meet the policy, named as people find it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unapproved {
    /// The bank's number of the item.
    pub item: ItemId,
    /// Its question number on the first form.
    pub question: Option<usize>,
    /// The first words of its stem.
    pub stem_start: String,
    /// Why.
    pub refusal: Refusal,
}

impl fmt::Display for Unapproved {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.question {
            Some(n) => write!(f, "câu {n} / question {n} (#{}) «{}»: {}", self.item, self.stem_start, self.refusal),
            None => write!(f, "#{} «{}»: {}", self.item, self.stem_start, self.refusal),
        }
    }
}

/// A valid approval: who approved the item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Approver {
    /// The reviewer's key.
    pub key: PublicKey,
    /// The name they gave.
    pub name: String,
}

/// The outcome of [`check_approvals`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApprovalReport {
    /// Items that meet the policy, with their first valid approver.
    pub approved: BTreeMap<ItemId, Approver>,
    /// Items that do not, in question order of the first form.
    pub unapproved: Vec<Unapproved>,
}

impl ApprovalReport {
    /// The distinct reviewers of the approved items.
    pub fn reviewers(&self) -> Vec<&Approver> {
        let mut seen = BTreeSet::new();
        self.approved.values().filter(|a| seen.insert(a.key)).collect()
    }
}

/// Checks every item of `exam` against its `statements`: an item passes when one approval
/// verifies, names the item and its current [`item_digest`], is signed by a key `trusted`
/// accepts, and that key signed no author statement of the item, while some author signed this
/// version. Nothing is refused here; the caller decides what an [`ApprovalReport`] with
/// unapproved items means (a proctor refuses the exam unless it is a practice test).
pub fn check_approvals(exam: &Exam, statements: &Statements, trusted: impl Fn(&PublicKey) -> bool) -> ApprovalReport {
    let mut report = ApprovalReport::default();
    for (id, item) in exam.items() {
        let digest = item_digest(item);
        let mut authors = BTreeSet::new();
        let mut author_of_this_version = false;
        let mut approvals = Vec::new();
        let mut failures = Vec::new();
        for bytes in statements.get(id).map(Vec::as_slice).unwrap_or_default() {
            match SignedReview::verify(bytes) {
                Ok(signed) if signed.statement().item_id != id.get() => failures.push(Refusal::BadStatement(format!(
                    "nói về câu {} / names item {}",
                    signed.statement().item_id,
                    signed.statement().item_id
                ))),
                Ok(signed) => match signed.statement().kind {
                    ReviewKind::Author => {
                        authors.insert(signed.signer());
                        author_of_this_version |= signed.statement().item_digest == digest;
                    }
                    ReviewKind::Approve => approvals.push(signed),
                    ReviewKind::Reject => {}
                },
                Err(error) => failures.push(Refusal::BadStatement(error.to_string())),
            }
        }
        let mut approver = None;
        for approval in &approvals {
            let refusal = if approval.statement().item_digest != digest {
                Refusal::OtherVersion
            } else if authors.contains(&approval.signer()) {
                Refusal::SelfApproved
            } else if !trusted(&approval.signer()) {
                Refusal::UntrustedReviewer { key: approval.signer(), name: approval.statement().name.clone() }
            } else if !author_of_this_version {
                Refusal::NoAuthorStatement
            } else {
                approver = Some(Approver { key: approval.signer(), name: approval.statement().name.clone() });
                break;
            };
            failures.push(refusal);
        }
        match approver {
            Some(approver) => {
                report.approved.insert(*id, approver);
            }
            None => {
                // With no approval at all, a broken statement may have been the approval.
                let refusal = failures.into_iter().min_by_key(Refusal::rank).unwrap_or(Refusal::NotApproved);
                report.unapproved.push(Unapproved {
                    item: *id,
                    question: question_number(exam, *id),
                    stem_start: stem_start(&item.stem),
                    refusal,
                });
            }
        }
    }
    report.unapproved.sort_by_key(|u| (u.question.unwrap_or(usize::MAX), u.item));
    report
}

/// The item's 1-based number on the first form (the one a proctor sees first on paper).
fn question_number(exam: &Exam, id: ItemId) -> Option<usize> {
    exam.forms().first()?.questions.iter().position(|q| q.item == id).map(|i| i + 1)
}

/// The first eight words of a stem, for messages that name an item.
pub(crate) fn stem_start(stem: &str) -> String {
    let words: Vec<&str> = stem.split_whitespace().collect();
    let mut text = words.iter().take(8).copied().collect::<Vec<_>>().join(" ");
    if words.len() > 8 {
        text.push('…');
    }
    text
}

#[cfg(test)]
#[path = "approval_tests.rs"]
mod tests;
