using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.Tests.Deploy;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Integration;

namespace Gateway.Tests.ForwardAuth;

/// <summary>
/// A real nginx running deploy/forward-auth/nginx.conf (ports replaced) in front of a recording backend, asking the
/// gateway through auth_request (issue 16). The gateway trusts 127.0.0.1, nginx's address.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class NginxForwardAuthTests(RedisServer redis) : GatewayTestBase(redis)
{
    private readonly ProxyServer _nginx = ProxyServer.Nginx();
    private HttpClient _client = null!;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:TrustedProxies:0"] = "127.0.0.1",
        ["Gateway:Session:SecureCookie"] = "false",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var template = await File.ReadAllTextAsync(Path.Combine(DeployFilesTests.RepositoryRoot(), "deploy", "forward-auth", "nginx.conf"));
        var config = template
            .Replace("listen 80;", $"listen 127.0.0.1:{_nginx.Port};", StringComparison.Ordinal)
            .Replace("server 127.0.0.1:8080;", $"server 127.0.0.1:{Host.Address.Port};", StringComparison.Ordinal)
            .Replace("server 127.0.0.1:8081;", $"server 127.0.0.1:{new Uri(Backend.Url).Port};", StringComparison.Ordinal);
        Assert.NotEqual(template, config);
        await _nginx.StartAsync(config);
        _client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = _nginx.Address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public override async Task DisposeAsync()
    {
        _client?.Dispose();
        await _nginx.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Nginx_NoSession_RedirectedToLogin()
    {
        var response = await ThroughNginxAsync(HttpMethod.Get, "/app/report?q=1", r => r.Headers.Add("Accept", "text/html"));

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/auth/login?returnUrl=%2Fapp%2Freport%3Fq%3D1", response.Headers.Location!.OriginalString);
        Assert.Empty(Backend.Received);
    }

    [Fact]
    public async Task Nginx_LoginThroughNginx_BackendSeesTheUserAndNoGatewayCookie()
    {
        var page = await ThroughNginxAsync(HttpMethod.Get, "/auth/login?returnUrl=%2Fapp%2Fx");
        var login = await ThroughNginxAsync(HttpMethod.Post, "/auth/login", r => r.Content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "alice", ["password"] = GatewayHost.DefaultPasswords["alice"], ["returnUrl"] = "/app/x",
        }));
        var sid = SessionCookie(login)!;

        var app = await ThroughNginxAsync(HttpMethod.Get, "/app/x", r => r.Headers.Add("Cookie", $"theme=dark; sid={sid}"));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, login.StatusCode);
        Assert.Equal("/app/x", login.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, app.StatusCode);
        var seen = Assert.Single(Backend.Received);
        Assert.Equal(["alice"], seen.Values("X-Auth-User"));
        Assert.Equal(["user"], seen.Values("X-Auth-Roles"));
        Assert.DoesNotContain(seen.Values("Cookie"), c => c.Contains("sid=", StringComparison.Ordinal));
        Assert.Contains(seen.Values("Cookie"), c => c.Contains("theme=dark", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Nginx_ForgedIdentityHeaders_ReplacedOrDropped()
    {
        var sid = await LoginAsync("alice");

        await ThroughNginxAsync(HttpMethod.Get, "/public/x", Forge);
        await ThroughNginxAsync(HttpMethod.Get, "/app/x", r =>
        {
            Forge(r);
            r.Headers.Add("Cookie", $"sid={sid}");
        });

        Assert.Equal(2, Backend.Received.Count);
        var anonymous = Backend.Received[0];
        var signedIn = Backend.Received[1];
        Assert.Empty(anonymous.Variants("X-Auth-User"));
        Assert.Empty(anonymous.Variants("X-Auth-Roles"));
        Assert.Equal(["alice"], signedIn.Values("X-Auth-User"));
        Assert.Equal(["X-Auth-User"], signedIn.Variants("X-Auth-User").Select(n => n.Equals("X-Auth-User", StringComparison.OrdinalIgnoreCase) ? "X-Auth-User" : n));
        Assert.Equal(["user"], signedIn.Values("X-Auth-Roles"));

        static void Forge(HttpRequestMessage r)
        {
            r.Headers.TryAddWithoutValidation("X-Auth-User", "mallory");
            r.Headers.TryAddWithoutValidation("X_Auth_User", "mallory");
            r.Headers.TryAddWithoutValidation("X-Auth-Roles", "admin");
        }
    }

    [Fact]
    public async Task Nginx_BasicCredentials_BackendSeesTheUserButNeverThePassword()
    {
        var response = await ThroughNginxAsync(HttpMethod.Get, "/app/basic", r => r.Headers.Authorization = Basic("alice"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(Backend.Received);
        Assert.Equal(["alice"], seen.Values("X-Auth-User"));
        Assert.Empty(seen.Values("Authorization"));
    }

    [Fact]
    public async Task Nginx_RolePolicy_Returns403WithoutTheRole()
    {
        var alice = await LoginAsync("alice");
        var bob = await LoginAsync("bob");

        var refused = await ThroughNginxAsync(HttpMethod.Get, "/admin/x", r => r.Headers.Add("Cookie", $"sid={alice}"));
        var allowed = await ThroughNginxAsync(HttpMethod.Get, "/admin/x", r => r.Headers.Add("Cookie", $"sid={bob}"));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(["bob"], Assert.Single(Backend.Received).Values("X-Auth-User"));
    }

    [Fact]
    public async Task Nginx_AnonymousRoute_PassesWithoutSession()
    {
        var response = await ThroughNginxAsync(HttpMethod.Get, "/public/x");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/public/x", Assert.Single(Backend.Received).PathAndQuery);
    }

    [Fact]
    public async Task Nginx_ClientNamingAnotherUrl_IsJudgedOnItsOwnUrl()
    {
        var response = await ThroughNginxAsync(HttpMethod.Get, "/app/x", r =>
        {
            r.Headers.Add("Accept", "text/html");
            r.Headers.TryAddWithoutValidation("X-Original-URL", $"http://127.0.0.1:{_nginx.Port}/public/x");
            r.Headers.TryAddWithoutValidation("X-Forwarded-Uri", "/public/x");
            r.Headers.TryAddWithoutValidation("X-Forwarded-Method", "GET");
        });

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Empty(Backend.Received);
    }

    [Theory]
    [InlineData("/public/..;/admin/x")]
    [InlineData("/public/%2e%2e/admin/x")]
    [InlineData("/public/..%2fadmin/x")]
    [InlineData("/public/%2e%2e%3b/admin/x")]
    [InlineData("/public/%5c..%5cadmin/x")]
    [InlineData("/public/a%2Fb")]
    [InlineData("/public/../admin/x")]
    public async Task Nginx_AmbiguousUri_CannotDodgeAPolicy(string target)
    {
        var alice = await LoginAsync("alice");

        var anonymous = await RawStatusAsync(target, cookie: null);
        var withoutRole = await RawStatusAsync(target, alice);

        Assert.InRange(anonymous, 400, 499);
        Assert.InRange(withoutRole, 400, 499);
        Assert.Empty(Backend.Received);
    }

    private async Task<HttpResponseMessage> ThroughNginxAsync(HttpMethod method, string path, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(method, path);
        configure?.Invoke(request);
        return await _client.SendAsync(request);
    }

    private async Task<int> RawStatusAsync(string target, string? cookie)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", _nginx.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{_nginx.Port}\r\nConnection: close\r\n" +
            (cookie is null ? "" : $"Cookie: sid={cookie}\r\n") + "\r\n"));
        var line = await new StreamReader(stream, Encoding.ASCII).ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20)) ?? "";
        return int.Parse(line.AsSpan(9, 3), provider: System.Globalization.CultureInfo.InvariantCulture);
    }
}
