using Microsoft.Extensions.DependencyInjection;
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
        var value = (byte[])(await Redis.Database.StringGetAsync(sessionKey))!;
        Assert.DoesNotContain(sid, System.Text.Encoding.Latin1.GetString(value), StringComparison.Ordinal);
        Assert.Equal("alice", StoredSession(sessionKey)!.User);
        Assert.InRange(value.Length, 60, 300); // the compact record, not a hash
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
        var before = await SessionReadsAsync();

        var response = await GetAsync("/x", WithCookie(value));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before, await SessionReadsAsync());
    }

    [Fact]
    public async Task Proxy_TouchThrottled_OneWriteAfterTheInterval()
    {
        var sid = await LoginAsync("alice");
        var key = Assert.Single(SessionKeys());
        var created = StoredSession(key)!.LastSeen;

        Host.Clock.Advance(TimeSpan.FromSeconds(30));
        await GetAsync("/x", WithCookie(sid));
        Assert.Equal(created, StoredSession(key)!.LastSeen);

        Host.Clock.Advance(TimeSpan.FromSeconds(31));
        await GetAsync("/x", WithCookie(sid));
        Assert.Equal(Host.Clock.GetUtcNow().ToUnixTimeMilliseconds(), StoredSession(key)!.LastSeen.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task Proxy_SessionInAnOlderLayout_401NotStoreErrorAndListStillWorks()
    {
        var old = Gateway.Sessions.SessionId.New();
        var oldKey = Host.KeyPrefix + "s:" + old.Key.Value;
        await Redis!.Database.HashSetAsync(oldKey, [new("u", "alice"), new("c", "1"), new("l", "1"), new("a", "1")]);
        await Redis.Database.SortedSetAddAsync(Host.KeyPrefix + "u:{alice}", old.Key.Value, 1e18);

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", WithCookie(old.Value))).StatusCode);

        var sid = await LoginAsync("alice");
        var list = await GetAsync("/auth/sessions", r => { WithCookie(sid)(r); r.Headers.Add("Accept", "application/json"); });
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.False(await Redis.Database.KeyExistsAsync(oldKey)); // pruned as gone
    }

    [Fact]
    public async Task Count_CreatedTouchedEnded_CountsSessionsWhoseIdleExpiryIsAhead()
    {
        var store = Host.Services.GetRequiredService<Gateway.Sessions.RedisSessionStore>();
        var first = await LoginAsync("alice");
        var second = await LoginAsync("alice");
        await LoginAsync("bob");
        Assert.Equal(3, await store.CountActiveAsync(Host.Clock.GetUtcNow(), CancellationToken.None));

        Host.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(first))).StatusCode); // touched: expires 10 min later
        Assert.Equal(HttpStatusCode.SeeOther, (await PostFormAsync("/auth/logout", second)).StatusCode);
        Assert.Equal(2, await store.CountActiveAsync(Host.Clock.GetUtcNow(), CancellationToken.None));

        Host.Clock.Advance(TimeSpan.FromMinutes(25)); // bob's idle expiry is past, the touched session's is not
        Assert.Equal(1, await store.CountActiveAsync(Host.Clock.GetUtcNow(), CancellationToken.None));
        Host.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(0, await store.CountActiveAsync(Host.Clock.GetUtcNow(), CancellationToken.None));
    }

    private async Task<long> SessionReadsAsync()
    {
        var info = await Redis!.Server.InfoAsync("commandstats");
        var line = info.SelectMany(g => g).FirstOrDefault(p => p.Key == "cmdstat_get").Value;
        return line is null ? 0 : long.Parse(line.Split(',')[0]["calls=".Length..]);
    }
}
