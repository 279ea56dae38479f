using Gateway.Authentication;
using Gateway.Sessions;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Authentication;

/// <summary>
/// The Session scheme's carriers one at a time, on a <see cref="DefaultHttpContext"/>, with the services the gateway
/// registers (<see cref="ResolverTestBase"/>).
/// </summary>
public sealed class SessionResolverTests : ResolverTestBase
{
    [Fact]
    public async Task SessionCookie_LiveSession_FindsItAndLetsBasicDecide()
    {
        var signedIn = await SignInAsync();
        var resolution = Request(r => r.Headers.Cookie = $"{CookieName}={signedIn.Id.Value}");

        var decided = await Get<SessionCookieResolver>().ResolveAsync(resolution, CancellationToken.None);

        Assert.False(decided);
        Assert.Equal("alice", resolution.Session?.User);
        Assert.True(resolution.Presented);
        Assert.Equal("cookie", resolution.Feature.Carrier);
        Assert.False(resolution.Feature.StaleCookie);
    }

    [Fact]
    public async Task SessionCookie_TwoCopies_FailsMalformedAndExpiresIt()
    {
        var resolution = Request(r => r.Headers.Cookie = $"{CookieName}=a; {CookieName}=b");

        Assert.True(await Get<SessionCookieResolver>().ResolveAsync(resolution, CancellationToken.None));
        Assert.Equal(AuthenticationFailure.Malformed, resolution.Feature.Failure);
        Assert.True(resolution.Feature.StaleCookie);
    }

    [Fact]
    public async Task SessionCookie_EndedSession_MarksStaleAndPresented()
    {
        var signedIn = await SignInAsync();
        await Get<SessionService>().EndAsync(signedIn.Session, "logout", "alice", null, CancellationToken.None);
        var resolution = Request(r => r.Headers.Cookie = $"{CookieName}={signedIn.Id.Value}");

        Assert.False(await Get<SessionCookieResolver>().ResolveAsync(resolution, CancellationToken.None));
        Assert.Null(resolution.Session);
        Assert.True(resolution.Presented);
        Assert.True(resolution.Feature.StaleCookie);
    }

    [Fact]
    public async Task SessionToken_LiveToken_FindsIt()
    {
        var signedIn = await SignInAsync();
        var resolution = Request(r => r.Headers[SessionDefaults.TokenHeader] = signedIn.Id.Value);

        Assert.False(await Get<SessionTokenResolver>().ResolveAsync(resolution, CancellationToken.None));
        Assert.Equal("alice", resolution.Session?.User);
        Assert.Equal("token", resolution.Feature.Carrier);
    }

    [Fact]
    public async Task SessionToken_TwoHeaders_FailsMalformed()
    {
        var resolution = Request(r => r.Headers[SessionDefaults.TokenHeader] = new(["a", "b"]));

        Assert.True(await Get<SessionTokenResolver>().ResolveAsync(resolution, CancellationToken.None));
        Assert.Equal(AuthenticationFailure.Malformed, resolution.Feature.Failure);
    }

    [Fact]
    public async Task SessionToken_CookieAlreadyFoundSession_IsNotRead()
    {
        var signedIn = await SignInAsync();
        var resolution = Request(r => r.Headers[SessionDefaults.TokenHeader] = new(["a", "b"]));
        resolution.Session = signedIn.Session;

        Assert.False(await Get<SessionTokenResolver>().ResolveAsync(resolution, CancellationToken.None));
        Assert.Equal(AuthenticationFailure.None, resolution.Feature.Failure);
    }

    [Fact]
    public async Task BasicHeader_FoundSessionOfTheSameUser_SucceedsWithIt()
    {
        var signedIn = await SignInAsync();
        var resolution = Request(r => r.Headers.Authorization = Basic("alice", "not-checked"));
        resolution.Session = signedIn.Session;

        Assert.True(await Get<BasicHeaderResolver>().ResolveAsync(resolution, CancellationToken.None));
        Assert.Same(signedIn.Session, resolution.Feature.Session);
        Assert.Equal("alice", resolution.Context.User.Identity?.Name);
    }

    [Fact]
    public async Task BasicHeader_ValidCredentials_CreatesSessionAndIssuesCookie()
    {
        var resolution = Request(r => r.Headers.Authorization = Basic("alice", Password("alice")));

        Assert.True(await Get<BasicHeaderResolver>().ResolveAsync(resolution, CancellationToken.None));
        Assert.Equal("alice", resolution.Feature.Session?.User);
        Assert.Equal("basic", resolution.Feature.Carrier);
        Assert.StartsWith(CookieName + "=", resolution.Context.Response.Headers.SetCookie.ToString());
    }

    [Fact]
    public async Task BasicHeader_WrongPassword_FailsInvalidCredentials()
    {
        var resolution = Request(r => r.Headers.Authorization = Basic("alice", "wrong"));

        Assert.True(await Get<BasicHeaderResolver>().ResolveAsync(resolution, CancellationToken.None));
        Assert.Equal(AuthenticationFailure.InvalidCredentials, resolution.Feature.Failure);
        Assert.Null(resolution.Feature.Session);
    }

    [Fact]
    public async Task BasicHeader_AfterLogoutMarker_FailsLoggedOutWithoutASession()
    {
        var marker = Get<SessionCookies>().LogoutMarkerName;
        var resolution = Request(r =>
        {
            r.Headers.Authorization = Basic("alice", Password("alice"));
            r.Headers.Cookie = marker + "=1";
        });

        Assert.True(await Get<BasicHeaderResolver>().ResolveAsync(resolution, CancellationToken.None));
        Assert.Equal(AuthenticationFailure.LoggedOut, resolution.Feature.Failure);
        Assert.Equal(0, resolution.Context.Response.Headers.SetCookie.Count);
    }

    [Fact]
    public async Task BasicHeader_CrossSitePost_DecidesWithoutLookingUpOrCreating()
    {
        var resolution = Request(r =>
        {
            r.Headers.Authorization = Basic("alice", Password("alice"));
            r.Headers["Sec-Fetch-Site"] = "cross-site";
        }, method: "POST");

        Assert.True(await Get<BasicHeaderResolver>().ResolveAsync(resolution, CancellationToken.None));
        Assert.Null(resolution.Feature.Session);
        Assert.Equal(AuthenticationFailure.None, resolution.Feature.Failure);
        Assert.Equal(0, resolution.Context.Response.Headers.SetCookie.Count);
    }

    [Fact]
    public async Task BasicHeader_Malformed_FailsMalformed()
    {
        var resolution = Request(r => r.Headers.Authorization = "Basic !!!");

        Assert.True(await Get<BasicHeaderResolver>().ResolveAsync(resolution, CancellationToken.None));
        Assert.Equal(AuthenticationFailure.Malformed, resolution.Feature.Failure);
    }

    [Fact]
    public async Task BasicHeader_Absent_LetsTheNextCarrierTry()
    {
        var resolution = Request();

        Assert.False(await Get<BasicHeaderResolver>().ResolveAsync(resolution, CancellationToken.None));
        Assert.Equal(AuthenticationFailure.None, resolution.Feature.Failure);
    }

    [Fact]
    public async Task RememberMeCookie_Valid_RedeemsForANewSession()
    {
        var remember = Get<RememberMeService>();
        var selector = RememberMeService.NewSelector();
        var signedIn = await SignInAsync(rememberSelector: selector);
        var issued = new DefaultHttpContext();
        await remember.IssueAsync(issued.Response, signedIn.User, selector, CancellationToken.None);
        var cookie = issued.Response.Headers.SetCookie.ToString().Split(';')[0];
        var resolution = Request(r => r.Headers.Cookie = cookie);

        Assert.True(await Get<RememberMeCookieResolver>().ResolveAsync(resolution, CancellationToken.None));
        Assert.Equal("alice", resolution.Feature.Session?.User);
        Assert.Equal("cookie", resolution.Feature.Carrier);
        Assert.Contains(resolution.Context.Response.Headers.SetCookie, c => c!.StartsWith(CookieName + "=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RememberMeCookie_TwoCopies_FailsMalformedAndExpiresIt()
    {
        var name = Get<RememberMeService>().CookieName;
        var resolution = Request(r => r.Headers.Cookie = $"{name}=a.b; {name}=c.d");

        Assert.True(await Get<RememberMeCookieResolver>().ResolveAsync(resolution, CancellationToken.None));
        Assert.Equal(AuthenticationFailure.Malformed, resolution.Feature.Failure);
        Assert.Contains(resolution.Context.Response.Headers.SetCookie, c => c!.StartsWith(name + "=;", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Authenticate_PresentedIdNoCarrierAccepts_FailsSessionEnded()
    {
        var signedIn = await SignInAsync();
        await Get<SessionService>().EndAsync(signedIn.Session, "logout", "alice", null, CancellationToken.None);
        var resolution = Request(r => r.Headers[SessionDefaults.TokenHeader] = signedIn.Id.Value);

        await Get<SessionAuthenticator>().AuthenticateAsync(resolution.Context, resolution.Feature);

        Assert.Equal(AuthenticationFailure.SessionEnded, resolution.Feature.Failure);
    }

    [Fact]
    public async Task PasswordSignIn_OutOfBoundsInput_FailsAsUnknownUserWithoutASession()
    {
        var outcome = await Get<PasswordSignIn>().SignInAsync(
            new SignInRequest("alice", Password("alice"), "form", new ClientInfo("192.0.2.10", "test")) { Verify = false }, CancellationToken.None);

        Assert.Null(outcome.SignedIn);
        Assert.Equal(Gateway.Users.PasswordFailure.UnknownUser, outcome.Failure);
    }
}
