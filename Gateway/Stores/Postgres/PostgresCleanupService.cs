using Gateway.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gateway.Stores.Postgres;

/// <summary>
/// Deletes expired rows every <c>Gateway:Store:CleanupInterval</c>, after a random first delay so that gateways started
/// together do not clean in step. One instance at a time (a session advisory lock; the others skip their turn), and
/// never one unbounded <c>DELETE</c>: batches of <see cref="BatchSize"/> rows, each its own short transaction that skips
/// rows others hold, so logins and touches go on meanwhile and two cleaners could not deadlock (the failure reported
/// against the SQL Server distributed cache, dotnet/extensions#492). Reading never depends on it: expired rows are
/// already invisible to every query.
/// </summary>
internal sealed partial class PostgresCleanupService(NpgsqlDataSource dataSource, PostgresSchemaState schema, IOptions<GatewayOptions> options,
    ILogger<PostgresCleanupService> logger) : BackgroundService
{
    public const int BatchSize = 500;

    // A batch is small, but a busy table may make it slower than a request's bound.
    private static readonly TimeSpan StatementTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// One cleaning pass; the rows deleted, or null when another instance holds the cleaning lock (or the schema is not
    /// ready yet).
    /// </summary>
    public async Task<long?> CleanOnceAsync(CancellationToken cancellationToken)
    {
        if (!schema.Ready)
        {
            return null;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (await ScalarAsync(connection, PostgresQueries.TryLockCleanup, cancellationToken) is not true)
        {
            return null;
        }
        try
        {
            long deleted = 0;
            foreach (var (table, expiry) in PostgresQueries.Expiring)
            {
                var sql = PostgresQueries.DeleteExpired(table, expiry);
                int batch;
                do
                {
                    await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = (int)StatementTimeout.TotalSeconds };
                    command.Parameters.Add(new NpgsqlParameter { Value = BatchSize });
                    batch = await command.ExecuteNonQueryAsync(cancellationToken);
                    deleted += batch;
                }
                while (batch == BatchSize);
            }
            return deleted;
        }
        finally
        {
            if (connection.State == System.Data.ConnectionState.Open)
            {
                await ScalarAsync(connection, PostgresQueries.UnlockCleanup, CancellationToken.None);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.Store.CleanupInterval;
        try
        {
            await Task.Delay(TimeSpan.FromTicks(Random.Shared.NextInt64(interval.Ticks)), stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (await CleanOnceAsync(stoppingToken) is { } deleted)
                    {
                        LogCleaned(logger, deleted);
                    }
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException || (e is OperationCanceledException && !stoppingToken.IsCancellationRequested))
                {
                    LogCleanupFailed(logger, e.GetType().Name, e.Message);
                }
                await Task.Delay(interval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = (int)StatementTimeout.TotalSeconds };
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 2305, EventName = "PostgresCleaned", Level = LogLevel.Debug, Message = "PostgreSQL cleanup deleted {Rows} expired rows.")]
    private static partial void LogCleaned(ILogger logger, long rows);

    [LoggerMessage(EventId = 2306, EventName = "PostgresCleanupFailed", Level = LogLevel.Warning,
        Message = "PostgreSQL cleanup failed ({Cause}: {Reason}); expired rows stay (invisible) until the next pass.")]
    private static partial void LogCleanupFailed(ILogger logger, string cause, string reason);
}
