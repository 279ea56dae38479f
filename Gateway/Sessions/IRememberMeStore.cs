namespace Gateway.Sessions;

/// <summary>
/// Remember-me tokens, by selector, indexed under their user. Bounded by the store timeout like
/// <see cref="ISessionStore"/>: throws <see cref="SessionStoreUnavailableException"/> when the store cannot answer.
/// </summary>
internal interface IRememberMeStore
{
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
}
