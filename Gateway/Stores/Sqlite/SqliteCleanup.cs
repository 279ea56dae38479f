using Gateway.Configuration;
using Gateway.Sessions;
using Microsoft.Extensions.Options;

namespace Gateway.Stores.Sqlite;

/// <summary>
/// Deletes expired rows every <c>Gateway:Store:CleanupInterval</c>, table by table, in batches of
/// <see cref="BatchSize"/>: each batch is its own short write, so logins and touches go on between batches instead of
/// waiting behind one long <c>DELETE</c>. Nothing reads an expired row meanwhile (every query checks expiry).
/// </summary>
internal sealed partial class SqliteCleanup(SqliteDatabase database, IOptions<GatewayOptions> options, TimeProvider time, ILogger<SqliteCleanup> logger)
    : BackgroundService
{
    public const int BatchSize = 500;

    /// <summary>One pass over every table; returns the rows deleted.</summary>
    public async Task<long> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        long deleted = 0;
        foreach (var statement in SqliteQueries.Cleanup)
        {
            int batch;
            do
            {
                batch = await database.WriteAsync(transaction: false, channel => channel.Execute(statement, ("$now", now), ("$batch", BatchSize)), cancellationToken);
                deleted += batch;
            }
            while (batch == BatchSize);
        }
        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Store.CleanupInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var deleted = await RunOnceAsync(stoppingToken);
                LogCleaned(logger, deleted);
            }
            catch (SessionStoreUnavailableException e)
            {
                LogCleanupFailed(logger, e.Message); // the next interval tries again; expired rows are invisible meanwhile
            }
        }
    }

    [LoggerMessage(EventId = 2403, EventName = "SqliteCleanup", Level = LogLevel.Debug, Message = "SQLite cleanup deleted {Rows} expired row(s).")]
    private static partial void LogCleaned(ILogger logger, long rows);

    [LoggerMessage(EventId = 2404, EventName = "SqliteCleanupFailed", Level = LogLevel.Warning, Message = "SQLite cleanup stopped: {Cause}")]
    private static partial void LogCleanupFailed(ILogger logger, string cause);
}
