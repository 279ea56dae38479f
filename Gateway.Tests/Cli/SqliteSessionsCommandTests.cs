using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Cli;

/// <summary>
/// The <c>sessions</c> command on the SQLite file a running gateway holds (its lock stays with the gateway); the
/// in-memory store is refused in one line.
/// </summary>
public sealed class SqliteSessionsCommandTests(SqliteStoreFixture sqlite) : SessionsCommandTests(sqlite), IClassFixture<SqliteStoreFixture>
{
    [Fact]
    public async Task Sessions_MemoryStore_OneLineErrorExit1()
    {
        var (code, output, error) = await RunAsync(["sessions", "list", "--user", "alice", "--Gateway:Store:Provider=Memory",
            $"--Gateway:Users:File={Host.UsersPath}", "--Gateway:Demo:Upstream="]);

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("in-memory store", error);
    }

    [Fact]
    public async Task Sessions_NoSuchSqliteFile_ErrorExit2AndNoFileCreated()
    {
        var missing = Path.Combine(sqlite.Directory, "missing.db");

        var (code, _, error) = await RunAsync(["sessions", "list", "--user", "alice", "--Gateway:Store:Provider=Sqlite",
            $"--ConnectionStrings:Sqlite=Data Source={missing}", $"--Gateway:Users:File={Host.UsersPath}", "--Gateway:Demo:Upstream="]);

        Assert.Equal(2, code);
        Assert.Contains($"There is no SQLite store at {missing}", error);
        Assert.False(File.Exists(missing));
    }
}
