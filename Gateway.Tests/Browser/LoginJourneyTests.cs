using Gateway.Tests.Fixtures;
using Microsoft.Playwright;

namespace Gateway.Tests.Browser;

/// <summary>The whole browser journey in real Chromium: protected URL, login, backend page, reload, logout, back button.</summary>
public sealed class LoginJourneyTests(ChromiumFixture chromium, RedisServer redis) : BrowserTestBase(chromium, redis)
{
    private const string Protected = "/app/orders?id=42&q=a%20b&empty=";

    [Fact]
    public async Task Journey_ProtectedUrlLoginLogoutBack_NoProtectedContentAfterLogout()
    {
        var page = await NewPageAsync();

        // A protected URL lands on the login page, which remembers the exact URL asked for.
        var first = await page.GotoAsync(Url(Protected));
        Assert.Equal(200, first!.Status);
        Assert.Equal(Url("/auth/login?returnUrl=" + Uri.EscapeDataString(Protected)), page.Url);
        await ScreenshotAsync(page, "login");

        // A wrong password gets the generic error, announced to screen readers, with the user name kept.
        var wrong = await SubmitLoginAsync(page, "alice", "not-her-password");
        Assert.Equal(401, wrong.Status);
        var error = page.GetByRole(AriaRole.Alert);
        Assert.Equal("Invalid user name or password.", (await error.InnerTextAsync()).Trim());
        Assert.Equal("alice", await page.GetByLabel("User name").InputValueAsync());
        Assert.Equal("", await page.GetByLabel("Password").InputValueAsync());

        // The right password lands on the original URL, query intact; the backend saw the identity, no cookie.
        var landed = await SubmitLoginAsync(page, "alice", GatewayHost.DefaultPasswords["alice"]);
        Assert.Equal(200, landed.Status);
        Assert.Equal(Url(Protected), page.Url);
        Assert.Equal("/app/orders?id=42&q=a%20b&empty=", await ShownAsync(page, "path"));
        Assert.Equal("alice", await ShownAsync(page, "user"));
        Assert.Equal("user", await ShownAsync(page, "roles"));
        Assert.DoesNotContain("sid=", await ShownAsync(page, "cookie"));
        Assert.Equal("", await ShownAsync(page, "authorization"));
        var handle = await ShownAsync(page, "session");
        Assert.Matches("^[A-Za-z0-9_-]{16}$", handle);

        // A reload keeps the session.
        await page.ReloadAsync();
        Assert.Equal(Url(Protected), page.Url);
        Assert.Equal(handle, await ShownAsync(page, "session"));

        // The backend's own sign-out form (the one the README documents) ends the session.
        await NavigateByAsync(page, () => page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync());
        Assert.StartsWith(Url("/auth/login"), page.Url);
        Assert.DoesNotContain(PageBackend.ProtectedMarker, await page.ContentAsync());

        // The protected URL goes back to login...
        // (The page was cacheable for ten minutes: only the logout's Clear-Site-Data keeps it from being shown.)
        await page.GotoAsync(Url(Protected));
        Assert.DoesNotContain(PageBackend.ProtectedMarker, await page.ContentAsync());
        Assert.StartsWith(Url("/auth/login"), page.Url);

        // ...and walking back through history never shows the protected page, though it was cacheable: the
        // entry of the page is fetched again and meets the login redirect. Further back is the failed login
        // POST, which Chromium will not resubmit on its own (ERR_CACHE_MISS): nothing protected there either.
        var steps = 0;
        for (; steps < 4; steps++)
        {
            try
            {
                if (await page.GoBackAsync() is null)
                {
                    break;
                }
            }
            catch (PlaywrightException e) when (e.Message.Contains("ERR_CACHE_MISS"))
            {
                break;
            }
            Assert.DoesNotContain(PageBackend.ProtectedMarker, await page.ContentAsync());
            Assert.StartsWith(Url("/auth/login"), page.Url);
            await page.ReloadAsync();
            Assert.DoesNotContain(PageBackend.ProtectedMarker, await page.ContentAsync());
        }
        Assert.True(steps >= 2, "history should have held the logout page and the protected page");
    }
}
