using System.Net;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// Every revocation waits for a replica of the primary (WAIT 1), not only a delete: with the replica frozen, a login
/// whose cap evicts a session and a theft alarm deleting remember-me tokens answer 503 rather than acknowledge what
/// a failover could undo, while a rotation (not a revocation) goes through. <c>ROLE</c> is asked at most about
/// once a second, not once per revocation.
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class RedisReplicationTests(RedisReplicated redis) : GatewayTestBase(redis), IClassFixture<RedisReplicated>
{
    private readonly RedisReplicated _redis = redis;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:Session:RenewalInterval"] = "00:10:00",
    };

    [Fact]
    public async Task Login_CapEvictsWhileReplicaFrozen_503()
    {
        Host.SetConfiguration("Gateway:Session:MaxPerUser", "1");
        await LoginAsync("alice");

        var response = await WhileFrozenAsync(() => PostFormAsync("/auth/login", ("username", "alice"), ("password", "alice-password"), ("returnUrl", "/")));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, (await PostFormAsync("/auth/login", ("username", "alice"), ("password", "alice-password"), ("returnUrl", "/"))).StatusCode);
    }

    [Fact]
    public async Task Proxy_RotationWhileReplicaFrozen_RotatesWithoutWaiting()
    {
        var sid = await LoginAsync("alice");
        Host.Clock.Advance(TimeSpan.FromMinutes(11));

        // A rotation is not a revocation: a lagging replica must not turn it into a 503 (the old id, already cut to
        // the grace, would then sign the user out).
        var response = await WhileFrozenAsync(() => GetAsync("/x", WithCookie(sid)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var fresh = SessionCookie(response);
        Assert.False(string.IsNullOrEmpty(fresh));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(fresh!))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(sid))).StatusCode); // within the grace
    }

    [Fact]
    public async Task Proxy_ParallelRotationsWhileReplicaFrozen_AllServedAndNoSuccessorLeft()
    {
        const int Parallel = 8;
        var sid = await LoginAsync("alice");
        Host.Clock.Advance(TimeSpan.FromMinutes(11));
        var deletesBefore = await _redis.CallsAsync("zrem");

        // Every request finds the rotation due; the ones whose successor loses the claim delete it. That successor was
        // never handed to anyone: its deletion is not a revocation and must not wait for the replica (or 503).
        var responses = await WhileFrozenAsync(() => Task.WhenAll(Enumerable.Range(0, Parallel).Select(_ => GetAsync("/x", WithCookie(sid)))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.True(await _redis.CallsAsync("zrem") > deletesBefore, "no request lost the rotation race: nothing was tested");
        var fresh = Assert.Single(responses.Select(SessionCookie).OfType<string>().Where(c => c.Length > 0));
        Assert.Equal(2, SessionKeys().Count()); // the old id (in its grace) and its one successor
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(fresh))).StatusCode);
    }

    [Fact]
    public async Task RememberMe_TheftWhileReplicaFrozen_503()
    {
        var login = await PostFormAsync("/auth/login", ("username", "alice"), ("password", "alice-password"), ("returnUrl", "/"), ("remember", "on"));
        var token = SetCookie(login, "sid-remember")!.Split(';')[0];
        // No session left to revoke (as after its expiry): only the token deletions can wait for the replica.
        Assert.All(SessionKeys(), k => _redis.Database.KeyDelete(k));
        _redis.Database.KeyDelete(Host.KeyPrefix + "u:{alice}");
        var forged = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');

        var response = await WhileFrozenAsync(() => GetAsync("/x", r => r.Headers.Add("Cookie", forged)));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", r => r.Headers.Add("Cookie", token))).StatusCode);
    }

    [Fact]
    public async Task Sessions_ManyRevocations_RoleAskedFarLessThanOncePerRevocation()
    {
        const int Revocations = 10;
        var keep = await LoginAsync("alice");
        var others = new List<string>();
        for (var i = 0; i < Revocations; i++)
        {
            others.Add(await LoginAsync("alice"));
        }
        var handles = new List<string>();
        foreach (var other in others)
        {
            handles.Add(System.Text.Json.JsonDocument.Parse(await (await GetAsync("/auth/session", WithCookie(other))).Content.ReadAsStringAsync())
                .RootElement.GetProperty("handle").GetString()!);
        }
        var before = await _redis.CallsAsync("role");

        foreach (var handle in handles)
        {
            Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Delete, $"/auth/sessions/{handle}", WithCookie(keep))).StatusCode);
        }

        Assert.InRange(await _redis.CallsAsync("role") - before, 1, Revocations / 2);
    }

    private async Task<T> WhileFrozenAsync<T>(Func<Task<T>> request)
    {
        _redis.FreezeReplica(true);
        try
        {
            return await request();
        }
        finally
        {
            _redis.FreezeReplica(false);
        }
    }
}
