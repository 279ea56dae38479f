namespace Gateway.Stores.Postgres;

/// <summary>The statements of the brute-force protection (<see cref="PostgresThrottleStore"/>).</summary>
internal static partial class PostgresQueries
{
    public const string LockSubject = "SELECT pg_advisory_xact_lock(hashtextextended('gateway-throttle:' || " + Scope + " || ':' || $1, 0))";

    public const string GetBan = "SELECT banned_until FROM throttle_ban WHERE subject_id = $1 AND banned_until > $2";

    // Each runs right after LockSubject in one batch (one round trip, one transaction): under the lock, and with a
    // snapshot taken after it, as the Redis scripts run alone. $1 subject, $2 now (gateway clock), $3 window.

    /// <summary>
    /// Counts a failure ($4 member or null) in the window, or bans at the limit ($5) until $2 + $9 (kind $6, user $7,
    /// ip $8). Returns the end of the ban in force after it, or null.
    /// </summary>
    public const string RecordFailure = """
        WITH ban AS (SELECT banned_until FROM throttle_ban WHERE subject_id = $1 AND banned_until > $2),
        old AS (SELECT window_start, failures, members FROM throttle_counter WHERE subject_id = $1),
        win AS (
            SELECT fresh, CASE WHEN fresh THEN $2 ELSE o.window_start END AS start, CASE WHEN fresh THEN 0 ELSE o.failures END AS failures,
                   CASE WHEN fresh THEN '{}'::text[] ELSE o.members END AS members
            FROM (SELECT 1) one LEFT JOIN old o ON true,
                 LATERAL (SELECT o.window_start IS NULL OR $2 - o.window_start >= $3 AS fresh) f),
        next AS (
            SELECT start, failures + CASE WHEN $4::text IS NULL OR NOT ($4::text = ANY(members)) THEN 1 ELSE 0 END AS failures,
                   CASE WHEN $4::text IS NULL OR $4::text = ANY(members) THEN members ELSE members || $4::text END AS members
            FROM win WHERE NOT EXISTS (SELECT 1 FROM ban)),
        counted AS (
            INSERT INTO throttle_counter (subject_id, window_start, failures, members, expires_at)
            SELECT $1, start, failures, members, now() + $3 FROM next WHERE failures < $5
            ON CONFLICT (subject_id) DO UPDATE SET window_start = excluded.window_start, failures = excluded.failures,
                members = excluded.members, expires_at = excluded.expires_at
            RETURNING 1),
        reset AS (DELETE FROM throttle_counter WHERE subject_id = $1 AND EXISTS (SELECT 1 FROM next WHERE failures >= $5) RETURNING 1),
        banned AS (
            INSERT INTO throttle_ban (subject_id, kind, username, ip, banned_until, failures, expires_at)
            SELECT $1, $6, $7, $8, $2 + $9, failures, now() + $9 FROM next WHERE failures >= $5
            ON CONFLICT (subject_id) DO UPDATE SET kind = excluded.kind, username = excluded.username, ip = excluded.ip,
                banned_until = excluded.banned_until, failures = excluded.failures, expires_at = excluded.expires_at
            RETURNING banned_until)
        SELECT coalesce((SELECT banned_until FROM ban), (SELECT banned_until FROM banned))
        """;

    /// <summary>
    /// Reserves place $5 (attempt) until $2 + $6 (lease) when the window's failures plus the unexpired checks in progress
    /// stay under $4. Returns (the ban in force or null, granted).
    /// </summary>
    public const string Reserve = """
        WITH ban AS (SELECT banned_until FROM throttle_ban WHERE subject_id = $1 AND banned_until > $2),
        counted AS (SELECT failures FROM throttle_counter WHERE subject_id = $1 AND $2 - window_start < $3),
        pruned AS (DELETE FROM throttle_pending WHERE subject_id = $1 AND lease_until <= $2),
        pending AS (SELECT count(*) AS n FROM throttle_pending WHERE subject_id = $1 AND lease_until > $2 AND attempt <> $5),
        verdict AS (
            SELECT NOT EXISTS (SELECT 1 FROM ban) AND coalesce((SELECT failures FROM counted), 0) + (SELECT n FROM pending) < $4 AS granted),
        added AS (
            INSERT INTO throttle_pending (subject_id, attempt, lease_until, expires_at)
            SELECT $1, $5, $2 + $6, now() + $6 FROM verdict WHERE granted
            ON CONFLICT (subject_id, attempt) DO UPDATE SET lease_until = excluded.lease_until, expires_at = excluded.expires_at
            RETURNING 1)
        SELECT (SELECT banned_until FROM ban), (SELECT granted FROM verdict)
        """;

    public const string DeleteCounter = "DELETE FROM throttle_counter WHERE subject_id = $1";

    public const string DeletePending = "DELETE FROM throttle_pending WHERE subject_id = $1 AND attempt = $2";

    public const string DeleteAllPending = "DELETE FROM throttle_pending WHERE subject_id = $1";

    public const string ListBans = """
        SELECT subject_id, kind, username, ip, banned_until, failures FROM throttle_ban
        WHERE banned_until > $1 ORDER BY banned_until LIMIT $2
        """;

    public const string LiftBan = "DELETE FROM throttle_ban WHERE subject_id = $1 RETURNING subject_id, kind, username, ip, banned_until, failures";
}
