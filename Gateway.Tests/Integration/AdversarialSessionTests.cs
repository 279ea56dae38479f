using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Sessions;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// Attacks on the session id itself: cookie name and duplicate tricks, fixation with an id the gateway never
/// issued, replay after logout through another carrier, and guessing (many unknown ids from one client).
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class AdversarialSessionTests(RedisServer redis) : GatewayTestBase(redis)
{
    [Theory]
    [InlineData("SID={0}")]                 // case differs: another cookie
    [InlineData("sid_={0}")]
    [InlineData("xsid={0}")]
    [InlineData("__Host-sid={0}")]          // prefix not configured: another cookie
    public async Task Proxy_SessionIdUnderOtherCookieName_NotAccepted(string cookie)
    {
        var sid = await LoginAsync("alice");

        var response = await GetAsync("/x", r => r.Headers.Add("Cookie", string.Format(cookie, sid)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(Backend.Received);
    }

    [Theory]
    [InlineData("SID-REMEMBER")]
    [InlineData("sid-Remember")]
    [InlineData("Sid-remember")]
    public async Task Proxy_RememberTokenUnderOtherCaseName_NotRedeemed(string name)
    {
        var token = await RememberTokenAsync();

        var response = await GetAsync("/x", r => r.Headers.Add("Cookie", $"{name}={token}"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(SessionCookie(response));
        Assert.Empty(Backend.Received);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Proxy_TwoRememberCookies_400NeitherRedeemed(bool validFirst)
    {
        var token = await RememberTokenAsync();
        var other = "AAAAAAAAAAAAAAAAAAAAAA." + new string('A', 43);
        var sessions = SessionKeys().Count;

        var response = await GetAsync("/x", r => r.Headers.Add("Cookie", validFirst ? $"sid-remember={token}; sid-remember={other}" : $"sid-remember={other}; sid-remember={token}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("more than one remember-me cookie", await response.Content.ReadAsStringAsync());
        Assert.Null(SessionCookie(response));
        Assert.Equal(sessions, SessionKeys().Count);
        Assert.Empty(Backend.Received);
    }

    [Fact]
    public async Task Proxy_SessionCookieInTwoCookieHeaderLines_400NeverEitherSession()
    {
        var victim = await LoginAsync("bob");
        var attacker = await LoginAsync("alice");

        var response = await RawAsync($"GET /x HTTP/1.1\r\nHost: gw\r\nCookie: sid={attacker}\r\nCookie: theme=dark; sid={victim}\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 400", response);
        Assert.DoesNotContain(Backend.Received, r => r.PathAndQuery == "/x");
    }

    [Fact]
    public async Task Login_PlantedNeverIssuedId_NewIdIssuedAndPlantedOneNeverStored()
    {
        var planted = SessionId.New();

        var response = await PostFormAsync("/auth/login", planted.Value, ("username", "alice"), ("password", GatewayHost.DefaultPasswords["alice"]));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var issued = SessionCookie(response);
        Assert.False(string.IsNullOrEmpty(issued));
        Assert.NotEqual(planted.Value, issued);
        Assert.DoesNotContain(SessionKeys(), k => k.EndsWith(planted.Key.Value, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", WithCookie(planted.Value))).StatusCode);
    }

    [Fact]
    public async Task Proxy_PlantedIdWithBasicCredentials_SessionGetsFreshId()
    {
        var planted = SessionId.New();

        var response = await GetAsync("/x", r =>
        {
            r.Headers.Add("Cookie", $"sid={planted.Value}");
            r.Headers.Authorization = Basic("alice");
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(planted.Value, SessionCookie(response));
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", WithCookie(planted.Value))).StatusCode);
    }

    [Fact]
    public async Task Proxy_TokenReplayedAfterLogout_401()
    {
        var login = await Client.PostAsJsonAsync("/auth/login", new { username = "alice", password = GatewayHost.DefaultPasswords["alice"] });
        var sid = SessionCookie(login)!;
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", r => r.Headers.Add("X-Session-Token", sid))).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Post, "/auth/logout", r => r.Headers.Add("X-Session-Token", sid))).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", r => r.Headers.Add("X-Session-Token", sid))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", WithCookie(sid))).StatusCode);
    }

    [Fact]
    public async Task Proxy_ManyUnknownIdsFromOneClient_ThrottledWith429ThenFreeAfterBanTime()
    {
        var valid = await LoginAsync("alice");
        for (var i = 0; i < 19; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", WithCookie(SessionId.New().Value))).StatusCode);
        }

        var tripped = await GetAsync("/x", r => r.Headers.Add("X-Session-Token", SessionId.New().Value));
        var validFromSameClient = await GetAsync("/x", WithCookie(valid));

        Assert.Equal(HttpStatusCode.TooManyRequests, tripped.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(5), tripped.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.TooManyRequests, validFromSameClient.StatusCode);
        Assert.Empty(Backend.Received);
        var bans = JsonDocument.Parse(await (await GetAsync("/auth/admin/bans", r => r.Headers.Authorization = Basic("bob"))).Content.ReadAsStringAsync());
        Assert.Equal("guess", Assert.Single(bans.RootElement.EnumerateArray()).GetProperty("kind").GetString());

        Host.Clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(valid))).StatusCode);
    }

    /// <summary>A live remember-me token of alice (the value of her remember cookie after a "remember me" login).</summary>
    private async Task<string> RememberTokenAsync()
    {
        var login = await PostFormAsync("/auth/login", ("username", "alice"), ("password", GatewayHost.DefaultPasswords["alice"]), ("returnUrl", "/"), ("remember", "on"));
        return SetCookie(login, "sid-remember")!.Split(';')[0]["sid-remember=".Length..];
    }

    [Fact]
    public async Task Proxy_OneStaleIdRepeated_NeverThrottled()
    {
        var stale = SessionId.New().Value;

        for (var i = 0; i < 40; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", WithCookie(stale))).StatusCode);
        }
    }
}

/// <summary>A <c>__Host-</c> cookie name: issued with the attributes the prefix demands, and only that exact name counts.</summary>
public sealed class HostPrefixCookieTests() : GatewayTestBase(null)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:Session:CookieName"] = "__Host-sid",
    };

    [Fact]
    public async Task Login_HostPrefixedName_SecurePathRootNoDomainAndOnlyExactNameAccepted()
    {
        var response = await PostFormAsync("/auth/login", ("username", "alice"), ("password", GatewayHost.DefaultPasswords["alice"]));

        var cookie = SetCookie(response, "__Host-sid")!;
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; path=/", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", cookie, StringComparison.OrdinalIgnoreCase);
        var id = cookie.Split(';')[0]["__Host-sid=".Length..];
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", r => r.Headers.Add("Cookie", $"__Host-sid={id}"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", r => r.Headers.Add("Cookie", $"sid={id}"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", r => r.Headers.Add("Cookie", $"__host-sid={id}"))).StatusCode);
    }
}
