-- Phòng Thi exam store, version 3 (frozen: change the schema with a new file, never this one).
--
-- The grade-book outbox: every request `proctor publish` will send, written in one transaction
-- before the first one goes out, so a crash or a restart resumes where it stopped, and a request
-- marked `done` is never sent again. One row per request version: when a result changes (an
-- essay marked), a new row is queued and the old one stays as history.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    exam_id         BLOB    NOT NULL REFERENCES exams (exam_id),
    -- The grade book's base URL: publishing to another one starts afresh.
    target          TEXT    NOT NULL,
    -- `category`, `lineItem` or `result` (the OneRoster object).
    kind            TEXT    NOT NULL,
    sourced_id      TEXT    NOT NULL,
    -- The JSON body as it is sent (never a credential).
    body            TEXT    NOT NULL,
    -- `pending`, `done` or `failed`.
    state           TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_ms INTEGER NOT NULL,
    last_status     INTEGER,
    last_error      TEXT,
    enqueued_ms     INTEGER NOT NULL,
    finished_ms     INTEGER
);

CREATE INDEX outbox_by_object ON outbox (exam_id, target, kind, sourced_id, id);
CREATE INDEX outbox_by_state ON outbox (exam_id, target, state, id);

-- Manual marks of essay answers: one row per (session, question position in the form); a new
-- mark replaces the old one, and the audit log keeps who changed what from what.
CREATE TABLE marks (
    session_id      BLOB    NOT NULL REFERENCES sessions (session_id),
    question        INTEGER NOT NULL CHECK (question >= 1),
    points_milli    INTEGER NOT NULL CHECK (points_milli >= 0),
    comment         TEXT    NOT NULL,
    marker          TEXT    NOT NULL,
    marked_ms       INTEGER NOT NULL,
    PRIMARY KEY (session_id, question)
) WITHOUT ROWID;
