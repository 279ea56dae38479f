using System.Net;
using System.Net.Sockets;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Cli;

/// <summary><c>dotnet Gateway.dll check-config</c> on the real binary: exit 0 with a summary, or 1 with every error; no port, no backend.</summary>
public sealed class CheckConfigTests : IDisposable
{
    private readonly RecordingBackend _backend = new();
    private readonly string _users = Path.GetTempFileName();

    public CheckConfigTests() => File.WriteAllText(_users, GatewayHost.Htpasswd(GatewayHost.DefaultPasswords));

    [Fact]
    public async Task CheckConfig_Valid_OkWithSummaryWithoutBindingOrContactingBackend()
    {
        // The gateway's own port is held: a check that tried to listen would fail on it.
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();

        var exit = await RunAsync(["check-config"], new() { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{((IPEndPoint)holder.LocalEndpoint).Port}" });

        Assert.True(exit.Code == 0, exit.ToString());
        Assert.Equal($"configuration OK: store Sqlite, 4 routes, {GatewayHost.DefaultPasswords.Count} users, 1 policies", exit.Output.Trim());
        Assert.Empty(exit.Error);
        Assert.Empty(_backend.Received);
    }

    [Fact]
    public async Task CheckConfig_CrossReferenceMistakes_EveryOneListedExit1()
    {
        var exit = await RunAsync(["check-config"], new()
        {
            ["ReverseProxy__Routes__app__AuthorizationPolicy"] = "no-such-policy",
            ["ReverseProxy__Routes__public__ClusterId"] = "no-such-cluster",
            ["ReverseProxy__Routes__default__Metadata__Gateway.Challenge"] = "Kerberos",
            ["Gateway__Policies__open__Description"] = "a policy without roles",
        });

        AssertInvalid(exit, 4);
        Assert.Contains("ReverseProxy:Routes:app:AuthorizationPolicy 'no-such-policy'", exit.Error);
        Assert.Contains("ReverseProxy:Routes:public:ClusterId 'no-such-cluster'", exit.Error);
        Assert.Contains("ReverseProxy:Routes:default:Metadata:Gateway.Challenge must be 'Form' or 'Basic' (got 'Kerberos')", exit.Error);
        Assert.Contains("Gateway:Policies:open:Roles is empty", exit.Error);
    }

    [Fact]
    public async Task CheckConfig_PolicyWithoutRolesOnly_Exit1()
    {
        // The start accepts it (any session passes); check-config calls it out.
        var exit = await RunAsync(["check-config"], new() { ["Gateway__Policies__open__Description"] = "x" });

        AssertInvalid(exit, 1);
        Assert.Contains("Gateway:Policies:open:Roles is empty", exit.Error);
    }

    [Fact]
    public async Task CheckConfig_UsersFileWithoutUsableEntry_Exit1()
    {
        await File.WriteAllTextAsync(_users, "alice:not-a-bcrypt-hash\nbob\n");

        var exit = await RunAsync(["check-config"], []);

        AssertInvalid(exit, 1);
        Assert.Contains("Gateway:Users:File", exit.Error);
        Assert.Contains("holds no usable entry (2 lines refused", exit.Error);
    }

    [Fact]
    public async Task CheckConfig_BadValuesAndRoutePattern_ListedExit1()
    {
        var exit = await RunAsync(["check-config", "--Gateway:Session:IdleTimeout=abc"], new()
        {
            ["Gateway__Login__MaxFailures"] = "-3",
        });

        AssertInvalid(exit, 2);
        Assert.Contains("  Gateway:Session:IdleTimeout 'abc' is not a duration such as 00:30:00.", exit.Error);
        Assert.Contains("  Gateway:Login:MaxFailures must be 0 (off) or positive (got -3).", exit.Error);

        var routes = await RunAsync(["check-config"], new() { ["ReverseProxy__Routes__app__Match__Path"] = "/{**a}/{**b}" });

        AssertInvalid(routes, 1);
        Assert.Contains("ReverseProxy:Routes:app: Invalid path '/{**a}/{**b}'", routes.Error);
    }

    [Fact]
    public async Task CheckConfig_StoreDown_OkWithoutConnectFailsWithConnect()
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Redis"] = $"127.0.0.1:{RedisServer.FreePort()}",
            ["Gateway__Store__Timeout"] = "00:00:01",
        };

        var offline = await RunAsync(["check-config"], environment);
        var connected = await RunAsync(["check-config", "--connect"], environment);

        Assert.True(offline.Code == 0, offline.ToString());
        Assert.StartsWith("configuration OK: store Redis", offline.Output);
        AssertInvalid(connected, 1);
        Assert.Contains("the store did not answer", connected.Error);
    }

    [Fact]
    public async Task CheckConfig_UnknownOption_UsageErrorExit2()
    {
        var exit = await RunAsync(["check-config", "--conect"], []);

        Assert.True(exit.Code == 2, exit.ToString());
        Assert.Contains("--conect", exit.Error);
    }

    private static void AssertInvalid(GatewayExit exit, int errors)
    {
        Assert.True(exit.Code == 1, exit.ToString());
        Assert.StartsWith($"Configuration is invalid ({errors} error{(errors == 1 ? "" : "s")}):", exit.Error);
        Assert.Equal(errors + 1, exit.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.DoesNotContain("configuration OK", exit.Output);
        Assert.DoesNotContain("   at ", exit.All);
    }

    private Task<GatewayExit> RunAsync(string[] args, Dictionary<string, string> environment) =>
        GatewayProcess.RunToExitAsync(_backend.Url, _users, environment, args);

    public void Dispose()
    {
        _backend.Dispose();
        File.Delete(_users);
    }
}
