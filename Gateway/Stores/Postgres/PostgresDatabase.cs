using System.Runtime.CompilerServices;
using Gateway.Configuration;
using Gateway.Sessions;
using Gateway.Telemetry;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gateway.Stores.Postgres;

/// <summary>
/// The one place the PostgreSQL stores reach the database: a pooled connection from the process's one
/// <see cref="NpgsqlDataSource"/>, every call bounded by <c>Gateway:Store:Timeout</c> (the command's own timeout, a
/// cancellation at the bound, and a wait that gives up at it even if the driver does not), and every failure mapped
/// as the gateway expects: a timeout or a database that cannot answer is <see cref="SessionStoreUnavailableException"/>
/// (503), a client that went away is <see cref="OperationCanceledException"/>. Nothing is asked before the schema is
/// migrated (or checked), so a gateway started before its database answers 503 until then.
/// </summary>
internal sealed partial class PostgresDatabase(NpgsqlDataSource dataSource, PostgresSchemaState schema, IOptions<GatewayOptions> options,
    ILogger<PostgresDatabase> logger)
{
    private readonly TimeSpan _timeout = options.Value.Store.Timeout;

    /// <summary>Whole seconds, at least one: the server-side bound (the cancellation below is the precise one).</summary>
    public int CommandTimeout => Math.Max(1, (int)Math.Ceiling(_timeout.TotalSeconds));

    public NpgsqlDataSource DataSource => dataSource;

    /// <summary>Runs <paramref name="operation"/> on an open connection within the store timeout.</summary>
    public async Task<T> RunAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> operation, CancellationToken cancellationToken,
        [CallerMemberName] string caller = "")
    {
        if (!schema.Ready)
        {
            throw new SessionStoreUnavailableException("The PostgreSQL schema is not ready yet (migrations pending).", timedOut: false);
        }
        using var call = GatewayTelemetry.StartStoreCall(caller, StoreCallScope.PostgreSql);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(_timeout);
        var work = OnConnectionAsync(operation, bound.Token);
        try
        {
            return await work.WaitAsync(_timeout, cancellationToken);
        }
        catch (Exception e) when (call?.Observe(e) == true)
        {
            throw; // never reached: Observe only records the outcome for the span and metrics
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Observe(work);
            throw;
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException || e is NpgsqlException { InnerException: TimeoutException })
        {
            // The wait may give up a moment before the bound's own timer fires: cancel the call now, so it ends at once
            // (a connection attempt to an unreachable host would otherwise run to Npgsql's connect timeout).
            await bound.CancelAsync();
            Observe(work);
            throw new SessionStoreUnavailableException("PostgreSQL did not answer within the store timeout.", timedOut: true, e);
        }
        catch (NpgsqlException e)
        {
            if (e is PostgresException { SqlState: var state } && !IsUnavailability(state))
            {
                LogStatementFailed(logger, caller, state);
            }
            else
            {
                Forget();
            }
            throw new SessionStoreUnavailableException("PostgreSQL is unavailable.", timedOut: false, e);
        }
    }

    /// <summary>A command on <paramref name="connection"/> with positional parameters (<c>$1</c>...), bounded like the call.</summary>
    public NpgsqlCommand Command(NpgsqlConnection connection, string sql, params object?[] values)
    {
        var command = new NpgsqlCommand(sql, connection) { CommandTimeout = CommandTimeout };
        foreach (var value in values)
        {
            command.Parameters.Add(Parameter(value));
        }
        return command;
    }

    /// <summary>Statements sent in one round trip and run as one transaction (all or nothing).</summary>
    public NpgsqlBatch Batch(NpgsqlConnection connection, params (string Sql, object?[] Values)[] statements)
    {
        var batch = new NpgsqlBatch(connection) { Timeout = CommandTimeout };
        foreach (var (sql, values) in statements)
        {
            var command = new NpgsqlBatchCommand(sql);
            foreach (var value in values)
            {
                command.Parameters.Add(Parameter(value));
            }
            batch.BatchCommands.Add(command);
        }
        return batch;
    }

    private static NpgsqlParameter Parameter(object? value) => new()
    {
        // timestamptz takes only UTC offsets.
        Value = value switch { null => DBNull.Value, DateTimeOffset time => time.ToUniversalTime(), _ => value },
    };

    private async Task<T> OnConnectionAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await operation(connection, cancellationToken);
    }

    // After a restart or a failover the idle pooled connections are dead (or on a host that is now a standby): drop them,
    // and let a multi-host source ask each host its role again, rather than fail once per stale connection.
    private void Forget()
    {
        if (dataSource is NpgsqlMultiHostDataSource multiHost)
        {
            multiHost.ClearDatabaseStates();
        }
        dataSource.Clear();
    }

    // The abandoned call still ends (its cancellation is under way); its outcome must not surface as unobserved.
    private static void Observe(Task work) => work.ContinueWith(t => _ = t.Exception, CancellationToken.None,
        TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    // Connection, resources, operator intervention, read-only (a standby after failover), serialization: the database
    // cannot serve now. Anything else is a statement the gateway should not have sent: logged as such.
    internal static bool IsUnavailability(string state) =>
        state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("53", StringComparison.Ordinal) ||
        state.StartsWith("57", StringComparison.Ordinal) || state.StartsWith("40", StringComparison.Ordinal) || state == "25006";

    [LoggerMessage(EventId = 2300, EventName = "PostgresStatementFailed", Level = LogLevel.Error,
        Message = "PostgreSQL refused a statement of {Operation} (SQLSTATE {SqlState}); answered 503.")]
    private static partial void LogStatementFailed(ILogger logger, string operation, string sqlState);
}
