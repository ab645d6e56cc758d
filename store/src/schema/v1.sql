-- Phòng Thi proctor exam store, schema version 1.
--
-- Frozen: once released, this file never changes. A later schema is a new file (v2.sql, ...)
-- that upgrades a version-1 database, and `migrations.rs` runs the files in order inside one
-- BEGIN IMMEDIATE transaction. `tests/fixtures/proctor_v1.sql` is an independent copy with rows,
-- so a change here that would break an existing proctor's store fails a test.
--
-- Ids are raw bytes (exam and session ids 16, keys 32, hashes 32, signatures 64); times are
-- milliseconds since the Unix epoch on the proctor's clock, given by the caller; points are
-- integer milli-points. Answer events and audit rows are append-only (triggers below), because
-- "acknowledged = never lost" must also hold against a buggy UPDATE; the signatures, not the
-- triggers, are what protect them against someone who edits the file.

-- Marks the file as a Phòng Thi proctor store ('PTPR'), so `open` refuses another program's
-- database (or a question bank) instead of adding tables to it.
PRAGMA application_id = 1347702866;

CREATE TABLE exams (
    exam_id         BLOB    PRIMARY KEY CHECK (length(exam_id) = 16),
    title           TEXT    NOT NULL,
    duration_ms     INTEGER NOT NULL CHECK (duration_ms >= 0),
    -- The exam as the question bank serialised it: opaque to the store.
    exam_json       TEXT    NOT NULL,
    -- The teacher key that signed the bundle.
    teacher_key     BLOB    NOT NULL CHECK (length(teacher_key) = 32),
    -- The exam's content key, sealed by the caller (never stored in the clear).
    content_key     BLOB    NOT NULL,
    added_ms        INTEGER NOT NULL
);

-- Who may sit the exam: replaced as a whole by a roster import.
CREATE TABLE students (
    student_id      TEXT    PRIMARY KEY,
    full_name       TEXT    NOT NULL,
    class           TEXT    NOT NULL,
    -- ISO 8601 `yyyy-mm-dd` as the roster import writes it.
    date_of_birth   TEXT,
    pin_hash        BLOB,
    seat            TEXT
);

CREATE TABLE sessions (
    session_id      BLOB    PRIMARY KEY CHECK (length(session_id) = 16),
    exam_id         BLOB    NOT NULL REFERENCES exams (exam_id),
    -- Deliberately not a foreign key to `students`: a roster re-import (a corrected name, a
    -- student moved out of the list) must neither fail nor take a session's answers with it.
    student_id      TEXT    NOT NULL,
    form_index      INTEGER NOT NULL CHECK (form_index BETWEEN 0 AND 4294967295),
    session_key     BLOB    NOT NULL CHECK (length(session_key) = 32),
    journal_secret  BLOB    NOT NULL CHECK (length(journal_secret) = 32),
    -- `SessionState::as_str`; no CHECK so that a new state is not a table rebuild.
    state           TEXT    NOT NULL,
    -- This student's total extra time (the proctor sets the total, not an increment).
    extension_ms    INTEGER NOT NULL DEFAULT 0 CHECK (extension_ms >= 0),
    created_ms      INTEGER NOT NULL,
    updated_ms      INTEGER NOT NULL,
    submitted_ms    INTEGER,
    -- One session per student and exam; the dashboard lists an exam's sessions by this index.
    UNIQUE (exam_id, student_id)
);

-- Every answer change, as signed by the session key. The store keeps what it is given at each
-- (session, seq) and never overwrites it; that the seqs have no gaps and the links verify is
-- checked by the session state machine (`ChainVerifier`) before an event reaches the store.
CREATE TABLE events (
    session_id      BLOB    NOT NULL REFERENCES sessions (session_id),
    seq             INTEGER NOT NULL CHECK (seq >= 0),
    item            INTEGER NOT NULL CHECK (item BETWEEN 0 AND 4294967295),
    response        BLOB    NOT NULL,
    client_ms       INTEGER NOT NULL,
    prev            BLOB    NOT NULL CHECK (length(prev) = 32),
    hash            BLOB    NOT NULL CHECK (length(hash) = 32),
    signature       BLOB    NOT NULL CHECK (length(signature) = 64),
    received_ms     INTEGER NOT NULL,
    PRIMARY KEY (session_id, seq)
);

CREATE TRIGGER events_are_never_changed BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'answer events are append-only');
END;

CREATE TRIGGER events_are_never_deleted BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'answer events are append-only');
END;

-- The signed answer sheet as received.
CREATE TABLE sheets (
    session_id      BLOB    PRIMARY KEY REFERENCES sessions (session_id),
    signed          BLOB    NOT NULL,
    received_ms     INTEGER NOT NULL
);

-- The signed receipt given back, findable by the short code a student noted down.
CREATE TABLE receipts (
    session_id      BLOB    PRIMARY KEY REFERENCES sessions (session_id),
    -- The 10 characters without the dash (`ShortCode::compact`).
    short_code      TEXT    NOT NULL UNIQUE,
    signed          BLOB    NOT NULL,
    received_ms     INTEGER NOT NULL
);

CREATE TABLE scores (
    session_id      BLOB    PRIMARY KEY REFERENCES sessions (session_id),
    raw_milli       INTEGER NOT NULL,
    max_milli       INTEGER NOT NULL,
    scaled_milli    INTEGER NOT NULL,
    -- Points per question, as the grading pipeline serialised them: opaque to the store.
    per_question    TEXT    NOT NULL,
    scored_ms       INTEGER NOT NULL
);

-- The proctor's signed, hash-chained log (`phongthi_crypto::audit`).
CREATE TABLE audit (
    seq             INTEGER PRIMARY KEY CHECK (seq >= 0),
    at_ms           INTEGER NOT NULL,
    actor           TEXT    NOT NULL,
    action          TEXT    NOT NULL,
    detail          TEXT    NOT NULL,
    prev            BLOB    NOT NULL CHECK (length(prev) = 32),
    hash            BLOB    NOT NULL CHECK (length(hash) = 32),
    signature       BLOB    NOT NULL CHECK (length(signature) = 64)
);

CREATE TRIGGER audit_is_never_changed BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_is_never_deleted BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TABLE incidents (
    -- AUTOINCREMENT so an incident number written in a report is never reused.
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms           INTEGER NOT NULL,
    session_id      BLOB    REFERENCES sessions (session_id),
    student_id      TEXT,
    -- `focus-lost`, `fullscreen-exit`, `seat-move`, ... (the server's vocabulary).
    kind            TEXT    NOT NULL,
    duration_ms     INTEGER NOT NULL DEFAULT 0 CHECK (duration_ms >= 0),
    detail          TEXT    NOT NULL
);

CREATE INDEX incidents_by_kind ON incidents (kind, at_ms);
CREATE INDEX incidents_by_session ON incidents (session_id);
