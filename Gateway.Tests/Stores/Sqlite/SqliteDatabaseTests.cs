using Gateway.Sessions;
using Gateway.Stores.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Stores.Sqlite;

/// <summary>The SQLite file itself: owner-only mode, one process per file, migrations, writes refused while reads go on, cleanup.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // file modes; the gateway runs on Linux
public sealed class SqliteDatabaseTests : IDisposable
{
    private readonly SqliteTestFile _file = new();

    public void Dispose() => _file.Dispose();

    [Fact]
    public async Task Open_NewFile_CreatedOwnerOnlyWithItsJournal()
    {
        var store = new SqliteSessionStore(_file.Open(), _file.Clock);
        await store.GetOrCreateSecretAsync("links", CancellationToken.None);

        Assert.True(File.Exists(_file.Path + "-wal"));
        foreach (var path in new[] { _file.Path, _file.Path + "-wal", _file.Path + "-shm", _file.Path + ".lock" })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void Open_ExistingFileReadableByOthers_TightenedToOwnerOnly()
    {
        File.WriteAllBytes(_file.Path, []);
        File.SetUnixFileMode(_file.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        _file.Open();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_file.Path));
    }

    [Fact]
    public void Open_FileAlreadyInUse_RefusedWithClearMessage()
    {
        _file.Open();

        var refused = Assert.Throws<InvalidOperationException>(() => _file.Open());

        Assert.Contains("in use by another gateway process", refused.Message);
        Assert.Contains(_file.Path, refused.Message);
    }

    [Fact]
    public void Open_DirectoryCannotBeCreated_RefusedNamingTheKeyToSet()
    {
        File.WriteAllText(Path.Combine(_file.Directory, "not-a-directory"), "");
        var options = new Gateway.Configuration.StoreOptions();

        var refused = Assert.Throws<InvalidOperationException>(() =>
            SqliteDatabase.Open("Data Source=not-a-directory/gateway.db", _file.Directory, options, _file.Clock, NullLogger.Instance));

        Assert.Contains("cannot be created or opened", refused.Message);
        Assert.Contains("ConnectionStrings:Sqlite", refused.Message);
    }

    [Fact]
    public void Open_Twice_MigrationsAppliedOnce()
    {
        _file.Open().Dispose();
        _file.Open().Dispose();

        using var connection = new SqliteConnection($"Data Source={_file.Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*), max(version) FROM schema_version";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(SqliteMigrations.All.Count, reader.GetInt32(0));
        Assert.Equal(SqliteMigrations.Latest, reader.GetInt32(1));
    }

    [Fact]
    public void Open_MigrateFalseOnUnmigratedFile_RefusedNamingTheMigrateCommand()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => _file.Open(migrate: false));

        Assert.Contains($"has schema version 0; this gateway needs version {SqliteMigrations.Latest}", refused.Message);
        Assert.Contains("dotnet Gateway.dll migrate", refused.Message);
        _file.Open(migrate: true).Dispose(); // the refusal released the file
    }

    [Fact]
    public void Migrate_ThenOpenWithMigrateFalse_Starts()
    {
        Assert.Equal((0, SqliteMigrations.Latest), SqliteMigrations.Migrate(_file.ConnectionString, _file.Directory, _file.Clock));
        Assert.Equal((SqliteMigrations.Latest, SqliteMigrations.Latest), SqliteMigrations.Migrate(_file.ConnectionString, _file.Directory, _file.Clock));

        _file.Open(migrate: false);
    }

    [Theory]
    [InlineData("PRAGMA max_page_count = 1", "the disk is full")]
    [InlineData("PRAGMA query_only = 1", "the file is read-only")]
    public async Task Write_SqliteRefusesWrites_UnavailableLoggedOnceAndReadsStillServed(string limit, string reason)
    {
        var database = _file.Open();
        var store = new SqliteSessionStore(database, _file.Clock);
        var key = await CreateAsync(store);
        await database.ExecuteOnWriterAsync(limit == "PRAGMA max_page_count = 1" ? $"PRAGMA max_page_count = {PageCount(database)}" : limit);

        for (var i = 0; i < 3; i++)
        {
            var refused = await Assert.ThrowsAsync<SessionStoreUnavailableException>(async () =>
            {
                for (var n = 0; n < 200; n++)
                {
                    await CreateAsync(store); // fills the last free pages first, when there are some
                }
            });
            Assert.Contains(reason, refused.Message);
        }

        Assert.NotNull(await store.GetAsync(key, CancellationToken.None));
        await store.PingAsync(CancellationToken.None);
        Assert.Single(_file.Logs.Entries, e => e.EventId.Id == 2401 && e.Message.Contains(reason));
    }

    [Fact]
    public async Task RunOnceAsync_MoreExpiredRowsThanABatch_DeletesThemAllAndKeepsLiveOnes()
    {
        var database = _file.Open();
        var store = new SqliteSessionStore(database, _file.Clock);
        for (var i = 0; i < SqliteCleanup.BatchSize * 2 + 7; i++)
        {
            await CreateAsync(store, TimeSpan.FromMinutes(1));
        }
        _file.Clock.Advance(TimeSpan.FromMinutes(2));
        var live = await CreateAsync(store);
        var cleanup = new SqliteCleanup(database, Options.Create(new Gateway.Configuration.GatewayOptions()), _file.Clock, NullLogger<SqliteCleanup>.Instance);

        Assert.Equal(SqliteCleanup.BatchSize * 2 + 7, await cleanup.RunOnceAsync(CancellationToken.None));
        Assert.Equal(0, await cleanup.RunOnceAsync(CancellationToken.None));
        Assert.NotNull(await store.GetAsync(live, CancellationToken.None));
    }

    private long PageCount(SqliteDatabase database) => database.Read(channel => channel.Count("PRAGMA page_count"));

    private async Task<SessionKey> CreateAsync(SqliteSessionStore store, TimeSpan? ttl = null)
    {
        var now = _file.Clock.GetUtcNow();
        var key = SessionId.New().Key;
        var record = new SessionRecord("alice", ["user"], now, now, now + TimeSpan.FromHours(12), "192.0.2.1", new string('a', 400), "stamp", "form", now);
        await store.CreateAsync(key, record, ttl ?? TimeSpan.FromMinutes(30), SessionCap.None, CancellationToken.None);
        return key;
    }
}
