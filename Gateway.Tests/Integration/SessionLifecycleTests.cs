using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// Listing and revoking sessions (own and, for admins, anyone's), logout everywhere, JSON tokens, remember-me
/// and audit, through the real pipeline. Runs against real Redis, a Redis Cluster and the in-memory store.
/// </summary>
public abstract class SessionLifecycleTests(IStoreFixture? store) : GatewayTestBase(store)
{
    [Fact]
    public async Task Sessions_List_ShowsOwnSessionsWithCurrentMarked()
    {
        var first = await LoginAsync("alice");
        var second = await LoginAsync("alice");
        await LoginAsync("bob");

        var response = await GetAsync("/auth/sessions", r =>
        {
            r.Headers.Add("Cookie", $"sid={second}");
            r.Headers.UserAgent.ParseAdd("phone/1.0");
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = await JsonAsync(response);
        Assert.Equal(2, items.GetArrayLength());
        Assert.Single(items.EnumerateArray(), i => i.GetProperty("current").GetBoolean());
        Assert.All(items.EnumerateArray(), i => Assert.Equal("127.0.0.1", i.GetProperty("ip").GetString()));
        Assert.All(items.EnumerateArray(), i => Assert.Equal(16, i.GetProperty("handle").GetString()!.Length));
        Assert.DoesNotContain(first, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Sessions_DeleteOwnByHandle_EndsThatSessionOnly()
    {
        var phone = await LoginAsync("alice");
        var laptop = await LoginAsync("alice");
        var phoneHandle = await HandleOfAsync(phone);

        var response = await SendAsync(HttpMethod.Delete, $"/auth/sessions/{phoneHandle}", WithCookie(laptop));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", WithCookie(phone))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(laptop))).StatusCode);
    }

    [Fact]
    public async Task Sessions_DeleteAnotherUsersHandle_404AndSessionLives()
    {
        var bob = await LoginAsync("bob");
        var alice = await LoginAsync("alice");

        var response = await SendAsync(HttpMethod.Delete, $"/auth/sessions/{await HandleOfAsync(bob)}", WithCookie(alice));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(bob))).StatusCode);
    }

    [Fact]
    public async Task Admin_NonAdmin_Gets403OnEveryAdminRoute()
    {
        var alice = await LoginAsync("alice");

        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/auth/admin/users/bob/sessions", WithCookie(alice))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Delete, "/auth/admin/users/bob/sessions", WithCookie(alice))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/auth/admin/audit", WithCookie(alice))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/auth/admin/audit")).StatusCode);
    }

    [Fact]
    public async Task Admin_ListAndRevokeAnotherUsersSessions()
    {
        var admin = await LoginAsync("bob");
        var aliceOne = await LoginAsync("alice");
        var aliceTwo = await LoginAsync("alice");

        var list = await JsonAsync(await GetAsync("/auth/admin/users/alice/sessions", WithCookie(admin)));
        Assert.Equal(2, list.GetArrayLength());

        var one = await SendAsync(HttpMethod.Delete, $"/auth/admin/users/alice/sessions/{await HandleOfAsync(aliceOne)}", WithCookie(admin));
        Assert.Equal(HttpStatusCode.NoContent, one.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", WithCookie(aliceOne))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(aliceTwo))).StatusCode);

        var all = await SendAsync(HttpMethod.Delete, "/auth/admin/users/alice/sessions", WithCookie(admin));
        Assert.Equal(1, (await JsonAsync(all)).GetProperty("revoked").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", WithCookie(aliceTwo))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(admin))).StatusCode);
    }

    [Fact]
    public async Task Logout_ScopeAll_EndsEveryCookieOfThatUserAndNoOther()
    {
        var cookies = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            cookies.Add(await LoginAsync("alice"));
        }
        var bob = await LoginAsync("bob");

        var logout = await PostFormAsync("/auth/logout", cookies[0], ("scope", "all"));

        Assert.Equal(HttpStatusCode.SeeOther, logout.StatusCode);
        foreach (var cookie in cookies)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", WithCookie(cookie))).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(bob))).StatusCode);
        if (RedisDeployment is not null)
        {
            Assert.DoesNotContain(SessionKeys(), k => StoredSession(k)?.User == "alice");
        }
    }

    [Fact]
    public async Task Login_JsonWithToken_TokenAndCookieAreTheSameSession()
    {
        var response = await Client.PostAsync("/auth/login",
            new StringContent("""{"username":"alice","password":"alice-password","token":true}""", Encoding.UTF8, "application/json"));
        var body = await JsonAsync(response);
        var token = body.GetProperty("token").GetString()!;

        Assert.Equal(SessionCookie(response), token);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", r => r.Headers.Add("X-Session-Token", token))).StatusCode);
        Assert.Equal(body.GetProperty("handle").GetString(), Backend.Last.Values("X-Auth-Session").Single());

        var plain = await Client.PostAsync("/auth/login", new StringContent("""{"username":"alice","password":"alice-password"}""", Encoding.UTF8, "application/json"));
        Assert.False((await JsonAsync(plain)).TryGetProperty("token", out _));
    }

    [Fact]
    public async Task RememberMe_AfterShortSessionExpired_FreshSessionWithoutPassword()
    {
        var login = await PostFormAsync("/auth/login", ("username", "alice"), ("password", "alice-password"), ("returnUrl", "/"), ("remember", "on"));
        var sid = SessionCookie(login)!;
        var remember = SetCookie(login, "sid-remember")!;
        Assert.Contains("max-age=2592000", remember, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", remember, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("max-age=", SetCookie(login, "sid")!, StringComparison.OrdinalIgnoreCase);
        var rememberValue = remember.Split(';')[0];

        Host.Clock.Advance(TimeSpan.FromMinutes(45));
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", WithCookie(sid))).StatusCode);
        var back = await GetAsync("/x", r => r.Headers.Add("Cookie", $"sid={sid}; {rememberValue}"));

        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        Assert.Equal(["alice"], Backend.Last.Values("X-Auth-User"));
        Assert.DoesNotContain(Backend.Last.Values("Cookie"), c => c.Contains("remember"));
        var fresh = SessionCookie(back)!;
        Assert.NotEqual(sid, fresh);
        Assert.NotEqual(rememberValue, SetCookie(back, "sid-remember")!.Split(';')[0]);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(fresh))).StatusCode);
    }

    [Fact]
    public async Task RememberMe_StolenTokenReplayedAfterRotation_RevokesAllOfUsersSessionsAndTokens()
    {
        var login = await PostFormAsync("/auth/login", ("username", "alice"), ("password", "alice-password"), ("returnUrl", "/"), ("remember", "on"));
        var stolen = SetCookie(login, "sid-remember")!.Split(';')[0];
        var other = await LoginAsync("alice");
        Host.Clock.Advance(TimeSpan.FromMinutes(45));
        other = await LoginAsync("alice");

        var victim = await GetAsync("/x", r => r.Headers.Add("Cookie", stolen));
        Assert.Equal(HttpStatusCode.OK, victim.StatusCode);
        var victimRemember = SetCookie(victim, "sid-remember")!.Split(';')[0];
        Host.Clock.Advance(TimeSpan.FromMinutes(2));

        var thief = await GetAsync("/x", r => r.Headers.Add("Cookie", stolen));

        Assert.Equal(HttpStatusCode.Unauthorized, thief.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", WithCookie(other))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", WithCookie(SessionCookie(victim)!))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", r => r.Headers.Add("Cookie", victimRemember))).StatusCode);
        var admin = await LoginAsync("bob");
        var audit = await JsonAsync(await GetAsync("/auth/admin/audit?user=alice", WithCookie(admin)));
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("kind").GetString() == "remember_theft");
    }

    [Fact]
    public async Task RememberMe_Unticked_NoTokenAndNoWayBackAfterExpiry()
    {
        var login = await PostFormAsync("/auth/login", ("username", "alice"), ("password", "alice-password"), ("returnUrl", "/"));

        Assert.Null(SetCookie(login, "sid-remember"));
        Host.Clock.Advance(TimeSpan.FromMinutes(45));
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", WithCookie(SessionCookie(login)!))).StatusCode);
    }

    [Fact]
    public async Task Audit_ScriptedSequence_EachEventRecordedNewestFirst()
    {
        await PostFormAsync("/auth/login", ("username", "alice"), ("password", "wrong"), ("returnUrl", "/"));
        var alice = await LoginAsync("alice");
        await SendAsync(HttpMethod.Post, "/auth/logout", WithCookie(alice));
        var admin = await LoginAsync("bob");

        var audit = await JsonAsync(await GetAsync("/auth/admin/audit?user=alice", WithCookie(admin)));

        var kinds = audit.EnumerateArray().Select(e => (e.GetProperty("kind").GetString(), e.GetProperty("detail").GetString())).ToList();
        Assert.Equal([("revoked", "logout"), ("created", "form"), ("login_failed", "wrongpassword")], kinds);
        Assert.DoesNotContain("alice-password", audit.GetRawText());
        Assert.DoesNotContain(alice, audit.GetRawText());
        Assert.All(audit.EnumerateArray(), e => Assert.Equal("alice", e.GetProperty("user").GetString()));
    }

    protected async Task<string> HandleOfAsync(string sid) =>
        (await JsonAsync(await GetAsync("/auth/session", WithCookie(sid)))).GetProperty("handle").GetString()!;

    protected static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
}

[Collection(RedisCollection.Name)]
public sealed class RedisSessionLifecycleTests(RedisServer redis) : SessionLifecycleTests(redis);

[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterSessionLifecycleTests(RedisCluster cluster) : SessionLifecycleTests(cluster);

public sealed class InMemorySessionLifecycleTests() : SessionLifecycleTests(null);
