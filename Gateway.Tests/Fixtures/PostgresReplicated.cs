using Npgsql;

namespace Gateway.Tests.Fixtures;

/// <summary>
/// A PostgreSQL primary and one streaming-replication standby on loopback, each a <see cref="PostgresServer"/> of its
/// own (temp directory, free port, ended by pid): the standby is cloned with <c>pg_basebackup -R</c> and is the
/// primary's synchronous standby (<c>synchronous_standby_names='*'</c>). The primary's default is
/// <c>synchronous_commit=local</c>, as an operator may set it for speed, so only transactions that ask for
/// <c>on</c> themselves (the store's revocations) wait for the standby. Gateways get a multi-host connection string,
/// primary first, with <c>Target Session Attributes=primary</c>.
/// </summary>
public sealed class PostgresReplicated : IAsyncLifetime, IStoreFixture
{
    public PostgresReplicated()
    {
        Primary = new PostgresServer(null, "-c synchronous_standby_names=* -c synchronous_commit=local");
        Standby = new PostgresServer(Primary, "");
    }

    public PostgresServer Primary { get; }

    public PostgresServer Standby { get; }

    public async Task InitializeAsync()
    {
        await Primary.InitializeAsync();
        await Standby.InitializeAsync();
        await StreamingAsync();
    }

    /// <summary>Waits until the standby streams as the synchronous standby and has flushed all the primary had written.</summary>
    private async Task StreamingAsync()
    {
        await using var command = Primary.Admin.CreateCommand("""
            SELECT count(*) FROM pg_stat_replication
            WHERE state = 'streaming' AND sync_state = 'sync' AND flush_lsn >= pg_current_wal_lsn()
            """);
        if (!await Eventually.WithinAsync(async () => (long)(await command.ExecuteScalarAsync())! == 1, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50)))
        {
            throw new InvalidOperationException("the standby was not streaming as a caught-up synchronous standby within 30 s");
        }
    }

    public async ValueTask<IReadOnlyDictionary<string, string?>> GatewaySettingsAsync(string isolationKey)
    {
        var settings = new NpgsqlConnectionStringBuilder(await Primary.ConnectionStringFor(PostgresServer.SchemaOf(isolationKey)))
        {
            Host = $"127.0.0.1:{Primary.Port},127.0.0.1:{Standby.Port}",
            TargetSessionAttributes = "primary",
        };
        return new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = settings.ConnectionString,
            ["Gateway:Store:KeyPrefix"] = isolationKey,
        };
    }

    /// <summary>
    /// Stops (SIGSTOP) or resumes (SIGCONT) the standby's WAL receiver: while stopped, the standby receives and
    /// confirms nothing, so a commit that waits for it does not return. Resuming waits until it has caught up.
    /// </summary>
    public async Task FreezeReceiverAsync(bool frozen)
    {
        await using var command = Standby.Admin.CreateCommand("SELECT pid FROM pg_stat_wal_receiver");
        var pid = (int)(await command.ExecuteScalarAsync() ?? throw new InvalidOperationException("the standby has no WAL receiver"));
        await PostgresServer.RunAsync("kill", frozen ? "-STOP" : "-CONT", pid.ToString());
        if (!frozen)
        {
            await StreamingAsync();
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            await Standby.DisposeAsync();
        }
        finally
        {
            await Primary.DisposeAsync();
        }
    }
}
