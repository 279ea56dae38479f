namespace Gateway.Tests.Fixtures;

/// <summary>A session store deployment a gateway under test can use.</summary>
public interface IStoreFixture
{
    /// <summary>Configuration that points a gateway at this store. Gateways given the same isolation key share their data; different keys never see each other's.</summary>
    ValueTask<IReadOnlyDictionary<string, string?>> GatewaySettingsAsync(string isolationKey);
}
