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
    Task<SessionRecord?> GetAsync(SessionKey key, CancellationToken cancellationToken);

    /// <summary>Writes a new session (and indexes it under its user) with the given time to live.</summary>
    Task CreateAsync(SessionKey key, SessionRecord record, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Records use: last seen and a new time to live, only if the session still exists.</summary>
    Task TouchAsync(SessionKey key, DateTimeOffset lastSeen, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Deletes a session and its index entry; false when it did not exist.</summary>
    Task<bool> DeleteAsync(SessionKey key, string user, CancellationToken cancellationToken);

    /// <summary>The session a verified Basic credential maps to, if any.</summary>
    Task<SessionKey?> GetCredentialLinkAsync(string link, CancellationToken cancellationToken);

    /// <summary>Maps a verified Basic credential (a keyed hash of it) to a session.</summary>
    Task SetCredentialLinkAsync(string link, SessionKey key, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>A random 256-bit secret shared by every gateway using this store, created on first use.</summary>
    Task<byte[]> GetOrCreateSecretAsync(string name, CancellationToken cancellationToken);

    /// <summary>Throws when the store cannot answer.</summary>
    Task PingAsync(CancellationToken cancellationToken);
}
