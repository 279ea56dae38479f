using System.Net.Http.Headers;
using System.Security.Claims;
using Gateway.Authentication;
using Gateway.Configuration;
using Gateway.Proxy;

namespace Gateway.Tests.Proxy;

public sealed class IdentityHeadersTests
{
    private static readonly string[] Spoofed =
    [
        "X-Auth-User", "x-auth-user", "X_Auth_User", "X.Auth.User", "x_AUTH.user", "X-AUTH_USER",
        "X-Auth-Roles", "x_auth_roles", "X.Auth.Roles",
        "X-Auth-Session", "x.auth_session",
        "X-Session-Token", "x-session-token", "X_Session_Token", "X.Session.Token", "x_SESSION.token",
    ];

    private static ClaimsPrincipal Authenticated(string user, params string[] roles)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, user), new(SessionDefaults.HandleClaim, "h4nd1eH4ndleH4nd") };
        claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, SessionDefaults.Scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    private static readonly ClaimsPrincipal Anonymous = new(new ClaimsIdentity());

    private static HttpRequestMessage SpoofedRequest()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "http://backend/x") { Content = new StringContent("body") };
        foreach (var name in Spoofed)
        {
            Assert.True(request.Headers.TryAddWithoutValidation(name, "evil"));
            Assert.True(request.Headers.TryAddWithoutValidation(name, "evil-again"));
        }
        Assert.True(request.Content.Headers.TryAddWithoutValidation("X_Auth_User", "evil-in-content"));
        Assert.True(request.Content.Headers.TryAddWithoutValidation("X-Session-Token", "stolen"));
        request.Headers.TryAddWithoutValidation("Cookie", "theme=dark; sid=secret1; SID=secret2; lang=en");
        request.Headers.TryAddWithoutValidation("Cookie", "sid-logout=1; z=last; sid=secret3");
        request.Headers.TryAddWithoutValidation("X-Other", "kept");
        return request;
    }

    /// <summary>Every header, request and content, as (name, value) pairs exactly as they would be sent.</summary>
    private static List<(string Name, string Value)> AllHeaders(HttpRequestMessage request)
    {
        IEnumerable<KeyValuePair<string, HeaderStringValues>> all = request.Headers.NonValidated;
        if (request.Content is not null)
        {
            all = all.Concat(request.Content.Headers.NonValidated);
        }
        return all.SelectMany(h => h.Value.Select(v => (h.Key, v))).ToList();
    }

    private static List<string> ValuesOf(HttpRequestMessage request, string normalizedName) =>
        AllHeaders(request).Where(h => HeaderNames.Normalize(h.Name) == normalizedName).Select(h => h.Value).ToList();

    [Fact]
    public void Apply_AuthenticatedWithSpoofedHeaders_SetsExactlyOneValueOfEachIdentityHeader()
    {
        var request = SpoofedRequest();

        IdentityHeaders.Apply(request, Authenticated("alice", "admin", "ops"), new GatewayOptions());

        Assert.Equal(["alice"], ValuesOf(request, "x-auth-user"));
        Assert.Equal(["admin,ops"], ValuesOf(request, "x-auth-roles"));
        Assert.Equal(["h4nd1eH4ndleH4nd"], ValuesOf(request, "x-auth-session"));
        Assert.Empty(ValuesOf(request, "x-session-token"));
        Assert.DoesNotContain(AllHeaders(request), h => h.Value.StartsWith("evil") || h.Value == "stolen");
        Assert.Equal(["alice"], request.Headers.GetValues("X-Auth-User"));
    }

    [Fact]
    public void Apply_AuthenticatedWithoutRoles_SendsEmptyRolesOnce()
    {
        var request = SpoofedRequest();

        IdentityHeaders.Apply(request, Authenticated("bob"), new GatewayOptions());

        Assert.Equal(["bob"], ValuesOf(request, "x-auth-user"));
        Assert.Equal([""], ValuesOf(request, "x-auth-roles"));
    }

    [Fact]
    public void Apply_Anonymous_SendsNoIdentityHeaderAtAll()
    {
        var request = SpoofedRequest();

        IdentityHeaders.Apply(request, Anonymous, new GatewayOptions());

        foreach (var name in new[] { "x-auth-user", "x-auth-roles", "x-auth-session", "x-session-token" })
        {
            Assert.Empty(ValuesOf(request, name));
        }
        Assert.Equal(["kept"], request.Headers.GetValues("X-Other"));
    }

    [Fact]
    public void Apply_NamedButUnauthenticatedIdentity_SendsNoIdentityHeader()
    {
        var request = SpoofedRequest();
        var unauthenticated = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "alice")]));

        IdentityHeaders.Apply(request, unauthenticated, new GatewayOptions());

        Assert.Empty(ValuesOf(request, "x-auth-user"));
    }

    [Fact]
    public void Apply_SessionCookies_AreRemovedOtherCookiesStayInOrder()
    {
        var request = SpoofedRequest();

        IdentityHeaders.Apply(request, Authenticated("alice"), new GatewayOptions());

        // The session cookie goes in any case: a backend must never see a session secret.
        var cookie = Assert.Single(request.Headers.NonValidated["Cookie"]);
        Assert.Equal("theme=dark; lang=en; z=last", cookie);
    }

    [Fact]
    public void Apply_OnlySessionCookies_RemovesCookieHeader()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "http://backend/");
        request.Headers.TryAddWithoutValidation("Cookie", "sid=secret; sid-logout=1");

        IdentityHeaders.Apply(request, Anonymous, new GatewayOptions());

        Assert.False(request.Headers.Contains("Cookie"));
    }

    [Theory]
    [InlineData(new[] { "a=1; SID=secret", "SID-Remember=r; b=2", "Sid-LOGOUT=1" }, "a=1; b=2")] // several lines: joined into one
    [InlineData(new[] { "sidx=1;  sid-other=2 ;remember=3" }, "sidx=1;  sid-other=2 ;remember=3")] // no session cookie: left as sent
    public void Apply_CookieLines_OneLineWithoutTheSessionCookies(string[] lines, string expected)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "http://backend/");
        request.Headers.TryAddWithoutValidation("Cookie", lines);

        IdentityHeaders.Apply(request, Anonymous, new GatewayOptions());

        Assert.Equal(expected, Assert.Single(request.Headers.NonValidated["Cookie"]));
    }

    [Fact]
    public void Apply_CustomCookieName_StripsThatCookieAndKeepsSid()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "http://backend/");
        request.Headers.TryAddWithoutValidation("Cookie", "sid=backend-own; __Host-gw=secret; __Host-gw-logout=1; a=1");
        var options = new GatewayOptions { Session = { CookieName = "__Host-gw" } };

        IdentityHeaders.Apply(request, Anonymous, options);

        Assert.Equal("sid=backend-own; a=1", Assert.Single(request.Headers.NonValidated["Cookie"]));
    }

    [Theory]
    [InlineData("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")]
    [InlineData("basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")]
    [InlineData("  BASIC QWxhZGRpbjpvcGVuIHNlc2FtZQ==")]
    public void Apply_BasicAuthorization_IsRemoved(string authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "http://backend/");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);

        IdentityHeaders.Apply(request, Authenticated("Aladdin"), new GatewayOptions());

        Assert.False(request.Headers.Contains("Authorization"));
    }

    [Theory]
    [InlineData("alice", "Bearer eyJ.e30.sig", false)] // not the gateway's credentials: kept
    [InlineData("Aladdin", "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", true)] // Gateway:Headers:ForwardAuthorization: kept
    public void Apply_BearerOrForwardedAuthorization_IsKept(string user, string authorization, bool forwardAuthorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "http://backend/");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        var options = new GatewayOptions { Headers = { ForwardAuthorization = forwardAuthorization } };

        IdentityHeaders.Apply(request, Authenticated(user), options);

        Assert.Equal([authorization], request.Headers.NonValidated["Authorization"]);
    }

    [Fact]
    public void Apply_CustomHeaderNames_StripsTheirVariantsAndLeavesDefaultSpellingAlone()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "http://backend/");
        foreach (var name in new[] { "Remote-User", "remote_user", "REMOTE.USER", "Remote-Groups", "remote_groups", "Remote-Sid", "remote.sid", "X_Session.Token" })
        {
            request.Headers.TryAddWithoutValidation(name, "evil");
        }
        request.Headers.TryAddWithoutValidation("X-Auth-User", "client-value");
        var options = new GatewayOptions { Headers = { User = "Remote-User", Roles = "Remote-Groups", Session = "Remote-Sid" } };

        IdentityHeaders.Apply(request, Authenticated("alice", "dev"), options);

        Assert.Equal(["alice"], ValuesOf(request, "remote-user"));
        Assert.Equal(["dev"], ValuesOf(request, "remote-groups"));
        Assert.Equal(["h4nd1eH4ndleH4nd"], ValuesOf(request, "remote-sid"));
        Assert.Empty(ValuesOf(request, "x-session-token"));
        Assert.Equal(["client-value"], ValuesOf(request, "x-auth-user"));
        Assert.Equal(["alice"], request.Headers.GetValues("Remote-User"));
    }

    [Fact]
    public void Apply_PrincipalFromSessionPrincipal_SendsUserRolesAndHandle()
    {
        var key = Gateway.Sessions.SessionId.New().Key;
        var record = new Gateway.Sessions.SessionRecord("carol", ["old"], default, default, default, "", "", "", "form");
        var principal = SessionPrincipal.Create(new Gateway.Sessions.ResolvedSession(key, record, ["r1", "r2"]));
        var request = SpoofedRequest();

        IdentityHeaders.Apply(request, principal, new GatewayOptions());

        Assert.Equal(["carol"], ValuesOf(request, "x-auth-user"));
        Assert.Equal(["r1,r2"], ValuesOf(request, "x-auth-roles"));
        Assert.Equal([key.Handle], ValuesOf(request, "x-auth-session"));
    }

    [Fact]
    public void Apply_ContentHeaders_OnlyIdentityVariantsRemoved()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "http://backend/") { Content = new StringContent("{}") };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Content.Headers.TryAddWithoutValidation("x.auth.roles", "admin");

        IdentityHeaders.Apply(request, Anonymous, new GatewayOptions());

        Assert.Empty(ValuesOf(request, "x-auth-roles"));
        Assert.Equal("application/json", request.Content.Headers.ContentType?.MediaType);
    }
}
