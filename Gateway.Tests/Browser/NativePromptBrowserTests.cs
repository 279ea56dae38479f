using Gateway.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Gateway.Tests.Browser;

/// <summary>
/// <c>Gateway:Login:BrowserChallenge=Basic</c> in Chromium: the native prompt (answered by the context's
/// credentials, as a person would type them) leads to the page asked for; a cancelled prompt shows a page that
/// offers the form; after logout the browser's cached credentials meet a new prompt instead of a silent login.
/// Chromium answers a challenge inside its network stack, out of Playwright's sight, so the gateway counts the
/// challenges it sends.
/// </summary>
public sealed class NativePromptBrowserTests(ChromiumFixture chromium, RedisServer redis) : BrowserTestBase(chromium, redis)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:Login:BrowserChallenge"] = "Basic",
    };

    private int _challenges;

    protected override void ConfigureHost(WebApplicationBuilder builder) =>
        builder.Services.AddSingleton<IStartupFilter>(new ChallengeCounter(() => Interlocked.Increment(ref _challenges)));

    [Fact]
    public async Task Navigation_PromptAnswered_LandsOnPageWithIdentityNotPassword()
    {
        var page = await NewPageAsync(new() { HttpCredentials = Alice });

        var response = await page.GotoAsync(Url("/app/basic?tab=2"));

        Assert.Equal(200, response!.Status);
        Assert.Equal(Url("/app/basic?tab=2"), page.Url);
        Assert.Equal("alice", await ShownAsync(page, "user"));
        Assert.Empty(await ShownAsync(page, "authorization"));
        Assert.Equal(1, Volatile.Read(ref _challenges));

        // The session cookie carries the next navigations: no further prompt, the same session.
        var session = await ShownAsync(page, "session");
        await page.ReloadAsync();
        Assert.Equal(session, await ShownAsync(page, "session"));
        Assert.Equal(1, Volatile.Read(ref _challenges));
    }

    [Fact]
    public async Task Navigation_NoCredentials_ChallengedNotRedirected()
    {
        var page = await NewPageAsync();

        // Headless Chromium has nobody to answer the prompt: it fails the navigation as a person's cancel would
        // end it (the page behind the prompt, which offers the form, is checked in BrowserChallengeTests).
        var refused = await Assert.ThrowsAsync<PlaywrightException>(() => page.GotoAsync(Url("/app/basic?tab=2")));

        Assert.Contains("ERR_INVALID_AUTH_CREDENTIALS", refused.Message);
        Assert.Equal(1, Volatile.Read(ref _challenges));
    }

    [Fact]
    public async Task Logout_CachedCredentials_PromptAgainNotSilentLogin()
    {
        var page = await NewPageAsync(new() { HttpCredentials = Alice });
        await page.GotoAsync(Url("/app/basic"));
        var before = await ShownAsync(page, "session");

        await NavigateByAsync(page, () => page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync());

        // The first request after logout met a challenge (a person would see the prompt); the context answered it.
        Assert.Equal(2, Volatile.Read(ref _challenges));
        await page.GotoAsync(Url("/app/basic"));
        Assert.Equal("alice", await ShownAsync(page, "user"));
        Assert.NotEqual(before, await ShownAsync(page, "session"));
    }

    private static HttpCredentials Alice => new() { Username = "alice", Password = GatewayHost.DefaultPasswords["alice"] };

    /// <summary>Counts the gateway's 401 answers that carry a Basic challenge (each one a prompt for a person).</summary>
    private sealed class ChallengeCounter(Action counted) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Response.OnStarting(() =>
                {
                    if (context.Response.StatusCode == 401 && context.Response.Headers.WWWAuthenticate.Count > 0)
                    {
                        counted();
                    }
                    return Task.CompletedTask;
                });
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
