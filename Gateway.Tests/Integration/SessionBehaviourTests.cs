using System.Net;
using System.Text.Json;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// The session behaviour users see, through the real pipeline and a recording backend. Runs once against a real
/// redis-server and once against the in-memory store (derived classes at the end of the file).
/// </summary>
public abstract class SessionBehaviourTests(IStoreFixture? store) : GatewayTestBase(store)
{
    [Fact]
    public async Task Proxy_BasicCredentials_CreateSessionSetCookieAndInjectIdentity()
    {
        var response = await GetAsync("/app/page?x=1", r => r.Headers.Authorization = Basic("alice"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = SetCookie(response, "sid")!;
        Assert.Matches("^sid=[A-Za-z0-9_-]{43};", cookie);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("max-age", cookie, StringComparison.OrdinalIgnoreCase); // a browser-session cookie unless "remember me"

        var seen = Backend.Last;
        Assert.Equal("/app/page?x=1", seen.PathAndQuery);
        Assert.Equal(["alice"], seen.Values("X-Auth-User"));
        Assert.Equal(["user"], seen.Values("X-Auth-Roles"));
        Assert.Single(seen.Values("X-Auth-Session"));
        Assert.Empty(seen.Values("Authorization"));
        Assert.Empty(seen.Values("Cookie"));
    }

    [Fact]
    public async Task Proxy_SessionCookie_ReusedWithoutNewCookie()
    {
        var sid = await LoginAsync("alice");

        var first = await GetAsync("/one", WithCookie(sid));
        var second = await GetAsync("/two", WithCookie(sid));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Null(SetCookie(second, "sid"));
        var handles = Backend.Received.Select(r => r.Values("X-Auth-Session").Single()).Distinct().ToList();
        Assert.Single(handles);
        Assert.DoesNotContain(sid, handles[0]);
    }

    [Fact]
    public async Task Proxy_CookielessBasicRepeated_ReusesOneSession()
    {
        for (var i = 0; i < 6; i++)
        {
            var response = await GetAsync($"/api/{i}", r => r.Headers.Authorization = Basic("alice"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        await Task.WhenAll(Enumerable.Range(0, 6).Select(async i =>
            Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/api/p{i}", r => r.Headers.Authorization = Basic("alice"))).StatusCode)));

        Assert.Single(Backend.Received.Select(r => r.Values("X-Auth-Session").Single()).Distinct());
        if (RedisDeployment is not null)
        {
            Assert.Single(SessionKeys());
        }
    }

    [Fact]
    public async Task Proxy_BasicForAnotherUserThanCookie_StartsSessionForThatUser()
    {
        var aliceSid = await LoginAsync("alice");

        var response = await GetAsync("/x", r =>
        {
            r.Headers.Add("Cookie", $"sid={aliceSid}");
            r.Headers.Authorization = Basic("bob");
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["bob"], Backend.Last.Values("X-Auth-User"));
        var bobSid = SessionCookie(response);
        Assert.False(string.IsNullOrEmpty(bobSid));
        Assert.NotEqual(aliceSid, bobSid);
    }

    [Fact]
    public async Task Proxy_WrongBasicPassword_Returns401Challenge()
    {
        var response = await GetAsync("/x", r => r.Headers.Authorization = Basic("alice", "wrong"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic realm=\"Gateway\", charset=\"UTF-8\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Empty(Backend.Received);
    }

    [Fact]
    public async Task Proxy_NoSessionBrowserNavigation_RedirectsToLoginWithReturnUrl()
    {
        var response = await GetAsync("/reports/q3?year=2026&view=full", r => r.Headers.Add("Accept", "text/html,application/xhtml+xml"));

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/auth/login?returnUrl=%2Freports%2Fq3%3Fyear%3D2026%26view%3Dfull", response.Headers.Location!.OriginalString);
        Assert.Empty(Backend.Received);
    }

    [Fact]
    public async Task Proxy_NoSessionApiCall_Returns401JsonWithLoginUrl()
    {
        var response = await GetAsync("/api/data", r => r.Headers.Add("Accept", "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Basic", response.Headers.WwwAuthenticate.ToString());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("unauthorized", body.RootElement.GetProperty("error").GetString());
        Assert.Equal("/auth/login?returnUrl=%2Fapi%2Fdata", body.RootElement.GetProperty("login").GetString());
    }

    [Fact]
    public async Task Proxy_ScriptRequestWithoutSession_Gets401WithoutNativePrompt()
    {
        var response = await GetAsync("/api/data", r =>
        {
            r.Headers.Add("Sec-Fetch-Mode", "cors");
            r.Headers.Add("Accept", "text/html");
        });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(response.Headers.WwwAuthenticate);
    }

    [Fact]
    public async Task Proxy_PublicRoute_ServedWithoutSessionAndIdentityOnlyWhenPresent()
    {
        var anonymous = await GetAsync("/public/info", r => r.Headers.TryAddWithoutValidation("X-Auth-User", "mallory"));
        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        Assert.Empty(Backend.Last.Variants("X-Auth-User"));

        var sid = await LoginAsync("alice");
        var withSession = await GetAsync("/public/info", WithCookie(sid));
        Assert.Equal(HttpStatusCode.OK, withSession.StatusCode);
        Assert.Equal(["alice"], Backend.Last.Values("X-Auth-User"));
    }

    [Fact]
    public async Task Proxy_RolePolicy_ForbidsUserWithoutRoleAndAllowsAdmin()
    {
        var alice = await LoginAsync("alice");
        var bob = await LoginAsync("bob");

        var forbidden = await GetAsync("/admin/panel", WithCookie(alice));
        var allowed = await GetAsync("/admin/panel", WithCookie(bob));
        var sessionOnly = await GetAsync("/session-only/x", WithCookie(alice));

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, sessionOnly.StatusCode);
        Assert.Equal(["user,admin"], Backend.Received.Single(r => r.PathAndQuery == "/admin/panel").Values("X-Auth-Roles"));
    }

    [Fact]
    public async Task Proxy_IdleTimeoutPassed_Returns401AndExpiresCookie()
    {
        var sid = await LoginAsync("alice");
        Host.Clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(sid))).StatusCode);

        Host.Clock.Advance(TimeSpan.FromMinutes(31));
        var response = await GetAsync("/x", WithCookie(sid));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("", SessionCookie(response));
        if (RedisDeployment is not null)
        {
            Assert.Empty(SessionKeys());
        }
    }

    [Fact]
    public async Task Proxy_AbsoluteTimeoutPassed_Returns401EvenWhenActive()
    {
        var sid = await LoginAsync("alice");
        for (var hour = 0; hour < 11; hour++)
        {
            for (var step = 0; step < 3; step++)
            {
                Host.Clock.Advance(TimeSpan.FromMinutes(20));
                Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(sid))).StatusCode);
            }
        }
        Host.Clock.Advance(TimeSpan.FromMinutes(61));

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", WithCookie(sid))).StatusCode);
    }

    [Fact]
    public async Task Logout_DeletesSessionAndOldCookieGets401()
    {
        var sid = await LoginAsync("alice");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(sid))).StatusCode);

        var logout = await SendAsync(HttpMethod.Post, "/auth/logout", WithCookie(sid));

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal("", SessionCookie(logout));
        Assert.NotNull(SetCookie(logout, "sid-logout"));
        if (RedisDeployment is not null)
        {
            Assert.Empty(SessionKeys());
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", WithCookie(sid))).StatusCode);
    }

    [Fact]
    public async Task Logout_ThenCachedBasicCredentials_GetFreshChallengeBeforeNewSession()
    {
        var first = await GetAsync("/x", r => r.Headers.Authorization = Basic("alice"));
        var sid = SessionCookie(first)!;
        var logout = await SendAsync(HttpMethod.Post, "/auth/logout", r =>
        {
            r.Headers.Add("Cookie", $"sid={sid}");
            r.Headers.Authorization = Basic("alice");
        });
        var marker = SetCookie(logout, "sid-logout")!.Split(';')[0];

        // The browser re-sends its cached credentials with the marker cookie: challenged, not logged back in.
        var replay = await GetAsync("/x", r =>
        {
            r.Headers.Add("Cookie", marker);
            r.Headers.Authorization = Basic("alice");
        });
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Contains("Basic", replay.Headers.WwwAuthenticate.ToString());
        Assert.Equal("", SetCookie(replay, "sid-logout")!.Split(';')[0]["sid-logout=".Length..]);

        // After the prompt the user confirms: the marker is gone and the credentials start a new session.
        var again = await GetAsync("/x", r => r.Headers.Authorization = Basic("alice"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.NotEqual(sid, SessionCookie(again));
    }

    [Fact]
    public async Task Login_Form_RedirectsToReturnUrlWithNewSession()
    {
        var response = await PostFormAsync("/auth/login", ("username", "alice"), ("password", "alice-password"), ("returnUrl", "/reports?y=1"));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/reports?y=1", response.Headers.Location!.OriginalString);
        var sid = SessionCookie(response)!;
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/reports", WithCookie(sid))).StatusCode);
    }

    [Theory]
    [InlineData("//evil.example/")]
    [InlineData("https://evil.example/")]
    [InlineData("/\\evil.example")]
    public async Task Login_FormWithForeignReturnUrl_RedirectsToRoot(string returnUrl)
    {
        var response = await PostFormAsync("/auth/login", ("username", "alice"), ("password", "alice-password"), ("returnUrl", returnUrl));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Login_ExistingCookie_AlwaysIssuesNewIdAndEndsOldSession()
    {
        var old = await LoginAsync("alice");

        var response = await PostFormAsync("/auth/login", old, ("username", "alice"), ("password", "alice-password"), ("returnUrl", "/"));

        var fresh = SessionCookie(response)!;
        Assert.NotEqual(old, fresh);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", WithCookie(old))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(fresh))).StatusCode);
    }

    [Fact]
    public async Task Login_WrongPasswordAndUnknownUser_SameGenericAnswer()
    {
        var wrong = await PostFormAsync("/auth/login", ("username", "alice"), ("password", "nope"), ("returnUrl", "/"));
        var unknown = await PostFormAsync("/auth/login", ("username", "zed"), ("password", "nope"), ("returnUrl", "/"));

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        var wrongBody = (await wrong.Content.ReadAsStringAsync()).Replace("value=\"alice\"", "value=\"X\"");
        var unknownBody = (await unknown.Content.ReadAsStringAsync()).Replace("value=\"zed\"", "value=\"X\"");
        Assert.Equal(wrongBody, unknownBody);
        Assert.Contains("Invalid user name or password.", wrongBody);
        Assert.Null(SetCookie(wrong, "sid"));
    }

    [Fact]
    public async Task Login_Json_ReturnsSessionDescription()
    {
        var response = await Client.PostAsync("/auth/login", new StringContent("""{"username":"bob","password":"bob-password"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("bob", body.RootElement.GetProperty("user").GetString());
        Assert.Equal(["user", "admin"], body.RootElement.GetProperty("roles").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(Host.Clock.GetUtcNow().AddHours(12), body.RootElement.GetProperty("expires").GetDateTimeOffset());
        Assert.NotNull(SessionCookie(response));
    }

    [Fact]
    public async Task Login_BasicHeader_CreatesSession()
    {
        var response = await SendAsync(HttpMethod.Post, "/auth/login", r => r.Headers.Authorization = Basic("alice"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(SessionCookie(response)!))).StatusCode);
    }

    [Fact]
    public async Task Session_Endpoint_DescribesCallerAnd401Without()
    {
        var sid = await LoginAsync("alice");

        var mine = await GetAsync("/auth/session", WithCookie(sid));
        var none = await GetAsync("/auth/session");

        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        Assert.Equal("no-store", mine.Headers.CacheControl!.ToString());
        using var body = JsonDocument.Parse(await mine.Content.ReadAsStringAsync());
        Assert.Equal("alice", body.RootElement.GetProperty("user").GetString());
        Assert.Equal(Host.Clock.GetUtcNow(), body.RootElement.GetProperty("created").GetDateTimeOffset());
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
    }

    [Fact]
    public async Task Proxy_NeverIssuedWellFormedId_Returns401AndCreatesNothing()
    {
        var forged = Convert.ToBase64String(new byte[32]).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        var response = await GetAsync("/x", WithCookie(forged));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", WithCookie(forged))).StatusCode);
        if (RedisDeployment is not null)
        {
            Assert.Empty(SessionKeys());
        }
    }

    [Fact]
    public async Task Proxy_BackendSetCookies_KeptButGatewayCookieNameDropped()
    {
        Backend.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath("/cookies").UsingGet())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200)
                .WithHeader("Set-Cookie", "app=1; Path=/", "sid=planted; Path=/"));

        var response = await GetAsync("/cookies", r => r.Headers.Authorization = Basic("alice"));

        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        Assert.Contains(cookies, c => c.StartsWith("app=1", StringComparison.Ordinal));
        Assert.DoesNotContain(cookies, c => c.StartsWith("sid=planted", StringComparison.Ordinal));
        Assert.Single(cookies, c => c.StartsWith("sid=", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("sid =planted; Path=/")]            // browsers trim around the name
    [InlineData("sid\t= planted")]
    [InlineData(" SID=planted")]
    [InlineData("sid-remember=planted; Path=/; Max-Age=2592000")]
    [InlineData("sid-logout=planted; Path=/")]
    [InlineData("=sid=planted; Path=/")]            // nameless: the browser sends back "sid=planted"
    [InlineData("sid")]                             // nameless: sent back as a bare "sid", a second session cookie
    public async Task Proxy_BackendSetsAnyGatewayCookie_DroppedOtherCookiesKept(string planted)
    {
        Backend.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath("/cookies").UsingGet())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200)
                .WithHeader("Set-Cookie", "app=1; Path=/", planted, "sidebar=open; Path=/", "sid-theme=dark"));

        var response = await GetAsync("/cookies", r => r.Headers.Authorization = Basic("alice"));

        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        Assert.DoesNotContain(cookies, c => c.Contains("planted", StringComparison.Ordinal));
        Assert.Equal(["app=1; Path=/", "sidebar=open; Path=/", "sid-theme=dark"], cookies.Where(c => !c.StartsWith("sid=", StringComparison.Ordinal)));
        Assert.Single(cookies, c => c.StartsWith("sid=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Health_LivenessAndReadiness_Answer200()
    {
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/readyz")).StatusCode);
        Assert.Empty(Backend.Received);
    }
}

[Collection(RedisCollection.Name)]
public sealed class RedisSessionBehaviourTests(RedisServer redis) : SessionBehaviourTests(redis);

public sealed class InMemorySessionBehaviourTests() : SessionBehaviourTests(null);

[Collection(Fixtures.RedisClusterCollection.Name)]
public sealed class RedisClusterSessionBehaviourTests(RedisCluster cluster) : SessionBehaviourTests(cluster);
