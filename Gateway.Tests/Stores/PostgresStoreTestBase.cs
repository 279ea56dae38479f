using Gateway.Configuration;
using Gateway.Stores.Postgres;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gateway.Tests.Stores;

/// <summary>The PostgreSQL stores without a gateway around them, on a schema of the test's own, migrated.</summary>
public abstract class PostgresStoreTestBase(PostgresServer server) : IAsyncLifetime
{
    protected PostgresServer Server { get; } = server;

    protected string Schema { get; } = $"s{Guid.NewGuid():N}"[..16];

    protected string ConnectionString { get; private set; } = "";

    private protected NpgsqlDataSource DataSource { get; private set; } = null!;

    private protected PostgresDatabase Database { get; private set; } = null!;

    private protected PostgresSessionStore Sessions { get; private set; } = null!;

    private protected GatewayOptions Options { get; } = new() { Store = { Timeout = TimeSpan.FromSeconds(2) } };

    public virtual async Task InitializeAsync()
    {
        ConnectionString = await Server.ConnectionStringFor(Schema);
        DataSource = PostgresStores.CreateDataSource(ConnectionString);
        await PostgresMigrations.MigrateAsync(DataSource, NullLogger.Instance, CancellationToken.None);
        var state = new PostgresSchemaState();
        state.MarkReady();
        Database = new PostgresDatabase(DataSource, state, Microsoft.Extensions.Options.Options.Create(Options), NullLogger<PostgresDatabase>.Instance);
        Sessions = new PostgresSessionStore(Database);
    }

    public virtual async Task DisposeAsync() => await DataSource.DisposeAsync();

    /// <summary>One value read in the test's schema.</summary>
    protected async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    protected async Task ExecuteAsync(string sql)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
