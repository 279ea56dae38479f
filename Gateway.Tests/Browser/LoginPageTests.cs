using System.Text.RegularExpressions;
using Gateway.Tests.Fixtures;
using Microsoft.Playwright;

namespace Gateway.Tests.Browser;

/// <summary>The login page as Chromium renders it: accessibility basics, password-manager hints, headers, framing.</summary>
public sealed class LoginPageTests(ChromiumFixture chromium, RedisServer redis) : BrowserTestBase(chromium, redis)
{
    [Fact]
    public async Task LoginPage_Fields_LabelledWithPasswordManagerHints()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(Url("/auth/login"));

        var user = page.GetByLabel("User name");
        Assert.Equal("username", await user.GetAttributeAsync("autocomplete"));
        Assert.Equal("username", await user.GetAttributeAsync("name"));
        Assert.True(await user.EvaluateAsync<bool>("e => e === document.activeElement"), "the user name field has the focus");
        var password = page.GetByLabel("Password");
        Assert.Equal("current-password", await password.GetAttributeAsync("autocomplete"));
        Assert.Equal("password", await password.GetAttributeAsync("type"));
        var remember = page.GetByRole(AriaRole.Checkbox, new() { Name = "Remember me" });
        Assert.Equal("remember", await remember.GetAttributeAsync("name"));
        Assert.False(await remember.IsCheckedAsync());
        Assert.Equal(1, await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).CountAsync());
        Assert.Equal("post", await page.Locator("form").GetAttributeAsync("method"));
    }

    [Fact]
    public async Task LoginPage_Accessibility_LangTitleHeadingAndEveryControlLabelled()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(Url("/auth/login?returnUrl=%2Fx"));

        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal("Sign in", await page.TitleAsync());
        Assert.Equal(1, await page.GetByRole(AriaRole.Heading, new() { Level = 1, Name = "Sign in" }).CountAsync());
        Assert.Equal(1, await page.GetByRole(AriaRole.Main).CountAsync());
        // Every visible control has a label the browser associates with it; every image has alt text.
        var unlabelled = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                .filter(e => e.labels.length === 0 && !e.getAttribute('aria-label')).map(e => e.outerHTML)
            """);
        Assert.Empty(unlabelled);
        Assert.Equal(0, await page.Locator("img:not([alt])").CountAsync());
        Assert.Equal(0, await page.Locator("[tabindex]").CountAsync());

        // A failed login marks the fields invalid, points them at the message, and focuses the password.
        await SubmitLoginAsync(page, "alice", "wrong");
        var error = page.GetByRole(AriaRole.Alert);
        Assert.Equal("login-error", await error.GetAttributeAsync("id"));
        Assert.Equal("true", await page.GetByLabel("Password").GetAttributeAsync("aria-invalid"));
        Assert.Equal("login-error", await page.GetByLabel("Password").GetAttributeAsync("aria-describedby"));
        Assert.True(await page.GetByLabel("Password").EvaluateAsync<bool>("e => e === document.activeElement"));
    }

    [Fact]
    public async Task LoginPage_Headers_StrictCspNoFramingNoStoreNoInlineCode()
    {
        var page = await NewPageAsync();
        var response = await page.GotoAsync(Url("/auth/login"));
        var headers = await response!.AllHeadersAsync();

        var csp = headers["content-security-policy"];
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("form-action 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("script-src", csp);
        Assert.Equal("DENY", headers["x-frame-options"]);
        Assert.Equal("no-store", headers["cache-control"]);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
        var html = await response.TextAsync();
        Assert.DoesNotMatch(new Regex("<script|\\son[a-z]+=|\\sstyle=", RegexOptions.IgnoreCase), html);

        // The stylesheet is allowed by the CSP and applied (a blocked one would leave the default white body).
        var background = await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
        Assert.Equal("rgb(243, 244, 246)", background);
    }

    [Fact]
    public async Task LoginPage_InForeignFrame_NotRendered()
    {
        var page = await NewPageAsync();
        // A page of another origin (the backend's port, straight) frames the gateway's login page.
        var framed = page.WaitForResponseAsync(r => r.Url == Url("/auth/login"));
        await page.GotoAsync(Backend.Url.TrimEnd('/') + "/framer?src=" + Uri.EscapeDataString(Url("/auth/login"))); // "load" waits for the frame
        Assert.Equal(200, (await framed).Status);

        var frame = page.Frames.Single(f => f != page.MainFrame);
        Assert.Equal(0, await frame.Locator("input[name=password]").CountAsync());
    }

    [Fact]
    public async Task LoginPage_UnknownUserAndWrongPassword_SameAnswer()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(Url("/auth/login?returnUrl=%2Fapp"));
        var wrong = await SubmitLoginAsync(page, "alice", "wrong-password");
        var wrongHtml = (await page.ContentAsync()).Replace("value=\"alice\"", "value=\"USER\"");

        await page.GotoAsync(Url("/auth/login?returnUrl=%2Fapp"));
        var unknown = await SubmitLoginAsync(page, "mallory", "wrong-password");
        var unknownHtml = (await page.ContentAsync()).Replace("value=\"mallory\"", "value=\"USER\"");

        Assert.Equal(401, wrong.Status);
        Assert.Equal(401, unknown.Status);
        Assert.Equal(wrongHtml, unknownHtml);
        Assert.Contains(LoginPageText.Error, wrongHtml);
    }
}

/// <summary>Texts the login page shows.</summary>
internal static class LoginPageText
{
    public const string Error = "Invalid user name or password.";
}
