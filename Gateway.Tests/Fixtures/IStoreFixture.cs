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
}
