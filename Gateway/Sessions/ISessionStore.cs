namespace Gateway.Sessions;

/// <summary>
/// Storage of sessions and the per-user index (remember-me tokens, credential links, secrets and health have their
/// own interfaces beside this one; a store implements them all). Implementations hold data and expire it; the rules (validity, touches, who may do
/// what) live in <see cref="SessionService"/>. Every method either completes within the configured store
/// timeout or throws <see cref="SessionStoreUnavailableException"/>; a client abort surfaces as
/// <see cref="OperationCanceledException"/>.
/// </summary>
internal interface ISessionStore
{
    /// <summary>Reads a session, or null when the key does not exist.</summary>
    ValueTask<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken);

    /// <summary>
    /// Reads a session from the store itself, past any copy held in this process: for a check prompted by an
    /// invalidation message, which may arrive before the near cache has dropped its copy.
    /// </summary>
    ValueTask<SessionRecord?> GetFreshAsync(SessionKey key, CancellationToken cancellationToken) => GetAsync(key, cancellationToken);

    /// <summary>
    /// True when <see cref="GetAsync"/> hands back the same <see cref="SessionRecord"/> object for a key until the
    /// session changes (a copy held in this process), so what is derived from a record may be kept with it.
    /// </summary>
    bool SharesRecords => false;

    /// <summary>
    /// Indexes a new session under its user and writes it with the given time to live. The cap is applied
    /// atomically with the indexing, so concurrent logins cannot both slip past it.
    /// </summary>
    Task<CreateResult> CreateAsync(SessionKey key, SessionRecord record, TimeSpan ttl, SessionCap cap, CancellationToken cancellationToken);

    /// <summary>Keys indexed under a user (entries past their absolute expiry pruned); some may be gone already.</summary>
    Task<IReadOnlyList<SessionKey>> IndexAsync(string user, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Marks a rotated-out session: it lives for <paramref name="grace"/> more, and is never touched again. True when
    /// this call marked it; false when another rotation already had (its successor is the live one) or it is gone.
    /// </summary>
    Task<bool> SupersedeAsync(SessionKey key, TimeSpan grace, CancellationToken cancellationToken);

    /// <summary>Records use: last seen and a new time to live, only if the session still exists.</summary>
    Task TouchAsync(SessionKey key, DateTimeOffset lastSeen, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes a session and its index entry; returns the record it deleted (what revoking it must also end, such as
    /// its remember-me token), or null when there was none to read.
    /// </summary>
    Task<SessionRecord?> DeleteAsync(SessionKey key, string user, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes a session no client was given (a rotation's successor that lost its claim) and its index entry. Not a
    /// revocation: no replica acknowledgement, no invalidation message; lost in a failover, it idles out unseen.
    /// </summary>
    Task DiscardAsync(SessionKey key, string user, CancellationToken cancellationToken);
}
