-- Phòng Thi exam store, version 6 (frozen: change the schema with a new file, never this one).
--
-- The client builds the proctor accepts (`proctor allow-build VALUE --name NAME`): the value is
-- SHA-256 of the exam client's executable (`exam-client --print-integrity`). They live here, in
-- the proctor's data directory, and nowhere a lab PC reads: an earlier version wrote them into
-- `lab.toml`, which the client's value also covered, so no value could ever match. Adding and
-- removing are recorded in the audit log by the same transaction.
CREATE TABLE allowed_builds (
    digest          BLOB    PRIMARY KEY CHECK (length(digest) = 32),
    name            TEXT    NOT NULL CHECK (length(name) > 0),
    added_ms        INTEGER NOT NULL
) WITHOUT ROWID;
