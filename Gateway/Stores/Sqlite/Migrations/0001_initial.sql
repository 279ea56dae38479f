-- Gateway SQLite schema, version 1. Times are Unix milliseconds (UTC): datetime(last_seen / 1000, 'unixepoch').
-- Sessions are keyed by the base64url SHA-256 of their id: the raw id is never stored.

CREATE TABLE login_session (
    key_hash            TEXT    NOT NULL PRIMARY KEY,
    handle              TEXT    NOT NULL,
    username            TEXT    NOT NULL,
    roles               TEXT    NOT NULL,
    ip                  TEXT    NOT NULL,
    user_agent          TEXT    NOT NULL,
    created_at          INTEGER NOT NULL,
    last_seen           INTEGER NOT NULL,
    renewed_at          INTEGER NOT NULL,
    idle_expires_at     INTEGER NOT NULL,
    absolute_expires_at INTEGER NOT NULL,
    password_stamp      TEXT    NOT NULL,
    method              TEXT    NOT NULL,
    persistent          INTEGER NOT NULL,
    superseded          INTEGER NOT NULL,
    remember_selector   TEXT    NOT NULL
);
-- A user's sessions in the order they were created (the rowid rides along in every index).
CREATE INDEX login_session_username ON login_session (username);
CREATE INDEX login_session_expiry ON login_session (idle_expires_at);
CREATE INDEX login_session_handle ON login_session (handle);

CREATE TABLE remember_token (
    selector        TEXT    NOT NULL PRIMARY KEY,
    username        TEXT    NOT NULL,
    validator_hash  BLOB    NOT NULL,
    previous_hash   BLOB    NOT NULL,
    rotated_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    password_stamp  TEXT    NOT NULL
);
CREATE INDEX remember_token_username ON remember_token (username);
CREATE INDEX remember_token_expiry ON remember_token (expires_at);

CREATE TABLE credential_link (
    link        TEXT    NOT NULL PRIMARY KEY,
    key_hash    TEXT    NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX credential_link_expiry ON credential_link (expires_at);

CREATE TABLE secret (
    name        TEXT    NOT NULL PRIMARY KEY,
    value       BLOB    NOT NULL,
    created_at  INTEGER NOT NULL
);

-- One failure window per subject; members are the distinct values counted (newline-separated).
CREATE TABLE throttle_counter (
    id          TEXT    NOT NULL PRIMARY KEY,
    started_at  INTEGER NOT NULL,
    failures    INTEGER NOT NULL,
    members     TEXT    NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX throttle_counter_expiry ON throttle_counter (expires_at);

CREATE TABLE throttle_ban (
    id          TEXT    NOT NULL PRIMARY KEY,
    kind        TEXT    NOT NULL,
    username    TEXT,
    ip          TEXT,
    until       INTEGER NOT NULL,
    failures    INTEGER NOT NULL
);
CREATE INDEX throttle_ban_until ON throttle_ban (until);

-- Password checks in progress (reservations), each until the end of its lease.
CREATE TABLE throttle_pending (
    id          TEXT    NOT NULL,
    attempt     TEXT    NOT NULL,
    until       INTEGER NOT NULL,
    PRIMARY KEY (id, attempt)
);
CREATE INDEX throttle_pending_until ON throttle_pending (until);

CREATE TABLE audit_event (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    time        INTEGER NOT NULL,
    kind        TEXT    NOT NULL,
    username    TEXT    NOT NULL,
    handle      TEXT,
    detail      TEXT,
    by_user     TEXT,
    ip          TEXT
);
CREATE INDEX audit_event_username ON audit_event (username, id);
