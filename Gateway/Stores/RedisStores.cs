using Gateway.Audit;
using Gateway.Configuration;
using Gateway.Security;
using Gateway.Sessions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Stores;

/// <summary>The Redis store (<c>ConnectionStrings:Redis</c>): one multiplexer for the process, pub/sub for the near cache.</summary>
internal static class RedisStores
{
    public static void Add(IServiceCollection services, string connectionString)
    {
        services.AddSingleton<IConnectionMultiplexer>(sp => ConnectionMultiplexer.Connect(RedisConnectionFactory.Configure(connectionString,
            sp.GetRequiredService<IOptions<GatewayOptions>>().Value.Store, path => ConfigDirectory.Resolve(sp.GetRequiredService<IHostEnvironment>(), path))));
        services.AddSingleton<RedisSessionStore>();
        services.AddSingleton<RedisThrottleStore>();
        services.AddSingleton<IInvalidationChannel, RedisInvalidationChannel>();
        StoreExtensions.AddStores<RedisSessionStore>(services);
        StoreExtensions.AddNearCache<RedisSessionStore, RedisSessionStore, RedisThrottleStore>(services);
        services.AddSingleton<IAuditStore, RedisAuditStore>();
    }
}
