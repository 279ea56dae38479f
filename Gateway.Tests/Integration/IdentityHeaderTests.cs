using System.Net;
using System.Text;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// A backend never receives a forged identity header, a session cookie, a session token or a Basic password,
/// whatever spelling or trick the client uses (oauth2-proxy, Traefik, Caddy and Duende BFF advisories).
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class IdentityHeaderTests(RedisServer redis) : GatewayTestBase(redis)
{
    public static TheoryData<string> Spellings => new()
    {
        "X-Auth-User", "x-auth-user", "X-AUTH-USER", "X_Auth_User", "x_auth_user", "X.Auth.User", "x.auth_user", "X-Auth_User",
    };

    [Theory]
    [MemberData(nameof(Spellings))]
    public async Task Proxy_SpoofedUserHeaderWithSession_BackendSeesOnlyGatewayValue(string spelling)
    {
        var sid = await LoginAsync("alice");

        var response = await GetAsync("/x", r =>
        {
            r.Headers.Add("Cookie", $"sid={sid}");
            r.Headers.TryAddWithoutValidation(spelling, "admin");
            r.Headers.TryAddWithoutValidation(spelling, "root");
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Backend.Last;
        Assert.Equal(["X-Auth-User"], seen.Variants("X-Auth-User"), StringComparer.OrdinalIgnoreCase);
        Assert.Equal(["alice"], seen.Values("X-Auth-User"));
    }

    [Theory]
    [MemberData(nameof(Spellings))]
    public async Task Proxy_SpoofedHeadersOnPublicRouteWithoutSession_AllRemoved(string spelling)
    {
        var response = await GetAsync("/public/x", r =>
        {
            r.Headers.TryAddWithoutValidation(spelling, "admin");
            r.Headers.TryAddWithoutValidation(spelling.Replace("User", "Roles", StringComparison.OrdinalIgnoreCase), "admin");
            r.Headers.TryAddWithoutValidation("X_Auth_Session", "abc");
            r.Headers.TryAddWithoutValidation("x.session.token", "abc");
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Backend.Last;
        Assert.Empty(seen.Variants("X-Auth-User"));
        Assert.Empty(seen.Variants("X-Auth-Roles"));
        Assert.Empty(seen.Variants("X-Auth-Session"));
        Assert.Empty(seen.Variants("X-Session-Token"));
    }

    [Fact]
    public async Task Proxy_ConnectionHeaderNamingIdentityHeader_InjectedHeaderStillArrives()
    {
        var sid = await LoginAsync("alice");

        var response = await RawAsync($"GET /x HTTP/1.1\r\nHost: gw\r\nCookie: sid={sid}\r\nConnection: X-Auth-User, X-Auth-Roles\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200", response);
        Assert.Equal(["alice"], Backend.Last.Values("X-Auth-User"));
        Assert.Equal(["user"], Backend.Last.Values("X-Auth-Roles"));
    }

    [Fact]
    public async Task Proxy_SessionCarriers_NeverForwarded()
    {
        var sid = await LoginAsync("alice");

        var response = await GetAsync("/x", r =>
        {
            r.Headers.Add("Cookie", $"theme=dark; sid={sid}; lang=en");
            r.Headers.Add("Cookie", "sid-logout=1; other=2");
            r.Headers.Add("X-Session-Token", sid);
            r.Headers.Authorization = Basic("alice");
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Backend.Last;
        var cookies = string.Join("; ", seen.Values("Cookie"));
        Assert.Contains("theme=dark", cookies);
        Assert.Contains("lang=en", cookies);
        Assert.Contains("other=2", cookies);
        Assert.DoesNotContain("sid", cookies);
        Assert.DoesNotContain(seen.Headers, h => h.Value.Contains(sid));
        Assert.Empty(seen.Variants("X-Session-Token"));
        Assert.Empty(seen.Values("Authorization"));
    }

    [Fact]
    public async Task Proxy_BearerAuthorization_PassesThroughUntouched()
    {
        var sid = await LoginAsync("alice");

        await GetAsync("/x", r =>
        {
            r.Headers.Add("Cookie", $"sid={sid}");
            r.Headers.TryAddWithoutValidation("Authorization", "Bearer backend-token");
        });

        Assert.Equal(["Bearer backend-token"], Backend.Last.Values("Authorization"));
    }

    [Fact]
    public async Task Proxy_SessionTokenHeader_AuthenticatesApiClient()
    {
        var sid = await LoginAsync("bob");

        var response = await GetAsync("/x", r => r.Headers.Add("X-Session-Token", sid));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["bob"], Backend.Last.Values("X-Auth-User"));
        Assert.Empty(Backend.Last.Variants("X-Session-Token"));
    }
}

/// <summary>The same defences with custom header names from configuration.</summary>
public sealed class CustomIdentityHeaderTests() : GatewayTestBase(null)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:Headers:User"] = "Remote-User",
        ["Gateway:Headers:Roles"] = "Remote-Groups",
        ["Gateway:Headers:Session"] = "Remote-Session",
    };

    [Fact]
    public async Task Proxy_CustomHeaderNames_SetAndSpoofsRemoved()
    {
        var response = await GetAsync("/x", r =>
        {
            r.Headers.Authorization = Basic("bob");
            r.Headers.TryAddWithoutValidation("remote_user", "mallory");
            r.Headers.TryAddWithoutValidation("Remote.Groups", "root");
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Backend.Last;
        Assert.Equal(["bob"], seen.Values("Remote-User"));
        Assert.Equal(["Remote-User"], seen.Variants("Remote-User"), StringComparer.OrdinalIgnoreCase);
        Assert.Equal(["user,admin"], seen.Values("Remote-Groups"));
        Assert.Single(seen.Values("Remote-Session"));
    }
}
