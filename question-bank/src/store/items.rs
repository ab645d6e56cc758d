//! Items in the bank: import without duplicates, read back, list with filters and search, pick
//! approved candidates for a test, and count how often each was used.
//!
//! An item is stored as the JSON of [`Item`] without its image bytes (those go to the `images`
//! table once per distinct file) plus copies of the fields filters need. The JSON is the truth;
//! the copies are written from it in the same statement.

use super::error::{Operation, ResultExt, StoreError};
use super::{images, review, search};
use phongthi_crypto::Digest;
use phongthi_items::text::nfc;
use phongthi_items::{Image, Item, ItemId, ItemKind, Level, Status};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, Transaction, TransactionBehavior, params_from_iter};
use std::collections::BTreeSet;

/// An item as the bank holds it, with its number, review status and bookkeeping.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredItem {
    /// Its number in the bank.
    pub id: ItemId,
    /// The question, images included.
    pub item: Item,
    /// Where it stands in the review workflow.
    pub status: Status,
    /// How many tests drew it.
    pub usage_count: u64,
    /// When a test last drew it (Unix ms), if ever.
    pub last_used_ms: Option<i64>,
    /// [`Item::content_hash`] of the stored item.
    pub content_hash: Digest,
    /// When it was imported (Unix ms).
    pub created_ms: i64,
    /// When its row last changed (status), Unix ms.
    pub updated_ms: i64,
}

/// What [`import_items`] did with each item it was given, in input order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Items that were new, stored as drafts.
    pub inserted: Vec<ItemId>,
    /// Items whose content the bank already had (or that repeat an earlier item of the same
    /// import): the stored item's number, nothing written.
    pub existing: Vec<ItemId>,
}

/// Which items [`list`] returns; `None` fields do not filter. All given fields must match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ItemFilter {
    /// Subject, compared after NFC, trimming and lower-casing (`toán` finds `Toán`).
    pub subject: Option<String>,
    /// Grade.
    pub grade: Option<u8>,
    /// Topic, compared like the subject.
    pub topic: Option<String>,
    /// Cognitive level.
    pub level: Option<Level>,
    /// Kind.
    pub kind: Option<ItemKind>,
    /// Review status.
    pub status: Option<Status>,
    /// Words that must all appear in the name, stem, options, statements or accepted answers,
    /// diacritics and case ignored (`menh de` finds `Mệnh đề`). Text with no letters or digits
    /// does not filter.
    pub search: Option<String>,
}

/// The key a subject or topic is compared by: NFC, trimmed, inner whitespace collapsed, lower
/// case. Unicode lower-casing, because SQLite's `NOCASE` only folds ASCII and would treat
/// `TOÁN` and `toán` as different.
pub(crate) fn text_key(text: &str) -> String {
    nfc(&nfc(text).split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase())
}

/// Stores `items` as drafts in one transaction: either all are handled or, on any error,
/// nothing is written. An item whose content the bank already has is not stored again and is
/// reported in [`ImportSummary::existing`]. Every item is validated ([`Item::validate`]) and its
/// text stored in NFC (an item typed with combining marks matches the precomposed one).
pub fn import_items(conn: &Connection, items: &[Item], now_ms: i64) -> Result<ImportSummary, StoreError> {
    let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate).during(Operation::Import)?;
    let mut summary = ImportSummary::default();
    for (index, item) in items.iter().enumerate() {
        let item = normalized(item)?;
        item.validate().map_err(|source| StoreError::InvalidItem { index, source })?;
        let hash = item.content_hash().to_hex();
        match find_by_hash(&tx, &hash).during(Operation::Import)? {
            Some(id) => summary.existing.push(id),
            None => summary.inserted.push(insert(&tx, &item, &hash, now_ms)?),
        }
    }
    tx.commit().during(Operation::Import)?;
    Ok(summary)
}

/// `item` with every text in NFC. Round-tripping through JSON reaches every string of every
/// kind without a hand-written walk that a new field could be forgotten in; NFC cannot join
/// characters across a JSON quote, so normalising the JSON text normalises each string alone.
fn normalized(item: &Item) -> Result<Item, StoreError> {
    let mut without_images = item.clone();
    let images = std::mem::take(&mut without_images.images);
    let json = serde_json::to_string(&without_images).map_err(StoreError::Encode)?;
    let mut normalized: Item = serde_json::from_str(&nfc(&json)).map_err(StoreError::Encode)?;
    normalized.images = images.into_iter().map(|image| Image { name: nfc(&image.name), bytes: image.bytes }).collect();
    Ok(normalized)
}

fn find_by_hash(conn: &Connection, hash: &str) -> rusqlite::Result<Option<ItemId>> {
    conn.prepare_cached("SELECT id FROM items WHERE content_hash = ?1")?
        .query_row([hash], |row| row.get(0).map(ItemId::new))
        .optional()
}

/// Writes a new draft: its row, images, search words and the first history entry.
fn insert(tx: &Connection, item: &Item, hash: &str, now_ms: i64) -> Result<ItemId, StoreError> {
    let mut without_images = item.clone();
    without_images.images.clear();
    let json = serde_json::to_string(&without_images).map_err(StoreError::Encode)?;
    let meta = &item.meta;
    tx.prepare_cached(
        "INSERT INTO items (content_hash, item_json, kind, status, subject_key, grade, topic_key, level, \
         author, source, created_ms, updated_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
    )
    .and_then(|mut statement| {
        statement.execute((
            hash,
            &json,
            item.kind().name(),
            Status::Draft.ascii(),
            meta.subject.as_deref().map(text_key),
            meta.grade,
            meta.topic.as_deref().map(text_key),
            meta.level.map(Level::ascii),
            &meta.author,
            meta.source.as_ref().map(ToString::to_string),
            now_ms,
        ))
    })
    .during(Operation::Import)?;
    let id = ItemId::new(tx.last_insert_rowid());
    images::attach(tx, id, &item.images).during(Operation::Import)?;
    search::index_item(tx, id, item).during(Operation::Import)?;
    let by = meta.author.as_deref().unwrap_or_default();
    review::append_history(tx, id, None, Status::Draft, by, None, now_ms).during(Operation::Import)?;
    Ok(id)
}

/// The columns every read selects, in the order [`RawRow::read`] expects.
const COLUMNS: &str = "id, item_json, status, usage_count, last_used_ms, content_hash, created_ms, updated_ms";

/// A row as SQLite gives it, before the JSON and names are checked.
struct RawRow {
    id: ItemId,
    json: String,
    status: String,
    usage_count: i64,
    last_used_ms: Option<i64>,
    content_hash: String,
    created_ms: i64,
    updated_ms: i64,
}

impl RawRow {
    fn read(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: ItemId::new(row.get(0)?),
            json: row.get(1)?,
            status: row.get(2)?,
            usage_count: row.get(3)?,
            last_used_ms: row.get(4)?,
            content_hash: row.get(5)?,
            created_ms: row.get(6)?,
            updated_ms: row.get(7)?,
        })
    }

    /// Parses the row and re-attaches the images.
    fn decode(self, conn: &Connection, operation: Operation) -> Result<StoredItem, StoreError> {
        let id = self.id;
        let corrupt = |detail: String| StoreError::Corrupt { id, detail };
        let mut item: Item = serde_json::from_str(&self.json).map_err(|e| corrupt(format!("item_json: {e}")))?;
        let status = Status::parse(&self.status).ok_or_else(|| corrupt(format!("status {:?}", self.status)))?;
        let content_hash = Digest::from_hex(&self.content_hash)
            .ok_or_else(|| corrupt(format!("content_hash {:?}", self.content_hash)))?;
        let usage_count =
            u64::try_from(self.usage_count).map_err(|_| corrupt(format!("usage_count {}", self.usage_count)))?;
        item.images = images::images_of(conn, id).during(operation)?;
        Ok(StoredItem {
            id,
            item,
            status,
            usage_count,
            last_used_ms: self.last_used_ms,
            content_hash,
            created_ms: self.created_ms,
            updated_ms: self.updated_ms,
        })
    }
}

/// The item numbered `id`, or [`StoreError::NotFound`].
pub fn get(conn: &Connection, id: ItemId) -> Result<StoredItem, StoreError> {
    let raw = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM items WHERE id = ?1"))
        .and_then(|mut statement| statement.query_row([id.get()], RawRow::read).optional())
        .during(Operation::Read)?
        .ok_or(StoreError::NotFound(id))?;
    raw.decode(conn, Operation::Read)
}

/// The items matching `filter`, oldest first.
pub fn list(conn: &Connection, filter: &ItemFilter) -> Result<Vec<StoredItem>, StoreError> {
    let mut sql = format!("SELECT {COLUMNS} FROM items WHERE 1");
    let mut values: Vec<Value> = Vec::new();
    let mut condition = |clause: &str, value: Value| {
        sql.push_str(" AND ");
        sql.push_str(clause);
        values.push(value);
    };
    if let Some(subject) = &filter.subject {
        condition("subject_key = ?", Value::Text(text_key(subject)));
    }
    if let Some(grade) = filter.grade {
        condition("grade = ?", Value::Integer(grade.into()));
    }
    if let Some(topic) = &filter.topic {
        condition("topic_key = ?", Value::Text(text_key(topic)));
    }
    if let Some(level) = filter.level {
        condition("level = ?", Value::Text(level.ascii().to_owned()));
    }
    if let Some(kind) = filter.kind {
        condition("kind = ?", Value::Text(kind.name().to_owned()));
    }
    if let Some(status) = filter.status {
        condition("status = ?", Value::Text(status.ascii().to_owned()));
    }
    if let Some(query) = filter.search.as_deref().and_then(search::match_query) {
        condition("id IN (SELECT rowid FROM item_search WHERE item_search MATCH ?)", Value::Text(query));
    }
    sql.push_str(" ORDER BY id");

    let raws: Vec<RawRow> = conn
        .prepare(&sql)
        .and_then(|mut statement| statement.query_map(params_from_iter(values), RawRow::read)?.collect())
        .during(Operation::Search)?;
    raws.into_iter().map(|raw| raw.decode(conn, Operation::Search)).collect()
}

/// Approved items of `kind` (and of `subject`, compared like [`ItemFilter::subject`], when
/// given): what test assembly may draw from.
pub fn candidates(conn: &Connection, subject: Option<&str>, kind: ItemKind) -> Result<Vec<StoredItem>, StoreError> {
    let filter = ItemFilter {
        subject: subject.map(str::to_owned),
        kind: Some(kind),
        status: Some(Status::Approved),
        ..ItemFilter::default()
    };
    list(conn, &filter)
}

/// Counts one more use of each item in `ids` (one call is one test, so an id listed twice
/// counts once) and notes `now_ms` as its last use. All or nothing: an unknown id is
/// [`StoreError::NotFound`] and no count changes.
pub fn record_usage(conn: &Connection, ids: &[ItemId], now_ms: i64) -> Result<(), StoreError> {
    let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate).during(Operation::RecordUsage)?;
    let distinct: BTreeSet<ItemId> = ids.iter().copied().collect();
    for id in distinct {
        let changed = tx
            .prepare_cached("UPDATE items SET usage_count = usage_count + 1, last_used_ms = ?1 WHERE id = ?2")
            .and_then(|mut statement| statement.execute((now_ms, id.get())))
            .during(Operation::RecordUsage)?;
        if changed == 0 {
            return Err(StoreError::NotFound(id));
        }
    }
    tx.commit().during(Operation::RecordUsage)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: &str) {
        assert_eq!(text_key(text), expected, "{text:?}");
    }

    #[test]
    fn subject_and_topic_keys_ignore_case_spacing_and_normalisation() {
        check("Toán", "toán");
        check("  TOÁN ", "toán");
        check("To\u{0061}\u{0301}n", "toán");
        check("Vật   lí", "vật lí");
        check("HÓA HỌC", "hóa học");
        check("Mệnh đề", "mệnh đề");
    }
}
