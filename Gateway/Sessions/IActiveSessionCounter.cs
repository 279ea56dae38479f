namespace Gateway.Sessions;

/// <summary>
/// A store that can count its live sessions cheaply (no scan of every session): feeds the
/// <c>gateway.session.active</c> gauge. Optional: a store without it simply reports no gauge.
/// </summary>
internal interface IActiveSessionCounter
{
    /// <summary>Sessions whose idle expiry is after <paramref name="now"/>, within the store timeout; throws <see cref="SessionStoreUnavailableException"/> otherwise.</summary>
    Task<long> CountActiveAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
