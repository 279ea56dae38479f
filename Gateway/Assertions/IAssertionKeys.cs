namespace Gateway.Assertions;

/// <summary>Where the assertion keys come from: a key file, or keys derived from the store's shared secret.</summary>
internal interface IAssertionKeys
{
    /// <summary>The keys in force now. Throws <see cref="Sessions.SessionStoreUnavailableException"/> when they cannot be had.</summary>
    ValueTask<AssertionKeyRing> GetAsync(CancellationToken cancellationToken);
}
