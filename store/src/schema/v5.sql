-- Phòng Thi exam store, version 5 (frozen: change the schema with a new file, never this one).
--
-- Two additions: purges and trusted signers.
--
-- `proctor purge --exam ID` erases an exam's personal data once its retention period is over:
-- its sessions and everything under them (answer events, sheets, receipts, scores, marks,
-- session keys), its incidents and its grade-book outbox. The exam itself (sealed content,
-- title) stays, with a row here saying when it was purged and what went.
--
-- Answer events stay append-only for every exam that is not being purged: the trigger that
-- forbids deleting them now lets through only the events of an exam with a row here, and the
-- purge writes that row in the same transaction, before it deletes.
CREATE TABLE purges (
    exam_id         BLOB    PRIMARY KEY REFERENCES exams (exam_id),
    purged_ms       INTEGER NOT NULL,
    -- Who ran it, and the counts of what was erased (JSON), as in the audit entry.
    actor           TEXT    NOT NULL,
    erased          TEXT    NOT NULL
);

DROP TRIGGER events_are_never_deleted;

CREATE TRIGGER events_are_never_deleted BEFORE DELETE ON events
WHEN NOT EXISTS (
    SELECT 1 FROM sessions JOIN purges ON purges.exam_id = sessions.exam_id
    WHERE sessions.session_id = OLD.session_id
)
BEGIN
    SELECT RAISE(ABORT, 'answer events are append-only');
END;

-- The teacher and reviewer keys the school trusts (`proctor trust add|list|remove`): `exam add`
-- refuses a bundle whose signer is not here unless told `--trust-once` for that exam (audited).
CREATE TABLE trusted_signers (
    public_key      BLOB    PRIMARY KEY CHECK (length(public_key) = 32),
    name            TEXT    NOT NULL,
    added_ms        INTEGER NOT NULL
);
