using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Gateway.Telemetry;

/// <summary>
/// The gateway's own traces and metrics: one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named
/// <c>Gateway</c>. Call sites use the small methods below (one line each); attribute values are closed sets
/// (never a user name, session id or other unbounded value), so every series stays bounded.
/// </summary>
internal static class GatewayTelemetry
{
    /// <summary>Name of the activity source and of the meter.</summary>
    public const string Name = "Gateway";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Created = Meter.CreateCounter<long>(
        "gateway.session.created", "{session}", "Sessions created, by login method.");

    private static readonly Counter<long> Ended = Meter.CreateCounter<long>(
        "gateway.session.ended", "{session}", "Sessions ended, by reason (logout, idle_timeout, absolute_timeout, ...) and kind (revoked or expired).");

    private static readonly Counter<long> LoginSucceeded = Meter.CreateCounter<long>(
        "gateway.login.succeeded", "{login}", "Password verifications that succeeded, by login method.");

    private static readonly Counter<long> LoginFailedCounter = Meter.CreateCounter<long>(
        "gateway.login.failed", "{login}", "Password verifications that failed, by login method and reason class.");

    private static readonly Counter<long> LoginRefusedCounter = Meter.CreateCounter<long>(
        "gateway.login.refused", "{login}", "Logins refused with 503 before any password check, by login method and reason (capacity: no hashing thread within Gateway:Login:QueueTimeout).");

    private static readonly Counter<long> Lockouts = Meter.CreateCounter<long>(
        "gateway.login.lockouts", "{lockout}", "Clients or users locked out by brute-force protection.");

    private static readonly Histogram<double> Resolution = Meter.CreateHistogram(
        "gateway.session.resolution.duration", "s", "Time to resolve the caller's session (cookie, token or Basic), by carrier and outcome.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });

    private static readonly Histogram<double> StoreDuration = Meter.CreateHistogram(
        "gateway.store.duration", "s", "Duration of one session store call, by operation and outcome.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] });

    private static readonly Counter<long> StoreErrors = Meter.CreateCounter<long>(
        "gateway.store.errors", "{error}", "Session store calls that failed, by operation and error type (timeout or unavailable).");

    private static readonly Counter<long> CacheLookups = Meter.CreateCounter<long>(
        "gateway.session.credential_cache.lookups", "{lookup}", "Basic credential lookups: hit = a linked live session, no bcrypt.");

    private static readonly Counter<long> NearCacheLookups = Meter.CreateCounter<long>(
        "gateway.session.near_cache.lookups", "{lookup}", "Session reads from the in-process near cache: hit = answered without a store round trip.");

    private static readonly Counter<long> ConnectionsClosed = Meter.CreateCounter<long>(
        "gateway.connections.closed", "{connection}", "WebSockets and streams closed because their session ended, by reason and kind (websocket, upgrade, stream).");

    /// <summary>A connection held open under a session was closed because the session ended for <paramref name="reason"/>.</summary>
    public static void ConnectionClosed(string kind, string reason) =>
        ConnectionsClosed.Add(1, new("gateway.connection.close_reason", reason), new("gateway.connection.kind", kind));

    /// <summary>A session was created by <paramref name="method"/> (form, json, basic).</summary>
    public static void SessionCreated(string method) => Created.Add(1, new KeyValuePair<string, object?>("gateway.login.method", method));

    /// <summary>A session ended; <paramref name="reason"/> is one of the fixed reasons of the session rules.</summary>
    public static void SessionEnded(string kind, string reason) =>
        Ended.Add(1, new("gateway.session.end_reason", reason), new("gateway.session.end_kind", kind));

    /// <summary>
    /// A password check for a login by <paramref name="method"/> finished: a success when <paramref name="failureClass"/>
    /// is null, else a failure of that class (unknown_user, wrong_password, password_too_long, ...).
    /// </summary>
    public static void LoginChecked(string method, string? failureClass)
    {
        if (failureClass is null)
        {
            LoginSucceeded.Add(1, new KeyValuePair<string, object?>("gateway.login.method", method));
            return;
        }
        LoginFailed(method, failureClass);
    }

    /// <summary>A login failed for a reason class (unknown_user, wrong_password, password_too_long, ...).</summary>
    public static void LoginFailed(string method, string reasonClass) =>
        LoginFailedCounter.Add(1, new("gateway.login.method", method), new("gateway.login.failure_reason", reasonClass));

    /// <summary>A login was refused before its password was checked; <paramref name="reason"/> is capacity.</summary>
    public static void LoginRefused(string method, string reason) =>
        LoginRefusedCounter.Add(1, new("gateway.login.method", method), new("gateway.login.refusal_reason", reason));

    /// <summary>Brute-force protection locked out a client or user (<paramref name="scope"/>: ip or user).</summary>
    public static void LoginLockedOut(string scope) => Lockouts.Add(1, new KeyValuePair<string, object?>("gateway.login.lockout_scope", scope));

    /// <summary>The Basic credential link lookup: a hit reuses a live session without a bcrypt.</summary>
    public static void CredentialCache(bool hit) =>
        CacheLookups.Add(1, new KeyValuePair<string, object?>("gateway.cache.result", hit ? "hit" : "miss"));

    /// <summary>A session read from the near cache (<c>Gateway:Store:NearCache</c>): a hit costs no store round trip.</summary>
    public static void NearCache(bool hit) =>
        NearCacheLookups.Add(1, new KeyValuePair<string, object?>("gateway.cache.result", hit ? "hit" : "miss"));

    /// <summary>One store call finished: <paramref name="outcome"/> is ok, timeout, unavailable or cancelled.</summary>
    public static void StoreCall(string operation, string outcome, double seconds)
    {
        StoreDuration.Record(seconds, new("gateway.store.operation", operation), new("gateway.store.outcome", outcome));
        if (outcome is "timeout" or "unavailable")
        {
            StoreErrors.Add(1, new("gateway.store.operation", operation), new("error.type", outcome));
        }
    }

    /// <summary>Session resolution finished with <paramref name="outcome"/> via <paramref name="carrier"/>.</summary>
    public static void SessionResolved(string carrier, string outcome, double seconds) =>
        Resolution.Record(seconds, new("gateway.session.carrier", carrier), new("gateway.session.outcome", outcome));

    /// <summary>
    /// Starts the store call span and timer on <paramref name="system"/> (a <see cref="StoreCallScope"/> constant); dispose
    /// it when the call ends. Null when nothing listens.
    /// </summary>
    public static StoreCallScope? StartStoreCall(string operation, string system) =>
        StoreDuration.Enabled || StoreErrors.Enabled || Source.HasListeners() ? new(operation, system) : null;

    /// <summary>True when the session resolution is measured or traced (a resolution scope is then started).</summary>
    public static bool ObservesResolution => Resolution.Enabled || Source.HasListeners();
}
