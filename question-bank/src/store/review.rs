//! The subject group's review (tổ chuyên môn duyệt): authors submit drafts, a reviewer approves
//! or rejects them with a comment, approved items can be retired and brought back, and a
//! rejected item goes back to draft for its author to fix.
//!
//! Every change is checked with [`Status::can_become`] and appended to `item_history`, which is
//! never rewritten: it is the group's record of who accepted what, when and why.
//!
//! With a key (`qbank submit --key`, `qbank review --key`) the author's submission and the
//! reviewer's decision are also signed ([`phongthi_crypto::SignedReview`] over
//! [`crate::approval::item_digest`] of the item as it is now) and kept in `item_statements`
//! (schema v2, append-only); assembly carries them into the bundle. A name alone still records
//! the change, but only signed approvals satisfy a proctor's policy. An author cannot approve
//! their own item: an approval is refused when the reviewer's key signed the item as its author,
//! or when the reviewer's name is the item's author's or a submitter's.

use super::error::{Operation, ResultExt, SelfApproval, StoreError};
use super::items::text_key;
use crate::approval::{Statements, item_digest, stem_start};
use phongthi_crypto::{ReviewKind, ReviewStatement, SignedReview, SigningKey};
use phongthi_items::text::nfc;
use phongthi_items::{ItemId, Status};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};

/// A reviewer's verdict on a submitted item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Approved for use in tests (duyệt).
    Approve,
    /// Sent back to the author (từ chối); needs a comment.
    Reject,
}

/// One change of an item's status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryEntry {
    /// The item.
    pub item: ItemId,
    /// Status before; `None` for the entry that records the import.
    pub from: Option<Status>,
    /// Status after.
    pub to: Status,
    /// Who made the change (for the import: the item's author, if known).
    pub by: String,
    /// Why, if said.
    pub comment: Option<String>,
    /// When (Unix ms).
    pub at_ms: i64,
}

/// A signed statement as the bank holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredStatement {
    /// The statement and its signer.
    pub signed: SignedReview,
    /// Whether it is about the item as it is now (its digest is the current one).
    pub current: bool,
}

/// Sends drafts (or rejected items the author fixed) to the subject group, unsigned. All or
/// nothing: if one of `ids` cannot be submitted, none is.
pub fn submit(conn: &Connection, ids: &[ItemId], by: &str, now_ms: i64) -> Result<(), StoreError> {
    submit_with(conn, ids, by, None, now_ms)
}

/// [`submit`], each item's author statement signed with the author's `key`.
pub fn submit_signed(
    conn: &Connection,
    ids: &[ItemId],
    by: &str,
    key: &SigningKey,
    now_ms: i64,
) -> Result<(), StoreError> {
    submit_with(conn, ids, by, Some(key), now_ms)
}

fn submit_with(
    conn: &Connection,
    ids: &[ItemId],
    by: &str,
    key: Option<&SigningKey>,
    now_ms: i64,
) -> Result<(), StoreError> {
    let tx = begin(conn)?;
    for &id in ids {
        change_status(&tx, id, Status::Submitted, by, None, now_ms)?;
        if let Some(key) = key {
            record_statement(&tx, id, ReviewKind::Author, by, None, key, now_ms)?;
        }
    }
    tx.commit().during(Operation::Review)
}

/// Records the reviewer `by`'s decision on a submitted item, unsigned. Both decisions need the
/// reviewer's name ([`StoreError::MissingReviewer`]); a rejection also needs a comment telling
/// the author what to fix ([`StoreError::MissingComment`]); an approval by the item's author or
/// a submitter of it, by name, is [`StoreError::SelfApproval`].
pub fn review(
    conn: &Connection,
    id: ItemId,
    decision: Decision,
    by: &str,
    comment: Option<&str>,
    now_ms: i64,
) -> Result<(), StoreError> {
    review_with(conn, id, decision, by, comment, None, now_ms)
}

/// [`review`], the decision signed with the reviewer's `key`; an approval is also refused when
/// `key` signed the item as its author.
pub fn review_signed(
    conn: &Connection,
    id: ItemId,
    decision: Decision,
    by: &str,
    comment: Option<&str>,
    key: &SigningKey,
    now_ms: i64,
) -> Result<(), StoreError> {
    review_with(conn, id, decision, by, comment, Some(key), now_ms)
}

fn review_with(
    conn: &Connection,
    id: ItemId,
    decision: Decision,
    by: &str,
    comment: Option<&str>,
    key: Option<&SigningKey>,
    now_ms: i64,
) -> Result<(), StoreError> {
    if by.trim().is_empty() {
        return Err(StoreError::MissingReviewer(id));
    }
    let (to, kind) = match decision {
        Decision::Approve => (Status::Approved, ReviewKind::Approve),
        Decision::Reject => {
            if comment.is_none_or(|c| c.trim().is_empty()) {
                return Err(StoreError::MissingComment(id));
            }
            (Status::Rejected, ReviewKind::Reject)
        }
    };
    let tx = begin(conn)?;
    if decision == Decision::Approve {
        refuse_self_approval(&tx, id, by, key)?;
    }
    change_status(&tx, id, to, by, comment, now_ms)?;
    if let Some(key) = key {
        record_statement(&tx, id, kind, by, comment, key, now_ms)?;
    }
    tx.commit().during(Operation::Review)
}

/// Refuses an approval by the item's author: by key (an author statement of the item signed by
/// `key`) or by name (the item's `author`, or whoever submitted it).
fn refuse_self_approval(tx: &Connection, id: ItemId, by: &str, key: Option<&SigningKey>) -> Result<(), StoreError> {
    let stored = super::items::get(tx, id)?;
    let stem = stored.item.stem.clone();
    if let Some(key) = key {
        let authored: bool = tx
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM item_statements WHERE item_id = ?1 AND kind = 'author' AND signer_key = ?2)",
            )
            .and_then(|mut statement| {
                statement.query_row((id.get(), key.public_key().as_bytes().as_slice()), |row| row.get(0))
            })
            .during(Operation::Review)?;
        if authored {
            return Err(StoreError::SelfApproval {
                id,
                stem: stem_start(&stem),
                how: SelfApproval::Key(key.public_key().fingerprint()),
            });
        }
    }
    let submitters: Vec<String> = tx
        .prepare_cached("SELECT changed_by FROM item_history WHERE item_id = ?1 AND to_status = 'submitted'")
        .and_then(|mut statement| statement.query_map([id.get()], |row| row.get(0))?.collect())
        .during(Operation::Review)?;
    let reviewer = text_key(by);
    let author = stored.item.meta.author.iter().cloned().chain(submitters).find(|name| text_key(name) == reviewer);
    if let Some(name) = author {
        return Err(StoreError::SelfApproval {
            id,
            stem: stem_start(&stem),
            how: SelfApproval::Name(nfc(name.trim())),
        });
    }
    Ok(())
}

/// Signs `kind` over the item as it is now and appends the statement.
fn record_statement(
    tx: &Connection,
    id: ItemId,
    kind: ReviewKind,
    by: &str,
    comment: Option<&str>,
    key: &SigningKey,
    now_ms: i64,
) -> Result<(), StoreError> {
    let item = super::items::get(tx, id)?.item;
    let digest = item_digest(&item);
    let statement = ReviewStatement {
        kind,
        item_id: id.get(),
        item_digest: digest,
        at_ms: u64::try_from(now_ms).unwrap_or_default(),
        name: nfc(by.trim()),
        comment: comment.map(|c| nfc(c.trim())).unwrap_or_default(),
    };
    let signed = statement.sign(key).map_err(|source| StoreError::Sign { id, source })?;
    tx.prepare_cached(
        "INSERT INTO item_statements (item_id, kind, signer_key, item_digest, statement, at_ms) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .and_then(|mut statement| {
        statement.execute((
            id.get(),
            kind.ascii(),
            key.public_key().as_bytes().as_slice(),
            digest.to_hex(),
            signed.as_bytes(),
            now_ms,
        ))
    })
    .during(Operation::Review)?;
    Ok(())
}

/// Every signed statement about `id`, oldest first, each verified again and marked with whether
/// it is about the item as it is now.
pub fn statements(conn: &Connection, id: ItemId) -> Result<Vec<StoredStatement>, StoreError> {
    let current = item_digest(&super::items::get(conn, id)?.item);
    let rows: Vec<Vec<u8>> = conn
        .prepare_cached("SELECT statement FROM item_statements WHERE item_id = ?1 ORDER BY id")
        .and_then(|mut statement| statement.query_map([id.get()], |row| row.get(0))?.collect())
        .during(Operation::Read)?;
    rows.into_iter()
        .map(|bytes| {
            let signed = SignedReview::verify(&bytes)
                .map_err(|e| StoreError::Corrupt { id, detail: format!("item_statements: {e}") })?;
            let current = signed.statement().item_digest == current;
            Ok(StoredStatement { signed, current })
        })
        .collect()
}

/// What a bundle carries for `ids`: each item's author statements and approvals, whatever
/// version they are of (the proctor tells an approval of another version apart and says so).
pub fn carried_statements(conn: &Connection, ids: &[ItemId]) -> Result<Statements, StoreError> {
    let mut carried = Statements::new();
    for &id in ids {
        let list: Vec<Vec<u8>> = statements(conn, id)?
            .into_iter()
            .filter(|s| matches!(s.signed.statement().kind, ReviewKind::Author | ReviewKind::Approve))
            .map(|s| s.signed.as_bytes().to_vec())
            .collect();
        if !list.is_empty() {
            carried.insert(id, list);
        }
    }
    Ok(carried)
}

/// Takes an approved item out of use. It stays in the bank for the record of past tests.
pub fn retire(conn: &Connection, id: ItemId, by: &str, comment: Option<&str>, now_ms: i64) -> Result<(), StoreError> {
    single_change(conn, id, Status::Retired, by, comment, now_ms)
}

/// Brings a retired item back into use (approved).
pub fn restore(conn: &Connection, id: ItemId, by: &str, comment: Option<&str>, now_ms: i64) -> Result<(), StoreError> {
    single_change(conn, id, Status::Approved, by, comment, now_ms)
}

/// Returns a rejected item to draft so its author can work on it again.
pub fn reopen(conn: &Connection, id: ItemId, by: &str, now_ms: i64) -> Result<(), StoreError> {
    single_change(conn, id, Status::Draft, by, None, now_ms)
}

/// Every status change of `id`, oldest first, starting with its import.
pub fn history(conn: &Connection, id: ItemId) -> Result<Vec<HistoryEntry>, StoreError> {
    current_status(conn, id)?;
    let raw: Vec<RawEntry> = conn
        .prepare_cached(
            "SELECT from_status, to_status, changed_by, comment, at_ms FROM item_history \
             WHERE item_id = ?1 ORDER BY id",
        )
        .and_then(|mut statement| {
            statement
                .query_map([id.get()], |row| {
                    Ok(RawEntry {
                        from: row.get(0)?,
                        to: row.get(1)?,
                        by: row.get(2)?,
                        comment: row.get(3)?,
                        at_ms: row.get(4)?,
                    })
                })?
                .collect()
        })
        .during(Operation::Read)?;
    raw.into_iter()
        .map(|entry| {
            let from = entry.from.map(|from| parse_status(id, &from)).transpose()?;
            let to = parse_status(id, &entry.to)?;
            Ok(HistoryEntry { item: id, from, to, by: entry.by, comment: entry.comment, at_ms: entry.at_ms })
        })
        .collect()
}

/// A history row as SQLite gives it, before the status names are checked.
struct RawEntry {
    from: Option<String>,
    to: String,
    by: String,
    comment: Option<String>,
    at_ms: i64,
}

/// Appends one history entry; used by the import too, so the history starts with it.
pub(crate) fn append_history(
    conn: &Connection,
    id: ItemId,
    from: Option<Status>,
    to: Status,
    by: &str,
    comment: Option<&str>,
    now_ms: i64,
) -> rusqlite::Result<()> {
    let by = nfc(by.trim());
    let comment = comment.map(|c| nfc(c.trim())).filter(|c| !c.is_empty());
    conn.prepare_cached(
        "INSERT INTO item_history (item_id, from_status, to_status, changed_by, comment, at_ms) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute((id.get(), from.map(Status::ascii), to.ascii(), by, comment, now_ms))?;
    Ok(())
}

fn begin(conn: &Connection) -> Result<Transaction<'_>, StoreError> {
    Transaction::new_unchecked(conn, TransactionBehavior::Immediate).during(Operation::Review)
}

fn single_change(
    conn: &Connection,
    id: ItemId,
    to: Status,
    by: &str,
    comment: Option<&str>,
    now_ms: i64,
) -> Result<(), StoreError> {
    let tx = begin(conn)?;
    change_status(&tx, id, to, by, comment, now_ms)?;
    tx.commit().during(Operation::Review)
}

/// Moves `id` to `to` if the workflow allows it, and records the change.
fn change_status(
    tx: &Connection,
    id: ItemId,
    to: Status,
    by: &str,
    comment: Option<&str>,
    now_ms: i64,
) -> Result<(), StoreError> {
    let from = current_status(tx, id)?;
    if !from.can_become(to) {
        return Err(StoreError::BadTransition { id, from, to });
    }
    tx.prepare_cached("UPDATE items SET status = ?1, updated_ms = ?2 WHERE id = ?3")
        .and_then(|mut statement| statement.execute((to.ascii(), now_ms, id.get())))
        .during(Operation::Review)?;
    append_history(tx, id, Some(from), to, by, comment, now_ms).during(Operation::Review)
}

fn current_status(conn: &Connection, id: ItemId) -> Result<Status, StoreError> {
    let status: String = conn
        .prepare_cached("SELECT status FROM items WHERE id = ?1")
        .and_then(|mut statement| statement.query_row([id.get()], |row| row.get(0)).optional())
        .during(Operation::Review)?
        .ok_or(StoreError::NotFound(id))?;
    parse_status(id, &status)
}

fn parse_status(id: ItemId, text: &str) -> Result<Status, StoreError> {
    Status::parse(text).ok_or_else(|| StoreError::Corrupt { id, detail: format!("status {text:?}") })
}
