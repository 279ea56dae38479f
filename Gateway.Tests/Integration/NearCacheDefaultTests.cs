using Gateway.Configuration;
using Gateway.Security;
using Gateway.Sessions;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Integration;

/// <summary>The near cache is on (1 s) by default with a shared store, opted out with 00:00:00, and absent in process.</summary>
[Collection(RedisCollection.Name)]
public sealed class NearCacheDefaultTests(RedisServer redis)
{
    [Theory]
    [InlineData(null, 1.0)]   // not set
    [InlineData("", 1.0)]     // rendered empty by compose or Helm: not set either
    [InlineData("00:00:00", 0.0)]
    [InlineData("00:00:03", 3.0)]
    public async Task Start_SharedStore_NearCacheDefaultsToOneSecond(string? setting, double seconds)
    {
        using var backend = new RecordingBackend();
        await using var host = await GatewayHost.StartAsync(backend.Url, redis, new Dictionary<string, string?> { ["Gateway:Store:NearCache"] = setting });

        var options = host.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.Store;
        Assert.Equal(TimeSpan.FromSeconds(seconds), options.NearCache);
        Assert.Equal(seconds > 0, host.Services.GetRequiredService<ISessionStore>() is NearCacheSessionStore);
        Assert.Equal(seconds > 0, host.Services.GetRequiredService<IThrottleStore>() is NearCacheThrottleStore);
    }

    [Fact]
    public async Task Start_InProcessStore_NoNearCache()
    {
        using var backend = new RecordingBackend();
        await using var host = await GatewayHost.StartAsync(backend.Url, null, new Dictionary<string, string?> { ["Gateway:Store:NearCache"] = null });

        Assert.Equal(TimeSpan.Zero, host.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.Store.NearCache);
        Assert.IsType<InMemorySessionStore>(host.Services.GetRequiredService<ISessionStore>());
    }
}
