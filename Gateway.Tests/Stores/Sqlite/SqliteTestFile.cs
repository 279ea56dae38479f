using Gateway.Configuration;
using Gateway.Stores.Sqlite;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Tests.Stores.Sqlite;

/// <summary>A real SQLite file in a temp directory of its own, opened as the gateway opens it, with a hand-moved clock.</summary>
public sealed class SqliteTestFile : IDisposable
{
    private readonly List<IDisposable> _opened = [];

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("gw-sqlite-").FullName;

    public string Path => System.IO.Path.Combine(Directory, "gateway.db");

    public string ConnectionString => "Data Source=gateway.db";

    public ManualTimeProvider Clock { get; } = new();

    public LogCapture Logs { get; } = new();

    internal SqliteDatabase Open(bool migrate = true)
    {
        var options = new StoreOptions { Timeout = TimeSpan.FromSeconds(5), Migrate = migrate };
        var database = SqliteDatabase.Open(ConnectionString, Directory, options, Clock, Logs.CreateLogger("Gateway.Stores.Sqlite"));
        _opened.Add(database);
        return database;
    }

    internal static ILogger<T> NoLogger<T>() => NullLogger<T>.Instance;

    public void Dispose()
    {
        foreach (var opened in _opened)
        {
            opened.Dispose();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS's temp cleanup.
        }
    }
}
