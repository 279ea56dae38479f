using Gateway.Configuration;
using Gateway.Security;
using Gateway.Sessions;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Integration;

/// <summary>The near cache is on (1 s) by default with a shared store and SQLite, opted out with 00:00:00, and absent in memory.</summary>
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

    [Theory]
    [InlineData(null, 1.0)]
    [InlineData("00:00:00", 0.0)]
    public async Task Start_Sqlite_NearCacheDefaultsToOneSecondInvalidatedInProcess(string? setting, double seconds)
    {
        using var sqlite = new SqliteStoreFixture();
        using var backend = new RecordingBackend();
        var settings = new Dictionary<string, string?>(await sqlite.GatewaySettingsAsync("near")) { ["Gateway:Store:NearCache"] = setting };
        await using var host = await GatewayHost.StartAsync(backend.Url, null, settings);

        Assert.Equal(TimeSpan.FromSeconds(seconds), host.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.Store.NearCache);
        Assert.Equal(seconds > 0, host.Services.GetRequiredService<ISessionStore>() is NearCacheSessionStore);
        Assert.Equal(seconds > 0, host.Services.GetRequiredService<IThrottleStore>() is NearCacheThrottleStore);
        Assert.IsType<LocalInvalidationChannel>(host.Services.GetRequiredService<IInvalidationChannel>());
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
