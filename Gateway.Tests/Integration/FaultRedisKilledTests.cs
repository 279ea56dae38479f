using System.Net;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// Redis killed (SIGKILL) under a bounded concurrent load, then restarted: requests that need a session get 503
/// with Retry-After quickly, nothing reaches a protected backend route without identity, nothing answers 500 or
/// ends a session; public routes keep working; after the restart the same cookies (persisted by AOF) work again
/// without a gateway restart. Extends <see cref="RedisOutageTests"/> (one client) to many. Owns its redis-server.
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class FaultRedisKilledTests() : OwnedRedisTestBase(new RedisServer())
{
    private const int Clients = 8;


    [Fact]
    public async Task Proxy_RedisKilledUnderLoadThenRestarted_503FastNoLeakThenRecovers()
    {
        var sids = await LoginByTurnsAsync(Clients);
        var driver = new LoadDriver(Client);
        using var stop = new CancellationTokenSource();
        var load = driver.RunAsync(sids, stop.Token, hardLimit: TimeSpan.FromSeconds(40));

        await Task.Delay(TimeSpan.FromSeconds(1));
        var killedAt = driver.Now;
        await Redis!.KillAsync();
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var restartedAt = driver.Now;
        await Redis.StartAsync();
        var recovered = await driver.AllServedSinceAsync(Clients, restartedAt, TimeSpan.FromSeconds(20));
        await Task.Delay(TimeSpan.FromSeconds(1));
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
        Assert.All(refused, s =>
        {
            Assert.Equal("5", s.RetryAfter);
            Assert.True(s.Elapsed < TimeSpan.FromSeconds(1.5), $"503 after {s.Elapsed}");
        });
        // The outage was seen: protected requests sent well inside it were refused, none served.
        Assert.DoesNotContain(protectedSamples, s => s.SentAt > killedAt + TimeSpan.FromSeconds(0.5) && s.SentAt + s.Elapsed < restartedAt && s.Status == HttpStatusCode.OK);
        // No session was ended or replaced by the outage.
        Assert.DoesNotContain(samples, s => s.SetCookie is not null);

        var received = Backend.Received;
        var protectedReceived = received.Where(r => r.PathAndQuery.StartsWith("/app/", StringComparison.Ordinal)).ToList();
        Assert.Equal(protectedSamples.Count(s => s.Status == HttpStatusCode.OK), protectedReceived.Count);
        Assert.All(protectedReceived, r => Assert.Single(r.Values("X-Auth-User")));
        Assert.All(received, r => Assert.Empty(r.Values("Cookie")));
        Assert.Equal(publicSamples.Count, received.Count(r => r.PathAndQuery.StartsWith("/public/", StringComparison.Ordinal)));

        foreach (var sid in sids)
        {
            Assert.Equal(HttpStatusCode.OK, (await GetAsync("/auth/session", WithCookie(sid))).StatusCode);
        }
    }
}
