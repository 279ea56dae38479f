using Gateway.Tests.Fixtures;
using Microsoft.Playwright;

namespace Gateway.Tests.Browser;

/// <summary>The Basic-auth browser path: a browser re-sending cached Basic credentials, its logout, and CSRF.</summary>
public sealed class BasicAuthBrowserTests(ChromiumFixture chromium, RedisServer redis) : BrowserTestBase(chromium, redis)
{
    [Fact]
    public async Task Navigation_BrowserReadyToAnswerPrompt_GetsLoginFormNotPrompt()
    {
        var prompts = 0;
        var page = await NewPageAsync(new() { HttpCredentials = new() { Username = "alice", Password = GatewayHost.DefaultPasswords["alice"] } });
        page.Response += (_, r) => prompts += r.Headers.ContainsKey("www-authenticate") ? 1 : 0;

        await page.GotoAsync(Url("/app/basic"));

        // The form, which password managers fill, is preferred to the native prompt for navigations.
        Assert.StartsWith(Url("/auth/login"), page.Url);
        Assert.Equal(0, prompts);
    }

    [Fact]
    public async Task CachedBasicCredentials_AfterLogout_MeetChallengeNotSilentLogin()
    {
        // A browser that has answered the prompt re-sends the credentials by itself on every request.
        var page = await NewPageAsync(new() { ExtraHTTPHeaders = new Dictionary<string, string> { ["Authorization"] = AliceBasic } });
        await page.GotoAsync(Url("/app/basic"));
        Assert.Equal("alice", await ShownAsync(page, "user"));
        var before = await ShownAsync(page, "session");

        // Logout's redirect is the first request after it: challenged (the browser would prompt), not let in
        // on the cached credentials.
        var challenged = await NavigateByAsync(page, () => page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync());
        Assert.Equal(Url("/"), challenged.Url);
        Assert.Equal(401, challenged.Status);
        Assert.StartsWith("Basic realm=", (await challenged.AllHeadersAsync())["www-authenticate"]);
        Assert.DoesNotContain(PageBackend.ProtectedMarker, await page.ContentAsync());

        // Credentials given again (the user answered the prompt) start a new session.
        await page.GotoAsync(Url("/app/basic"));
        Assert.Equal("alice", await ShownAsync(page, "user"));
        Assert.NotEqual(before, await ShownAsync(page, "session"));
    }

    [Fact]
    public async Task CachedBasicCredentials_CrossSiteFormPost_RefusedButSameOriginPostForwarded()
    {
        // Cached Basic credentials travel with a cross-site form post while the SameSite=Lax cookie does not. The
        // cookie is cleared here so that Basic is the only credential either post carries.
        var page = await NewPageAsync(new() { ExtraHTTPHeaders = new Dictionary<string, string> { ["Authorization"] = AliceBasic } });
        await page.GotoAsync(Url("/app/basic"));
        Assert.Equal("alice", await ShownAsync(page, "user"));
        await page.Context.ClearCookiesAsync();
        var target = Url("/app/posted");
        await page.RouteAsync("http://evil.test/**", route => route.FulfillAsync(new()
        {
            ContentType = "text/html",
            Body = $"<!doctype html><html lang=\"en\"><title>evil</title><form method=\"post\" action=\"{target}\">" +
                "<input type=\"hidden\" name=\"amount\" value=\"1000\"><button>Go</button></form></html>",
        }));

        await page.GotoAsync("http://evil.test/poster");
        var refused = await NavigateByAsync(page, () => page.GetByRole(AriaRole.Button, new() { Name = "Go" }).ClickAsync());

        Assert.Equal(403, refused.Status);
        var body = await refused.TextAsync();
        Assert.Contains("\"csrf\"", body);
        Assert.Contains("cross-site request refused", body);

        // The same post from the gateway's own origin, with the same credentials only, reaches the backend as alice.
        await page.GotoAsync(Url("/app/basic"));
        await page.Context.ClearCookiesAsync();
        var forwarded = await NavigateByAsync(page, () => page.EvaluateAsync(
            $"() => {{ const f = document.createElement('form'); f.method = 'post'; f.action = '{target}'; document.body.appendChild(f); f.submit(); }}"));
        Assert.Equal(200, forwarded.Status);
        Assert.Equal("/app/posted", await ShownAsync(page, "path"));
        Assert.Equal("alice", await ShownAsync(page, "user"));
        Assert.Empty(await ShownAsync(page, "authorization"));
    }

    private static string AliceBasic => "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("alice:" + GatewayHost.DefaultPasswords["alice"]));
}
