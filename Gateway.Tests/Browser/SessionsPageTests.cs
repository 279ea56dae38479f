using Gateway.Tests.Fixtures;
using Microsoft.Playwright;

namespace Gateway.Tests.Browser;

/// <summary>"My sessions" in Chromium: two browsers signed in as one user; one signs the other out, or all.</summary>
public sealed class SessionsPageTests(ChromiumFixture chromium, RedisServer redis) : BrowserTestBase(chromium, redis)
{
    [Fact]
    public async Task SessionsPage_SignOutOtherDevice_OtherSentToLoginOnNextNavigation()
    {
        var laptop = await NewPageAsync(new() { UserAgent = UserAgents.Laptop });
        var phone = await NewPageAsync(new() { UserAgent = UserAgents.Phone });
        await SignInAsync(laptop, "/app/laptop");
        await SignInAsync(phone, "/app/phone");
        var phoneHandle = await ShownAsync(phone, "session");
        var laptopHandle = await ShownAsync(laptop, "session");
        Assert.NotEqual(phoneHandle, laptopHandle);

        var listed = await laptop.GotoAsync(Url("/auth/sessions"));
        Assert.Equal(200, listed!.Status);
        Assert.StartsWith("text/html", (await listed.AllHeadersAsync())["content-type"]);
        Assert.Equal("no-store", (await listed.AllHeadersAsync())["cache-control"]);
        var rows = laptop.Locator("tbody tr");
        Assert.Equal(2, await rows.CountAsync());
        Assert.Contains("Chrome on Windows", await rows.AllInnerTextsAsync() is var texts ? string.Join("\n", texts) : "");
        Assert.Contains(texts, t => t.Contains("Safari on iPhone"));
        Assert.Single(texts, t => t.Contains("this device"));
        Assert.Contains("this device", texts.Single(t => t.Contains("Chrome on Windows")));
        await ScreenshotAsync(laptop, "sessions");

        // The laptop signs the phone out with the row's button; the page comes back without it.
        await NavigateByAsync(laptop, () => laptop.Locator($"form[action='/auth/sessions/{phoneHandle}/revoke'] button").ClickAsync());
        Assert.Equal(Url("/auth/sessions"), laptop.Url);
        Assert.Equal(1, await rows.CountAsync());
        Assert.Equal(0, await laptop.Locator($"form[action='/auth/sessions/{phoneHandle}/revoke']").CountAsync());

        // The phone's next navigation lands on the login page; the laptop is still in.
        await phone.GotoAsync(Url("/app/phone/next?x=1"));
        Assert.Equal(Url("/auth/login?returnUrl=" + Uri.EscapeDataString("/app/phone/next?x=1")), phone.Url);
        Assert.DoesNotContain(PageBackend.ProtectedMarker, await phone.ContentAsync());
        await laptop.GotoAsync(Url("/app/laptop/next"));
        Assert.Equal(laptopHandle, await ShownAsync(laptop, "session"));
    }

    [Fact]
    public async Task SessionsPage_SignOutRememberedDevice_NotBackByItsRememberMeCookie()
    {
        var laptop = await NewPageAsync(new() { UserAgent = UserAgents.Laptop });
        var phone = await NewPageAsync(new() { UserAgent = UserAgents.Phone });
        await SignInAsync(laptop, "/app/laptop");
        await SignInAsync(phone, "/app/phone", remember: true);
        var phoneHandle = await ShownAsync(phone, "session");
        Assert.Contains(await phone.Context.CookiesAsync(), c => c.Name == "sid-remember");

        await laptop.GotoAsync(Url("/auth/sessions"));
        await NavigateByAsync(laptop, () => laptop.Locator($"form[action='/auth/sessions/{phoneHandle}/revoke'] button").ClickAsync());

        // Its remember-me token went with the session: no quiet new session, the login page.
        await phone.GotoAsync(Url("/app/phone/next"));
        Assert.Equal(Url("/auth/login?returnUrl=" + Uri.EscapeDataString("/app/phone/next")), phone.Url);
        Assert.DoesNotContain(PageBackend.ProtectedMarker, await phone.ContentAsync());
        Assert.DoesNotContain(await phone.Context.CookiesAsync(), c => c.Name == "sid-remember" && c.Value.Length > 0);
    }

    [Fact]
    public async Task SessionsPage_SignOutEverywhere_BothSentToLogin()
    {
        var first = await NewPageAsync();
        var second = await NewPageAsync();
        await SignInAsync(first, "/app/one");
        await SignInAsync(second, "/app/two");

        await first.GotoAsync(Url("/auth/sessions"));
        await NavigateByAsync(first, () => first.GetByRole(AriaRole.Button, new() { Name = "Sign out everywhere" }).ClickAsync());
        Assert.StartsWith(Url("/auth/login"), first.Url);

        // A new URL: the page backend marks its pages cacheable, and the second browser may show its own copy of
        // "/app/two" from cache, without asking anyone (the signing-out browser's cache was cleared, not this one's).
        await second.GotoAsync(Url("/app/two/next"));
        Assert.StartsWith(Url("/auth/login"), second.Url);
        await first.GotoAsync(Url("/app/one"));
        Assert.StartsWith(Url("/auth/login"), first.Url);
    }

    [Fact]
    public async Task SessionsPage_FetchedByScript_JsonNotHtml()
    {
        var page = await NewPageAsync();
        await SignInAsync(page, "/app");

        var answer = await page.EvaluateAsync<System.Text.Json.JsonElement>("""
            async () => { const r = await fetch('/auth/sessions', { signal: AbortSignal.timeout(10000) }); return { status: r.status, type: r.headers.get('content-type'), body: await r.json() }; }
            """);
        Assert.Equal(200, answer.GetProperty("status").GetInt32());
        Assert.StartsWith("application/json", answer.GetProperty("type").GetString());
        Assert.Equal(1, answer.GetProperty("body").GetArrayLength());
    }
}

/// <summary>User agents of two "devices".</summary>
internal static class UserAgents
{
    public const string Laptop = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";
    public const string Phone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
}
