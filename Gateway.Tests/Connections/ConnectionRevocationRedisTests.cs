using System.Net.WebSockets;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Integration;

namespace Gateway.Tests.Connections;

/// <summary>
/// Two gateways on one Redis: a session ended on one closes the sockets held open on the other, through the
/// invalidation channel, with the near cache on and off (the registry publishes ends itself when no cache does).
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ConnectionRevocationRedisTests(RedisServer redis) : IAsyncLifetime
{
    private readonly string _prefix = $"c{Guid.NewGuid():N}:"[..14];
    private LiveBackend _backend = null!;

    public async Task InitializeAsync() => _backend = await LiveBackend.StartAsync();

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    [Theory]
    [InlineData("00:00:01")]
    [InlineData("00:00:00")]
    public async Task Logout_OnTheOtherInstance_SocketClosedWith1008(string nearCache)
    {
        await using var one = await GatewayHost.StartAsync(_backend.Url, redis, new Dictionary<string, string?> { ["Gateway:Store:NearCache"] = nearCache }, keyPrefix: _prefix);
        await using var two = await GatewayHost.StartAsync(_backend.Url, redis,
            new Dictionary<string, string?> { ["Gateway:Store:NearCache"] = nearCache, ["Gateway:Users:File"] = one.UsersPath }, keyPrefix: _prefix);
        using var client = one.CreateClient();
        using var other = two.CreateClient();
        var sid = await LoginAsync(client);
        using var socket = await ConnectAsync(one, sid);
        await Eventually.HoldsAsync(() => one.Services.GetService(typeof(Gateway.Connections.ConnectionRegistry)) is Gateway.Connections.ConnectionRegistry { Count: 1 }, "the socket tracked");

        var logout = new HttpRequestMessage(HttpMethod.Post, "/auth/logout");
        logout.Headers.Add("Cookie", $"sid={sid}");
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await other.SendAsync(logout)).StatusCode);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var buffer = new byte[256];
        WebSocketReceiveResult received;
        do
        {
            received = await socket.ReceiveAsync(buffer, timeout.Token);
        }
        while (received.MessageType != WebSocketMessageType.Close);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, received.CloseStatus);
    }

    private static async Task<string> LoginAsync(HttpClient client)
    {
        var login = await client.PostAsync("/auth/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "alice", ["password"] = "alice-password", ["returnUrl"] = "/",
        }));
        var cookie = login.Headers.GetValues("Set-Cookie").First(c => c.StartsWith("sid=", StringComparison.Ordinal));
        return cookie.Split(';')[0]["sid=".Length..];
    }

    private static async Task<ClientWebSocket> ConnectAsync(GatewayHost host, string sid)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Cookie", $"sid={sid}");
        await socket.ConnectAsync(new UriBuilder(host.Address) { Scheme = "ws", Path = "/ws" }.Uri, CancellationToken.None);
        return socket;
    }
}
