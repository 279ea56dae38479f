namespace Gateway.Tests.Fixtures;

/// <summary>A session store deployment a gateway under test can use.</summary>
public interface IStoreFixture
{
    /// <summary>Configuration that points a gateway at this store. Gateways given the same isolation key share their data; different keys never see each other's.</summary>
    ValueTask<IReadOnlyDictionary<string, string?>> GatewaySettingsAsync(string isolationKey);

    /// <summary>
    /// Ends the sessions of <paramref name="isolationKey"/> as the store's own expiry would have, for tests whose clock ran
    /// past it (a shared store expires on its own clock, not the test's). Nothing for a store on the test's clock.
    /// </summary>
    ValueTask ExpireSessionsAsync(string isolationKey) => ValueTask.CompletedTask;

    // Changes behind the gateways' backs: made in the store directly, announcing nothing on the invalidation channel,
    // as an operator's manual edit would, so that only a near cache's bound (or a lost connection) can reveal them.
    // A store whose tests do not need them leaves them unsupported.

    /// <summary>Deletes the session records of <paramref name="isolationKey"/>, announcing nothing; how many there were.</summary>
    ValueTask<int> DeleteSessionsUnannouncedAsync(string isolationKey) => throw Unsupported();

    /// <summary>Deletes the Basic credential links of <paramref name="isolationKey"/>, announcing nothing; how many there were.</summary>
    ValueTask<int> DeleteCredentialLinksUnannouncedAsync(string isolationKey) => throw Unsupported();

    /// <summary>How many session records <paramref name="isolationKey"/> holds.</summary>
    ValueTask<int> CountSessionsAsync(string isolationKey) => throw Unsupported();

    /// <summary>
    /// Bans a login subject (<paramref name="subjectId"/>: <c>ThrottleSubject.Id</c>) until <paramref name="until"/> (on
    /// the gateways' clock, the record kept <paramref name="lasting"/>), as the failure count would have, announcing nothing.
    /// </summary>
    ValueTask BanUnannouncedAsync(string isolationKey, string subjectId, string user, string ip, DateTimeOffset until, TimeSpan lasting, int failures) => throw Unsupported();

    /// <summary>Ends every gateway connection to the store (not the fixture's own), as a failover or a restart would.</summary>
    ValueTask DropGatewayConnectionsAsync() => throw Unsupported();

    private NotSupportedException Unsupported() => new($"{GetType().Name} cannot change its data behind the gateways' backs");
}
