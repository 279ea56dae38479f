using Gateway.Audit;
using Gateway.Configuration;
using Gateway.Users;
using Microsoft.Extensions.Options;
using SessionOptions = Gateway.Configuration.SessionOptions;

namespace Gateway.Sessions;

/// <summary>
/// The session rules, in one place for every store: what makes a session valid (user still exists with the
/// same password hash, idle and absolute limits, optional user-agent binding), when a use is written back
/// (throttled touches), when an id is rotated, and how sessions are created, listed and ended (with audit). A
/// revoked session takes the remember-me token it came with (an expired one does not: that is what the token is for).
/// </summary>
internal sealed class SessionService(
    ISessionStore store,
    UserStore users,
    AuditTrail audit,
    IOptionsMonitor<GatewayOptions> options,
    TimeProvider time)
{
    /// <summary>The store hands back one record object per session while it is unchanged (see <see cref="ISessionStore.SharesRecords"/>).</summary>
    public bool SharesRecords => store.SharesRecords;

    /// <summary>The live session for a key, touched when due; null when absent or ended (and then deleted).</summary>
    public async ValueTask<ResolvedSession?> ResolveAsync(SessionKey key, ClientInfo client, CancellationToken cancellationToken)
    {
        var record = await store.GetAsync(key, cancellationToken);
        if (record is null)
        {
            return null;
        }

        var settings = options.CurrentValue.Session;
        var now = time.GetUtcNow();
        var (kind, reason) = EndReason(record, settings, now, client);
        if (kind is not null)
        {
            await store.DeleteAsync(key, record.User, cancellationToken);
            if (kind == "revoked")
            {
                await ForgetTokenAsync(record.User, record.RememberSelector, cancellationToken);
            }
            await audit.RecordAsync(kind, record.User, key, reason, "gateway", client.Ip);
            return null;
        }

        if (now - record.LastSeen >= settings.EffectiveTouchInterval && !record.Superseded)
        {
            // The read already proved the session valid; the touch is bookkeeping. A store that reads but cannot
            // write (a replica during failover) must not turn a valid session into a 503: the next request retries.
            try
            {
                await store.TouchAsync(key, now, TimeToLive(record.AbsoluteExpiry, now, settings), cancellationToken);
                record = record with { LastSeen = now };
            }
            catch (SessionStoreUnavailableException)
            {
            }
        }
        return new ResolvedSession(key, record, users.RolesOf(record.User));
    }

    /// <summary>
    /// Creates a session with a fresh id for a verified user, applying the per-user cap. <paramref name="rememberSelector"/>
    /// links it to the remember-me token it comes with (null: none, and the cookie ends with the browser session).
    /// </summary>
    /// <exception cref="SessionLimitException">The cap is reached and <c>OnLimit</c> is <c>Reject</c>.</exception>
    public async Task<(SessionId Id, ResolvedSession Session)> CreateAsync(
        UserEntry user, string method, ClientInfo client, string? rememberSelector, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue.Session;
        var now = time.GetUtcNow();
        var roles = users.RolesOf(user.Name);
        var record = new SessionRecord(user.Name, roles, now, now, now + settings.AbsoluteTimeout, client.Ip, client.UserAgent,
            user.Stamp, method, now, Superseded: false, Persistent: rememberSelector is not null, rememberSelector ?? "");
        var cap = new SessionCap(settings.MaxPerUser, settings.OnLimit == SessionLimitAction.Reject);
        var (id, result) = await CreateRecordAsync(record, cap, cancellationToken);
        if (!result.Created)
        {
            await audit.RecordAsync("login_failed", user.Name, null, "session_limit", null, client.Ip);
            throw new SessionLimitException();
        }
        foreach (var evicted in result.Evicted)
        {
            await ForgetTokenAsync(user.Name, evicted.RememberSelector, cancellationToken);
            await audit.RecordAsync("revoked", user.Name, evicted.Key, "cap", "gateway", client.Ip);
        }
        await audit.RecordAsync("created", user.Name, id.Key, method, null, client.Ip);
        return (id, new ResolvedSession(id.Key, record, roles));
    }

    /// <summary>
    /// A new id for a session in use when the renewal interval has passed or the user's roles changed. The old
    /// id keeps working for the rotation grace (requests in flight), then ends. Null when no rotation is due.
    /// </summary>
    public async Task<(SessionId Id, ResolvedSession Session)?> RotateIfDueAsync(ResolvedSession session, ClientInfo client, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue.Session;
        var now = time.GetUtcNow();
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
        if (!await store.SupersedeAsync(session.Key, settings.RotationGrace, cancellationToken))
        {
            await store.DiscardAsync(id.Key, record.User, cancellationToken);
            return null;
        }
        await audit.RecordAsync("rotated", record.User, id.Key, rolesChanged ? "roles_changed" : "renewal", session.Key.Handle, client.Ip);
        return (id, new ResolvedSession(id.Key, rotated, session.Roles));
    }

    /// <summary>Ends a session; true when it existed.</summary>
    public async Task<bool> EndAsync(ResolvedSession session, string reason, string by, string? ip, CancellationToken cancellationToken) =>
        await EndAsync(session.User, session.Key, reason, by, ip, forgetToken: true, cancellationToken);

    /// <summary>The user's live sessions, oldest first; index entries whose session is gone are pruned.</summary>
    public async Task<IReadOnlyList<ResolvedSession>> ListAsync(string user, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var keys = await store.IndexAsync(user, now, cancellationToken);
        var records = await Task.WhenAll(keys.Select(k => store.GetAsync(k, cancellationToken).AsTask()));
        var live = new List<ResolvedSession>();
        for (var i = 0; i < keys.Count; i++)
        {
            if (records[i] is { } record && record.User == user && EndReason(record, options.CurrentValue.Session, now, null).Kind is null)
            {
                live.Add(new ResolvedSession(keys[i], record, users.RolesOf(user)));
            }
            else if (records[i] is null)
            {
                await store.DeleteAsync(keys[i], user, cancellationToken);
            }
        }
        return live.Where(s => !s.Record.Superseded).OrderBy(s => s.Record.Created).ToList();
    }

    /// <summary>Revokes one of <paramref name="user"/>'s sessions by handle; false when no such session.</summary>
    public async Task<bool> RevokeAsync(string user, string handle, string by, string? ip, CancellationToken cancellationToken)
    {
        var keys = await store.IndexAsync(user, time.GetUtcNow(), cancellationToken);
        var key = keys.FirstOrDefault(k => k.Handle == handle);
        return key.Value is not null && await EndAsync(user, key, by == user ? "self" : "admin", by, ip, forgetToken: true, cancellationToken);
    }

    /// <summary>
    /// Revokes every session of <paramref name="user"/> (rotated-out ones too); returns how many existed. Callers
    /// revoke the user's remember-me tokens as well (all of them, linked or not).
    /// </summary>
    public async Task<int> RevokeAllAsync(string user, string reason, string by, string? ip, CancellationToken cancellationToken)
    {
        var keys = await store.IndexAsync(user, time.GetUtcNow(), cancellationToken);
        var ended = 0;
        foreach (var key in keys)
        {
            ended += await EndAsync(user, key, reason, by, ip, forgetToken: false, cancellationToken) ? 1 : 0;
        }
        return ended;
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
        var ttl = TimeToLive(record.AbsoluteExpiry, record.LastSeen, options.CurrentValue.Session);
        return (id, await store.CreateAsync(id.Key, record, ttl, cap, cancellationToken));
    }

    // The deleted record names the remember-me token the session came with: revoked with it, so the device does not
    // come straight back by it (unless the caller revokes every token of the user anyway).
    private async Task<bool> EndAsync(string user, SessionKey key, string reason, string by, string? ip, bool forgetToken, CancellationToken cancellationToken)
    {
        if (await store.DeleteAsync(key, user, cancellationToken) is not { } deleted)
        {
            return false;
        }
        if (forgetToken)
        {
            await ForgetTokenAsync(user, deleted.RememberSelector, cancellationToken);
        }
        await audit.RecordAsync("revoked", user, key, reason, by, ip);
        return true;
    }

    private Task ForgetTokenAsync(string user, string rememberSelector, CancellationToken cancellationToken) =>
        rememberSelector.Length > 0 ? store.DeleteRememberAsync(rememberSelector, user, cancellationToken) : Task.CompletedTask;

    private (string? Kind, string? Reason) EndReason(SessionRecord record, SessionOptions settings, DateTimeOffset now, ClientInfo? client)
    {
        var user = users.Find(record.User);
        if (user is null)
        {
            return ("revoked", "user_removed");
        }
        if (user.Stamp != record.PasswordStamp)
        {
            return ("revoked", "password_changed");
        }
        if (now >= record.AbsoluteExpiry)
        {
            return ("expired", "absolute_timeout");
        }
        if (now >= record.LastSeen + settings.IdleTimeout)
        {
            return ("expired", "idle_timeout");
        }
        if (settings.BindUserAgent && client is { } c && !string.Equals(c.UserAgent, record.UserAgent, StringComparison.Ordinal))
        {
            return ("revoked", "binding");
        }
        return (null, null);
    }
}
