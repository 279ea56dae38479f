using System.Net;
using Gateway.Tests.Deploy;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Integration;

namespace Gateway.Tests.ForwardAuth;

/// <summary>
/// A real Caddy (Debian package) running deploy/forward-auth/Caddyfile (ports replaced) in front of a recording
/// backend, asking the gateway through forward_auth with X-Forwarded-Method and X-Forwarded-Uri (issue 16).
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class CaddyForwardAuthTests(RedisServer redis) : GatewayTestBase(redis)
{
    private readonly ProxyServer _caddy = ProxyServer.Caddy();
    private HttpClient _client = null!;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:TrustedProxies:0"] = "127.0.0.1",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var template = await File.ReadAllTextAsync(Path.Combine(DeployFilesTests.RepositoryRoot(), "deploy", "forward-auth", "Caddyfile"));
        var config = template
            .Replace("http://:80 {", $"http://127.0.0.1:{_caddy.Port} {{\n\tbind 127.0.0.1", StringComparison.Ordinal)
            .Replace("127.0.0.1:8080", $"127.0.0.1:{Host.Address.Port}", StringComparison.Ordinal)
            .Replace("127.0.0.1:8081", $"127.0.0.1:{new Uri(Backend.Url).Port}", StringComparison.Ordinal);
        Assert.NotEqual(template, config);
        await _caddy.StartAsync(config);
        _client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = _caddy.Address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public override async Task DisposeAsync()
    {
        _client?.Dispose();
        await _caddy.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Caddy_NoSession_BrowserRedirectedToLoginAndApiGets401()
    {
        var browser = await SendAsync("/app/x?q=1", r => r.Headers.Add("Accept", "text/html"));
        var api = await SendAsync("/app/x", r => r.Headers.Add("Accept", "application/json"));

        Assert.Equal(HttpStatusCode.Found, browser.StatusCode);
        Assert.Equal("/auth/login?returnUrl=%2Fapp%2Fx%3Fq%3D1", browser.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Empty(Backend.Received);
    }

    [Fact]
    public async Task Caddy_SessionAndForgedHeaders_BackendSeesOnlyTheGatewaysIdentity()
    {
        var sid = await LoginAsync("alice");

        await SendAsync("/public/x", r => r.Headers.TryAddWithoutValidation("X-Auth-User", "mallory"));
        await SendAsync("/app/x", r =>
        {
            r.Headers.TryAddWithoutValidation("X-Auth-User", "mallory");
            r.Headers.Add("Cookie", $"sid={sid}");
        });

        Assert.Equal(2, Backend.Received.Count);
        Assert.All(Backend.Received[0].Values("X-Auth-User"), value => Assert.Equal("", value));
        Assert.Equal(["alice"], Backend.Received[1].Values("X-Auth-User"));
    }

    [Fact]
    public async Task Caddy_RolePolicy_Returns403()
    {
        var sid = await LoginAsync("alice");

        var response = await SendAsync("/admin/x", r => r.Headers.Add("Cookie", $"sid={sid}"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(Backend.Received);
    }

    private async Task<HttpResponseMessage> SendAsync(string path, Action<HttpRequestMessage> configure)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        configure(request);
        return await _client.SendAsync(request);
    }
}
