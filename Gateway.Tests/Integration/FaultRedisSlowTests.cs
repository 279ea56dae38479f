using System.Diagnostics;
using System.Net;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// Redis slowed by a latency proxy (5 s each way) under a bounded concurrent load: session requests get 503 within
/// the store timeout's bound instead of hanging for the latency, the thread pool is not starved (liveness answers
/// at once), no request is proxied without identity, no session is lost, and service resumes when the latency
/// goes, without a gateway restart. Bounds are fail-safes with room for a loaded machine (the store timeout is
/// 500 ms; an unbounded call would take over 10 s).
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class FaultRedisSlowTests : GatewayTestBase
{
    private const int Clients = 8;
    private readonly LatencyProxy _proxy;

    public FaultRedisSlowTests(RedisServer redis) : this(new LatencyProxy(redis))
    {
    }

    private FaultRedisSlowTests(LatencyProxy proxy) : base(proxy)
    {
        _proxy = proxy;
        _proxy.Start();
    }

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:Store:Timeout"] = "00:00:00.500",
    };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _proxy.DisposeAsync();
    }

    [Fact]
    public async Task Proxy_RedisSlowerThanTimeout_503BoundedHealthFastThenRecovers()
    {
        var sids = new List<string>();
        for (var i = 0; i < Clients; i++)
        {
            sids.Add(await LoginAsync("alice"));
        }
        var driver = new LoadDriver(Client);
        using var stop = new CancellationTokenSource();
        _proxy.Delay = TimeSpan.FromSeconds(5);
        var slowSince = driver.Now;
        var load = driver.RunAsync(Clients, (client, n) =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"/app/c{client}/{n}");
            request.Headers.Add("Cookie", $"sid={sids[client]}");
            return request;
        }, stop.Token, hardLimit: TimeSpan.FromSeconds(60));

        var health = new List<TimeSpan>();
        for (var i = 0; i < 12; i++)
        {
            await Task.Delay(250);
            var watch = Stopwatch.StartNew();
            Assert.Equal(HttpStatusCode.OK, (await GetAsync("/healthz")).StatusCode);
            health.Add(watch.Elapsed);
        }
        var fastAgain = driver.Now;
        _proxy.Delay = TimeSpan.Zero;
        // Recovered: every client served since the old, delayed bytes drained (they arrive up to 5 s later).
        var drained = fastAgain + TimeSpan.FromSeconds(6);
        var recovered = await Eventually.WithinAsync(() =>
        {
            var late = driver.Samples.Where(s => s.SentAt > drained).ToList();
            return late.Select(s => s.Client).Distinct().Count() == Clients && late.Count(s => s.Status == HttpStatusCode.OK) >= 4 * Clients;
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));
        await stop.CancelAsync();
        await load;

        var samples = driver.Samples;
        Assert.True(recovered, "no recovery within 30 s of the latency going");
        Assert.All(health, h => Assert.True(h < TimeSpan.FromSeconds(2), $"/healthz took {h}"));
        Assert.All(samples, s => Assert.Contains(s.Status, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
        Assert.All(samples, s => Assert.True(s.Elapsed < TimeSpan.FromSeconds(3), $"{s.Status} after {s.Elapsed}"));
        var slow = samples.Where(s => s.SentAt > slowSince + TimeSpan.FromSeconds(0.2) && s.SentAt + s.Elapsed < fastAgain).ToList();
        Assert.True(slow.Count >= Clients, $"only {slow.Count} requests while slow");
        Assert.All(slow, s =>
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, s.Status);
            Assert.Equal("5", s.RetryAfter);
            Assert.True(s.Elapsed < TimeSpan.FromSeconds(2), $"503 after {s.Elapsed}");
        });
        Assert.DoesNotContain(samples, s => s.SetCookie is not null);
        Assert.Equal(samples.Count(s => s.Status == HttpStatusCode.OK), Backend.Received.Count);
        Assert.All(Backend.Received, r => Assert.Equal(["alice"], r.Values("X-Auth-User")));
        Assert.Equal(Clients, SessionKeys().Count);
    }
}
