using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Integration;

namespace Gateway.Tests.ForwardAuth;

/// <summary>
/// <c>/auth/verify</c> called directly, as each proxy calls it (issue 16): nginx (<c>X-Original-URL</c>), Traefik and
/// Caddy (<c>X-Forwarded-*</c>), Envoy (path appended). The test client connects from 127.0.0.1, listed in
/// <c>Gateway:TrustedProxies</c>; untrusted callers and a store outage get their own gateways.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ForwardAuthVerifyTests(RedisServer redis) : GatewayTestBase(redis)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:TrustedProxies:0"] = "127.0.0.1",
        ["Gateway:ForwardAuth:AllowedHosts:0"] = "*.example.com",
        ["Gateway:Session:CookieDomain"] = "example.com",
    };

    [Fact]
    public async Task Verify_NginxWithoutSession_Returns401WithLoginLocationCarryingTheOriginalUrl()
    {
        var response = await VerifyAsync(Nginx("https://app.example.com/reports/q3?year=2026", "GET"), Html);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("/auth/login?returnUrl=" + Uri.EscapeDataString("https://app.example.com/reports/q3?year=2026"), response.Headers.Location!.OriginalString);
        Assert.Empty(Backend.Received);
    }

    [Fact]
    public async Task Verify_NginxHostNotAllowed_LoginReturnsToTheLocalPath()
    {
        var response = await VerifyAsync(Nginx("https://evil.test/reports/q3", "GET"), Html);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("/auth/login?returnUrl=%2Freports%2Fq3", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Verify_ForwardedBrowserNavigationWithoutSession_Redirects302ToLogin()
    {
        var response = await VerifyAsync(Forwarded("GET", "https", "app.example.com", "/app/x"), Html);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/auth/login?returnUrl=" + Uri.EscapeDataString("https://app.example.com/app/x"), response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Verify_ForwardedApiClientWithoutSession_Returns401JsonWithBasicChallenge()
    {
        var response = await VerifyAsync(Forwarded("GET", "https", "app.example.com", "/api/data"), r => r.Headers.Add("Accept", "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("\"error\":\"unauthorized\"", await response.Content.ReadAsStringAsync());
        Assert.StartsWith("Basic realm=", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Verify_CookieSession_Returns200WithIdentityHeaders()
    {
        var sid = await LoginAsync("alice");

        var response = await VerifyAsync(Forwarded("GET", "https", "app.example.com", "/app/x"), WithCookie(sid));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alice", Header(response, "X-Auth-User"));
        Assert.Equal("user", Header(response, "X-Auth-Roles"));
        Assert.False(string.IsNullOrEmpty(Header(response, "X-Auth-Session")));
    }

    [Fact]
    public async Task Verify_BasicCredentials_Returns200AndTheCookieOfTheNewSession()
    {
        var response = await VerifyAsync(Nginx("https://app.example.com/app/x", "GET"), r => r.Headers.Authorization = Basic("alice"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alice", Header(response, "X-Auth-User"));
        Assert.Contains("domain=example.com", SetCookie(response, "sid"));
    }

    [Fact]
    public async Task Verify_RolePolicy_Returns403WithoutTheRoleAnd200WithIt()
    {
        var alice = await LoginAsync("alice");
        var bob = await LoginAsync("bob");

        var refused = await VerifyAsync(Nginx("https://app.example.com/admin/x", "GET"), WithCookie(alice));
        var allowed = await VerifyAsync(Nginx("https://app.example.com/admin/x", "GET"), WithCookie(bob));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("user,admin", Header(allowed, "X-Auth-Roles"));
    }

    [Fact]
    public async Task Verify_AnonymousRoute_Returns200WithoutIdentity()
    {
        var response = await VerifyAsync(Forwarded("GET", "https", "app.example.com", "/public/x"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", Header(response, "X-Auth-User"));
    }

    [Fact]
    public async Task Verify_EnvoyAppendedPath_JudgesTheAppendedPath()
    {
        var alice = await LoginAsync("alice");

        var admin = await GetAsync("/auth/verify/admin/x", WithCookie(alice));
        var open = await GetAsync("/auth/verify/public/x");
        var app = await GetAsync("/auth/verify/app/x", r => r.Headers.Add("Accept", "application/json"));

        Assert.Equal(HttpStatusCode.Forbidden, admin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, app.StatusCode);
    }

    [Theory]
    [InlineData("X-Original-URL", "https://app.example.com/public/..;/admin/x")]
    [InlineData("X-Original-URL", "https://app.example.com/public/%2e%2e/admin/x")]
    [InlineData("X-Forwarded-Uri", "/public/%5c..%5cadmin/x")]
    [InlineData("X-Forwarded-Uri", "/public/..%2fadmin/x")]
    [InlineData("X-Forwarded-Uri", "/public/a%2Fb")]
    public async Task Verify_AmbiguousOriginalPath_Returns400(string header, string value)
    {
        var response = await VerifyAsync(r => r.Headers.TryAddWithoutValidation(header, value));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("ambiguous_path", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/auth/verify/public/..;/admin/x")]
    [InlineData("/auth/verify/public/..%2fadmin/x")]
    [InlineData("/auth/verify/public/a%2Fb")]
    public async Task Verify_EnvoyAmbiguousPath_Returns400(string target)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(Host.Address.Host, Host.Address.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: app.example.com\r\nConnection: close\r\n\r\n"));
        var answer = await new StreamReader(stream, Encoding.ASCII).ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.StartsWith("HTTP/1.1 400", answer);
    }

    [Fact]
    public async Task Verify_UnsafeOriginalMethodFromAnotherSite_Returns403()
    {
        var sid = await LoginAsync("alice");

        var forged = await VerifyAsync(Forwarded("POST", "https", "app.example.com", "/app/x"), r =>
        {
            WithCookie(sid)(r);
            r.Headers.Add("Sec-Fetch-Site", "cross-site");
        });
        var sameSite = await VerifyAsync(Forwarded("POST", "https", "app.example.com", "/app/x"), r =>
        {
            WithCookie(sid)(r);
            r.Headers.Add("Origin", "https://app.example.com");
        });

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Contains("\"error\":\"csrf\"", await forged.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, sameSite.StatusCode);
    }

    [Fact]
    public async Task Verify_UntrustedCaller_CannotChooseTheUrlBeingJudged()
    {
        await using var host = await GatewayHost.StartAsync(Backend.Url, RedisDeployment, new Dictionary<string, string?>
        {
            ["Gateway:TrustedProxies:0"] = "10.9.9.9",
            ["Gateway:Users:File"] = Host.UsersPath, // the same password stamps, so alice's session is valid there
        }, keyPrefix: Host.KeyPrefix);
        using var client = host.CreateClient();
        var alice = await LoginAsync("alice");

        // Judged as GET /: the catch-all route needs a session, so naming an anonymous URL opens nothing...
        var anonymous = await SendAsync(client, Nginx("https://app.example.com/public/x", "GET"));
        // ...and naming an admin URL with alice's session does not forbid what / allows her.
        var admin = await SendAsync(client, Nginx("https://app.example.com/admin/x", "GET"), WithCookie(alice));
        var envoy = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/auth/verify/public/x"));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, envoy.StatusCode);
    }

    [Fact]
    public async Task Verify_StoreDown_Returns503WithRetryAfterAndAnonymousRoutesStillPass()
    {
        var down = new RedisServer(); // never started: nothing listens on its port
        await using var host = await GatewayHost.StartAsync(Backend.Url, down, new Dictionary<string, string?>
        {
            ["Gateway:TrustedProxies:0"] = "127.0.0.1",
            ["Gateway:Store:Timeout"] = "00:00:00.500",
        });
        using var client = host.CreateClient();

        var session = await SendAsync(client, Nginx("https://app.example.com/app/x", "GET"), r => r.Headers.Authorization = Basic("alice"));
        var open = await SendAsync(client, Nginx("https://app.example.com/public/x", "GET"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, session.StatusCode);
        Assert.NotNull(session.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
    }

    [Fact]
    public async Task Login_AbsoluteReturnUrl_KeptOnlyForAllowedHosts()
    {
        var allowed = await PostFormAsync("/auth/login", ("username", "alice"), ("password", GatewayHost.DefaultPasswords["alice"]), ("returnUrl", "https://app.example.com/x?y=1"));
        var refused = await PostFormAsync("/auth/login", ("username", "alice"), ("password", GatewayHost.DefaultPasswords["alice"]), ("returnUrl", "https://evil.test/x"));
        var apex = await PostFormAsync("/auth/login", ("username", "alice"), ("password", GatewayHost.DefaultPasswords["alice"]), ("returnUrl", "https://example.com.evil.test/x"));

        Assert.Equal("https://app.example.com/x?y=1", allowed.Headers.Location!.OriginalString);
        Assert.Equal("/", refused.Headers.Location!.OriginalString);
        Assert.Equal("/", apex.Headers.Location!.OriginalString);
    }

    private static readonly Action<HttpRequestMessage> Html = r => r.Headers.Add("Accept", "text/html");

    private static Action<HttpRequestMessage> Nginx(string url, string method) => r =>
    {
        r.Headers.TryAddWithoutValidation("X-Original-URL", url);
        r.Headers.TryAddWithoutValidation("X-Original-Method", method);
    };

    private static Action<HttpRequestMessage> Forwarded(string method, string proto, string host, string uri) => r =>
    {
        r.Headers.TryAddWithoutValidation("X-Forwarded-Method", method);
        r.Headers.TryAddWithoutValidation("X-Forwarded-Proto", proto);
        r.Headers.TryAddWithoutValidation("X-Forwarded-Host", host);
        r.Headers.TryAddWithoutValidation("X-Forwarded-Uri", uri);
    };

    private Task<HttpResponseMessage> VerifyAsync(Action<HttpRequestMessage> original, Action<HttpRequestMessage>? more = null) =>
        SendAsync(Client, original, more);

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, Action<HttpRequestMessage> original, Action<HttpRequestMessage>? more = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/auth/verify");
        original(request);
        more?.Invoke(request);
        return client.SendAsync(request);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
