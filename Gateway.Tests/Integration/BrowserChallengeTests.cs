using System.Net;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// What a browser navigation without a session meets: the login form by default, or the browser's native Basic
/// prompt (<c>Gateway:Login:BrowserChallenge=Basic</c>, or a route's <c>Gateway.Challenge</c> metadata), whose page
/// offers the form when the prompt is cancelled. Scripts and API clients are answered as before either way.
/// </summary>
public sealed class BrowserChallengeTests() : GatewayTestBase(null)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ReverseProxy:Routes:prompt:ClusterId"] = "backend",
        ["ReverseProxy:Routes:prompt:Match:Path"] = "/prompt/{**rest}",
        ["ReverseProxy:Routes:prompt:Metadata:Gateway.Challenge"] = "basic",
    };

    [Fact]
    public async Task Navigation_DefaultChallenge_RedirectsToLoginForm()
    {
        var response = await GetAsync("/app/page?x=1", Navigation);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/auth/login?returnUrl=%2Fapp%2Fpage%3Fx%3D1", response.Headers.Location!.OriginalString);
        Assert.Empty(response.Headers.WwwAuthenticate);
    }

    [Fact]
    public async Task Navigation_RouteWithBasicChallenge_PromptsAndPageLinksToForm()
    {
        var response = await GetAsync("/prompt/page?x=1", Navigation);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic realm=\"Gateway\", charset=\"UTF-8\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("<title>Sign in required</title>", page);
        Assert.Contains("href=\"/auth/login?returnUrl=%2Fprompt%2Fpage%3Fx%3D1\"", page);
        Assert.Empty(Backend.Received);
    }

    [Fact]
    public async Task Navigation_RouteWithBasicChallengeWrongPassword_PromptsAgain()
    {
        var response = await GetAsync("/prompt/page", r =>
        {
            Navigation(r);
            r.Headers.Authorization = Basic("alice", "wrong");
        });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Basic realm=", response.Headers.WwwAuthenticate.ToString());
        Assert.Empty(Backend.Received);
    }

    [Fact]
    public async Task Navigation_RouteWithBasicChallengeAnswered_ForwardedWithIdentityNotPassword()
    {
        var response = await GetAsync("/prompt/page", r =>
        {
            Navigation(r);
            r.Headers.Authorization = Basic("alice");
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(Backend.Received);
        Assert.Equal("alice", received.Values("X-Auth-User").Single());
        Assert.Empty(received.Values("Authorization"));
        Assert.NotNull(SessionCookie(response));
    }

    [Fact]
    public async Task ScriptRequest_RouteWithBasicChallenge_Gets401JsonWithoutPrompt()
    {
        var response = await GetAsync("/prompt/api", r =>
        {
            r.Headers.Add("Sec-Fetch-Mode", "cors");
            r.Headers.Add("Accept", "application/json");
        });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(response.Headers.WwwAuthenticate);
        Assert.Contains("\"login\":\"/auth/login?returnUrl=%2Fprompt%2Fapi\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HeadNavigation_RouteWithBasicChallenge_401WithoutBody()
    {
        var response = await SendAsync(HttpMethod.Head, "/prompt/page", Navigation);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Basic realm=", response.Headers.WwwAuthenticate.ToString());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    private static void Navigation(HttpRequestMessage request)
    {
        request.Headers.Add("Sec-Fetch-Mode", "navigate");
        request.Headers.Add("Accept", "text/html,application/xhtml+xml");
    }
}

/// <summary><c>Gateway:Login:BrowserChallenge=Basic</c>: every protected route prompts, a signed-out browser is challenged anew.</summary>
public sealed class BasicBrowserChallengeTests() : GatewayTestBase(null)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:Login:BrowserChallenge"] = "Basic",
        ["ReverseProxy:Routes:form:ClusterId"] = "backend",
        ["ReverseProxy:Routes:form:Match:Path"] = "/form/{**rest}",
        ["ReverseProxy:Routes:form:Metadata:Gateway.Challenge"] = "Form",
    };

    [Fact]
    public async Task Navigation_BasicChallengeConfigured_Prompts()
    {
        var response = await GetAsync("/app/page", r => r.Headers.Add("Accept", "text/html"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Basic realm=", response.Headers.WwwAuthenticate.ToString());
        Assert.Contains("Sign in with the form", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Navigation_RouteOverridesWithForm_RedirectsToLoginForm()
    {
        var response = await GetAsync("/form/page", r => r.Headers.Add("Accept", "text/html"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/auth/login?returnUrl=", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Navigation_AfterLogoutWithCachedCredentials_ChallengedOnceThenNewSession()
    {
        var first = await GetAsync("/app/page", r => { r.Headers.Add("Accept", "text/html"); r.Headers.Authorization = Basic("alice"); });
        var sid = SessionCookie(first)!;
        var logout = await PostFormAsync("/auth/logout", sid);
        var marker = SetCookie(logout, "sid-logout")!.Split(';')[0];

        // The browser re-sends its cached credentials with the marker: the page says signed out, the prompt shows.
        var challenged = await GetAsync("/", r =>
        {
            r.Headers.Add("Accept", "text/html");
            r.Headers.Authorization = Basic("alice");
            r.Headers.Add("Cookie", marker);
        });
        Assert.Equal(HttpStatusCode.Unauthorized, challenged.StatusCode);
        Assert.StartsWith("Basic realm=", challenged.Headers.WwwAuthenticate.ToString());
        Assert.Contains("<title>Signed out</title>", await challenged.Content.ReadAsStringAsync());

        // The user answers the prompt: a new session, not the old one.
        var again = await GetAsync("/app/page", r => { r.Headers.Add("Accept", "text/html"); r.Headers.Authorization = Basic("alice"); });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.NotEqual(sid, SessionCookie(again));
        Assert.Equal(["/app/page", "/app/page"], Backend.Received.Select(r => r.PathAndQuery));
    }
}
