using Gateway.Tests.Fixtures;
using Microsoft.Playwright;

namespace Gateway.Tests.Browser;

/// <summary>The Basic-auth browser path: a browser re-sending cached Basic credentials, and its logout.</summary>
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
        var basic = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("alice:" + GatewayHost.DefaultPasswords["alice"]));
        var page = await NewPageAsync(new() { ExtraHTTPHeaders = new Dictionary<string, string> { ["Authorization"] = basic } });
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
}
