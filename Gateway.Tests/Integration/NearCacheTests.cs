using System.Net;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// Two gateways sharing one store with the near cache on (<c>Gateway:Store:NearCache</c>, here at its 10 s
/// maximum so that only the store's invalidation message (Redis pub/sub, PostgreSQL NOTIFY), not the cache bound,
/// can make a revoke visible within the tests' 3 s fail-safe). Changes the gateways must not hear of are made in the
/// store directly (<see cref="IStoreFixture.DeleteSessionsUnannouncedAsync"/>).
/// </summary>
public abstract class NearCacheTests(IStoreFixture store) : TwoGatewaysTestBase(store, "00:00:10")
{
    [Fact]
    public async Task Logout_OnOneGateway_OtherGatewayDropsItsCachedCopy()
    {
        var sid = await LoginAsync("alice");
        Assert.Equal(HttpStatusCode.OK, await OtherStatusAsync(sid));
        Assert.Equal(HttpStatusCode.OK, await OtherStatusAsync(sid));

        var logout = await SendAsync(HttpMethod.Post, "/auth/logout", WithCookie(sid));
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);

        Assert.True(await OtherRefusesWithinAsync(sid, TimeSpan.FromSeconds(3)), "the other gateway still accepted the revoked session after 3 s");
    }

    [Fact]
    public async Task Get_SessionDeletedBehindTheGatewaysBack_ServedFromCacheWithinBound()
    {
        var sid = await LoginAsync("alice");
        Assert.Equal(HttpStatusCode.OK, await OtherStatusAsync(sid));

        // Deleted directly in the store: no invalidation is published, so the copy lives until the bound.
        await Store!.DeleteSessionsUnannouncedAsync(Prefix);

        Assert.Equal(0, await Store.CountSessionsAsync(Prefix));
        Assert.Equal(HttpStatusCode.OK, await OtherStatusAsync(sid));
    }

    [Fact]
    public async Task Get_UnknownSession_NotCachedAsAbsent()
    {
        var sid = await LoginAsync("alice");
        var other = await LoginAsync("bob");
        Assert.Equal(HttpStatusCode.OK, await OtherStatusAsync(sid));
        Assert.Equal(HttpStatusCode.OK, await OtherStatusAsync(other));
        Assert.Equal(HttpStatusCode.Unauthorized, await OtherStatusAsync(new string('A', 43)));
    }

    [Fact]
    public async Task Basic_RepeatedCredentials_LinkKeptWhileItsSessionIsCached()
    {
        using var first = await GetAsync("/app", r => r.Headers.Authorization = Basic("alice"));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.NotNull(SessionCookie(first));

        // With the link gone from the store, only this gateway's kept copy can find the session again.
        Assert.Equal(1, await Store!.DeleteCredentialLinksUnannouncedAsync(Prefix));
        using var again = await GetAsync("/app", r => r.Headers.Authorization = Basic("alice"));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Null(SessionCookie(again));
        Assert.Equal(1, await Store!.CountSessionsAsync(Prefix));
    }

    [Fact]
    public async Task Basic_SessionRevokedAndRelinkedElsewhere_KeptLinkNotUsed()
    {
        using var first = await GetAsync("/app", r => r.Headers.Authorization = Basic("alice"));
        var sid = SessionCookie(first)!;
        Assert.Equal(HttpStatusCode.OK, (await OtherBasicAsync()).StatusCode);

        // Revoked on the other gateway, which then links the same credentials to a new session.
        using var logout = await SendOtherAsync(HttpMethod.Post, "/auth/logout", r => r.Headers.Add("Cookie", $"sid={sid}"));
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        using var relinked = await OtherBasicAsync();
        Assert.NotNull(SessionCookie(relinked));
        Assert.True(await RefusesWithinAsync(sid, TimeSpan.FromSeconds(3)), "this gateway still accepted the revoked session after 3 s");

        // This gateway follows the new link rather than its kept one: no third session.
        using var after = await GetAsync("/app", r => r.Headers.Authorization = Basic("alice"));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Null(SessionCookie(after));
        Assert.Equal(1, await Store!.CountSessionsAsync(Prefix));
    }

    [Fact]
    public async Task Get_TwoCachedSessionsInterleaved_EachBackendRequestCarriesItsOwnIdentity()
    {
        var alice = await LoginAsync("alice");
        var bob = await LoginAsync("bob");
        var handles = new Dictionary<string, string>();

        // Cached principals are reused per session: interleaved requests must never borrow the other's.
        for (var i = 0; i < 3; i++)
        {
            foreach (var (sid, user, roles) in new[] { (alice, "alice", "user"), (bob, "bob", "user,admin") })
            {
                using var response = await GetAsync("/app", WithCookie(sid));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal([user], Backend.Last.Values("X-Auth-User"));
                Assert.Equal([roles], Backend.Last.Values("X-Auth-Roles"));
                var handle = Assert.Single(Backend.Last.Values("X-Auth-Session"));
                Assert.Equal(handles.TryAdd(user, handle) ? handle : handles[user], handle);
            }
        }
        Assert.NotEqual(handles["alice"], handles["bob"]);
    }

    [Fact]
    public async Task Get_CachedSessionLoggedOut_IdNoLongerAuthenticatesAndNextLoginGetsItsOwnHandle()
    {
        var sid = await LoginAsync("alice");
        using (var used = await GetAsync("/app", WithCookie(sid)))
        {
            Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        }
        var oldHandle = Assert.Single(Backend.Last.Values("X-Auth-Session"));

        using (var logout = await SendAsync(HttpMethod.Post, "/auth/logout", WithCookie(sid)))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }
        var received = Backend.Received.Count;
        using (var after = await GetAsync("/app", WithCookie(sid)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        }
        Assert.Equal(received, Backend.Received.Count);

        var next = await LoginAsync("alice");
        using var again = await GetAsync("/app", WithCookie(next));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.NotEqual(oldHandle, Assert.Single(Backend.Last.Values("X-Auth-Session")));
    }

    private Task<HttpResponseMessage> OtherBasicAsync() =>
        SendOtherAsync(HttpMethod.Get, "/app", r => r.Headers.Authorization = Basic("alice"));

    private async Task<HttpResponseMessage> SendOtherAsync(HttpMethod method, string path, Action<HttpRequestMessage> configure)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Accept", "application/json");
        configure(request);
        return await OtherClient.SendAsync(request);
    }

    private Task<bool> RefusesWithinAsync(string sid, TimeSpan bound) =>
        Eventually.WithinAsync(async () =>
        {
            using var response = await GetAsync("/app", WithCookie(sid));
            return response.StatusCode == HttpStatusCode.Unauthorized;
        }, bound, TimeSpan.FromMilliseconds(10));

    protected async Task<HttpStatusCode> OtherStatusAsync(string sid)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/app");
        request.Headers.Add("Cookie", $"sid={sid}");
        request.Headers.Add("Accept", "application/json");
        using var response = await OtherClient.SendAsync(request);
        return response.StatusCode;
    }

    private Task<bool> OtherRefusesWithinAsync(string sid, TimeSpan bound) =>
        Eventually.WithinAsync(async () => await OtherStatusAsync(sid) == HttpStatusCode.Unauthorized, bound, TimeSpan.FromMilliseconds(10));
}

[Collection(RedisCollection.Name)]
public sealed class RedisNearCacheTests(RedisServer redis) : NearCacheTests(redis);
