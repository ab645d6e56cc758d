//! Image files of items, stored once per distinct content (keyed by SHA-256) however many items
//! or names refer to them, and given back to each item under its own names and in its order.

use super::error::{Operation, ResultExt, StoreError};
use phongthi_items::{Image, ItemId};
use rusqlite::Connection;

/// Stores `images` for the item `item_id`, reusing files already in the bank.
pub(crate) fn attach(conn: &Connection, item_id: ItemId, images: &[Image]) -> rusqlite::Result<()> {
    let mut store_file = conn.prepare_cached("INSERT OR IGNORE INTO images (sha256, bytes) VALUES (?1, ?2)")?;
    let mut link =
        conn.prepare_cached("INSERT INTO item_images (item_id, position, name, sha256) VALUES (?1, ?2, ?3, ?4)")?;
    for (position, image) in images.iter().enumerate() {
        let sha256 = phongthi_crypto::sha256(&image.bytes).to_hex();
        store_file.execute((&sha256, &image.bytes))?;
        // An item cannot have more than i64::MAX images; saturating keeps clippy and us calm.
        let position = i64::try_from(position).unwrap_or(i64::MAX);
        link.execute((item_id.get(), position, &image.name, &sha256))?;
    }
    Ok(())
}

/// The images of `item_id`, in the order the item had them.
pub(crate) fn images_of(conn: &Connection, item_id: ItemId) -> rusqlite::Result<Vec<Image>> {
    let mut statement = conn.prepare_cached(
        "SELECT item_images.name, images.bytes FROM item_images \
         JOIN images ON images.sha256 = item_images.sha256 \
         WHERE item_images.item_id = ?1 ORDER BY item_images.position",
    )?;
    let rows = statement.query_map([item_id.get()], |row| Ok(Image { name: row.get(0)?, bytes: row.get(1)? }))?;
    rows.collect()
}

/// How many distinct image files the bank holds.
pub fn count(conn: &Connection) -> Result<u64, StoreError> {
    let count: i64 = conn.query_row("SELECT count(*) FROM images", [], |row| row.get(0)).during(Operation::Read)?;
    Ok(u64::try_from(count).unwrap_or_default())
}
