-- Gateway schema, version 1. Applied by the gateway at start (or by "dotnet Gateway.dll migrate") in one
-- transaction, under an advisory lock. Timestamps are UTC timestamptz. Columns named *_expires_at / expires_at that
-- decide when a row is gone are on the database's clock (now() + time to live), as a Redis TTL is on Redis's.

-- Sessions, keyed by the SHA-256 of the session id (base64url): a dump holds no usable cookie.
CREATE TABLE login_session (
    session_key         text        PRIMARY KEY,
    handle              text        GENERATED ALWAYS AS (left(session_key, 16)) STORED,
    username            text        NOT NULL,
    roles               text[]      NOT NULL,
    created_at          timestamptz NOT NULL,
    last_seen           timestamptz NOT NULL,
    renewed_at          timestamptz NOT NULL,
    idle_expires_at     timestamptz NOT NULL,
    absolute_expires_at timestamptz NOT NULL,
    ip                  text        NOT NULL,
    user_agent          text        NOT NULL,
    password_stamp      text        NOT NULL,
    method              text        NOT NULL,
    persistent          boolean     NOT NULL DEFAULT false,
    superseded          boolean     NOT NULL DEFAULT false,
    remember_selector   text        NOT NULL DEFAULT '',
    -- Order of indexing: "oldest" for the per-user cap, even within one microsecond.
    seq                 bigint      GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX login_session_user ON login_session (username, seq);
CREATE INDEX login_session_expiry ON login_session (idle_expires_at);
CREATE INDEX login_session_handle ON login_session (handle);

-- Remember-me tokens: only SHA-256 hashes of the validators.
CREATE TABLE remember_token (
    selector       text        PRIMARY KEY,
    username       text        NOT NULL,
    validator_hash bytea       NOT NULL,
    previous_hash  bytea       NOT NULL,
    rotated_at     timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    password_stamp text        NOT NULL
);
CREATE INDEX remember_token_user ON remember_token (username);
CREATE INDEX remember_token_expiry ON remember_token (expires_at);

-- Verified Basic credentials (a keyed hash, never the password) → the session they started.
CREATE TABLE credential_link (
    link        text        PRIMARY KEY,
    session_key text        NOT NULL,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX credential_link_expiry ON credential_link (expires_at);

-- Random secrets shared by every gateway on this database, created once.
CREATE TABLE gateway_secret (
    name       text        PRIMARY KEY,
    value      bytea       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Brute-force protection: one window of failures per subject (window_start on the gateways' clock).
CREATE TABLE throttle_counter (
    subject_id   text        PRIMARY KEY,
    window_start timestamptz NOT NULL,
    failures     integer     NOT NULL,
    members      text[]      NOT NULL DEFAULT '{}',
    expires_at   timestamptz NOT NULL
);
CREATE INDEX throttle_counter_expiry ON throttle_counter (expires_at);

-- Bans in force (banned_until on the gateways' clock).
CREATE TABLE throttle_ban (
    subject_id   text        PRIMARY KEY,
    kind         text        NOT NULL,
    username     text,
    ip           text,
    banned_until timestamptz NOT NULL,
    failures     integer     NOT NULL,
    expires_at   timestamptz NOT NULL
);
CREATE INDEX throttle_ban_until ON throttle_ban (banned_until);
CREATE INDEX throttle_ban_expiry ON throttle_ban (expires_at);

-- Password checks in progress, each holding a place under the limit until released or its lease ends.
CREATE TABLE throttle_pending (
    subject_id  text        NOT NULL,
    attempt     text        NOT NULL,
    lease_until timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    PRIMARY KEY (subject_id, attempt)
);
CREATE INDEX throttle_pending_expiry ON throttle_pending (expires_at);

-- The audit trail for admins, capped at Gateway:Audit:MaxEntries.
CREATE TABLE audit_event (
    id       bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at       timestamptz NOT NULL,
    kind     text        NOT NULL,
    username text        NOT NULL,
    handle   text,
    detail   text,
    actor    text,
    ip       text
);
CREATE INDEX audit_event_user ON audit_event (username, id);
