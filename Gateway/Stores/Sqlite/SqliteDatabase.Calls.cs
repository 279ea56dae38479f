using System.Runtime.CompilerServices;
using Gateway.Telemetry;

namespace Gateway.Stores.Sqlite;

/// <summary>The stores' entry points: each read or write is one store call, with its span and metrics as on the other stores.</summary>
internal sealed partial class SqliteDatabase
{
    /// <summary>Runs a read on a pooled connection.</summary>
    public T Read<T>(Func<SqliteChannel, T> read, [CallerMemberName] string caller = "")
    {
        using var call = GatewayTelemetry.StartStoreCall(caller, StoreCallScope.Sqlite);
        try
        {
            return ReadCore(read);
        }
        catch (Exception e) when (call?.Observe(e) == true)
        {
            throw; // never reached: Observe only records the outcome for the span and metrics
        }
    }

    /// <summary>Runs a write (one statement, or several in one <c>BEGIN IMMEDIATE</c> transaction) on the writer connection.</summary>
    public async Task<T> WriteAsync<T>(bool transaction, Func<SqliteChannel, T> write, CancellationToken cancellationToken,
        [CallerMemberName] string caller = "")
    {
        using var call = GatewayTelemetry.StartStoreCall(caller, StoreCallScope.Sqlite);
        try
        {
            return await WriteCoreAsync(transaction ? channel => InTransaction(channel, write) : write, cancellationToken);
        }
        catch (Exception e) when (call?.Observe(e) == true)
        {
            throw; // never reached: Observe only records the outcome for the span and metrics
        }
    }
}
