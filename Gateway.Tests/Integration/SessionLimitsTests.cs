using System.Net;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>The per-user cap under concurrent logins, with both OnLimit behaviours, against real Redis and a Redis Cluster.</summary>
public abstract class SessionCapEvictTests(IStoreFixture store) : GatewayTestBase(store)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:Session:MaxPerUser"] = "3",
    };

    [Fact]
    public async Task Login_ConcurrentBeyondCap_OldestEvictedAndCapHolds()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ =>
            PostFormAsync("/auth/login", ("username", "alice"), ("password", "alice-password"), ("returnUrl", "/"))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.SeeOther, r.StatusCode));
        var live = 0;
        foreach (var response in responses)
        {
            live += (await GetAsync("/x", WithCookie(SessionCookie(response)!))).StatusCode == HttpStatusCode.OK ? 1 : 0;
        }
        Assert.Equal(3, live);
        if (RedisDeployment is not null)
        {
            Assert.Equal(3, SessionKeys().Count);
            Assert.Equal(3, await RedisDeployment.Database.SortedSetLengthAsync(Host.KeyPrefix + "u:{alice}"));
        }
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(await LoginAsync("bob")))).StatusCode);
    }
}

/// <summary>OnLimit=Reject: logins past the cap are refused, atomically even when simultaneous.</summary>
public abstract class SessionCapRejectTests(IStoreFixture store) : GatewayTestBase(store)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:Session:MaxPerUser"] = "2",
        ["Gateway:Session:OnLimit"] = "Reject",
    };

    [Fact]
    public async Task Login_ConcurrentBeyondCap_ExactlyCapSucceedRestGet403()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            PostFormAsync("/auth/login", ("username", "alice"), ("password", "alice-password"), ("returnUrl", "/"))));

        Assert.Equal(2, responses.Count(r => r.StatusCode == HttpStatusCode.SeeOther));
        Assert.Equal(8, responses.Count(r => r.StatusCode == HttpStatusCode.Forbidden));
        Assert.Contains("session_limit", await responses.First(r => r.StatusCode == HttpStatusCode.Forbidden).Content.ReadAsStringAsync());
        if (RedisDeployment is not null)
        {
            Assert.Equal(2, SessionKeys().Count);
        }
    }

    [Fact]
    public async Task Login_AfterSigningOutOne_AllowedAgain()
    {
        var first = await LoginAsync("alice");
        await LoginAsync("alice");
        Assert.Equal(HttpStatusCode.Forbidden, (await PostFormAsync("/auth/login", ("username", "alice"), ("password", "alice-password"))).StatusCode);

        await SendAsync(HttpMethod.Post, "/auth/logout", WithCookie(first));

        Assert.Equal(HttpStatusCode.SeeOther, (await PostFormAsync("/auth/login", ("username", "alice"), ("password", "alice-password"))).StatusCode);
    }
}

/// <summary>Id rotation: by renewal interval and on role change, with a grace window for requests in flight.</summary>
public abstract class SessionRotationTests(IStoreFixture? store) : GatewayTestBase(store)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:Session:RenewalInterval"] = "00:10:00",
        ["Gateway:Session:RotationGrace"] = "00:00:01",
    };

    [Fact]
    public async Task Proxy_RenewalIntervalPassed_NewIdIssuedOldWorksInGraceThenNot()
    {
        var old = await LoginAsync("alice");
        Host.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Null(SessionCookie(await GetAsync("/x", WithCookie(old))));

        Host.Clock.Advance(TimeSpan.FromMinutes(6));
        var rotated = await GetAsync("/x", WithCookie(old));

        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var fresh = SessionCookie(rotated)!;
        Assert.NotEqual(old, fresh);
        var inFlight = await GetAsync("/x", WithCookie(old));
        Assert.Equal(HttpStatusCode.OK, inFlight.StatusCode);
        Assert.Null(SessionCookie(inFlight));

        await Task.Delay(1500);
        Host.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", WithCookie(old))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(fresh))).StatusCode);
    }

    [Fact]
    public async Task Proxy_RolesChangedInConfig_IdRotatedAndNewRolesApplied()
    {
        var old = await LoginAsync("alice");
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/admin/x", WithCookie(old))).StatusCode);

        Host.SetConfiguration("Gateway:Users:Roles:alice:1", "admin");
        var response = await GetAsync("/admin/x", WithCookie(old));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["user,admin"], Backend.Last.Values("X-Auth-Roles"));
        var fresh = SessionCookie(response);
        Assert.False(string.IsNullOrEmpty(fresh));
        Assert.NotEqual(old, fresh);
        Assert.Null(SessionCookie(await GetAsync("/admin/x", WithCookie(fresh!))));
    }
}

[Collection(RedisCollection.Name)]
public sealed class RedisSessionRotationTests(RedisServer redis) : SessionRotationTests(redis);

[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterSessionRotationTests(RedisCluster cluster) : SessionRotationTests(cluster);

public sealed class InMemorySessionRotationTests() : SessionRotationTests(null);

/// <summary>BindUserAgent: a session presented with another user agent is revoked and audited.</summary>
public abstract class UserAgentBindingTests(IStoreFixture store) : GatewayTestBase(store)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Gateway:Session:BindUserAgent"] = "true" };

    [Fact]
    public async Task Proxy_OtherUserAgent_SessionRevokedAndAudited()
    {
        var login = await PostFormAsync("/auth/login", ("username", "alice"), ("password", "alice-password"));
        var sid = SessionCookie(login)!;
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(sid))).StatusCode);

        var stolen = await GetAsync("/x", r =>
        {
            r.Headers.Add("Cookie", $"sid={sid}");
            r.Headers.UserAgent.ParseAdd("evil/1.0");
        });

        Assert.Equal(HttpStatusCode.Unauthorized, stolen.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", WithCookie(sid))).StatusCode);
        if (RedisDeployment is not null)
        {
            var audit = await RedisDeployment.Database.StreamRangeAsync(Host.KeyPrefix + "audit-security");
            Assert.Contains(audit, e => e["k"] == "revoked" && e["d"] == "binding");
        }
    }
}

[Collection(RedisCollection.Name)]
public sealed class RedisSessionCapEvictTests(RedisServer redis) : SessionCapEvictTests(redis);

[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterSessionCapEvictTests(RedisCluster cluster) : SessionCapEvictTests(cluster);

[Collection(RedisCollection.Name)]
public sealed class RedisSessionCapRejectTests(RedisServer redis) : SessionCapRejectTests(redis);

[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterSessionCapRejectTests(RedisCluster cluster) : SessionCapRejectTests(cluster);

[Collection(RedisCollection.Name)]
public sealed class RedisUserAgentBindingTests(RedisServer redis) : UserAgentBindingTests(redis);

[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterUserAgentBindingTests(RedisCluster cluster) : UserAgentBindingTests(cluster);
