using Gateway.Stores.Sqlite;

namespace Gateway.Tests.Stores.Sqlite;

/// <summary>
/// The SQLite database file without a database: where a connection string puts it, and that a second holder is
/// refused only while the first lives (its file modes and first refusal: <see cref="SqliteDatabaseTests"/>).
/// </summary>
public sealed class SqliteFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gw-sqlitefile-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("Data Source=gateway.db", "gateway.db")]
    [InlineData("Data Source=data/sessions.db;Cache=Shared", "data/sessions.db")]
    public void PathOf_RelativeDataSource_UnderTheConfigurationDirectory(string connectionString, string relative)
    {
        Assert.Equal(Path.Combine(_directory, relative), SqliteFile.PathOf(connectionString, _directory));
    }

    [Fact]
    public void PathOf_AbsoluteDataSource_Kept()
    {
        Assert.Equal("/var/lib/gateway/gateway.db", SqliteFile.PathOf("Data Source=/var/lib/gateway/gateway.db", _directory));
    }

    [Theory]
    [InlineData("Data Source=:memory:")]
    [InlineData("Data Source=file:gateway.db?mode=memory")]
    [InlineData("Mode=ReadWrite")]
    public void PathOf_NoFile_RefusedNamingTheSetting(string connectionString)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => SqliteFile.PathOf(connectionString, _directory));

        Assert.Contains("ConnectionStrings:Sqlite must name a database file", refused.Message);
    }

    [Fact]
    public void Acquire_FileHeld_SecondRefusedUntilReleased()
    {
        var path = Path.Combine(_directory, "gateway.db");
        var first = SqliteFile.Acquire(path);

        var refused = Assert.Throws<InvalidOperationException>(() => SqliteFile.Acquire(path));
        first.Dispose();
        using var second = SqliteFile.Acquire(path);

        Assert.Contains("in use by another gateway process", refused.Message);
        Assert.Equal(path, second.Path);
    }
}
