using Gateway.Configuration;
using Gateway.Sessions;
using Gateway.Stores.Postgres;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Gateway.Tests.Stores;

/// <summary>Migrations, cleanup, revocation durability and connection strings of the PostgreSQL store, on a real server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresOperationsTests(PostgresServer server) : PostgresStoreTestBase(server)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    [Fact]
    public async Task Migrate_ParallelOnFreshSchema_AppliedOnceAndVersionChecked()
    {
        var fresh = await Server.ConnectionStringFor($"m{Guid.NewGuid():N}"[..16]);
        await using var source = PostgresStores.CreateDataSource(fresh);
        var missing = await Assert.ThrowsAsync<PostgresSchemaException>(() => PostgresMigrations.CheckAsync(source, CancellationToken.None));
        Assert.Contains("dotnet Gateway.dll migrate", missing.Message);

        var applied = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostgresMigrations.MigrateAsync(source, NullLogger.Instance, CancellationToken.None)));

        Assert.Equal(PostgresMigrations.All.Count, applied.Sum());
        await PostgresMigrations.CheckAsync(source, CancellationToken.None);
        await using var command = source.CreateCommand("SELECT count(*) FROM gateway_schema_version");
        Assert.Equal((long)PostgresMigrations.All.Count, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Migrate_DatabaseAtNewerVersion_Refused()
    {
        await ExecuteAsync($"INSERT INTO gateway_schema_version (version, name) VALUES ({PostgresMigrations.Latest + 1}, 'future')");

        var newer = await Assert.ThrowsAsync<PostgresSchemaException>(() => PostgresMigrations.MigrateAsync(DataSource, NullLogger.Instance, CancellationToken.None));

        Assert.Contains("upgrade the gateway", newer.Message);
    }

    [Fact]
    public async Task Cleanup_ExpiredRowsDuringParallelLogins_ExpiredGoneLoginsUnharmed()
    {
        // 1 200 expired sessions (more than two batches) of the user who logs in, and one live session of another.
        await ExecuteAsync("""
            INSERT INTO login_session (session_key, username, roles, created_at, last_seen, renewed_at, idle_expires_at, absolute_expires_at,
                ip, user_agent, password_stamp, method)
            SELECT 'expired' || i, 'alice', '{user}', now(), now(), now(), now() - interval '1 second', now() + interval '1 hour', '', '', '', 'form'
            FROM generate_series(1, 1200) i
            """);
        var live = SessionId.New().Key;
        await Sessions.CreateAsync(live, Record("bob"), TimeSpan.FromMinutes(30), SessionCap.None, default);
        var cleanup = new PostgresCleanupService(DataSource, Ready(), Microsoft.Extensions.Options.Options.Create(Options), NullLogger<PostgresCleanupService>.Instance);

        await using (var otherInstance = await DataSource.OpenConnectionAsync())
        {
            await using var hold = new NpgsqlCommand(PostgresQueries.TryLockCleanup, otherInstance);
            Assert.Equal(true, await hold.ExecuteScalarAsync());
            Assert.Null(await cleanup.CleanOnceAsync(default)); // one instance at a time: this one skips its turn
            await using var release = new NpgsqlCommand(PostgresQueries.UnlockCleanup, otherInstance);
            await release.ExecuteScalarAsync();
        }

        var logins = Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Sessions.CreateAsync(SessionId.New().Key, Record("alice"), TimeSpan.FromMinutes(30), new SessionCap(5, Reject: false), default)));
        var cleaned = await cleanup.CleanOnceAsync(default);
        var created = await logins;

        Assert.All(created, c => Assert.True(c.Created));
        Assert.Equal(1200, cleaned);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM login_session WHERE idle_expires_at <= now()"));
        Assert.Equal(5L, await ScalarAsync<long>("SELECT count(*) FROM login_session WHERE username = 'alice'"));
        Assert.NotNull(await Sessions.GetAsync(live, default));
    }

    [Fact]
    public async Task DurableCommit_InRevocationBatch_AppliesToThatTransactionOnly()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using (var lowered = new NpgsqlCommand("SET synchronous_commit = off", connection))
        {
            await lowered.ExecuteNonQueryAsync();
        }

        await using var batch = Database.Batch(connection, (PostgresQueries.DurableCommit, []), ("SHOW synchronous_commit", []));
        string? during;
        await using (var reader = await batch.ExecuteReaderAsync())
        {
            await reader.NextResultAsync();
            await reader.ReadAsync();
            during = reader.GetString(0);
        }
        await using var after = new NpgsqlCommand("SHOW synchronous_commit", connection);

        Assert.Equal("on", during);
        Assert.Equal("off", await after.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Store_MultiHostStringWithDeadFirstHost_UsesThePrimary()
    {
        var multiHost = new NpgsqlConnectionStringBuilder(ConnectionString)
        {
            Host = $"127.0.0.1:{RedisServer.FreePort()},127.0.0.1:{Server.Port}",
            TargetSessionAttributes = "primary",
        }.ConnectionString;
        await using var source = PostgresStores.CreateDataSource(multiHost);
        var db = new PostgresDatabase(source, Ready(), Microsoft.Extensions.Options.Options.Create(Options), NullLogger<PostgresDatabase>.Instance);
        var store = new PostgresSessionStore(db);
        var key = SessionId.New().Key;

        await store.CreateAsync(key, Record("alice"), TimeSpan.FromMinutes(30), SessionCap.None, default);

        Assert.Equal("alice", (await Sessions.GetAsync(key, default))!.User);
    }

    [Fact]
    public async Task Audit_BeyondMaxEntries_OldestDropped()
    {
        var options = new GatewayOptions { Audit = { MaxEntries = 5 } };
        var audit = new PostgresAuditStore(Database, Microsoft.Extensions.Options.Options.Create(options));

        for (var i = 0; i < 12; i++)
        {
            await audit.AppendAsync(new Gateway.Audit.AuditEvent(Now.AddSeconds(i), "created", i % 2 == 0 ? "alice" : "bob", null, i.ToString(), null, null), default);
        }

        Assert.Equal(["11", "10", "9", "8", "7"], (await audit.ReadAsync(null, 100, default)).Select(e => e.Detail));
        Assert.Equal(["10", "8"], (await audit.ReadAsync("alice", 2, default)).Select(e => e.Detail));
    }

    [Fact]
    public async Task MigrateCommand_PostgresConfigured_AppliesOnceThenGatewayMayStartWithMigrateOff()
    {
        var fresh = await Server.ConnectionStringFor($"c{Guid.NewGuid():N}"[..16]);
        string[] arguments = ["migrate", "--Gateway:Store:Provider=Postgres", $"--ConnectionStrings:Postgres={fresh}"];
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(0, await Gateway.Cli.GatewayCli.RunAsync(arguments, new StringReader(""), output, error));
        Assert.Equal(0, await Gateway.Cli.GatewayCli.RunAsync(arguments, new StringReader(""), output, error));

        Assert.Contains($"{PostgresMigrations.All.Count} migration(s) applied, schema at version {PostgresMigrations.Latest}", output.ToString());
        Assert.Contains($"schema already at version {PostgresMigrations.Latest}", output.ToString());
        await using var source = PostgresStores.CreateDataSource(fresh);
        await PostgresMigrations.CheckAsync(source, CancellationToken.None);
    }

    private static PostgresSchemaState Ready()
    {
        var state = new PostgresSchemaState();
        state.MarkReady();
        return state;
    }

    private static SessionRecord Record(string user) =>
        new(user, ["user"], Now, Now, Now.AddHours(12), "127.0.0.1", "test-agent", "stamp", "form", Now);
}
