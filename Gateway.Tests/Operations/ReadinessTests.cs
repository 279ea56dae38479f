using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Operations;

/// <summary>Readiness and scrapes stay fast when Redis accepts connections but never answers.</summary>
public sealed class ReadinessTests : IAsyncLifetime
{
    private readonly TcpListener _silent = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _held = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly RecordingBackend _backend = new();
    private Task _accepting = Task.CompletedTask;
    private GatewayHost _host = null!;

    public async Task InitializeAsync()
    {
        _silent.Start();
        _accepting = AcceptForeverAsync();
        var port = ((IPEndPoint)_silent.LocalEndpoint).Port;
        _host = await GatewayHost.StartAsync(_backend.Url, null, new Dictionary<string, string?>
        {
            ["Gateway:Store:Provider"] = "Redis",
            ["ConnectionStrings:Redis"] = $"127.0.0.1:{port}",
            ["Gateway:Store:Timeout"] = "00:00:00.200",
            ["Gateway:Metrics:Prometheus"] = "true",
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _stop.CancelAsync();
        _silent.Stop();
        await _accepting;
        _held.ForEach(c => c.Dispose());
        _backend.Dispose();
        _stop.Dispose();
    }

    [Fact]
    public async Task Readyz_RedisHangs_Answers503WithinOneSecond()
    {
        using var client = _host.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            var watch = Stopwatch.StartNew();
            var response = await client.GetAsync("/readyz").WaitAsync(TimeSpan.FromSeconds(5));
            watch.Stop();

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.True(response.Headers.RetryAfter is not null, "no Retry-After");
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1.5), $"readiness took {watch.Elapsed}");
        }
    }

    [Fact]
    public async Task Proxy_RedisHangs_SessionRoutes503AndMetricsStillScrape()
    {
        using var client = _host.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "/x");
        request.Headers.Add("Cookie", "sid=" + Gateway.Sessions.SessionId.New().Value);

        var proxied = await client.SendAsync(request).WaitAsync(TimeSpan.FromSeconds(5));
        var metrics = await client.GetAsync("/metrics").WaitAsync(TimeSpan.FromSeconds(5));
        var open = await client.GetAsync("/public/x").WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, proxied.StatusCode);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        Assert.DoesNotContain(_backend.Received, r => r.PathAndQuery == "/x");
    }

    // Accepts and holds connections, never reading or writing: a Redis that hangs.
    private async Task AcceptForeverAsync()
    {
        try
        {
            for (var i = 0; i < 100; i++)
            {
                _held.Add(await _silent.AcceptTcpClientAsync(_stop.Token));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }
}
