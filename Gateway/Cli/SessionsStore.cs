using System.Collections.Concurrent;
using Gateway.Configuration;
using Gateway.Sessions;
using Gateway.Stores;
using Gateway.Stores.Postgres;
using Gateway.Stores.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gateway.Cli;

/// <summary>
/// The configured store as the <c>sessions</c> command uses it beside running gateways: chosen as the gateway chooses
/// it; SQLite opened without the gateway's lock and never migrated; PostgreSQL's schema version checked, never
/// migrated. The in-memory store cannot be reached: its sessions live in the gateway's process.
/// </summary>
internal static class SessionsStore
{
    public const string MemoryRefused = "The in-memory store (Gateway:Store:Provider=Memory) keeps its sessions inside the running gateway's " +
        "process: the sessions command cannot reach them. Use the gateway's /auth/admin endpoints, or a Redis, PostgreSQL or SQLite store.";

    /// <summary>
    /// Registrations for the command: see <see cref="SqliteStores.OpenBesideGateway"/>. No near cache: a command reads
    /// each session once, and <see cref="Announcer"/> is then the one that tells the gateways what it ended (a near
    /// cache would announce each deletion a second time).
    /// </summary>
    public static void Configure(IServiceCollection services)
    {
        SqliteStores.OpenBesideGateway(services);
        services.PostConfigure<GatewayOptions>(options => options.Store.NearCache = TimeSpan.Zero);
    }

    /// <summary>Opens the store (SQLite) or checks its schema (PostgreSQL); throws what a start would.</summary>
    public static async Task OpenAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        switch (services.GetRequiredService<StoreSelection>().Provider)
        {
            case StoreProvider.Postgres:
                // Bounded as any store call: a database that does not answer is a 503 for a request, an error here.
                using (var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    bound.CancelAfter(Bound(services));
                    await PostgresMigrations.CheckAsync(services.GetRequiredService<NpgsqlDataSource>(), bound.Token);
                }
                services.GetRequiredService<PostgresSchemaState>().MarkReady();
                break;
            case StoreProvider.Sqlite:
                _ = services.GetRequiredService<SqliteDatabase>();
                break;
        }
    }

    // A command is not a request: the first connection may take longer than the store timeout allows a request.
    private static TimeSpan Bound(IServiceProvider services) =>
        TimeSpan.FromTicks(Math.Max(services.GetRequiredService<IOptions<GatewayOptions>>().Value.Store.Timeout.Ticks, TimeSpan.FromSeconds(5).Ticks));

    /// <summary>
    /// Collects the sessions the command ends, to announce them on the store's invalidation channel once it is done, as
    /// a gateway's connection registry does for a revocation through the API: running gateways drop their near-cache
    /// copies and check (and close) the session's WebSockets and streams at once.
    /// </summary>
    public sealed class Announcer : IDisposable
    {
        private readonly SessionService _sessions;
        private readonly IInvalidationChannel? _channel;
        private readonly ConcurrentQueue<SessionKey> _ended = new();

        public Announcer(IServiceProvider services)
        {
            _sessions = services.GetRequiredService<SessionService>();
            _channel = services.GetService<IInvalidationChannel>();
            _sessions.Ended += OnEnded;
        }

        /// <summary>Publishes every session ended so far; a failure is logged by the channel, the revocation stands.</summary>
        public async Task PublishAsync(CancellationToken cancellationToken)
        {
            while (_channel is not null && _ended.TryDequeue(out var key))
            {
                await _channel.PublishAsync(InvalidationTopic.Sessions, key.Value, cancellationToken);
            }
        }

        public void Dispose() => _sessions.Ended -= OnEnded;

        private void OnEnded(SessionKey key, string reason) => _ended.Enqueue(key);
    }
}
