using System.Diagnostics;
using System.Net;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// Fail closed: with Redis gone, requests that need a session get 503 with Retry-After quickly, never a 500 and
/// never a proxied request without identity; public routes keep working; the gateway recovers on its own, and
/// sessions Redis persisted (AOF) are valid again. Owns its redis-server, since it stops it.
/// </summary>
public sealed class RedisOutageTests() : OwnedRedisTestBase(new RedisServer())
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:Store:Timeout"] = "00:00:00.500",
    };

    [Fact]
    public async Task Proxy_RedisStoppedThenRestarted_503FastThenRecovers()
    {
        var sid = await LoginAsync("alice");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(sid))).StatusCode);
        var proxiedBefore = Backend.Received.Count;

        await Redis!.StopAsync();

        // Bounded by the store timeout (500 ms here), not by StackExchange.Redis's 5 s defaults or a backlog: the
        // median says so; the per-attempt bound leaves room for a loaded CI machine.
        var took = new List<TimeSpan>();
        foreach (var attempt in Enumerable.Range(0, 5))
        {
            var watch = Stopwatch.StartNew();
            var response = await GetAsync("/x", WithCookie(sid));
            watch.Stop();
            took.Add(watch.Elapsed);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("5", response.Headers.GetValues("Retry-After").Single());
            Assert.Contains("store_unavailable", await response.Content.ReadAsStringAsync());
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"attempt {attempt} took {watch.Elapsed}");
            Assert.Null(SessionCookie(response));
        }
        Assert.True(took.Order().ElementAt(2) <= TimeSpan.FromSeconds(1), $"median 503 took {took.Order().ElementAt(2)}");
        var basic = await GetAsync("/x", r => r.Headers.Authorization = Basic("bob"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, basic.StatusCode);
        var login = await PostFormAsync("/auth/login", ("username", "bob"), ("password", "bob-password"), ("returnUrl", "/"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, login.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/healthz")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/public/page")).StatusCode);
        Assert.Equal(proxiedBefore + 1, Backend.Received.Count);
        Assert.Empty(Backend.Last.Variants("X-Auth-User"));

        await Redis.StartAsync();
        await Eventually.HoldsAsync(async () => (await GetAsync("/x", WithCookie(sid))).StatusCode == HttpStatusCode.OK,
            "the session working again after the restart", TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(200));
        Assert.Equal(["alice"], Backend.Last.Values("X-Auth-User"));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/readyz")).StatusCode);
    }
}
