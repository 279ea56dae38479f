using Gateway.Audit;
using Gateway.Configuration;
using Gateway.Sessions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gateway.Stores.Postgres;

/// <summary>Registration of the PostgreSQL store (<c>ConnectionStrings:Postgres</c>): every store interface on one database.</summary>
internal static class PostgresStores
{
    /// <summary>
    /// One <see cref="NpgsqlDataSource"/> for the process (Npgsql's pool, automatic preparation of the statements used
    /// most), the stores on it, the schema migrations at start and the cleanup of expired rows.
    /// </summary>
    internal static void Add(IServiceCollection services, string connectionString)
    {
        services.AddSingleton(_ => CreateDataSource(connectionString));
        services.AddSingleton<PostgresSchemaState>();
        services.AddSingleton<PostgresDatabase>();
        services.AddSingleton<PostgresSessionStore>();
        services.AddSingleton<PostgresThrottleStore>();
        services.AddSingleton(sp => new PostgresListener(connectionString, ChannelOf(sp.GetRequiredService<IOptions<GatewayOptions>>().Value.Store),
            sp.GetRequiredService<ILogger<PostgresListener>>()));
        services.AddSingleton<IInvalidationChannel, PostgresInvalidationChannel>();
        StoreExtensions.AddStores<PostgresSessionStore>(services);
        StoreExtensions.AddNearCache<PostgresSessionStore, PostgresSessionStore, PostgresThrottleStore>(services);
        services.AddSingleton<IAuditStore, PostgresAuditStore>();
        services.AddHostedService<PostgresSchemaService>();
        services.AddSingleton<PostgresCleanupService>();
        services.AddHostedService(sp => sp.GetRequiredService<PostgresCleanupService>());
    }

    /// <summary>The data source for a connection string; what the gateway sets only where the string leaves it at Npgsql's default.</summary>
    internal static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var settings = builder.ConnectionStringBuilder;
        if (settings.MaxAutoPrepare == 0)
        {
            // The dozen statements of the hot paths are prepared once per connection after a few uses.
            settings.MaxAutoPrepare = 32;
        }
        settings.ApplicationName ??= "gateway";
        return builder.Build();
    }

    /// <summary>
    /// The NOTIFY channel: <c>&lt;KeyPrefix&gt;inv</c> (channels are per database, not per schema). PostgreSQL cuts
    /// names at 63 bytes, so a longer one is replaced by a hash of it.
    /// </summary>
    internal static string ChannelOf(StoreOptions options)
    {
        var name = options.KeyPrefix + "inv";
        return System.Text.Encoding.UTF8.GetByteCount(name) <= 63
            ? name
            : "gw-inv-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)))[..32];
    }
}
