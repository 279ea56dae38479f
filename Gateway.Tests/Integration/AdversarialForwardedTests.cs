using System.Net;
using System.Net.Http.Json;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// Forwarded-header spoofing: without configured trusted proxies, a client's X-Forwarded-* never changes the
/// address used for sessions, bans and the backend's X-Forwarded-For, nor the origin used by the CSRF check.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class AdversarialForwardedTests(RedisServer redis) : GatewayTestBase(redis)
{
    [Fact]
    public async Task Proxy_SpoofedForwardedHeadersFromUntrustedPeer_Ignored()
    {
        var response = await GetAsync("/x", r =>
        {
            r.Headers.Authorization = Basic("alice");
            r.Headers.Add("X-Forwarded-For", "203.0.113.9");
            r.Headers.Add("X-Forwarded-Host", "evil.example");
            r.Headers.Add("X-Forwarded-Proto", "https");
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["127.0.0.1"], Backend.Last.Values("X-Forwarded-For"));
        Assert.DoesNotContain("evil.example", Backend.Last.Values("X-Forwarded-Host"));
        Assert.Equal(["http"], Backend.Last.Values("X-Forwarded-Proto"));
        var session = Assert.Single(SessionKeys());
        Assert.Equal("127.0.0.1", StoredSession(session)!.ClientIp);
    }

    [Fact]
    public async Task Login_RotatingSpoofedForwardedFor_DoesNotEvadeBan()
    {
        for (var i = 0; i < 5; i++)
        {
            await LoginWithForwardedForAsync($"203.0.113.{i}", "guess-" + i);
        }

        var response = await LoginWithForwardedForAsync("203.0.113.200", GatewayHost.DefaultPasswords["alice"]);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
    }

    [Fact]
    public async Task Proxy_ForwardedHostMatchingForeignOrigin_StillRefusedAsCrossOrigin()
    {
        var sid = await LoginAsync("alice");

        var response = await SendAsync(HttpMethod.Post, "/x", r =>
        {
            r.Headers.Add("Cookie", $"sid={sid}");
            r.Headers.TryAddWithoutValidation("Origin", "https://evil.example");
            r.Headers.Add("X-Forwarded-Host", "evil.example");
            r.Headers.Add("X-Forwarded-Proto", "https");
        });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(Backend.Received);
    }

    private Task<HttpResponseMessage> LoginWithForwardedForAsync(string address, string password)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth/login") { Content = JsonContent.Create(new { username = "alice", password }) };
        request.Headers.Add("X-Forwarded-For", address);
        return Client.SendAsync(request);
    }
}

/// <summary>With the loopback peer configured as a trusted proxy, the rightmost untrusted X-Forwarded-For entry is the client.</summary>
[Collection(RedisCollection.Name)]
public sealed class TrustedProxyTests(RedisServer redis) : GatewayTestBase(redis)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:TrustedProxies:0"] = "127.0.0.0/8",
        ["Gateway:TrustedProxies:1"] = "10.1.2.3",
    };

    [Fact]
    public async Task Proxy_ChainThroughTrustedProxies_ClientIsRightmostUntrusted()
    {
        var response = await GetAsync("/x", r =>
        {
            r.Headers.Authorization = Basic("alice");
            r.Headers.Add("X-Forwarded-For", "198.51.100.1, 203.0.113.5, 10.1.2.3");
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var session = Assert.Single(SessionKeys());
        Assert.Equal("203.0.113.5", StoredSession(session)!.ClientIp);
        Assert.Equal(["203.0.113.5"], Backend.Last.Values("X-Forwarded-For"));
    }

    [Fact]
    public async Task Proxy_ForwardedProtoAndHostFromTrustedProxy_DefineOwnOrigin()
    {
        var sid = await LoginAsync("alice");

        var response = await SendAsync(HttpMethod.Post, "/x", r =>
        {
            r.Headers.Add("Cookie", $"sid={sid}");
            r.Headers.TryAddWithoutValidation("Origin", "https://gw.example");
            r.Headers.Add("X-Forwarded-Host", "gw.example");
            r.Headers.Add("X-Forwarded-Proto", "https");
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
