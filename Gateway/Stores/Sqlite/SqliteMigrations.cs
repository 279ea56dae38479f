using System.Globalization;
using System.Reflection;
using Microsoft.Data.Sqlite;

namespace Gateway.Stores.Sqlite;

/// <summary>
/// The schema's versioned migrations: <c>Migrations/NNNN_name.sql</c>, embedded in the assembly, recorded in the
/// <c>schema_version</c> table. They are applied in one <c>BEGIN IMMEDIATE</c> transaction (SQLite's own write
/// lock, and DDL is transactional): two processes migrating together do not race, and a failed migration leaves the
/// previous version whole. Used at start and by <c>dotnet Gateway.dll migrate</c>.
/// </summary>
internal static class SqliteMigrations
{
    private const string ResourcePrefix = "Gateway.Stores.Sqlite.Migrations.";

    /// <summary>The embedded migrations, by version.</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> All { get; } = Load();

    /// <summary>The version this build of the gateway needs.</summary>
    public static int Latest => All[^1].Version;

    /// <summary>
    /// Applies the migrations the database at <paramref name="connectionString"/> lacks, for the <c>migrate</c>
    /// command: takes the file as a gateway would (refused while a gateway uses it). Returns the versions before and after.
    /// </summary>
    public static (int Before, int After) Migrate(string connectionString, string configDirectory, TimeProvider time)
    {
        using var file = SqliteFile.Acquire(SqliteFile.PathOf(connectionString, configDirectory));
        var builder = new SqliteConnectionStringBuilder(connectionString) { DataSource = file.Path, Pooling = false };
        using var channel = new SqliteChannel(new SqliteConnection(builder.ToString()));
        channel.Open();
        var before = Current(channel);
        return (before, Apply(channel, file.Path, time));
    }

    /// <summary>Applies what is missing; returns the version now in force.</summary>
    /// <exception cref="InvalidOperationException">The database is newer than this gateway.</exception>
    public static int Apply(SqliteChannel channel, string path, TimeProvider time)
    {
        channel.Execute(SqliteQueries.Begin);
        try
        {
            channel.Execute(SqliteQueries.CreateVersionTable);
            var current = (int)channel.Count(SqliteQueries.CurrentVersion);
            RefuseNewer(current, path);
            foreach (var (version, _, sql) in All.Where(m => m.Version > current))
            {
                channel.Execute(sql);
                channel.Execute(SqliteQueries.RecordVersion, ("$version", version), ("$now", time.GetUtcNow().ToUnixTimeMilliseconds()));
            }
            channel.Execute(SqliteQueries.Commit);
            return Latest;
        }
        catch
        {
            channel.Execute(SqliteQueries.Rollback);
            throw;
        }
    }

    /// <summary>Checks the version only (<c>Gateway:Store:Migrate=false</c>); returns it.</summary>
    /// <exception cref="InvalidOperationException">It is not the one this gateway needs.</exception>
    public static int Check(SqliteChannel channel, string path)
    {
        var current = Current(channel);
        RefuseNewer(current, path);
        if (current < Latest)
        {
            throw new InvalidOperationException(
                $"The SQLite store {path} has schema version {current}; this gateway needs version {Latest}. Gateway:Store:Migrate is false, " +
                "so the gateway does not change the schema itself: run 'dotnet Gateway.dll migrate' with the same configuration, then start it again.");
        }
        return current;
    }

    private static int Current(SqliteChannel channel) =>
        channel.Count(SqliteQueries.VersionTableExists) == 0 ? 0 : (int)channel.Count(SqliteQueries.CurrentVersion);

    private static void RefuseNewer(int current, string path)
    {
        if (current > Latest)
        {
            throw new InvalidOperationException(
                $"The SQLite store {path} has schema version {current}, newer than this gateway knows ({Latest}): run a gateway at least as new as the one that migrated it.");
        }
    }

    private static List<(int, string, string)> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var migrations = new List<(int Version, string Name, string Sql)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var name = resource[ResourcePrefix.Length..];
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            migrations.Add((int.Parse(name[..name.IndexOf('_', StringComparison.Ordinal)], NumberStyles.None, CultureInfo.InvariantCulture), name, reader.ReadToEnd()));
        }
        return [.. migrations.OrderBy(m => m.Version)];
    }
}
