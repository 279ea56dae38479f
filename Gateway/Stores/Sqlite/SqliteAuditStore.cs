using Gateway.Audit;
using Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Stores.Sqlite;

/// <summary>
/// The audit trail in the <c>audit_event</c> table, in two classes capped apart (<see cref="AuditEvent.IsSecurity"/>):
/// the newest <c>Gateway:Audit:MaxSecurityEntries</c> security rows and <c>Gateway:Audit:MaxEntries</c> lifecycle rows.
/// Each append deletes what fell past its own class's cap in the same transaction (ids only grow, so that is one range).
/// </summary>
internal sealed class SqliteAuditStore(SqliteDatabase database, IOptions<GatewayOptions> options) : IAuditStore
{
    private readonly int _maxEntries = options.Value.Audit.MaxEntries;
    private readonly int _maxSecurityEntries = options.Value.Audit.MaxSecurityEntries;

    public Task AppendAsync(AuditEvent entry, CancellationToken cancellationToken)
    {
        var (security, max) = entry.IsSecurity ? (1, _maxSecurityEntries) : (0, _maxEntries);
        return database.WriteAsync(transaction: true, channel =>
        {
            channel.Execute(SqliteQueries.AppendAudit, ("$time", entry.Time.ToUnixTimeMilliseconds()), ("$kind", entry.Kind), ("$user", entry.User),
                ("$handle", entry.Handle), ("$detail", entry.Detail), ("$by", entry.By), ("$ip", entry.Ip), ("$security", security));
            return channel.Execute(SqliteQueries.TrimAudit, ("$security", security), ("$max", max));
        }, cancellationToken);
    }

    public Task<IReadOnlyList<AuditEvent>> ReadAsync(string? user, int count, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AuditEvent>>(database.Read(channel => user is null
            ? channel.Query(SqliteQueries.ReadAudit, Read, ("$count", count))
            : channel.Query(SqliteQueries.ReadAuditOfUser, Read, ("$user", user), ("$count", count))));

    private static AuditEvent Read(Microsoft.Data.Sqlite.SqliteDataReader r)
    {
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        return new AuditEvent(DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(0)), r.GetString(1), r.GetString(2), Text(3), Text(4), Text(5), Text(6));
    }
}
