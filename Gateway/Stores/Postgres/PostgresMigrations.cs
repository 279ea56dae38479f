using System.Reflection;
using Npgsql;

namespace Gateway.Stores.Postgres;

/// <summary>
/// The schema's versioned migrations: SQL files embedded in the assembly (<c>Migrations/NNNN_name.sql</c>), applied in
/// order, each in its own transaction together with its row in <c>gateway_schema_version</c>. Applying takes a
/// session advisory lock first, so gateways starting together apply each migration once, the others waiting and
/// then finding nothing left to do. <see cref="MigrateAsync"/> is what the gateway runs at start and what the
/// <c>migrate</c> command runs; <see cref="CheckAsync"/> only reads the version (<c>Gateway:Store:Migrate=false</c>).
/// </summary>
internal static partial class PostgresMigrations
{
    private const string ResourcePrefix = "Gateway.Stores.Postgres.Migrations.";

    private const string Lock = "SELECT pg_advisory_lock(hashtextextended('gateway-migrate:' || coalesce(current_schema(), ''), 0))";
    private const string Unlock = "SELECT pg_advisory_unlock(hashtextextended('gateway-migrate:' || coalesce(current_schema(), ''), 0))";

    private const string VersionTable = """
        CREATE TABLE IF NOT EXISTS gateway_schema_version (
            version    integer     PRIMARY KEY,
            name       text        NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now())
        """;

    // to_regclass: version 0 on a database the gateway has never seen, without an error (and without DDL rights).
    private const string HasVersionTable = "SELECT to_regclass('gateway_schema_version') IS NOT NULL";

    private const string CurrentVersion = "SELECT coalesce(max(version), 0) FROM gateway_schema_version";

    private const string Record = "INSERT INTO gateway_schema_version (version, name) VALUES ($1, $2)";

    /// <summary>The embedded migrations, in version order.</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> All { get; } = Load();

    /// <summary>The version this gateway needs.</summary>
    public static int Latest => All[^1].Version;

    /// <summary>
    /// Applies the migrations the database lacks; returns how many. Throws <see cref="PostgresSchemaException"/> when the
    /// database is at a version newer than this gateway knows (a newer gateway migrated it: upgrade this one).
    /// </summary>
    public static async Task<int> MigrateAsync(NpgsqlDataSource dataSource, ILogger logger, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, Lock, cancellationToken);
        try
        {
            await ExecuteAsync(connection, VersionTable, cancellationToken);
            var current = await VersionAsync(connection, cancellationToken);
            if (current > Latest)
            {
                throw new PostgresSchemaException(
                    $"The PostgreSQL schema is at version {current}, newer than this gateway's {Latest}: upgrade the gateway.");
            }
            var applied = 0;
            foreach (var (version, name, sql) in All.Where(m => m.Version > current))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, sql, cancellationToken);
                await using (var record = new NpgsqlCommand(Record, connection) { Parameters = { new() { Value = version }, new() { Value = name } } })
                {
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }
                await transaction.CommitAsync(cancellationToken);
                LogApplied(logger, version, name);
                applied++;
            }
            return applied;
        }
        finally
        {
            await ExecuteAsync(connection, Unlock, CancellationToken.None);
        }
    }

    /// <summary>Throws <see cref="PostgresSchemaException"/> unless the database is at exactly <see cref="Latest"/>.</summary>
    public static async Task CheckAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var current = await VersionAsync(connection, cancellationToken);
        if (current != Latest)
        {
            throw new PostgresSchemaException(
                $"The PostgreSQL schema is at version {current}; this gateway needs version {Latest}. Gateway:Store:Migrate is false, so the " +
                "gateway does not change the schema itself: run 'dotnet Gateway.dll migrate' with a role allowed to, then start again.");
        }
    }

    private static async Task<int> VersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using (var exists = new NpgsqlCommand(HasVersionTable, connection))
        {
            if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return 0;
            }
        }
        await using var command = new NpgsqlCommand(CurrentVersion, connection);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<(int, string, string)> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var migrations = new List<(int, string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var name = resource[ResourcePrefix.Length..^".sql".Length];
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            migrations.Add((int.Parse(name[..4], System.Globalization.CultureInfo.InvariantCulture), name, reader.ReadToEnd()));
        }
        return migrations;
    }

    [LoggerMessage(EventId = 2301, EventName = "PostgresMigrationApplied", Level = LogLevel.Information,
        Message = "PostgreSQL schema migration {Version} ({Name}) applied.")]
    private static partial void LogApplied(ILogger logger, int version, string name);
}
