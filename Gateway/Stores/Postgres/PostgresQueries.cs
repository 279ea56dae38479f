namespace Gateway.Stores.Postgres;

/// <summary>
/// Every SQL statement of the PostgreSQL store, in one place (the schema is in <c>Migrations/</c>). Parameters are
/// positional; times that decide when a row is gone are compared with the database's <c>now()</c>, as a Redis TTL
/// runs on Redis's clock, while the session rules compare the record's own times with the gateway's clock.
/// </summary>
internal static partial class PostgresQueries
{
    // Advisory lock keys are scoped by schema: gateways of two deployments sharing one database do not block each other.
    internal const string Scope = "coalesce(current_schema(), '')";

    public const string SessionColumns = """
        username, roles, created_at, last_seen, absolute_expires_at, ip, user_agent, password_stamp, method, renewed_at,
        superseded, persistent, remember_selector
        """;

    public const string GetSession = "SELECT " + SessionColumns + " FROM login_session WHERE session_key = $1 AND idle_expires_at > now()";

    public const string InsertSession = """
        INSERT INTO login_session (session_key, username, roles, created_at, last_seen, absolute_expires_at, ip, user_agent,
            password_stamp, method, renewed_at, superseded, persistent, remember_selector, idle_expires_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, now() + $15)
        """;

    /// <summary>Held until the transaction ends: the logins of one user take their turn, so the cap cannot be slipped past.</summary>
    public const string LockUser = "SELECT pg_advisory_xact_lock(hashtextextended('gateway-user:' || " + Scope + " || ':' || $1, 0))";

    /// <summary>The user's live sessions, oldest (first indexed) first: what the cap counts.</summary>
    public const string LiveSessionsOfUser = """
        SELECT session_key FROM login_session
        WHERE username = $1 AND idle_expires_at > now() AND absolute_expires_at > $2 ORDER BY seq
        """;

    public const string EvictSessions = """
        DELETE FROM login_session WHERE session_key = ANY($1) AND idle_expires_at > now() RETURNING session_key, remember_selector
        """;

    public const string IndexOfUser = """
        SELECT session_key FROM login_session
        WHERE username = $1 AND absolute_expires_at > $2 AND idle_expires_at > now() ORDER BY seq
        """;

    public const string TouchSession = """
        UPDATE login_session SET last_seen = $2, idle_expires_at = now() + $3
        WHERE session_key = $1 AND NOT superseded AND idle_expires_at > now()
        """;

    // The old row is read and locked in the same statement: of two rotations, the second waits, sees the first's
    // mark and reports false. An already superseded session is still cut to the grace, as in Redis.
    public const string SupersedeSession = """
        UPDATE login_session s SET superseded = true, idle_expires_at = least(s.idle_expires_at, now() + $2)
        FROM (SELECT session_key, superseded FROM login_session WHERE session_key = $1 AND idle_expires_at > now() FOR UPDATE) old
        WHERE s.session_key = old.session_key
        RETURNING NOT old.superseded
        """;

    public const string DeleteSession = "DELETE FROM login_session WHERE session_key = $1 RETURNING idle_expires_at > now(), " + SessionColumns;

    public const string DiscardSession = "DELETE FROM login_session WHERE session_key = $1";

    public const string CountActive = "SELECT count(*) FROM login_session WHERE idle_expires_at > now() AND NOT superseded";

    /// <summary>
    /// Revocations wait for the synchronous standbys the server names (<c>synchronous_standby_names</c>), whatever the
    /// server's default, so an acknowledged revocation survives a failover to one of them. Local to the transaction.
    /// </summary>
    public const string DurableCommit = "SELECT set_config('synchronous_commit', 'on', true)";

    public const string SaveRemember = """
        INSERT INTO remember_token (selector, username, validator_hash, previous_hash, rotated_at, expires_at, password_stamp)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (selector) DO UPDATE SET username = excluded.username, validator_hash = excluded.validator_hash,
            previous_hash = excluded.previous_hash, rotated_at = excluded.rotated_at, expires_at = excluded.expires_at,
            password_stamp = excluded.password_stamp
        """;

    public const string GetRemember = """
        SELECT username, validator_hash, previous_hash, rotated_at, expires_at, password_stamp
        FROM remember_token WHERE selector = $1 AND expires_at > now()
        """;

    // Compare and set: the UPDATE re-checks the validator on the row's newest version, so of two redemptions of one
    // validator only the first rotates. 1 rotated, 0 another rotated first, -1 no such token.
    public const string RotateRemember = """
        WITH rotated AS (
            UPDATE remember_token SET previous_hash = validator_hash, validator_hash = $3, rotated_at = $4
            WHERE selector = $1 AND validator_hash = $2 AND expires_at > now()
            RETURNING 1)
        SELECT CASE WHEN EXISTS (SELECT 1 FROM rotated) THEN 1
                    WHEN EXISTS (SELECT 1 FROM remember_token WHERE selector = $1 AND expires_at > now()) THEN 0
                    ELSE -1 END
        """;

    public const string DeleteRemember = "DELETE FROM remember_token WHERE selector = $1";

    public const string RememberSelectors = "SELECT selector FROM remember_token WHERE username = $1 AND expires_at > now()";

    public const string GetLink = "SELECT session_key FROM credential_link WHERE link = $1 AND expires_at > now()";

    public const string SetLink = """
        INSERT INTO credential_link (link, session_key, expires_at) VALUES ($1, $2, now() + $3)
        ON CONFLICT (link) DO UPDATE SET session_key = excluded.session_key, expires_at = excluded.expires_at
        """;

    // Created once: of two gateways starting together, the second's insert waits for the first's and does nothing.
    public const string CreateSecret = "INSERT INTO gateway_secret (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING";

    public const string GetSecret = "SELECT value FROM gateway_secret WHERE name = $1";

    public const string Ping = "SELECT 1";

    public const string Notify = "SELECT pg_notify($1, $2)";

    // Capped as it grows, each class ($9: security or lifecycle) to its own cap ($8). The DELETE does not see the row its
    // own statement inserts, so it keeps the newest $8 - 1 others of the class: the (security, id) index walked back.
    public const string AppendAudit = """
        WITH added AS (
            INSERT INTO audit_event (at, kind, username, handle, detail, actor, ip, security) VALUES ($1, $2, $3, $4, $5, $6, $7, $9) RETURNING id)
        DELETE FROM audit_event WHERE security = $9 AND id < (SELECT id FROM added)
            AND id <= (SELECT id FROM audit_event WHERE security = $9 ORDER BY id DESC OFFSET $8 - 1 LIMIT 1)
        """;

    public const string ReadAudit = "SELECT at, kind, username, handle, detail, actor, ip FROM audit_event ORDER BY id DESC LIMIT $1";

    public const string ReadAuditOfUser = """
        SELECT at, kind, username, handle, detail, actor, ip FROM audit_event WHERE username = $1 ORDER BY id DESC LIMIT $2
        """;

    /// <summary>One instance cleans at a time; a session lock, released when the cleaning ends or its connection drops.</summary>
    public const string TryLockCleanup = "SELECT pg_try_advisory_lock(hashtextextended('gateway-cleanup:' || " + Scope + ", 0))";

    public const string UnlockCleanup = "SELECT pg_advisory_unlock(hashtextextended('gateway-cleanup:' || " + Scope + ", 0))";

    /// <summary>
    /// Expired rows of one table, at most $1 per statement: rows another transaction holds (a touch, a login) are
    /// skipped, not waited for, and a row deleted meanwhile by a logout is simply not found. <c>ctid = ANY(ARRAY(...))</c>
    /// plans as a TID scan (an <c>IN</c> may plan as a scan of the whole table).
    /// </summary>
    public static string DeleteExpired(string table, string expiry) => $"""
        DELETE FROM {table} WHERE ctid = ANY(ARRAY(
            SELECT ctid FROM {table} WHERE {expiry} < now() LIMIT $1 FOR UPDATE SKIP LOCKED))
        """;

    /// <summary>The tables cleaned, with the column that says when a row is gone (database clock).</summary>
    public static readonly (string Table, string Expiry)[] Expiring =
    [
        ("login_session", "idle_expires_at"), ("remember_token", "expires_at"), ("credential_link", "expires_at"),
        ("throttle_counter", "expires_at"), ("throttle_ban", "expires_at"), ("throttle_pending", "expires_at"),
    ];
}
