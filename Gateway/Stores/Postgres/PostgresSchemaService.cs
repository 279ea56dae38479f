using Gateway.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gateway.Stores.Postgres;

/// <summary>
/// Brings the schema to this gateway's version at start (<c>Gateway:Store:Migrate</c>, default true) or checks that
/// it is (false). A version mismatch stops the start with a message saying what to do. A database that does not
/// answer does not: the gateway starts, answers 503 to whatever needs the store, and retries with backoff until the
/// database answers (as it does with Redis down), so the start order of a deployment does not matter.
/// </summary>
internal sealed partial class PostgresSchemaService(NpgsqlDataSource dataSource, PostgresSchemaState state, IOptions<GatewayOptions> options,
    IHostApplicationLifetime lifetime, ILogger<PostgresSchemaService> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan FirstAttempt = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private readonly CancellationTokenSource _stopping = new();
    private Task _retries = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(FirstAttempt);
        try
        {
            await ApplyAsync(bound.Token);
        }
        catch (Exception e) when (IsOutage(e) && !cancellationToken.IsCancellationRequested)
        {
            LogWaiting(logger, e.GetType().Name, e.Message);
            _retries = RetryAsync(_stopping.Token);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _retries.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose() => _stopping.Dispose();

    private async Task ApplyAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (options.Value.Store.Migrate)
            {
                await PostgresMigrations.MigrateAsync(dataSource, logger, cancellationToken);
            }
            else
            {
                await PostgresMigrations.CheckAsync(dataSource, cancellationToken);
            }
        }
        catch (PostgresException e) when (!PostgresDatabase.IsUnavailability(e.SqlState))
        {
            throw new PostgresSchemaException($"Could not bring the PostgreSQL schema to version {PostgresMigrations.Latest}: {e.MessageText} " +
                $"(SQLSTATE {e.SqlState}). Give the gateway's role the rights to create tables in its schema, or run 'dotnet Gateway.dll migrate' " +
                "with a role that has them and set Gateway:Store:Migrate=false.");
        }
        state.MarkReady();
        LogReady(logger, PostgresMigrations.Latest);
    }

    private async Task RetryAsync(CancellationToken stopping)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(backoff, stopping);
                await ApplyAsync(stopping);
                return;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (PostgresSchemaException e)
            {
                LogRefused(logger, e.Message);
                lifetime.StopApplication();
                return;
            }
            catch (Exception e) when (IsOutage(e))
            {
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    private static bool IsOutage(Exception e) => e is NpgsqlException or TimeoutException or OperationCanceledException;

    [LoggerMessage(EventId = 2302, EventName = "PostgresSchemaReady", Level = LogLevel.Information,
        Message = "PostgreSQL store ready: schema version {Version}.")]
    private static partial void LogReady(ILogger logger, int version);

    [LoggerMessage(EventId = 2303, EventName = "PostgresSchemaWaiting", Level = LogLevel.Warning,
        Message = "PostgreSQL did not answer at start ({Cause}: {Reason}); requests needing a session get 503 until it does. Retrying.")]
    private static partial void LogWaiting(ILogger logger, string cause, string reason);

    [LoggerMessage(EventId = 2304, EventName = "PostgresSchemaRefused", Level = LogLevel.Critical, Message = "{Reason} Stopping.")]
    private static partial void LogRefused(ILogger logger, string reason);
}
