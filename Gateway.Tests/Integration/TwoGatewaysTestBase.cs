using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// Two gateways on one Redis, with their own key prefix and the near cache on (<c>Gateway:Store:NearCache</c> =
/// <paramref name="nearCache"/>): <see cref="GatewayTestBase.Host"/> and <see cref="Other"/>, which shares its users
/// file (a session remembers its user's password-hash stamp, and each host would hash its own file anew).
/// </summary>
public abstract class TwoGatewaysTestBase(RedisServer redis, string nearCache) : GatewayTestBase(redis)
{
    /// <summary>The Redis key prefix of both gateways, unique to the test.</summary>
    protected string Prefix { get; } = $"n{Guid.NewGuid():N}:"[..14];

    protected GatewayHost Other { get; private set; } = null!;

    protected HttpClient OtherClient { get; private set; } = null!;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:Store:KeyPrefix"] = Prefix,
        ["Gateway:Store:NearCache"] = nearCache,
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var settings = Settings;
        settings["Gateway:Users:File"] = Host.UsersPath;
        Other = await GatewayHost.StartAsync(Backend.Url, Redis, settings);
        OtherClient = Other.CreateClient();
    }

    public override async Task DisposeAsync()
    {
        OtherClient.Dispose();
        await Other.DisposeAsync();
        await base.DisposeAsync();
    }
}
