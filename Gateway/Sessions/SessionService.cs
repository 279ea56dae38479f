using Gateway.Audit;
using Gateway.Configuration;
using Gateway.Users;
using Microsoft.Extensions.Options;
using SessionOptions = Gateway.Configuration.SessionOptions;

namespace Gateway.Sessions;

/// <summary>
/// The session rules, in one place for every store: what makes a session valid (<see cref="SessionValidity"/>), when
/// a use is written back (throttled touches), when an id is rotated, and how sessions are created, listed and ended
/// (with audit; listing and ending are in <c>SessionService.Revocation.cs</c>). A revoked session takes the remember-me
/// token it came with (an expired one does not: that is what the token is for).
/// </summary>
internal sealed partial class SessionService(
    ISessionStore store,
    IRememberMeStore remember,
    UserStore users,
    AuditTrail audit,
    IOptionsMonitor<GatewayOptions> options,
    TimeProvider time)
{
    private readonly ISessionStore _store = store;
    private readonly IRememberMeStore _remember = remember;
    private readonly UserStore _users = users;
    private readonly AuditTrail _audit = audit;
    private readonly IOptionsMonitor<GatewayOptions> _options = options;
    private readonly TimeProvider _time = time;

    /// <summary>The store hands back one record object per session while it is unchanged (see <see cref="ISessionStore.SharesRecords"/>).</summary>
    public bool SharesRecords => _store.SharesRecords;

    /// <summary>The live session for a key, touched when due; null when absent or ended (and then deleted).</summary>
    public async ValueTask<ResolvedSession?> ResolveAsync(SessionKey key, ClientInfo client, CancellationToken cancellationToken)
    {
        var record = await _store.GetAsync(key, cancellationToken);
        if (record is null)
        {
            return null;
        }

        var settings = _options.CurrentValue.Session;
        var now = _time.GetUtcNow();
        var (kind, reason) = SessionValidity.EndReason(_users.Find(record.User), record, settings, now, client);
        if (kind is not null)
        {
            await EndInvalidAsync(key, record, kind, reason!, client, cancellationToken);
            return null;
        }

        if (now - record.LastSeen >= settings.EffectiveTouchInterval && !record.Superseded)
        {
            // The read already proved the session valid; the touch is bookkeeping. A store that reads but cannot
            // write (a replica during failover) must not turn a valid session into a 503: the next request retries.
            try
            {
                await _store.TouchAsync(key, now, TimeToLive(record.AbsoluteExpiry, now, settings), cancellationToken);
                record = record with { LastSeen = now };
            }
            catch (SessionStoreUnavailableException)
            {
            }
        }
        return new ResolvedSession(key, record, _users.RolesOf(record.User));
    }

    /// <summary>
    /// Creates a session with a fresh id for a verified user, applying the per-user cap. <paramref name="rememberSelector"/>
    /// links it to the remember-me token it comes with (null: none, and the cookie ends with the browser session).
    /// </summary>
    /// <exception cref="SessionLimitException">The cap is reached and <c>OnLimit</c> is <c>Reject</c>.</exception>
    public async Task<(SessionId Id, ResolvedSession Session)> CreateAsync(
        UserEntry user, string method, ClientInfo client, string? rememberSelector, CancellationToken cancellationToken)
    {
        var settings = _options.CurrentValue.Session;
        var now = _time.GetUtcNow();
        var roles = _users.RolesOf(user.Name);
        var record = new SessionRecord(user.Name, roles, now, now, now + settings.AbsoluteTimeout, client.Ip, client.UserAgent,
            user.Stamp, method, now, Superseded: false, Persistent: rememberSelector is not null, rememberSelector ?? "");
        var cap = new SessionCap(settings.MaxPerUser, settings.OnLimit == SessionLimitAction.Reject);
        var (id, result) = await CreateRecordAsync(record, cap, cancellationToken);
        if (!result.Created)
        {
            await _audit.RecordAsync("login_failed", user.Name, null, "session_limit", null, client.Ip);
            throw new SessionLimitException();
        }
        foreach (var evicted in result.Evicted)
        {
            await ForgetTokenAsync(user.Name, evicted.RememberSelector, cancellationToken);
            await _audit.RecordAsync("revoked", user.Name, evicted.Key, "cap", "gateway", client.Ip);
            Ended?.Invoke(evicted.Key, "cap");
        }
        await _audit.RecordAsync("created", user.Name, id.Key, method, null, client.Ip);
        return (id, new ResolvedSession(id.Key, record, roles));
    }

    /// <summary>
    /// A new id for a session in use when the renewal interval has passed or the user's roles changed. The old
    /// id keeps working for the rotation grace (requests in flight), then ends. Null when no rotation is due.
    /// </summary>
    public async Task<(SessionId Id, ResolvedSession Session)?> RotateIfDueAsync(ResolvedSession session, ClientInfo client, CancellationToken cancellationToken)
    {
        var settings = _options.CurrentValue.Session;
        var now = _time.GetUtcNow();
        var record = session.Record;
        var renewalDue = settings.RenewalInterval is { } interval && now - record.Renewed >= interval;
        var rolesChanged = !record.Roles.SequenceEqual(session.Roles);
        if (record.Superseded || (!renewalDue && !rolesChanged))
        {
            return null;
        }
        var rotated = record with { Roles = session.Roles, LastSeen = now, Renewed = now };
        // Create, then claim: a failed create leaves the old id as it was. Of parallel requests rotating one session, only
        // the one whose supersede marks it keeps its successor; the others delete theirs and go on with the old id,
        // good for the grace (as is every request in flight), so no orphan is left listed and counted.
        var (id, _) = await CreateRecordAsync(rotated, SessionCap.None, cancellationToken);
        if (!await _store.SupersedeAsync(session.Key, settings.RotationGrace, cancellationToken))
        {
            await _store.DiscardAsync(id.Key, record.User, cancellationToken);
            return null;
        }
        await _audit.RecordAsync("rotated", record.User, id.Key, rolesChanged ? "roles_changed" : "renewal", session.Key.Handle, client.Ip);
        Rotated?.Invoke(session.Key, id.Key);
        return (id, new ResolvedSession(id.Key, rotated, session.Roles));
    }

    /// <summary>Time the session may still live in the store: the idle timeout, capped by the absolute expiry.</summary>
    public static TimeSpan TimeToLive(DateTimeOffset absoluteExpiry, DateTimeOffset now, SessionOptions settings)
    {
        var remaining = absoluteExpiry - now;
        return remaining < settings.IdleTimeout ? remaining : settings.IdleTimeout;
    }

    private async Task<(SessionId Id, CreateResult Result)> CreateRecordAsync(SessionRecord record, SessionCap cap, CancellationToken cancellationToken)
    {
        var id = SessionId.New();
        var ttl = TimeToLive(record.AbsoluteExpiry, record.LastSeen, _options.CurrentValue.Session);
        return (id, await _store.CreateAsync(id.Key, record, ttl, cap, cancellationToken));
    }
}
