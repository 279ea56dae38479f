using Gateway.Audit;
using Gateway.Configuration;
using Gateway.Security;
using Gateway.Sessions;
using Microsoft.Extensions.Options;

namespace Gateway.Stores.Sqlite;

/// <summary>
/// The SQLite store (<c>ConnectionStrings:Sqlite</c>, or <c>gateway.db</c> when no store is configured): one file, one
/// process. One database (file, lock, writer, readers) behind every store interface, with the near cache in front of
/// sessions, credential links and bans (1 s by default, as for a shared store), invalidated in process.
/// </summary>
internal static class SqliteStores
{
    /// <summary>
    /// Registers the SQLite stores on <paramref name="connectionString"/> (a relative <c>Data Source</c> is taken from
    /// the configuration directory). The file is opened, locked and migrated when first resolved, at start; the
    /// cleanup runs in the background.
    /// </summary>
    internal static void Add(IServiceCollection services, string connectionString)
    {
        services.AddSingleton(sp => SqliteDatabase.Open(connectionString, sp.GetRequiredService<IHostEnvironment>().ContentRootPath,
            sp.GetRequiredService<IOptions<GatewayOptions>>().Value.Store, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Gateway.Stores.Sqlite")));
        services.AddSingleton<SqliteSessionStore>();
        services.AddSingleton<SqliteThrottleStore>();
        StoreExtensions.AddStores<SqliteSessionStore>(services);
        // A SQLite read costs about a third of a proxied request's CPU time (bench/RESULTS.md), so reads go through
        // the same near cache as a shared store's, kept exact by an in-process channel: only this process writes.
        services.AddSingleton<IInvalidationChannel, LocalInvalidationChannel>();
        StoreExtensions.AddNearCache<SqliteSessionStore, SqliteSessionStore, SqliteThrottleStore>(services);
        services.AddSingleton<IAuditStore, SqliteAuditStore>();
        services.AddHostedService<SqliteCleanup>();
    }

    /// <summary>
    /// For a command run beside the gateway that holds the file (<c>sessions</c>): the same stores on a database opened
    /// by <see cref="SqliteDatabase.OpenBeside"/>. Nothing when another store is configured.
    /// </summary>
    internal static void OpenBesideGateway(IServiceCollection services)
    {
        if (services.FirstOrDefault(d => d.ServiceType == typeof(SqliteDatabase)) is not { } database)
        {
            return;
        }
        services.Remove(database);
        services.AddSingleton(sp => SqliteDatabase.OpenBeside(sp.GetRequiredService<StoreSelection>().ConnectionString,
            sp.GetRequiredService<IHostEnvironment>().ContentRootPath, sp.GetRequiredService<IOptions<GatewayOptions>>().Value.Store,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Gateway.Stores.Sqlite")));
    }
}
