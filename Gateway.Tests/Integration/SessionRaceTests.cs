using System.Net;
using System.Text.Json;
using Gateway.Sessions;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// Parallel requests all finding the id rotation due: one of them rotates, the others go on with the old id (good
/// for the grace) and leave no second successor behind to be listed and counted against the cap.
/// </summary>
public abstract class SessionRotationRaceTests(IStoreFixture? store) : GatewayTestBase(store)
{
    private const int Parallel = 8;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:Session:RenewalInterval"] = "00:10:00",
    };

    [Fact]
    public async Task Proxy_ParallelRequestsWithRotationDue_OneSuccessorAndEveryRequestServed()
    {
        var old = await LoginAsync("alice");
        Host.Clock.Advance(TimeSpan.FromMinutes(11));

        var responses = await Task.WhenAll(Enumerable.Range(0, Parallel).Select(i => GetAsync($"/tab/{i}", WithCookie(old))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var fresh = Assert.Single(responses.Select(SessionCookie).OfType<string>());
        using var listed = JsonDocument.Parse(await (await GetAsync("/auth/sessions", WithCookie(fresh))).Content.ReadAsStringAsync());
        Assert.Equal(1, listed.RootElement.GetArrayLength());
        if (RedisDeployment is not null)
        {
            // The successor and the rotated-out id (until its grace ends); no other record.
            Assert.Equal(2, SessionKeys().Count);
            Assert.Equal(2, await RedisDeployment.Database.SortedSetLengthAsync(Host.KeyPrefix + "u:{alice}"));
        }
    }
}

[Collection(RedisCollection.Name)]
public sealed class RedisSessionRotationRaceTests(RedisServer redis) : SessionRotationRaceTests(redis);

[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterSessionRotationRaceTests(RedisCluster cluster) : SessionRotationRaceTests(cluster);

public sealed class InMemorySessionRotationRaceTests() : SessionRotationRaceTests(null);

/// <summary>
/// Simultaneous logins beyond the cap (EvictOldest) with Redis slowed behind a latency proxy, so that each login's
/// steps overlap the others': every login answers with a session that existed and is audited once as created; any
/// that is gone was evicted once, by another login; and the cap holds.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class SessionCapRaceTests : GatewayTestBase
{
    private const int Logins = 6;
    private readonly LatencyProxy _proxy;

    public SessionCapRaceTests(RedisServer redis) : this(new LatencyProxy(redis))
    {
    }

    private SessionCapRaceTests(LatencyProxy proxy) : base(proxy)
    {
        _proxy = proxy;
        _proxy.Start();
    }

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:Session:MaxPerUser"] = "2",
    };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _proxy.DisposeAsync();
    }

    [Fact]
    public async Task Login_SimultaneousBeyondCapOnSlowRedis_EachAnswerASessionThatExistedAndCapHolds()
    {
        _proxy.Delay = TimeSpan.FromMilliseconds(20);
        var responses = await Task.WhenAll(Enumerable.Range(0, Logins).Select(_ =>
            PostFormAsync("/auth/login", ("username", "alice"), ("password", "alice-password"), ("returnUrl", "/"))));
        _proxy.Delay = TimeSpan.Zero;

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.SeeOther, r.StatusCode));
        var handles = responses.Select(r => SessionId.TryParse(SessionCookie(r), out var id) ? id.Key.Handle : "").ToList();
        var events = await EventsAsync();
        var live = 0;
        foreach (var (handle, response) in handles.Zip(responses))
        {
            Assert.Single(events, e => e.Kind == "created" && e.Handle == handle);
            var revoked = events.Count(e => e.Kind == "revoked" && e.Handle == handle);
            Assert.True(revoked <= 1, $"session {handle} revoked {revoked} times");
            var ok = (await GetAsync("/x", WithCookie(SessionCookie(response)!))).StatusCode == HttpStatusCode.OK;
            Assert.True(ok == (revoked == 0), $"session {handle}: revoked {revoked} times, live {ok}; events: {string.Join(", ", events)}");
            live += ok ? 1 : 0;
        }
        Assert.Equal(2, live);
        Assert.Equal(2, SessionKeys().Count(k => StoredSession(k)?.User == "alice"));
        Assert.Equal(2, await RedisDeployment!.Database.SortedSetLengthAsync(Host.KeyPrefix + "u:{alice}"));
    }

    private async Task<List<(string? Kind, string? Handle)>> EventsAsync()
    {
        var admin = await LoginAsync("bob");
        using var audit = JsonDocument.Parse(await (await GetAsync("/auth/admin/audit?user=alice", WithCookie(admin))).Content.ReadAsStringAsync());
        return audit.RootElement.EnumerateArray()
            .Select(e => (e.GetProperty("kind").GetString(), e.TryGetProperty("session", out var h) ? h.GetString() : null)).ToList();
    }
}
