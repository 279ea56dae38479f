using System.Net;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Telemetry;

/// <summary><c>gateway.session.near_cache.lookups</c>: a request answered from the near cache is a hit, one that asks Redis a miss.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class NearCacheMetricsTests(RedisServer redis) : TelemetryTestBase(redis)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:Store:NearCache"] = "00:00:10",
    };

    [Fact]
    public async Task NearCache_RepeatedRequestsThenLogout_HitsThenMiss()
    {
        var sid = await LoginAsync("alice");
        // Nothing is cached until the invalidation channel is subscribed: wait for the first hit (bounded).
        await Eventually.HoldsAsync(async () =>
        {
            if (Lookups("hit") > 0)
            {
                return true;
            }
            Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(sid))).StatusCode);
            return false;
        }, "a near-cache hit", TimeSpan.FromSeconds(10), TimeSpan.Zero);
        var (hits, misses) = (Lookups("hit"), Lookups("miss"));

        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(sid))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(sid))).StatusCode);
        Assert.Equal((hits + 2, misses), (Lookups("hit"), Lookups("miss")));

        Assert.Equal(HttpStatusCode.SeeOther, (await PostFormAsync("/auth/logout", sid)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", WithCookie(sid))).StatusCode);
        Assert.True(Lookups("miss") > misses, "the request after logout was answered from the cache");
    }

    private long Lookups(string result) => Sum(CollectMetrics(), "gateway.session.near_cache.lookups", ("gateway.cache.result", result));
}
