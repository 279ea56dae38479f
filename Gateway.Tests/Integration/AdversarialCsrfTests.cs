using System.Net;
using System.Text.Json.Nodes;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// Cross-site request forgery: Sec-Fetch-Site × Origin × method × credential carrier, login and logout CSRF,
/// listed origins, cross-site WebSocket handshakes, and the per-route custom-header requirement. A refused request
/// never reaches the backend and never leaves a session or cookie behind.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class AdversarialCsrfTests(RedisServer redis) : GatewayTestBase(redis)
{
    private const string Listed = "https://app.example.com";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:Csrf:AllowedOrigins:0"] = Listed,
    };

    private string Own => Host.Address.GetLeftPart(UriPartial.Authority);

    [Fact]
    public async Task Proxy_CsrfMatrix_CookieAndBasicRequestsFromForeignPagesRefused()
    {
        var sid = await LoginAsync("bob");
        string?[] sites = [null, "same-origin", "none", "same-site", "cross-site"];
        string?[] origins = [null, "own", Listed, "https://evil.example", "null"];
        HttpMethod[] methods = [HttpMethod.Get, HttpMethod.Post, HttpMethod.Put, HttpMethod.Patch, HttpMethod.Delete];
        string[] carriers = ["cookie", "token", "basic"];
        var wrong = new List<string>();
        var forwarded = 0;

        foreach (var carrier in carriers)
        foreach (var method in methods)
        foreach (var site in sites)
        foreach (var origin in origins)
        {
            var originValue = origin == "own" ? Own : origin;
            var response = await SendAsync(method, "/app/data", r =>
            {
                switch (carrier)
                {
                    case "cookie": r.Headers.Add("Cookie", $"sid={sid}"); break;
                    case "token": r.Headers.Add("X-Session-Token", sid); break;
                    default: r.Headers.Authorization = Basic("bob"); break;
                }
                if (site is not null)
                {
                    r.Headers.Add("Sec-Fetch-Site", site);
                }
                if (originValue is not null)
                {
                    r.Headers.TryAddWithoutValidation("Origin", originValue);
                }
                if (method != HttpMethod.Get)
                {
                    r.Content = new StringContent("x=1");
                }
            });

            var foreign = site is "same-site" or "cross-site"
                ? origin is not ("own" or Listed)
                : site is null && origin is "https://evil.example" or "null";
            // Basic counts as ambient: a browser attaches cached credentials to a cross-site post by itself.
            var refused = carrier is "cookie" or "basic" && method != HttpMethod.Get && foreign;
            var expected = refused ? HttpStatusCode.Forbidden : HttpStatusCode.OK;
            if (response.StatusCode != expected)
            {
                wrong.Add($"{carrier} {method} site={site ?? "-"} origin={origin ?? "-"}: {(int)response.StatusCode}, expected {(int)expected}");
            }
            if (refused)
            {
                Assert.Contains("\"error\":\"csrf\"", await response.Content.ReadAsStringAsync());
            }
            else
            {
                forwarded++;
            }
        }

        Assert.Empty(wrong);
        Assert.Equal(forwarded, Backend.Received.Count(r => r.PathAndQuery == "/app/data"));
    }

    [Theory]
    [InlineData("cross-site", "https://evil.example")]
    [InlineData(null, "https://evil.example")]
    [InlineData(null, "null")]
    [InlineData("same-site", "https://sub.127.0.0.1.nip.io")]
    public async Task Login_CrossSiteFormWithValidCredentials_403AndNoSessionMinted(string? site, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth/login")
        {
            Content = new FormUrlEncodedContent([new("username", "alice"), new("password", GatewayHost.DefaultPasswords["alice"]), new("returnUrl", "/")]),
        };
        if (site is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", site);
        }
        request.Headers.TryAddWithoutValidation("Origin", origin);

        var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(SessionCookie(response));
        Assert.Empty(SessionKeys());
    }

    [Fact]
    public async Task Login_SameOriginForm_Succeeds()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth/login")
        {
            Content = new FormUrlEncodedContent([new("username", "alice"), new("password", GatewayHost.DefaultPasswords["alice"])]),
        };
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
        request.Headers.TryAddWithoutValidation("Origin", Own);

        var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.NotNull(SessionCookie(response));
    }

    [Fact]
    public async Task Logout_CrossSiteForm_403AndSessionStillValid()
    {
        var sid = await LoginAsync("alice");

        var response = await SendAsync(HttpMethod.Post, "/auth/logout", r =>
        {
            r.Headers.Add("Cookie", $"sid={sid}");
            r.Headers.Add("Sec-Fetch-Site", "cross-site");
            r.Headers.TryAddWithoutValidation("Origin", "https://evil.example");
            r.Content = new FormUrlEncodedContent([]);
        });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(sid))).StatusCode);
    }

    [Theory]
    [InlineData("cookie", "cross-site", "https://evil.example")]
    [InlineData("cookie", "same-site", "https://sub.127.0.0.1.nip.io")]
    [InlineData("cookie", null, "https://evil.example")]
    [InlineData("basic", "cross-site", "https://evil.example")]
    public async Task Proxy_CrossSiteWebSocketHandshake_403NeverForwardedNoSessionMinted(string carrier, string? site, string origin)
    {
        var credential = carrier == "cookie" ? $"Cookie: sid={await LoginAsync("alice")}" : $"Authorization: {Basic("alice")}";
        var before = SessionKeys().Count;

        var response = await RawAsync(Handshake(credential, site, origin));

        Assert.StartsWith("HTTP/1.1 403", response);
        Assert.Contains("\"error\":\"csrf\"", response);
        Assert.DoesNotContain("Set-Cookie: sid=", response, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, SessionKeys().Count);
        Assert.DoesNotContain(Backend.Received, r => r.PathAndQuery == "/app/socket");
    }

    [Fact]
    public async Task Proxy_SameOriginWebSocketHandshakeOrTokenCarrier_Forwarded()
    {
        var sid = await LoginAsync("alice");

        await RawAsync(Handshake($"Cookie: sid={sid}", "same-origin", "http://gw"));
        await RawAsync(Handshake($"X-Session-Token: {sid}", "cross-site", "https://evil.example"));

        Assert.Equal(2, Backend.Received.Count(r => r.PathAndQuery == "/app/socket"));
    }

    [Theory]
    [InlineData("cross-site", "https://evil.example")]
    [InlineData(null, "https://evil.example")]
    public async Task Proxy_CrossSitePostWithValidBasic_403AndNoSessionOrCookieLeftBehind(string? site, string origin)
    {
        var response = await SendAsync(HttpMethod.Post, "/app/data", r =>
        {
            r.Headers.Authorization = Basic("alice");
            if (site is not null)
            {
                r.Headers.Add("Sec-Fetch-Site", site);
            }
            r.Headers.TryAddWithoutValidation("Origin", origin);
            r.Content = new FormUrlEncodedContent([new("amount", "1000")]);
        });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(SetCookie(response, "sid"));
        Assert.Empty(SessionKeys());
        Assert.Empty(Redis!.Keys(Host.KeyPrefix + "b:"));
        Assert.Empty(Backend.Received);
    }

    [Fact]
    public async Task Proxy_RouteRequiringCsrfHeader_CookieAndBasicCallersNeedItTokenCallersDoNot()
    {
        var routes = JsonNode.Parse(GatewayHost.Routes(Backend.Url, ("strict", "/strict/{**rest}", null)))!;
        routes["ReverseProxy"]!["Routes"]!["strict"]!["Metadata"] = new JsonObject { ["Gateway.RequireCsrfHeader"] = "X-CSRF" };
        await File.WriteAllTextAsync(Host.RoutesPath, routes.ToJsonString());
        var sid = await LoginAsync("alice");
        Task<HttpResponseMessage> Post(Action<HttpRequestMessage> configure) => SendAsync(HttpMethod.Post, "/strict/x", r =>
        {
            r.Headers.Add("Sec-Fetch-Site", "same-origin");
            configure(r);
        });
        await Eventually.HoldsAsync(async () => (await Post(r => r.Headers.Add("Cookie", $"sid={sid}"))).StatusCode == HttpStatusCode.Forbidden, "the route metadata loaded");
        var before = Backend.Received.Count;

        var sessions = SessionKeys().Count;

        // Basic from a browser is as ambient as the cookie: refused without the header, and no session minted.
        var basic = await Post(r => r.Headers.Authorization = Basic("alice"));
        var basicSessions = SessionKeys().Count;
        var withHeader = await Post(r => { r.Headers.Add("Cookie", $"sid={sid}"); r.Headers.Add("X-CSRF", "1"); });
        var basicWithHeader = await Post(r => { r.Headers.Authorization = Basic("alice"); r.Headers.Add("X-CSRF", "1"); });
        var token = await Post(r => r.Headers.Add("X-Session-Token", sid));
        var otherRoute = await SendAsync(HttpMethod.Post, "/x", r => { r.Headers.Add("Cookie", $"sid={sid}"); r.Headers.Add("Sec-Fetch-Site", "same-origin"); });

        Assert.Equal(HttpStatusCode.Forbidden, basic.StatusCode);
        Assert.Null(SetCookie(basic, "sid"));
        Assert.Equal(sessions, basicSessions);
        Assert.Equal(HttpStatusCode.OK, withHeader.StatusCode);
        Assert.Equal(HttpStatusCode.OK, basicWithHeader.StatusCode);
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherRoute.StatusCode);
        Assert.Equal(before + 4, Backend.Received.Count);
    }

    /// <summary>A browser's WebSocket handshake to /app/socket (Host gw: the gateway's own origin is http://gw).</summary>
    private static string Handshake(string credential, string? site, string origin) =>
        "GET /app/socket HTTP/1.1\r\nHost: gw\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-Fetch-Mode: websocket\r\n" + (site is null ? "" : $"Sec-Fetch-Site: {site}\r\n") +
        $"Origin: {origin}\r\n{credential}\r\n\r\n";
}
