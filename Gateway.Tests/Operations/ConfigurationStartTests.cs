using Gateway.Tests.Fixtures;
using Gateway.Tests.Integration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Operations;

/// <summary>A bad configuration stops the start with every error at once; a bad routes.json reload is logged and ignored.</summary>
public sealed class ConfigurationStartTests
{
    [Fact]
    public async Task Start_SeveralBadKeys_FailsNamingEveryKey()
    {
        using var backend = new RecordingBackend();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => GatewayHost.StartAsync(backend.Url, null, new Dictionary<string, string?>
        {
            ["Gateway:Session:CookieName"] = "__Host-sid",
            ["Gateway:Session:SecureCookie"] = "false",
            ["Gateway:Session:IdleTimeout"] = "-00:01:00",
            ["Gateway:Store:Timeout"] = "00:05:00",
            ["Gateway:Users:File"] = "missing.htpasswd",
            ["Gateway:Metrics:Port"] = "70000",
            ["ReverseProxy:Routes:app:AuthorizationPolicy"] = "no-such-policy",
            ["ReverseProxy:Routes:public:ClusterId"] = "no-such-cluster",
            ["ReverseProxy:Routes:admin:Timeout"] = "-00:00:01",
        }));

        foreach (var key in new[]
        {
            "Gateway:Session:CookieName", "Gateway:Session:IdleTimeout", "Gateway:Store:Timeout", "Gateway:Users:File", "Gateway:Metrics:Port",
            "ReverseProxy:Routes:app:AuthorizationPolicy", "ReverseProxy:Routes:public:ClusterId", "ReverseProxy:Routes:admin:Timeout",
        })
        {
            Assert.Contains(key, error.Message);
        }
        Assert.Equal(8, error.Failures.Count());
    }

    [Theory]
    // An unconvertible value and invalid ones: all named at once.
    [InlineData(new[] { "Gateway:Session:IdleTimeout=soon", "Gateway:Store:Timeout=00:05:00", "Gateway:Login:Realm=Zürich" },
        new[] { "Gateway:Session:IdleTimeout 'soon'", "Gateway:Store:Timeout", "Gateway:Login:Realm" })]
    // Two connection strings with Auto, named with the other errors.
    [InlineData(new[] { "Gateway:Store:Provider=Auto", "ConnectionStrings:Redis=127.0.0.1:9", "ConnectionStrings:Postgres=Host=127.0.0.1;Port=9", "Gateway:Store:CleanupInterval=00:00:00" },
        new[] { "ConnectionStrings:Redis and ConnectionStrings:Postgres", "Gateway:Store:CleanupInterval" })]
    public async Task Start_SeveralBadSettings_FailsNamingEachAndNoOther(string[] entries, string[] named)
    {
        var settings = entries.Select(e => e.Split('=', 2)).ToDictionary(e => e[0], e => (string?)e[1]);
        using var backend = new RecordingBackend();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => GatewayHost.StartAsync(backend.Url, null, settings));

        foreach (var name in named)
        {
            Assert.Contains(error.Failures, f => f.Contains(name, StringComparison.Ordinal));
        }
        Assert.Equal(named.Length, error.Failures.Count());
    }

    [Theory]
    [InlineData("Redis", "ConnectionStrings:Redis is empty")]
    [InlineData("Sqlite", "ConnectionStrings:Sqlite is empty")]
    [InlineData("Cassandra", "Gateway:Store:Provider 'Cassandra'")]
    public async Task Start_UnusableProvider_FailsNamingTheKey(string provider, string expected)
    {
        using var backend = new RecordingBackend();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => GatewayHost.StartAsync(backend.Url, null, new Dictionary<string, string?>
        {
            ["Gateway:Store:Provider"] = provider,
        }));

        Assert.Contains(error.Failures, f => f.Contains(expected, StringComparison.Ordinal));
        Assert.Single(error.Failures);
    }
}

/// <summary>An invalid routes.json edit keeps the last good routes and says why in the log.</summary>
[Collection(RedisCollection.Name)]
public sealed class RoutesReloadTests(RedisServer redis) : GatewayTestBase(redis)
{
    private readonly LogCapture _logs = new();

    protected override void ConfigureHost(WebApplicationBuilder builder) => builder.Logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Information);

    [Fact]
    public async Task Routes_InvalidEdit_LastGoodKeptAndReasonLogged()
    {
        var sid = await LoginAsync("alice");

        await File.WriteAllTextAsync(Host.RoutesPath, GatewayHost.Routes(Backend.Url, ("extra", "/extra/{**rest}", "no-such-policy")));

        await Eventually.HoldsAsync(() => _logs.Entries.Any(e => e.Level >= LogLevel.Error && e.ToString().Contains("no-such-policy", StringComparison.Ordinal)),
            "an error naming the bad policy logged", TimeSpan.FromSeconds(10), seen: () => "\n" + string.Join('\n', _logs.AllText()));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await GetAsync("/app/x", WithCookie(sid))).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await GetAsync("/public/x")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await GetAsync("/readyz")).StatusCode);
    }
}

/// <summary>An invalid appsettings.json edit keeps the last good Gateway options and says why in the log.</summary>
[Collection(RedisCollection.Name)]
public sealed class SettingsReloadTests(RedisServer redis) : GatewayTestBase(redis)
{
    private readonly LogCapture _logs = new();

    protected override void ConfigureHost(WebApplicationBuilder builder) => builder.Logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Information);

    [Fact]
    public async Task Settings_InvalidEdit_LastGoodKeptAndReasonLogged()
    {
        var sid = await LoginAsync("alice");

        await File.WriteAllTextAsync(Path.Combine(Host.Directory, "appsettings.json"), """{ "Gateway": { "Session": { "IdleTimeout": "-00:01:00" } } }""");

        await Eventually.HoldsAsync(() => _logs.Entries.Any(e => e.Level >= LogLevel.Error && e.ToString().Contains("Gateway:Session:IdleTimeout", StringComparison.Ordinal)),
            "an error naming the bad key logged", TimeSpan.FromSeconds(10), seen: () => "\n" + string.Join('\n', _logs.AllText()));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await GetAsync("/app/x", WithCookie(sid))).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.SeeOther, (await PostFormAsync("/auth/login", ("username", "bob"), ("password", GatewayHost.DefaultPasswords["bob"]), ("returnUrl", "/"))).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task Settings_ValidEditAfterInvalidOne_Applied()
    {
        var settings = Path.Combine(Host.Directory, "appsettings.json");
        await File.WriteAllTextAsync(settings, """{ "Gateway": { "Login": { "Title": "Broken" }, "Session": { "IdleTimeout": "soon" } } }""");
        await Task.Delay(1500);
        Assert.DoesNotContain("Broken", await (await GetAsync("/auth/login")).Content.ReadAsStringAsync());

        await File.WriteAllTextAsync(settings, """{ "Gateway": { "Login": { "Title": "Welcome to Ops" } } }""");

        await Eventually.HoldsAsync(async () => (await (await GetAsync("/auth/login")).Content.ReadAsStringAsync()).Contains("Welcome to Ops", StringComparison.Ordinal),
            "the valid settings change applied", TimeSpan.FromSeconds(10));
        Assert.Contains(_logs.Entries, e => e.EventId.Id == 1901 && e.Message.Contains("Gateway:Session:IdleTimeout", StringComparison.Ordinal));
    }
}
