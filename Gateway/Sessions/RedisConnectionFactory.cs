using Gateway.Configuration;
using StackExchange.Redis;

namespace Gateway.Sessions;

/// <summary>
/// Builds the process's one multiplexer for fail-closed behaviour: the gateway starts while Redis is down,
/// commands fail fast instead of queueing while disconnected, and timeouts follow <c>Gateway:Store:Timeout</c>
/// unless the connection string sets its own. TLS trust and the client certificate come from
/// <c>Gateway:Store:Tls*</c> files, which the connection string has no keys for.
/// </summary>
internal static class RedisConnectionFactory
{
    public static ConfigurationOptions Configure(string connectionString, StoreOptions store, Func<string, string> resolvePath)
    {
        var config = ConfigurationOptions.Parse(connectionString);
        if (store.TlsCaFile.Length > 0)
        {
            config.TrustIssuer(resolvePath(store.TlsCaFile));
        }
        if (store.TlsClientCertificateFile.Length > 0)
        {
            config.SetUserPemCertificate(resolvePath(store.TlsClientCertificateFile), resolvePath(store.TlsClientKeyFile));
        }
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
