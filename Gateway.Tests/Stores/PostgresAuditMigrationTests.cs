using Gateway.Audit;
using Gateway.Stores.Postgres;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Tests.Stores;

/// <summary>Migration 2 classes the audit rows a version-1 schema already holds by <see cref="AuditEvent.IsSecurity"/>'s rule.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAuditMigrationTests(PostgresServer server)
{
    private static readonly AuditEvent[] Rows =
    [
        new(DateTimeOffset.UnixEpoch, "created", "alice", "h1", "form", null, null),
        new(DateTimeOffset.UnixEpoch, "revoked", "alice", "h1", "self", "alice", null),
        new(DateTimeOffset.UnixEpoch, "revoked", "alice", "h2", "cap", null, null),
        new(DateTimeOffset.UnixEpoch, "revoked", "alice", "h3", "admin", "root", null),
        new(DateTimeOffset.UnixEpoch, "revoked", "alice", "h4", null, null, null),
        new(DateTimeOffset.UnixEpoch, "login_failed", "alice", null, "wrong_password", null, "127.0.0.1"),
        new(DateTimeOffset.UnixEpoch, "remember_theft", "alice", null, "theft", null, null),
    ];

    [Fact]
    public async Task Migrate_Version1AuditRows_ClassedAsIsSecurity()
    {
        await using var source = PostgresStores.CreateDataSource(await server.ConnectionStringFor($"a{Guid.NewGuid():N}"[..16]));
        await using (var initial = source.CreateCommand(PostgresMigrations.All[0].Sql + """
            ;CREATE TABLE gateway_schema_version (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());
            INSERT INTO gateway_schema_version (version, name) VALUES (1, 'initial');
            """))
        {
            await initial.ExecuteNonQueryAsync();
        }
        foreach (var row in Rows)
        {
            await using var insert = source.CreateCommand("INSERT INTO audit_event (at, kind, username, handle, detail, actor) VALUES ($1, $2, $3, $4, $5, $6)");
            foreach (var value in new object?[] { row.Time, row.Kind, row.User, row.Handle, row.Detail, row.By })
            {
                insert.Parameters.Add(new() { Value = value ?? DBNull.Value });
            }
            await insert.ExecuteNonQueryAsync();
        }

        await PostgresMigrations.MigrateAsync(source, NullLogger.Instance, CancellationToken.None);

        await using var read = source.CreateCommand("SELECT security FROM audit_event ORDER BY id");
        await using var reader = await read.ExecuteReaderAsync();
        var classes = new List<bool>();
        while (await reader.ReadAsync())
        {
            classes.Add(reader.GetBoolean(0));
        }
        Assert.Equal(Rows.Select(r => r.IsSecurity), classes);
    }
}
