using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Configuration;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// Password guessing: failures counted per user and per client in Redis, a ban answered with 429 and
/// Retry-After before any hashing (correct password included), on the login endpoint and the Basic path,
/// unbanned by time or by an administrator, shared by every gateway instance.
/// </summary>
public abstract class AdversarialBruteForceTests(IStoreFixture store) : GatewayTestBase(store)
{
    /// <summary>The store serves one process (SQLite): a second instance on it is refused instead of sharing counters.</summary>
    protected virtual bool OneProcessStore => false;

    [Fact]
    public async Task Login_FiveFailures_429WithRetryAfterEvenForCorrectPassword()
    {
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await JsonLoginAsync("alice", "guess-" + i)).StatusCode);
        }

        var response = await JsonLoginAsync("alice", GatewayHost.DefaultPasswords["alice"]);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(5), response.Headers.RetryAfter?.Delta);
        Assert.Null(SessionCookie(response));
        if (RedisDeployment is not null)
        {
            Assert.Empty(SessionKeys());
            Assert.Single(RedisDeployment.Keys(Host.KeyPrefix + "f:"), k => k.EndsWith("}:ban", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Login_BanTimePassed_CorrectPasswordWorksAgain()
    {
        for (var i = 0; i < 5; i++)
        {
            await JsonLoginAsync("alice", "guess-" + i);
        }
        Host.Clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await JsonLoginAsync("alice", GatewayHost.DefaultPasswords["alice"])).StatusCode);

        Host.Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.OK, (await JsonLoginAsync("alice", GatewayHost.DefaultPasswords["alice"])).StatusCode);
    }

    [Fact]
    public async Task Login_FailuresSpreadOverMoreThanTheWindow_NeverBanned()
    {
        for (var i = 0; i < 12; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await JsonLoginAsync("alice", "guess-" + i)).StatusCode);
            Host.Clock.Advance(TimeSpan.FromMinutes(2));
        }
    }

    [Fact]
    public async Task Login_UnknownUserGuessed_BannedLikeAKnownOne()
    {
        for (var i = 0; i < 5; i++)
        {
            await JsonLoginAsync("nobody", "guess-" + i);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await JsonLoginAsync("nobody", "guess")).StatusCode);
    }

    [Fact]
    public async Task Proxy_BasicGuessing_429BeforeBackendEvenForCorrectPassword()
    {
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", r => r.Headers.Authorization = Basic("alice", "guess-" + i))).StatusCode);
        }

        var response = await GetAsync("/x", r => r.Headers.Authorization = Basic("alice"));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Empty(Backend.Received);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await JsonLoginAsync("alice", GatewayHost.DefaultPasswords["alice"])).StatusCode);
    }

    [Fact]
    public async Task ProxyBasic_BannedWhileCredentialLinkLive_429EvenForCorrectPassword()
    {
        // One verified Basic request links alice's credentials to a live session; the guesser then gets banned.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", r => r.Headers.Authorization = Basic("alice"))).StatusCode);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", r => r.Headers.Authorization = Basic("alice", "guess-" + i))).StatusCode);
        }

        var right = await GetAsync("/x", r => r.Headers.Authorization = Basic("alice"));
        var wrong = await GetAsync("/x", r => r.Headers.Authorization = Basic("alice", "guess-5"));

        // The link must not tell a right guess from a wrong one while the ban lasts.
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, wrong.StatusCode);
        Assert.NotNull(right.Headers.RetryAfter);
        Assert.Single(Backend.Received);
    }

    [Fact]
    public async Task Login_TwentyParallelWrongPasswords_OnlyMaxFailuresChecked()
    {
        var statuses = await InParallelAsync(20, i => JsonLoginAsync("alice", "parallel-" + i));

        // Each check holds its place in the count from before the hash: no sixth password is ever tried.
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(15, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await JsonLoginAsync("alice", GatewayHost.DefaultPasswords["alice"])).StatusCode);
    }

    [Fact]
    public async Task Login_TwentyParallelRightPasswords_AllSucceed()
    {
        // Checks past the limit wait for the ones in progress; successes give their places back.
        var statuses = await InParallelAsync(20, _ => JsonLoginAsync("alice", GatewayHost.DefaultPasswords["alice"]));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        if (RedisDeployment is not null)
        {
            Assert.DoesNotContain(RedisDeployment.Keys(Host.KeyPrefix + "f:"), k => k.EndsWith(":p", StringComparison.Ordinal)); // every place given back
        }
    }

    [Fact]
    public async Task ProxyBasic_TwentyParallelWrongPasswords_OnlyMaxFailuresChecked()
    {
        var statuses = await InParallelAsync(20, i => GetAsync("/x", r => r.Headers.Authorization = Basic("alice", "parallel-" + i)));

        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(15, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Empty(Backend.Received);
    }

    [Fact]
    public async Task Login_ManyUserNamesFromOneAddress_AddressBanned()
    {
        for (var i = 0; i < 20; i++)
        {
            await JsonLoginAsync("user" + i, "guess");
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await JsonLoginAsync("bob", GatewayHost.DefaultPasswords["bob"])).StatusCode);
    }

    [Fact]
    public async Task AdminBans_ListedForAdminsOnlyAndLiftedByDelete()
    {
        for (var i = 0; i < 5; i++)
        {
            await JsonLoginAsync("alice", "guess-" + i);
        }
        var admin = await LoginAsync("bob");

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/auth/admin/bans")).StatusCode);
        var listing = await GetAsync("/auth/admin/bans", WithCookie(admin));
        var bans = JsonDocument.Parse(await listing.Content.ReadAsStringAsync()).RootElement;
        var ban = Assert.Single(bans.EnumerateArray());
        Assert.Equal("login", ban.GetProperty("kind").GetString());
        Assert.Equal("alice", ban.GetProperty("user").GetString());
        Assert.Equal("127.0.0.1", ban.GetProperty("ip").GetString());
        var id = ban.GetProperty("id").GetString();

        var badCredentials = await SendAsync(HttpMethod.Delete, $"/auth/admin/bans/{id}", r => r.Headers.Authorization = Basic("bob", "wrong"));
        var lifted = await SendAsync(HttpMethod.Delete, $"/auth/admin/bans/{id}", WithCookie(admin));
        var again = await SendAsync(HttpMethod.Delete, $"/auth/admin/bans/{id}", WithCookie(admin));

        Assert.Equal(HttpStatusCode.Unauthorized, badCredentials.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, lifted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await JsonLoginAsync("alice", GatewayHost.DefaultPasswords["alice"])).StatusCode);
        Assert.Equal("[]", await (await GetAsync("/auth/admin/bans", WithCookie(admin))).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AdminBans_NonAdminSession_403()
    {
        var alice = await LoginAsync("alice");

        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/auth/admin/bans", WithCookie(alice))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Delete, "/auth/admin/bans/AAAAAAAAAAAAAAAAAAAAAA", WithCookie(alice))).StatusCode);
    }

    [Fact]
    public async Task Login_FailuresOnTwoInstances_CountedTogether()
    {
        if (OneProcessStore)
        {
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => GatewayHost.StartAsync(Backend.Url, Store, keyPrefix: Host.KeyPrefix));
            Assert.Contains("in use by another gateway process", refused.Message);
            return;
        }
        await using var second = await GatewayHost.StartAsync(Backend.Url, Store, keyPrefix: Host.KeyPrefix);
        using var secondClient = second.CreateClient();
        await Eventually.HoldsAsync(async () => (await secondClient.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, "the second gateway ready");
        for (var i = 0; i < 3; i++)
        {
            await JsonLoginAsync("alice", "guess-" + i);
        }
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await secondClient.PostAsJsonAsync("/auth/login", new { username = "alice", password = "other-" + i })).StatusCode);
        }

        var first = await JsonLoginAsync("alice", GatewayHost.DefaultPasswords["alice"]);
        var other = await secondClient.PostAsJsonAsync("/auth/login", new { username = "alice", password = GatewayHost.DefaultPasswords["alice"] });

        Assert.Equal(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, other.StatusCode);
    }

    private Task<HttpResponseMessage> JsonLoginAsync(string user, string password) =>
        Client.PostAsJsonAsync("/auth/login", new { username = user, password });

    /// <summary>Sends <paramref name="count"/> requests released at the same moment; their statuses.</summary>
    private static async Task<HttpStatusCode[]> InParallelAsync(int count, Func<int, Task<HttpResponseMessage>> send)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var requests = Enumerable.Range(0, count).Select(async i =>
        {
            await start.Task;
            using var response = await send(i);
            return response.StatusCode;
        }).ToList();
        start.SetResult();
        return await Task.WhenAll(requests);
    }
}

[Collection(RedisCollection.Name)]
public sealed class RedisBruteForceTests(RedisServer redis) : AdversarialBruteForceTests(redis);

/// <summary>The same suite with the near cache on: its "not banned" memo changes nothing seen from one instance.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisNearCacheBruteForceTests(RedisServer redis) : AdversarialBruteForceTests(redis)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Gateway:Store:NearCache"] = "00:00:10" };
}

/// <summary>The same counting, reserving and banning scripts on a three-primary cluster (each subject's keys share a hash tag).</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterBruteForceTests(RedisCluster cluster) : AdversarialBruteForceTests(cluster);

/// <summary>Lockout scope, seen from two client addresses behind a trusted proxy (the test's loopback peer).</summary>
public abstract class LockoutScopeTests(RedisServer redis, string scope) : GatewayTestBase(redis)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:TrustedProxies:0"] = "127.0.0.1",
        ["Gateway:Login:LockoutScope"] = scope,
    };

    protected async Task<HttpStatusCode> LoginFromAsync(string address, string password)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth/login") { Content = JsonContent.Create(new { username = "alice", password }) };
        request.Headers.Add("X-Forwarded-For", address);
        return (await Client.SendAsync(request)).StatusCode;
    }

    protected async Task FloodAsync()
    {
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await LoginFromAsync("203.0.113.66", "guess-" + i));
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, await LoginFromAsync("203.0.113.66", GatewayHost.DefaultPasswords["alice"]));
    }
}

[Collection(RedisCollection.Name)]
public sealed class UserAndIpLockoutTests(RedisServer redis) : LockoutScopeTests(redis, "UserAndIp")
{
    [Fact]
    public async Task Login_FloodFromOneAddress_UserStillLogsInFromAnother()
    {
        await FloodAsync();

        Assert.Equal(HttpStatusCode.OK, await LoginFromAsync("198.51.100.20", GatewayHost.DefaultPasswords["alice"]));
    }
}

[Collection(RedisCollection.Name)]
public sealed class UserLockoutTests(RedisServer redis) : LockoutScopeTests(redis, "User")
{
    [Fact]
    public async Task Login_FloodFromOneAddress_UserLockedOutEverywhere()
    {
        await FloodAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, await LoginFromAsync("198.51.100.20", GatewayHost.DefaultPasswords["alice"]));
    }
}
