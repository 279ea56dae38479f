using Gateway.Audit;
using Gateway.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;
using Q = Gateway.Stores.Postgres.PostgresQueries;

namespace Gateway.Stores.Postgres;

/// <summary>
/// The audit trail in <c>audit_event</c>, in two classes capped apart by each append (<see cref="AuditEvent.IsSecurity"/>):
/// security rows at <c>Gateway:Audit:MaxSecurityEntries</c>, lifecycle rows at <c>Gateway:Audit:MaxEntries</c>.
/// </summary>
internal sealed class PostgresAuditStore(PostgresDatabase db, IOptions<GatewayOptions> options) : IAuditStore
{
    private readonly int _maxEntries = options.Value.Audit.MaxEntries;
    private readonly int _maxSecurityEntries = options.Value.Audit.MaxSecurityEntries;

    public Task AppendAsync(AuditEvent entry, CancellationToken cancellationToken) =>
        db.RunAsync(async (connection, token) =>
        {
            await using var command = db.Command(connection, Q.AppendAudit, entry.Time, entry.Kind, entry.User, entry.Handle, entry.Detail,
                entry.By, entry.Ip, (long)(entry.IsSecurity ? _maxSecurityEntries : _maxEntries), entry.IsSecurity);
            return await command.ExecuteNonQueryAsync(token);
        }, cancellationToken);

    public Task<IReadOnlyList<AuditEvent>> ReadAsync(string? user, int count, CancellationToken cancellationToken) =>
        db.RunAsync<IReadOnlyList<AuditEvent>>(async (connection, token) =>
        {
            await using var command = user is null
                ? db.Command(connection, Q.ReadAudit, count)
                : db.Command(connection, Q.ReadAuditOfUser, user, count);
            await using var reader = await command.ExecuteReaderAsync(token);
            var entries = new List<AuditEvent>();
            while (await reader.ReadAsync(token))
            {
                entries.Add(new AuditEvent(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.GetString(2),
                    Text(reader, 3), Text(reader, 4), Text(reader, 5), Text(reader, 6)));
            }
            return entries;
        }, cancellationToken);

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
