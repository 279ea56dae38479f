namespace Gateway.Tests.Fixtures;

/// <summary>
/// The SQLite store for the shared suites: a temp directory per test class, one database file per isolation key
/// (gateways given the same key would share a file, which the store refuses: one process per file). The directory
/// is deleted with the fixture.
/// </summary>
public sealed class SqliteStoreFixture : IStoreFixture, IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("gw-sqlite-store-").FullName;

    /// <summary>The database file a gateway with <paramref name="isolationKey"/> uses.</summary>
    public string PathOf(string isolationKey) => Path.Combine(Directory, isolationKey.Replace(':', '_') + ".db");

    public ValueTask<IReadOnlyDictionary<string, string?>> GatewaySettingsAsync(string isolationKey) =>
        ValueTask.FromResult<IReadOnlyDictionary<string, string?>>(new Dictionary<string, string?>
        {
            ["Gateway:Store:Provider"] = "Sqlite",
            ["ConnectionStrings:Sqlite"] = $"Data Source={PathOf(isolationKey)}",
        });

    public void Dispose()
    {
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
