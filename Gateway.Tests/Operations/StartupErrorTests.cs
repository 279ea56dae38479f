using System.Net;
using System.Net.Sockets;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Operations;

/// <summary>
/// The real binary (<c>dotnet Gateway.dll</c>) started with a mistake an operator can fix: it prints the errors, one
/// line each, and exits 1, with no "Unhandled exception" and no stack trace (before, exit 134 and ~25 frames).
/// </summary>
public sealed class StartupErrorTests : IDisposable
{
    private readonly RecordingBackend _backend = new();
    private readonly string _users = Path.GetTempFileName();

    public StartupErrorTests() => File.WriteAllText(_users, GatewayHost.Htpasswd(GatewayHost.DefaultPasswords));

    [Fact]
    public async Task Start_BadValues_ListsEachKeyValueAndExpectationExit1()
    {
        var exit = await RunAsync(new()
        {
            ["Gateway__Session__IdleTimeout"] = "abc",
            ["Gateway__Login__MaxFailures"] = "-3",
            ["Gateway__Session__CookieName"] = "my sid",
        });

        AssertCleanFailure(exit);
        var lines = exit.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("Configuration is invalid (3 errors):", lines[0]);
        Assert.Contains("Gateway:Session:IdleTimeout 'abc' is not a duration such as 00:30:00.", lines);
        Assert.Contains("Gateway:Login:MaxFailures must be 0 (off) or positive (got -3).", lines);
        Assert.Contains("Gateway:Session:CookieName 'my sid' is not a valid cookie name.", lines);
    }

    [Fact]
    public async Task Start_MissingRoutesFile_OneErrorNamingTheKeyExit1()
    {
        var exit = await RunAsync(new() { ["Gateway__RoutesFile"] = "missing-routes.json" });

        AssertCleanFailure(exit);
        Assert.StartsWith("Configuration is invalid (1 error):", exit.Error);
        Assert.Contains("Gateway:RoutesFile 'missing-routes.json' was not found", exit.Error);
    }

    [Fact]
    public async Task Start_RoutesFileNotJson_OneErrorNamingTheFileExit1()
    {
        var exit = await RunAsync([], prepare: directory => File.WriteAllTextAsync(Path.Combine(directory, "routes.json"), "{ \"ReverseProxy\": "));

        AssertCleanFailure(exit);
        Assert.Contains("Failed to load configuration from file", exit.Error);
        Assert.Contains("routes.json", exit.Error);
    }

    [Fact]
    public async Task Start_UsersFileIsADirectory_ErrorNamingTheKeyExit1()
    {
        var exit = await RunAsync(new() { ["Gateway__Users__File"] = Path.GetTempPath() });

        AssertCleanFailure(exit);
        Assert.Contains("Gateway:Users:File", exit.Error);
    }

    [Fact]
    public async Task Start_MissingTlsCertificate_ErrorNamingTheKeyExit1()
    {
        var exit = await RunAsync(new()
        {
            ["ASPNETCORE_URLS"] = $"https://127.0.0.1:{RedisServer.FreePort()}",
            ["Kestrel__Certificates__Default__Path"] = "missing.pem",
            ["Kestrel__Certificates__Default__KeyPath"] = "missing.key",
        });

        AssertCleanFailure(exit);
        Assert.Contains("Kestrel:Certificates:Default:Path 'missing.pem' does not exist.", exit.Error);
    }

    [Fact]
    public async Task Start_PortInUse_OneLineExit1()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        var exit = await RunAsync(new() { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" });

        AssertCleanFailure(exit);
        var line = Assert.Single(exit.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"127.0.0.1:{port}", line);
        Assert.Contains("address already in use", line);
        // The host's start-failure log is held back without touching the configured levels (Warning here).
        Assert.DoesNotContain("fail:", exit.All);
        Assert.DoesNotContain("info:", exit.All);
    }

    [Fact]
    public async Task Start_EmptyOptionalValues_StartsWithDefaults()
    {
        // As compose files and Helm charts render unset variables: empty means "not set".
        await using var gateway = await GatewayProcess.StartAsync(_backend.Url, _users, new Dictionary<string, string>
        {
            ["Gateway__Store__NearCache"] = "",
            ["Gateway__Session__IdleTimeout"] = "",
            ["Gateway__Login__MaxFailures"] = "",
            ["Gateway__Metrics__Port"] = "",
        });

        using var client = gateway.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/public/x")).StatusCode);
    }

    private static void AssertCleanFailure(GatewayExit exit)
    {
        Assert.True(exit.Code == 1, exit.ToString());
        Assert.DoesNotContain("Unhandled exception", exit.All);
        Assert.DoesNotContain("   at ", exit.All);
        Assert.DoesNotContain("Exception:", exit.All);
    }

    private Task<GatewayExit> RunAsync(Dictionary<string, string> environment, Func<string, Task>? prepare = null) =>
        GatewayProcess.RunToExitAsync(_backend.Url, _users, environment, prepare: prepare);

    public void Dispose()
    {
        _backend.Dispose();
        File.Delete(_users);
    }
}
