using Gateway.Configuration;
using StackExchange.Redis;

namespace Gateway.Sessions;

/// <summary>
/// Builds the process's one multiplexer for fail-closed behaviour: the gateway starts while Redis is down,
/// commands fail fast instead of queueing while disconnected, and timeouts follow <c>Gateway:Store:Timeout</c>
/// unless the connection string sets its own.
/// </summary>
internal static class RedisConnectionFactory
{
    public static ConfigurationOptions Configure(string connectionString, StoreOptions store)
    {
        var config = ConfigurationOptions.Parse(connectionString);
        config.AbortOnConnectFail = false;
        config.BacklogPolicy = BacklogPolicy.FailFast;
        config.ReconnectRetryPolicy = new LinearRetry(500);
        var timeout = (int)Math.Ceiling(store.Timeout.TotalMilliseconds);
        if (!Mentions(connectionString, "syncTimeout"))
        {
            config.SyncTimeout = timeout;
        }
        if (!Mentions(connectionString, "asyncTimeout"))
        {
            config.AsyncTimeout = timeout;
        }
        if (!Mentions(connectionString, "connectTimeout"))
        {
            config.ConnectTimeout = Math.Max(timeout, 1000);
        }
        config.ClientName ??= "gateway";
        return config;
    }

    private static bool Mentions(string connectionString, string option) =>
        connectionString.Contains(option + "=", StringComparison.OrdinalIgnoreCase);
}
