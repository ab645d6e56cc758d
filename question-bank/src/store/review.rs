//! The subject group's review (tổ chuyên môn duyệt): authors submit drafts, a reviewer approves
//! or rejects them with a comment, approved items can be retired and brought back, and a
//! rejected item goes back to draft for its author to fix.
//!
//! Every change is checked with [`Status::can_become`] and appended to `item_history`, which is
//! never rewritten: it is the group's record of who accepted what, when and why.

use super::error::{Operation, ResultExt, StoreError};
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

/// Sends drafts (or rejected items the author fixed) to the subject group. All or nothing: if
/// one of `ids` cannot be submitted, none is.
pub fn submit(conn: &Connection, ids: &[ItemId], by: &str, now_ms: i64) -> Result<(), StoreError> {
    let tx = begin(conn)?;
    for &id in ids {
        change_status(&tx, id, Status::Submitted, by, None, now_ms)?;
    }
    tx.commit().during(Operation::Review)
}

/// Records the reviewer `by`'s decision on a submitted item. Both decisions need the reviewer's
/// name ([`StoreError::MissingReviewer`]); a rejection also needs a comment telling the author
/// what to fix ([`StoreError::MissingComment`]).
pub fn review(
    conn: &Connection,
    id: ItemId,
    decision: Decision,
    by: &str,
    comment: Option<&str>,
    now_ms: i64,
) -> Result<(), StoreError> {
    if by.trim().is_empty() {
        return Err(StoreError::MissingReviewer(id));
    }
    let to = match decision {
        Decision::Approve => Status::Approved,
        Decision::Reject => {
            if comment.is_none_or(|c| c.trim().is_empty()) {
                return Err(StoreError::MissingComment(id));
            }
            Status::Rejected
        }
    };
    single_change(conn, id, to, by, comment, now_ms)
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
