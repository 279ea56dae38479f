namespace Gateway.Sessions;

/// <summary>
/// Storage of sessions. Implementations hold data and expire it; the rules (validity, touches, who may do
/// what) live in <see cref="SessionService"/>. Every method either completes within the configured store
/// timeout or throws <see cref="SessionStoreUnavailableException"/>; a client abort surfaces as
/// <see cref="OperationCanceledException"/>.
/// </summary>
internal interface ISessionStore
{
    /// <summary>Reads a session, or null when the key does not exist.</summary>
    ValueTask<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken);

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

    /// <summary>Stores a remember-me token under its selector (and indexes the selector under its user).</summary>
    Task SaveRememberAsync(string selector, RememberRecord record, CancellationToken cancellationToken);

    /// <summary>A remember-me token by selector, or null.</summary>
    Task<RememberRecord?> GetRememberAsync(string selector, CancellationToken cancellationToken);

    /// <summary>
    /// Rotates a token's validator only if the stored one is still <paramref name="expectedHash"/> (compare and set):
    /// the expected hash becomes the previous one, <paramref name="nextHash"/> the current one, the expiry stays.
    /// </summary>
    Task<RememberRotation> RotateRememberAsync(string selector, byte[] expectedHash, byte[] nextHash, DateTimeOffset rotatedAt, CancellationToken cancellationToken);

    /// <summary>Deletes one remember-me token.</summary>
    Task DeleteRememberAsync(string selector, string user, CancellationToken cancellationToken);

    /// <summary>Selectors of a user's remember-me tokens.</summary>
    Task<IReadOnlyList<string>> RememberSelectorsAsync(string user, CancellationToken cancellationToken);

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

    /// <summary>The session a verified Basic credential maps to, if any.</summary>
    Task<SessionKey?> GetCredentialLinkAsync(string link, CancellationToken cancellationToken);

    /// <summary>Maps a verified Basic credential (a keyed hash of it) to a session.</summary>
    Task SetCredentialLinkAsync(string link, SessionKey key, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>A random 256-bit secret shared by every gateway using this store, created on first use.</summary>
    Task<byte[]> GetOrCreateSecretAsync(string name, CancellationToken cancellationToken);

    /// <summary>Throws when the store cannot answer.</summary>
    Task PingAsync(CancellationToken cancellationToken);
}
