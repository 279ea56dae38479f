namespace Gateway.Sessions;

/// <summary>
/// Listing and ending sessions: by the user, an admin, the cap or the rules. A revoked session takes the remember-me
/// token it came with (an expired one does not: that is what the token is for).
/// </summary>
internal sealed partial class SessionService
{
    /// <summary>Ends a session; true when it existed.</summary>
    public async Task<bool> EndAsync(ResolvedSession session, string reason, string by, string? ip, CancellationToken cancellationToken) =>
        await EndAsync(session.User, session.Key, reason, by, ip, forgetToken: true, cancellationToken);

    /// <summary>The user's live sessions, oldest first; index entries whose session is gone are pruned.</summary>
    public async Task<IReadOnlyList<ResolvedSession>> ListAsync(string user, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var keys = await _store.IndexAsync(user, now, cancellationToken);
        var records = await Task.WhenAll(keys.Select(k => _store.GetAsync(k, cancellationToken).AsTask()));
        var live = new List<ResolvedSession>();
        for (var i = 0; i < keys.Count; i++)
        {
            if (records[i] is { } record && record.User == user && SessionValidity.EndReason(_users.Find(user), record, _options.CurrentValue.Session, now, null).Kind is null)
            {
                live.Add(new ResolvedSession(keys[i], record, _users.RolesOf(user)));
            }
            else if (records[i] is null)
            {
                await _store.DeleteAsync(keys[i], user, cancellationToken);
            }
        }
        return live.Where(s => !s.Record.Superseded).OrderBy(s => s.Record.Created).ToList();
    }

    /// <summary>Revokes one of <paramref name="user"/>'s sessions by handle; false when no such session.</summary>
    public async Task<bool> RevokeAsync(string user, string handle, string by, string? ip, CancellationToken cancellationToken)
    {
        var keys = await _store.IndexAsync(user, _time.GetUtcNow(), cancellationToken);
        var key = keys.FirstOrDefault(k => k.Handle == handle);
        return key.Value is not null && await EndAsync(user, key, by == user ? "self" : "admin", by, ip, forgetToken: true, cancellationToken);
    }

    /// <summary>
    /// Revokes every session of <paramref name="user"/> (rotated-out ones too); returns how many existed. Callers
    /// revoke the user's remember-me tokens as well (all of them, linked or not).
    /// </summary>
    public async Task<int> RevokeAllAsync(string user, string reason, string by, string? ip, CancellationToken cancellationToken)
    {
        var keys = await _store.IndexAsync(user, _time.GetUtcNow(), cancellationToken);
        var ended = 0;
        foreach (var key in keys)
        {
            ended += await EndAsync(user, key, reason, by, ip, forgetToken: false, cancellationToken) ? 1 : 0;
        }
        return ended;
    }

    // The deleted record names the remember-me token the session came with: revoked with it, so the device does not
    // come straight back by it (unless the caller revokes every token of the user anyway).
    private async Task<bool> EndAsync(string user, SessionKey key, string reason, string by, string? ip, bool forgetToken, CancellationToken cancellationToken)
    {
        if (await _store.DeleteAsync(key, user, cancellationToken) is not { } deleted)
        {
            return false;
        }
        if (forgetToken)
        {
            await ForgetTokenAsync(user, deleted.RememberSelector, cancellationToken);
        }
        await _audit.RecordAsync("revoked", user, key, reason, by, ip);
        Ended?.Invoke(key, reason);
        return true;
    }

    private Task ForgetTokenAsync(string user, string rememberSelector, CancellationToken cancellationToken) =>
        rememberSelector.Length > 0 ? _remember.DeleteRememberAsync(rememberSelector, user, cancellationToken) : Task.CompletedTask;
}
