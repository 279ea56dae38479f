using Gateway.Tests.Fixtures;
using Microsoft.Playwright;

namespace Gateway.Tests.Browser;

/// <summary>
/// Remember me across a browser restart: the context is closed and a new one opened from its stored state,
/// without the browser-session cookies (a restarted browser drops those), after the short session expired.
/// </summary>
public sealed class RememberMeTests(ChromiumFixture chromium, RedisServer redis) : BrowserTestBase(chromium, redis)
{
    private static readonly TimeSpan PastIdleTimeout = TimeSpan.FromMinutes(31);

    [Fact]
    public async Task RememberMe_Ticked_StillSignedInAfterRestartAndExpiry()
    {
        var page = await NewPageAsync();
        await SignInAsync(page, "/app/start", remember: true);
        var firstHandle = await ShownAsync(page, "session");
        var cookies = await page.Context.CookiesAsync();
        var remember = Assert.Single(cookies, c => c.Name == "sid-remember");
        Assert.True(remember.HttpOnly);
        Assert.InRange(remember.Expires, DateTimeOffset.UtcNow.AddDays(29).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddDays(31).ToUnixTimeSeconds());

        var page2 = await RestartAsync(page);
        Host.Clock.Advance(PastIdleTimeout);
        await page2.GotoAsync(Url("/app/after?restart=1"));

        Assert.Equal(Url("/app/after?restart=1"), page2.Url);
        Assert.Equal("alice", await ShownAsync(page2, "user"));
        Assert.NotEqual(firstHandle, await ShownAsync(page2, "session"));
    }

    [Fact]
    public async Task RememberMe_NotTicked_SessionCookieOnlyAndLoginAfterRestart()
    {
        var page = await NewPageAsync();
        await SignInAsync(page, "/app/start");
        var cookies = await page.Context.CookiesAsync();
        Assert.DoesNotContain(cookies, c => c.Name == "sid-remember");
        Assert.Equal(-1, Assert.Single(cookies, c => c.Name == "sid").Expires); // a browser-session cookie

        var page2 = await RestartAsync(page);
        Host.Clock.Advance(PastIdleTimeout);
        await page2.GotoAsync(Url("/app/after?restart=1"));

        Assert.Equal(Url("/auth/login?returnUrl=" + Uri.EscapeDataString("/app/after?restart=1")), page2.Url);
    }

    [Fact]
    public async Task RememberMe_TickedThenLogout_NotRememberedAnyMore()
    {
        var page = await NewPageAsync();
        await SignInAsync(page, "/app/start", remember: true);
        await NavigateByAsync(page, () => page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync());

        var page2 = await RestartAsync(page);
        Host.Clock.Advance(PastIdleTimeout);
        await page2.GotoAsync(Url("/app/after"));

        Assert.StartsWith(Url("/auth/login"), page2.Url);
    }

    /// <summary>Closes the page's context and opens a new one from its storage state minus browser-session cookies.</summary>
    private async Task<IPage> RestartAsync(IPage page)
    {
        var state = await page.Context.StorageStateAsync();
        var json = System.Text.Json.Nodes.JsonNode.Parse(state)!;
        var kept = json["cookies"]!.AsArray().Where(c => c!["expires"]!.GetValue<double>() >= 0).Select(c => c!.DeepClone()).ToArray();
        json["cookies"] = new System.Text.Json.Nodes.JsonArray(kept);
        await page.Context.CloseAsync();
        return await NewPageAsync(new() { StorageState = json.ToJsonString() });
    }
}
