-- Phòng Thi question bank, schema version 2 (frozen: change the schema with a new file, never
-- this one).
--
-- Signed review statements (`qbank submit --key`, `qbank review --key`): what an author or a
-- reviewer of the subject group signed about one version of one item, as the crypto crate's
-- `SignedReview` bytes. Assembly copies an item's author statements and approvals into the
-- exam bundle, where `proctor exam add` checks them against the school's trusted keys.
--
-- The signed bytes are the truth; the other columns are copies read from them when the row is
-- written, for the queries below (who authored an item, which approvals match its content).
-- Like `item_history`, the table is the group's record and is never rewritten: the triggers
-- refuse updates and deletes.
CREATE TABLE item_statements (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id         INTEGER NOT NULL REFERENCES items (id),
    kind            TEXT    NOT NULL CHECK (kind IN ('author', 'approve', 'reject')),
    signer_key      BLOB    NOT NULL CHECK (length(signer_key) = 32),
    -- Lower-case hex SHA-256 of the item's reviewed content (`approval::item_digest`) when
    -- it was signed: a statement whose digest is not the item's current one is about an
    -- earlier version.
    item_digest     TEXT    NOT NULL,
    statement       BLOB    NOT NULL,
    at_ms           INTEGER NOT NULL
);
CREATE INDEX item_statements_by_item ON item_statements (item_id, id);

CREATE TRIGGER item_statements_are_never_changed BEFORE UPDATE ON item_statements
BEGIN
    SELECT RAISE(ABORT, 'review statements are append-only');
END;

CREATE TRIGGER item_statements_are_never_deleted BEFORE DELETE ON item_statements
BEGIN
    SELECT RAISE(ABORT, 'review statements are append-only');
END;
