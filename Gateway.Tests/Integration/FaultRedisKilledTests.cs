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
        var sids = new List<string>();
        for (var i = 0; i < Clients; i++)
        {
            sids.Add(await LoginAsync(i % 2 == 0 ? "alice" : "bob"));
        }
        var driver = new LoadDriver(Client);
        using var stop = new CancellationTokenSource();
        // Odd requests go to a public route, even ones to a protected one with the client's cookie.
        var load = driver.RunAsync(Clients, (client, n) =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, n % 2 == 0 ? $"/app/c{client}/{n}" : $"/public/c{client}/{n}");
            request.Headers.Add("Cookie", $"sid={sids[client]}");
            return request;
        }, stop.Token, hardLimit: TimeSpan.FromSeconds(40));

        await Task.Delay(TimeSpan.FromSeconds(1));
        var killedAt = driver.Now;
        await Redis!.KillAsync();
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var restartedAt = driver.Now;
        await Redis.StartAsync();
        var recoveredAt = await WaitForAllAsync(driver, sids.Count, restartedAt, TimeSpan.FromSeconds(20));
        await Task.Delay(TimeSpan.FromSeconds(1));
        await stop.CancelAsync();
        await load;

        var samples = driver.Samples;
        var protectedSamples = samples.Where(s => s.Path.StartsWith("/app/", StringComparison.Ordinal)).ToList();
        var publicSamples = samples.Where(s => s.Path.StartsWith("/public/", StringComparison.Ordinal)).ToList();
        Assert.True(recoveredAt is not null, "not recovered: " + string.Join(" ", samples.GroupBy(s => ((int)s.SentAt.TotalSeconds, s.Path[..4], (int)s.Status)).Select(g => $"{g.Key}x{g.Count()}")));
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

    // Bounded: the time every client has had a 200 on its protected route since the restart, or null.
    private static async Task<TimeSpan?> WaitForAllAsync(LoadDriver driver, int clients, TimeSpan since, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            var ok = driver.Samples.Where(s => s.SentAt >= since && s.Status == HttpStatusCode.OK && s.Path.StartsWith("/app/", StringComparison.Ordinal))
                .Select(s => s.Client).Distinct().Count();
            if (ok == clients)
            {
                return driver.Now;
            }
            await Task.Delay(100);
        }
        return null;
    }
}
