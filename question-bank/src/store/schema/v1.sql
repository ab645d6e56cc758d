-- Phòng Thi question bank, schema version 1.
--
-- Frozen: once released, this file never changes. A later schema is a new file (v2.sql, ...)
-- that upgrades a version-1 database, and `migrations.rs` runs the files in order inside one
-- BEGIN IMMEDIATE transaction. `tests/fixtures/bank_v1.sql` is an independent copy with rows,
-- so a change here that would break an existing teacher's bank fails a test.
--
-- The item's JSON (serde of `model::Item`, images left out) is the truth; the other columns of
-- `items` are copies kept for filtering and are rewritten whenever the JSON is.

-- Marks the file as a Phòng Thi question bank ('PTQB'), so `open` refuses another program's
-- database (or the proctor's exam store) instead of adding tables to it.
PRAGMA application_id = 1347703106;

CREATE TABLE items (
    -- AUTOINCREMENT so a number a teacher wrote down is never reused for another question.
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    -- Lower-case hex SHA-256 of `Item::content_hash`: the same question is stored once.
    content_hash    TEXT    NOT NULL UNIQUE,
    item_json       TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    status          TEXT    NOT NULL
                    CHECK (status IN ('draft', 'submitted', 'approved', 'rejected', 'retired')),
    -- NFC, trimmed, inner whitespace collapsed, lower-cased: what filters compare.
    subject_key     TEXT,
    grade           INTEGER CHECK (grade IS NULL OR grade BETWEEN 0 AND 255),
    topic_key       TEXT,
    level           TEXT    CHECK (level IS NULL OR level IN ('biet', 'hieu', 'van-dung', 'van-dung-cao')),
    author          TEXT,
    -- `file:line` it was imported from.
    source          TEXT,
    -- How many tests drew the item, and when the last one did (assembly prefers fresh items).
    usage_count     INTEGER NOT NULL DEFAULT 0 CHECK (usage_count >= 0),
    last_used_ms    INTEGER,
    created_ms      INTEGER NOT NULL,
    updated_ms      INTEGER NOT NULL
);

-- Test assembly asks for approved items of one subject and kind; the bank's list view filters
-- by subject, topic and level.
CREATE INDEX items_by_subject_kind_status ON items (subject_key, kind, status);
CREATE INDEX items_by_status ON items (status);
CREATE INDEX items_by_topic ON items (topic_key);

-- Image files, stored once however many items show them.
CREATE TABLE images (
    sha256          TEXT    NOT NULL PRIMARY KEY,
    bytes           BLOB    NOT NULL
);

-- Which images an item has, under which name, in the item's order.
CREATE TABLE item_images (
    item_id         INTEGER NOT NULL REFERENCES items (id),
    position        INTEGER NOT NULL,
    name            TEXT    NOT NULL,
    sha256          TEXT    NOT NULL REFERENCES images (sha256),
    PRIMARY KEY (item_id, position)
);
CREATE INDEX item_images_by_image ON item_images (sha256);

-- Append-only record of every status change (the subject group's minutes).
CREATE TABLE item_history (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id         INTEGER NOT NULL REFERENCES items (id),
    -- NULL when the item entered the bank.
    from_status     TEXT,
    to_status       TEXT    NOT NULL,
    changed_by      TEXT    NOT NULL,
    comment         TEXT,
    at_ms           INTEGER NOT NULL
);
CREATE INDEX item_history_by_item ON item_history (item_id, id);

-- Full-text index over the item's words folded by `model::text::fold_for_search` (lower case,
-- no diacritics, đ → d), so `menh de` finds `Mệnh đề`. The rowid is the item's id. Folding
-- happens in Rust because SQLite's unicode61 tokenizer keeps đ; the code that writes `items`
-- writes this table in the same transaction.
CREATE VIRTUAL TABLE item_search USING fts5 (words, tokenize = 'unicode61');
