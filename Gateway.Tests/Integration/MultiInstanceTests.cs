using System.Net;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// Two gateway instances on one Redis with the same key prefix, as behind a load balancer: whatever one does to a
/// session the other sees on its next request (no per-process session state), and the secret that links Basic
/// credentials to sessions is shared through Redis, so cookie-less clients keep one session across instances.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class MultiInstanceTests(RedisServer redis) : GatewayTestBase(redis)
{
    private GatewayHost _other = null!;
    private HttpClient _otherClient = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // Instances must share one htpasswd file (the same hashes): a session records its user's hash stamp, and a
        // different stamp on another instance reads as a changed password, which ends the session.
        _other = await GatewayHost.StartAsync(Backend.Url, Redis, new Dictionary<string, string?> { ["Gateway:Users:File"] = Host.UsersPath }, keyPrefix: Host.KeyPrefix);
        _otherClient = _other.CreateClient();
    }

    public override async Task DisposeAsync()
    {
        _otherClient.Dispose();
        await _other.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Proxy_CookieFromOneInstance_ValidOnTheOther()
    {
        var sid = await LoginAsync("alice");

        var response = await _otherClient.SendAsync(Get("/x", sid));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["alice"], Backend.Last.Values("X-Auth-User"));
        Assert.Null(SetCookie(response, "sid"));
        var whoami = await _otherClient.SendAsync(Get("/auth/session", sid));
        Assert.Contains("\"alice\"", await whoami.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Logout_OnOneInstance_EndsSessionOnTheOther()
    {
        var sid = await LoginAsync("alice");
        Assert.Equal(HttpStatusCode.OK, (await _otherClient.SendAsync(Get("/before", sid))).StatusCode);
        var proxied = Backend.Received.Count;

        var logout = new HttpRequestMessage(HttpMethod.Post, "/auth/logout");
        logout.Headers.Add("Cookie", $"sid={sid}");
        Assert.Equal(HttpStatusCode.NoContent, (await _otherClient.SendAsync(logout)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/after", WithCookie(sid))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _otherClient.SendAsync(Get("/after", sid))).StatusCode);
        Assert.Equal(proxied, Backend.Received.Count);
        Assert.Empty(SessionKeys());
    }

    [Fact]
    public async Task Proxy_CookielessBasicAlternatingInstances_SharesOneSession()
    {
        for (var i = 0; i < 6; i++)
        {
            var client = i % 2 == 0 ? Client : _otherClient;
            var request = new HttpRequestMessage(HttpMethod.Get, $"/api/{i}");
            request.Headers.Authorization = Basic("alice");
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
        }

        Assert.Single(Backend.Received.Select(r => r.Values("X-Auth-Session").Single()).Distinct());
        Assert.Single(SessionKeys());
        Assert.Single(Redis!.Keys(Host.KeyPrefix + "k:"));
    }

    [Fact]
    public async Task Proxy_SessionsFromBothInstances_AllValidOnEach()
    {
        var fromFirst = await LoginAsync("alice");
        var login = await _otherClient.PostAsync("/auth/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "bob", ["password"] = GatewayHost.DefaultPasswords["bob"], ["returnUrl"] = "/",
        }));
        var fromSecond = SessionCookie(login)!;

        foreach (var client in new[] { Client, _otherClient })
        {
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Get("/a", fromFirst))).StatusCode);
            Assert.Equal(["alice"], Backend.Last.Values("X-Auth-User"));
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Get("/admin/b", fromSecond))).StatusCode);
            Assert.Equal(["bob"], Backend.Last.Values("X-Auth-User"));
        }
        Assert.Equal(2, SessionKeys().Count);
    }

    private static HttpRequestMessage Get(string path, string sid)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", $"sid={sid}");
        return request;
    }
}
