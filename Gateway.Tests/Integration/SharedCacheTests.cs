using System.Net;
using Gateway.Tests.Fixtures;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Gateway.Tests.Integration;

/// <summary>
/// What a shared cache in front of the gateway may store, with a backend that answers every request
/// <c>Cache-Control: public, max-age=600, s-maxage=600</c>: nothing that carries a gateway cookie, nothing from a route
/// that needs a session (unless the route allows it with <c>Gateway.SharedCache</c>), and anonymous routes as the
/// backend said.
/// </summary>
public sealed class SharedCacheTests() : RememberMeTestBase(null)
{
    private const string Public = "public, max-age=600, s-maxage=600";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ReverseProxy:Routes:shared:ClusterId"] = "backend",
        ["ReverseProxy:Routes:shared:Match:Path"] = "/shared/{**rest}",
        ["ReverseProxy:Routes:shared:Metadata:Gateway.SharedCache"] = "allow",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Backend.Server.Given(Request.Create().UsingAnyMethod()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Cache-Control", Public).WithBody("backend ok"));
    }

    [Theory]
    [InlineData("/app/page")]
    [InlineData("/shared/page")]
    public async Task Proxy_BasicStartsSession_PrivateNoStoreWithTheCookie(string path)
    {
        var response = await GetAsync(path, r => r.Headers.Authorization = Basic("alice"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(SessionCookie(response));
        Assert.Equal("private, no-store", RawCacheControl(response));
    }

    [Fact]
    public async Task Proxy_OnlyRememberMeCookie_FreshCookiesPrivateNoStore()
    {
        var (_, remember) = await LoginRememberedAsync();

        var response = await GetAsync("/app/page", r => r.Headers.Add("Cookie", remember));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(SessionCookie(response));
        Assert.NotNull(SetCookie(response, "sid-remember"));
        Assert.Equal("private, no-store", RawCacheControl(response));
    }

    [Fact]
    public async Task Proxy_SessionRoute_PublicRewrittenToPrivateAndVaryCookie()
    {
        var sid = await LoginAsync("alice");

        var response = await GetAsync("/app/page", WithCookie(sid));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(SessionCookie(response));
        Assert.Equal("private, max-age=600", RawCacheControl(response));
        Assert.Contains("Cookie", response.Headers.Vary);
    }

    [Fact]
    public async Task Proxy_SessionRouteAllowingSharedCache_BackendHeadersKept()
    {
        var sid = await LoginAsync("alice");

        var response = await GetAsync("/shared/page", WithCookie(sid));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Public, RawCacheControl(response));
        Assert.DoesNotContain("Cookie", response.Headers.Vary);
    }

    [Fact]
    public async Task Proxy_AnonymousRoute_Untouched()
    {
        var response = await GetAsync("/public/page");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Public, RawCacheControl(response));
        Assert.Empty(response.Headers.Vary);
    }

    [Fact]
    public async Task Login_FormSetsCookie_PrivateNoStore()
    {
        var response = await PostFormAsync("/auth/login", ("username", "alice"), ("password", GatewayHost.DefaultPasswords["alice"]), ("returnUrl", "/"));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("private, no-store", RawCacheControl(response));
    }

    // As sent (HttpClient's parsed CacheControl reorders directives).
    private static string RawCacheControl(HttpResponseMessage response) => response.Headers.NonValidated["Cache-Control"].ToString();
}
