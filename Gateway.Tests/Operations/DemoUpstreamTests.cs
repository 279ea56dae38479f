using System.Net.Sockets;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Operations;

/// <summary>
/// The demo upstream opens its port only when the loaded routes point at it: a gateway with its own routes (the real
/// binary, the demo address set as the shipped appsettings.json sets it, on a free port here) never listens there.
/// </summary>
public sealed class DemoUpstreamTests : IDisposable
{
    private readonly RecordingBackend _backend = new();
    private readonly string _users = Path.GetTempFileName();

    public DemoUpstreamTests() => File.WriteAllText(_users, GatewayHost.Htpasswd(GatewayHost.DefaultPasswords));

    [Fact]
    public async Task Start_CustomRoutes_DemoPortStaysClosed()
    {
        var port = RedisServer.FreePort();

        await using var gateway = await GatewayProcess.StartAsync(_backend.Url, _users, new Dictionary<string, string>
        {
            ["Gateway__Demo__Upstream"] = $"http://127.0.0.1:{port}",
        });

        using var client = new TcpClient();
        var refused = await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync("127.0.0.1", port));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        using var http = gateway.CreateClient();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/public/x")).StatusCode);
        Assert.Single(_backend.Received);
    }

    [Fact]
    public async Task Start_RoutesPointAtDemo_DemoAnswersThroughTheGateway()
    {
        var demo = $"http://127.0.0.1:{RedisServer.FreePort()}";

        await using var gateway = await GatewayProcess.StartAsync(demo, _users, new Dictionary<string, string> { ["Gateway__Demo__Upstream"] = demo });

        using var http = gateway.CreateClient();
        var response = await http.GetAsync("/public/x");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("This page is the demo upstream", await response.Content.ReadAsStringAsync());
    }

    public void Dispose()
    {
        _backend.Dispose();
        File.Delete(_users);
    }
}
