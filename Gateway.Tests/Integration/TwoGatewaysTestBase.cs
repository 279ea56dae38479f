using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// Two gateways on one store, with their own isolation key (Redis: key prefix) and the near cache on (<c>Gateway:Store:NearCache</c> =
/// <paramref name="nearCache"/>): <see cref="GatewayTestBase.Host"/> and <see cref="Other"/>, which shares its users
/// file (a session remembers its user's password-hash stamp, and each host would hash its own file anew).
/// </summary>
public abstract class TwoGatewaysTestBase(IStoreFixture store, string nearCache) : GatewayTestBase(store)
{
    /// <summary>The store isolation key (Redis key prefix) of both gateways, unique to the test.</summary>
    protected string Prefix { get; } = $"n{Guid.NewGuid():N}:"[..14];

    protected GatewayHost Other { get; private set; } = null!;

    protected HttpClient OtherClient { get; private set; } = null!;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:Store:NearCache"] = nearCache,
    };

    protected override string? IsolationKey => Prefix;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var settings = Settings;
        settings["Gateway:Users:File"] = Host.UsersPath;
        Other = await GatewayHost.StartAsync(BackendUrl, Store, settings, keyPrefix: Prefix);
        OtherClient = Other.CreateClient();
    }

    public override async Task DisposeAsync()
    {
        OtherClient.Dispose();
        await Other.DisposeAsync();
        await base.DisposeAsync();
    }
}
