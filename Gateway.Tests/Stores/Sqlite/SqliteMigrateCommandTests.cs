using Gateway.Cli;

namespace Gateway.Tests.Stores.Sqlite;

/// <summary><c>Gateway migrate</c> on a SQLite file: applies the schema once, then reports it current; refused while a gateway holds the file.</summary>
public sealed class SqliteMigrateCommandTests : IDisposable
{
    private readonly SqliteTestFile _file = new();

    public void Dispose() => _file.Dispose();

    [Fact]
    public async Task Migrate_NewThenCurrentFile_AppliesOnceThenReportsCurrent()
    {
        var (code, output, _) = await RunAsync();
        var (againCode, again, _) = await RunAsync();

        Assert.Equal(0, code);
        Assert.Contains($"{_file.Path}: schema migrated from version 0 to {Gateway.Stores.Sqlite.SqliteMigrations.Latest}", output);
        Assert.Equal(0, againCode);
        Assert.Contains("schema already at version", again);
        _file.Open(migrate: false); // what a gateway with Gateway:Store:Migrate=false now accepts
    }

    [Fact]
    public async Task Migrate_FileHeldByAGateway_RefusedWithClearMessage()
    {
        _file.Open();

        var (code, _, error) = await RunAsync();

        Assert.Equal(2, code);
        Assert.Contains("in use by another gateway process", error);
    }

    private async Task<(int Code, string Output, string Error)> RunAsync()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await GatewayCli.RunAsync(["migrate", "--Gateway:Store:Provider=Sqlite", $"--ConnectionStrings:Sqlite=Data Source={_file.Path}"],
            new StringReader(""), output, error);
        return (code, output.ToString(), error.ToString());
    }
}
