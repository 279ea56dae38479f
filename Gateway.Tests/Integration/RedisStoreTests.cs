using System.Net;
using Gateway.Tests.Fixtures;
using StackExchange.Redis;

namespace Gateway.Tests.Integration;

/// <summary>What Redis holds: hashed ids only, a per-user index, TTLs; and what never reaches it.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisStoreTests(RedisServer redis) : GatewayTestBase(redis)
{
    [Fact]
    public async Task Store_Session_KeyedByHashAndNoValueHoldsTheId()
    {
        var sid = await LoginAsync("alice");

        var keys = Redis!.Keys(Host.KeyPrefix);
        Assert.DoesNotContain(keys, k => k.Contains(sid, StringComparison.Ordinal));
        var sessionKey = Assert.Single(SessionKeys());
        var fields = await Redis.Database.HashGetAllAsync(sessionKey);
        Assert.DoesNotContain(fields, f => f.Value.ToString().Contains(sid, StringComparison.Ordinal));
        Assert.Equal("alice", fields.Single(f => f.Name == "u").Value.ToString());
        var ttl = await Redis.Database.KeyTimeToLiveAsync(sessionKey);
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(30));
    }

    [Fact]
    public async Task Store_Session_IndexedUnderItsUser()
    {
        await LoginAsync("alice");
        await LoginAsync("alice");

        var index = Host.KeyPrefix + "u:{alice}";
        Assert.Equal(2, await Redis!.Database.SortedSetLengthAsync(index));
        var members = (await Redis.Database.SortedSetRangeByRankAsync(index)).Select(m => Host.KeyPrefix + "s:" + m).ToHashSet();
        Assert.Equal(members, SessionKeys().ToHashSet());
    }

    [Theory]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Proxy_MalformedCookie_401AndNeverReachesRedis(string value)
    {
        var before = await HashReadsAsync();

        var response = await GetAsync("/x", WithCookie(value));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before, await HashReadsAsync());
    }

    [Fact]
    public async Task Proxy_TouchThrottled_OneWriteAfterTheInterval()
    {
        var sid = await LoginAsync("alice");
        var key = Assert.Single(SessionKeys());
        var created = (long)await Redis!.Database.HashGetAsync(key, "l");

        Host.Clock.Advance(TimeSpan.FromSeconds(30));
        await GetAsync("/x", WithCookie(sid));
        Assert.Equal(created, (long)await Redis.Database.HashGetAsync(key, "l"));

        Host.Clock.Advance(TimeSpan.FromSeconds(31));
        await GetAsync("/x", WithCookie(sid));
        Assert.Equal(Host.Clock.GetUtcNow().ToUnixTimeMilliseconds(), (long)await Redis.Database.HashGetAsync(key, "l"));
    }

    private async Task<long> HashReadsAsync()
    {
        var info = await Redis!.Server.InfoAsync("commandstats");
        var line = info.SelectMany(g => g).FirstOrDefault(p => p.Key == "cmdstat_hgetall").Value;
        return line is null ? 0 : long.Parse(line.Split(',')[0]["calls=".Length..]);
    }
}
