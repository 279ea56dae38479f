using System.Net;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// PostgreSQL crashed (immediate shutdown, as a killed server) under a bounded concurrent load, then restarted: requests
/// that need a session get 503 with Retry-After quickly, nothing reaches a protected route without identity, nothing
/// answers 500 or ends a session; public routes keep working; after crash recovery the same cookies work again
/// without a gateway restart. Owns its server.
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class FaultPostgresKilledTests : OwnedPostgresTestBase
{
    private const int Clients = 6;

    [Fact]
    public async Task Proxy_PostgresKilledUnderLoadThenRestarted_503FastNoLeakThenRecovers()
    {
        var sids = await LoginByTurnsAsync(Clients);
        var driver = new LoadDriver(Client);
        using var stop = new CancellationTokenSource();
        var load = driver.RunAsync(sids, stop.Token, hardLimit: TimeSpan.FromSeconds(60));

        await Task.Delay(TimeSpan.FromSeconds(1));
        await Postgres.CrashAsync();
        var downSince = driver.Now;
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var restartedAt = driver.Now;
        await Postgres.StartAsync();
        var recovered = await driver.AllServedSinceAsync(Clients, restartedAt, TimeSpan.FromSeconds(20));
        await stop.CancelAsync();
        await load;

        var samples = driver.Samples;
        var protectedSamples = samples.Where(s => s.Path.StartsWith("/app/", StringComparison.Ordinal)).ToList();
        var publicSamples = samples.Where(s => s.Path.StartsWith("/public/", StringComparison.Ordinal)).ToList();
        Assert.True(recovered, "not recovered: " + SessionLoad.Timeline(samples));
        Assert.All(samples, s => Assert.Contains(s.Status, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
        Assert.All(publicSamples, s => Assert.Equal(HttpStatusCode.OK, s.Status));
        var refused = protectedSamples.Where(s => s.Status == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, s => Assert.Equal("5", s.RetryAfter));
        // Bounded by the store timeout (2 s in tests) plus a little, never a hang.
        Assert.All(refused, s => Assert.True(s.Elapsed < TimeSpan.FromSeconds(4), $"503 after {s.Elapsed}"));
        Assert.DoesNotContain(protectedSamples, s => s.SentAt > downSince && s.SentAt + s.Elapsed < restartedAt && s.Status == HttpStatusCode.OK);
        Assert.DoesNotContain(samples, s => s.SetCookie is not null);

        var received = Backend.Received;
        var protectedReceived = received.Where(r => r.PathAndQuery.StartsWith("/app/", StringComparison.Ordinal)).ToList();
        Assert.Equal(protectedSamples.Count(s => s.Status == HttpStatusCode.OK), protectedReceived.Count);
        Assert.All(protectedReceived, r => Assert.Single(r.Values("X-Auth-User")));
        foreach (var sid in sids)
        {
            Assert.Equal(HttpStatusCode.OK, (await GetAsync("/auth/session", WithCookie(sid))).StatusCode);
        }
    }
}
