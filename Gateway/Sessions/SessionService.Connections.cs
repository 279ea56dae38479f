namespace Gateway.Sessions;

/// <summary>
/// What connections held open under a session need from the rules: word of every session this process ends or
/// rotates, and a check of what became of a session since (still live, ended and why, or rotated to a successor).
/// </summary>
internal sealed partial class SessionService
{
    /// <summary>A session this process ended (revoked, evicted, expired or unbound), with the reason audited for it.</summary>
    public event Action<SessionKey, string>? Ended;

    /// <summary>A session this process rotated: the old key, then its successor (rotation is not revocation).</summary>
    public event Action<SessionKey, SessionKey>? Rotated;

    /// <summary>
    /// What became of <paramref name="key"/>, read from the store itself (past the near cache): its live key (itself,
    /// touched when due, or the successor it was rotated to) or, when it has ended, null and the reason ("ended" when
    /// it is simply gone: revoked by another gateway, or expired in the store). A session that breaks the rules now
    /// (absolute expiry, a changed password, a removed user) is ended here, as a request would end it.
    /// </summary>
    public async Task<(SessionKey? Live, string? Reason)> FollowAsync(SessionKey key, string user, ClientInfo client, CancellationToken cancellationToken)
    {
        var record = await _store.GetFreshAsync(key, cancellationToken);
        if (record is null || record.User != user)
        {
            return (null, "ended");
        }
        if (record.Superseded)
        {
            return await SuccessorAsync(key, record, cancellationToken) is { } successor ? (successor, null) : (null, "ended");
        }
        var settings = _options.CurrentValue.Session;
        var now = _time.GetUtcNow();
        var (kind, reason) = SessionValidity.EndReason(_users.Find(user), record, settings, now, client);
        if (kind is not null)
        {
            await EndInvalidAsync(key, record, kind, reason!, client, cancellationToken);
            return (null, reason);
        }
        if (now - record.LastSeen >= settings.EffectiveTouchInterval)
        {
            try
            {
                await _store.TouchAsync(key, now, TimeToLive(record.AbsoluteExpiry, now, settings), cancellationToken);
            }
            catch (SessionStoreUnavailableException)
            {
                // As for a request: the session was read valid; the next check touches it.
            }
        }
        return (key, null);
    }

    // A session that breaks the rules ends as a request finds it: deleted, its token revoked when it was revoked (an
    // expired one keeps it), audited, and announced.
    private async Task EndInvalidAsync(SessionKey key, SessionRecord record, string kind, string reason, ClientInfo client, CancellationToken cancellationToken)
    {
        await _store.DeleteAsync(key, record.User, cancellationToken);
        if (kind == "revoked")
        {
            await ForgetTokenAsync(record.User, record.RememberSelector, cancellationToken);
        }
        await _audit.RecordAsync(kind, record.User, key, reason, "gateway", client.Ip);
        Ended?.Invoke(key, reason);
    }

    // A rotation copies the record (same login time) under a new key before it marks the old one superseded, so the
    // successor is the live session of the user indexed with the same login time.
    private async Task<SessionKey?> SuccessorAsync(SessionKey key, SessionRecord record, CancellationToken cancellationToken)
    {
        foreach (var candidate in await _store.IndexAsync(record.User, _time.GetUtcNow(), cancellationToken))
        {
            if (candidate != key && await _store.GetFreshAsync(candidate, cancellationToken) is { Superseded: false } next
                && next.User == record.User && next.Created == record.Created && next.UserAgent == record.UserAgent)
            {
                return candidate;
            }
        }
        return null;
    }
}
