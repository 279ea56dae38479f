using Gateway.Configuration;
using Microsoft.Data.Sqlite;

namespace Gateway.Stores.Sqlite;

/// <summary>Opening the file: by the gateway (its lock held, the schema migrated) or by a command beside it.</summary>
internal sealed partial class SqliteDatabase
{
    /// <summary>
    /// Takes the file for this process (see <see cref="SqliteFile"/>), then migrates the schema (or, with
    /// <c>Gateway:Store:Migrate=false</c>, only checks its version).
    /// </summary>
    /// <exception cref="InvalidOperationException">Another process holds the file, or the schema version does not match.</exception>
    public static SqliteDatabase Open(string connectionString, string configDirectory, StoreOptions options, TimeProvider time, ILogger logger) =>
        Open(SqliteFile.Acquire(SqliteFile.PathOf(connectionString, configDirectory)), connectionString, options, options.Migrate, time, logger);

    /// <summary>
    /// Opens the file a running gateway holds, for the <c>sessions</c> command: without the gateway's lock, never
    /// creating or migrating it (the schema version must match). Its writes are single short transactions, which
    /// SQLite's file locks and <c>busy_timeout</c> order with the gateway's; two gateways still never share a file.
    /// </summary>
    /// <exception cref="InvalidOperationException">There is no such file, or its schema version does not match.</exception>
    public static SqliteDatabase OpenBeside(string connectionString, string configDirectory, StoreOptions options, TimeProvider time, ILogger logger) =>
        Open(SqliteFile.Beside(SqliteFile.PathOf(connectionString, configDirectory)), connectionString, options, migrate: false, time, logger);

    private static SqliteDatabase Open(SqliteFile file, string connectionString, StoreOptions options, bool migrate, TimeProvider time, ILogger logger)
    {
        SqliteChannel? writer = null;
        try
        {
            var builder = new SqliteConnectionStringBuilder(connectionString)
            {
                DataSource = file.Path,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = false, // every connection stays open for the process's life, with its prepared statements
                DefaultTimeout = (int)Math.Ceiling(Math.Max(1, options.Timeout.TotalSeconds)),
            };
            writer = OpenChannel(builder.ToString(), options.Timeout);
            writer.Execute("PRAGMA journal_mode = WAL");
            writer.Execute("PRAGMA synchronous = FULL");
            var version = migrate ? SqliteMigrations.Apply(writer, file.Path, time) : SqliteMigrations.Check(writer, file.Path);
            LogOpened(logger, file.Path, version);
            return new SqliteDatabase(file, writer, builder.ToString(), options.Timeout, logger);
        }
        catch
        {
            writer?.Dispose();
            file.Dispose();
            throw;
        }
    }
}
