using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// For tests that stop, kill or specially configure their redis-server: the class owns one, starts it before the
/// gateway, and ends it even when the gateway never started (a failed start must not leak processes).
/// </summary>
public abstract class OwnedRedisTestBase(RedisServer server) : GatewayTestBase(server)
{
    public override async Task InitializeAsync()
    {
        await Redis!.InitializeAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            await Redis!.DisposeAsync();
        }
    }
}
