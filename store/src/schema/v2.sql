-- Phòng Thi exam store, version 2 (frozen: change the schema with a new file, never this one).
--
-- Further keys of a session. A student who continues on another PC (a seat move the proctor
-- approved) or restarts the client signs with a new session key; every key ever registered for
-- the session stays valid, because events still waiting in an old journal were signed by the
-- old one. The first key remains in `sessions.session_key`.
CREATE TABLE session_keys (
    session_id   BLOB    NOT NULL REFERENCES sessions (session_id),
    session_key  BLOB    NOT NULL CHECK (length(session_key) = 32),
    added_ms     INTEGER NOT NULL,
    PRIMARY KEY (session_id, session_key)
) WITHOUT ROWID;
