using System.Net;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Integration;

namespace Gateway.Tests.Telemetry;

/// <summary><c>/metrics</c> on the main listener when <c>Gateway:Metrics:Prometheus</c> is on (the exporter alone turns metrics on).</summary>
[Collection(TelemetryCollection.Name)]
public sealed class PrometheusTests(RedisServer redis) : GatewayTestBase(redis)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Gateway:Metrics:Prometheus"] = "true" };

    [Fact]
    public async Task Metrics_PrometheusOn_ServedAnonymouslyAndNeverProxied()
    {
        await LoginAsync("alice");
        var before = Backend.Received.Count;

        var response = await GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("gateway_session_created_total{", text);
        Assert.Contains("gateway_login_succeeded_total{", text);
        Assert.Contains("http_server_request_duration_seconds", text);
        Assert.Equal(before, Backend.Received.Count);
    }
}

/// <summary><c>/metrics</c> on a separate management port; the main listener leaves the path to the backends.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class ManagementPortTests(RedisServer redis) : GatewayTestBase(redis)
{
    private readonly int _port = RedisServer.FreePort();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:Metrics:Prometheus"] = "true",
        ["Gateway:Metrics:Port"] = _port.ToString(),
    };

    [Fact]
    public async Task Metrics_ManagementPort_ServesMetricsAndProbesOnly()
    {
        using var management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}/"), Timeout = TimeSpan.FromSeconds(30) };
        var sid = await LoginAsync("alice");

        var metrics = await management.GetAsync("/metrics");
        var ready = await management.GetAsync("/readyz");
        var other = await management.GetAsync("/app/x");
        var login = await management.GetAsync("/auth/login");
        var mainMetrics = await GetAsync("/metrics", WithCookie(sid));

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("gateway_session_created_total{", await metrics.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, login.StatusCode);
        Assert.Equal(HttpStatusCode.OK, mainMetrics.StatusCode);
        Assert.Equal("backend ok", await mainMetrics.Content.ReadAsStringAsync());
        Assert.Equal("/metrics", Backend.Last.PathAndQuery);
    }

    [Fact]
    public async Task Metrics_MainPortWithManagementPortInHost_ProxiedNotServed()
    {
        var sid = await LoginAsync("alice");

        var response = await GetAsync("/metrics", r =>
        {
            r.Headers.Host = $"gateway.example:{_port}";
            r.Headers.Add("Cookie", $"sid={sid}");
        });
        var anonymous = await GetAsync("/metrics", r => r.Headers.Host = $"127.0.0.1:{_port}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("backend ok", await response.Content.ReadAsStringAsync());
        Assert.Equal("/metrics", Backend.Last.PathAndQuery);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
