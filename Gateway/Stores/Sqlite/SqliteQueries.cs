namespace Gateway.Stores.Sqlite;

/// <summary>
/// Every SQL statement of the SQLite stores, in one place (the schema is in <c>Migrations/</c>). Parameters are
/// named; times are Unix milliseconds. Each text is prepared once per connection and reused.
/// </summary>
internal static class SqliteQueries
{
    public const string Begin = "BEGIN IMMEDIATE";
    public const string Commit = "COMMIT";
    public const string Rollback = "ROLLBACK";

    // Sessions. The column order of SessionColumns is what SqliteSessionStore.ReadRecord reads.
    private const string SessionColumns = "username, roles, created_at, last_seen, absolute_expires_at, ip, user_agent, " +
        "password_stamp, method, renewed_at, superseded, persistent, remember_selector, idle_expires_at";

    public const string GetSession = "SELECT " + SessionColumns + " FROM login_session WHERE key_hash = $key AND idle_expires_at > $now";

    public const string InsertSession = """
        INSERT INTO login_session (key_hash, handle, username, roles, ip, user_agent, created_at, last_seen, renewed_at,
            idle_expires_at, absolute_expires_at, password_stamp, method, persistent, superseded, remember_selector)
        VALUES ($key, $handle, $user, $roles, $ip, $agent, $created, $seen, $renewed, $idle, $absolute, $stamp, $method,
            $persistent, $superseded, $selector)
        """;

    // Oldest first: the order of creation (rowid), as the Redis index orders by indexing.
    public const string LiveSessionsOfUser =
        "SELECT key_hash, remember_selector FROM login_session WHERE username = $user AND idle_expires_at > $now ORDER BY rowid";

    public const string IndexOfUser =
        "SELECT key_hash FROM login_session WHERE username = $user AND idle_expires_at > $now AND absolute_expires_at > $now ORDER BY rowid";

    public const string TouchSession =
        "UPDATE login_session SET last_seen = $seen, idle_expires_at = $idle WHERE key_hash = $key AND superseded = 0 AND idle_expires_at > $now";

    public const string SupersedeSession = """
        UPDATE login_session SET superseded = 1, idle_expires_at = min(idle_expires_at, $until)
        WHERE key_hash = $key AND superseded = 0 AND idle_expires_at > $now
        """;

    public const string DeleteSession = "DELETE FROM login_session WHERE key_hash = $key RETURNING " + SessionColumns;

    public const string DiscardSession = "DELETE FROM login_session WHERE key_hash = $key";

    public const string CountActive = "SELECT count(*) FROM login_session WHERE idle_expires_at > $now AND superseded = 0";

    // Remember-me tokens.
    public const string SaveRemember = """
        INSERT OR REPLACE INTO remember_token (selector, username, validator_hash, previous_hash, rotated_at, expires_at, password_stamp)
        VALUES ($selector, $user, $validator, $previous, $rotated, $expires, $stamp)
        """;

    public const string GetRemember = """
        SELECT username, validator_hash, previous_hash, rotated_at, expires_at, password_stamp
        FROM remember_token WHERE selector = $selector AND expires_at > $now
        """;

    // Compare and set: only the validator the caller redeemed is rotated.
    public const string RotateRemember = """
        UPDATE remember_token SET previous_hash = validator_hash, validator_hash = $next, rotated_at = $rotated
        WHERE selector = $selector AND validator_hash = $expected AND expires_at > $now
        """;

    public const string RememberExists = "SELECT count(*) FROM remember_token WHERE selector = $selector AND expires_at > $now";

    public const string DeleteRemember = "DELETE FROM remember_token WHERE selector = $selector";

    public const string RememberSelectorsOfUser = "SELECT selector FROM remember_token WHERE username = $user AND expires_at > $now";

    // Credential links and secrets.
    public const string GetLink = "SELECT key_hash FROM credential_link WHERE link = $link AND expires_at > $now";

    public const string SetLink = "INSERT OR REPLACE INTO credential_link (link, key_hash, expires_at) VALUES ($link, $key, $expires)";

    public const string CreateSecret = "INSERT OR IGNORE INTO secret (name, value, created_at) VALUES ($name, $value, $now)";

    public const string GetSecret = "SELECT value FROM secret WHERE name = $name";

    public const string Ping = "SELECT 1";

    // Throttle counters, bans and reservations.
    public const string GetBan = "SELECT until FROM throttle_ban WHERE id = $id AND until > $now";

    public const string GetCounter = "SELECT started_at, failures, members FROM throttle_counter WHERE id = $id";

    public const string SaveCounter = """
        INSERT OR REPLACE INTO throttle_counter (id, started_at, failures, members, expires_at) VALUES ($id, $start, $failures, $members, $expires)
        """;

    public const string DeleteCounter = "DELETE FROM throttle_counter WHERE id = $id";

    public const string SaveBan = """
        INSERT OR REPLACE INTO throttle_ban (id, kind, username, ip, until, failures) VALUES ($id, $kind, $user, $ip, $until, $failures)
        """;

    public const string DropLapsedPending = "DELETE FROM throttle_pending WHERE id = $id AND until <= $now";

    public const string CountPending = "SELECT count(*) FROM throttle_pending WHERE id = $id";

    public const string AddPending = "INSERT OR REPLACE INTO throttle_pending (id, attempt, until) VALUES ($id, $attempt, $until)";

    public const string DeletePending = "DELETE FROM throttle_pending WHERE id = $id AND attempt = $attempt";

    public const string DeleteAllPending = "DELETE FROM throttle_pending WHERE id = $id";

    public const string ListBans = "SELECT id, kind, username, ip, until, failures FROM throttle_ban WHERE until > $now ORDER BY until LIMIT $max";

    public const string GetBanById = "SELECT id, kind, username, ip, until, failures FROM throttle_ban WHERE id = $id";

    public const string DeleteBan = "DELETE FROM throttle_ban WHERE id = $id";

    // Audit trail: the newest rows of each class (security, lifecycle) are kept, each class to its own cap (ids only
    // grow: AUTOINCREMENT). The trim walks the (security, id) index back past the cap: one range of the class.
    public const string AppendAudit = """
        INSERT INTO audit_event (time, kind, username, handle, detail, by_user, ip, security)
        VALUES ($time, $kind, $user, $handle, $detail, $by, $ip, $security)
        """;

    public const string TrimAudit = """
        DELETE FROM audit_event WHERE security = $security
            AND id <= (SELECT id FROM audit_event WHERE security = $security ORDER BY id DESC LIMIT 1 OFFSET $max)
        """;

    public const string ReadAudit = "SELECT time, kind, username, handle, detail, by_user, ip FROM audit_event ORDER BY id DESC LIMIT $count";

    public const string ReadAuditOfUser =
        "SELECT time, kind, username, handle, detail, by_user, ip FROM audit_event WHERE username = $user ORDER BY id DESC LIMIT $count";

    // Cleanup: bounded batches, one short write transaction each, so logins go on between them.
    public static readonly string[] Cleanup =
    [
        "DELETE FROM login_session WHERE rowid IN (SELECT rowid FROM login_session WHERE idle_expires_at <= $now LIMIT $batch)",
        "DELETE FROM remember_token WHERE rowid IN (SELECT rowid FROM remember_token WHERE expires_at <= $now LIMIT $batch)",
        "DELETE FROM credential_link WHERE rowid IN (SELECT rowid FROM credential_link WHERE expires_at <= $now LIMIT $batch)",
        "DELETE FROM throttle_counter WHERE rowid IN (SELECT rowid FROM throttle_counter WHERE expires_at <= $now LIMIT $batch)",
        "DELETE FROM throttle_ban WHERE rowid IN (SELECT rowid FROM throttle_ban WHERE until <= $now LIMIT $batch)",
        "DELETE FROM throttle_pending WHERE rowid IN (SELECT rowid FROM throttle_pending WHERE until <= $now LIMIT $batch)",
    ];

    // Migrations.
    public const string CreateVersionTable =
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at INTEGER NOT NULL)";

    public const string VersionTableExists = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'";

    public const string CurrentVersion = "SELECT coalesce(max(version), 0) FROM schema_version";

    public const string RecordVersion = "INSERT INTO schema_version (version, applied_at) VALUES ($version, $now)";
}
