using Gateway.Tests.Fixtures;
using Microsoft.Playwright;

namespace Gateway.Tests.Browser;

/// <summary>The login page's configurable look: title, a logo from another origin (allowed by the CSP), a template file.</summary>
public sealed class LoginLookTests(ChromiumFixture chromium, RedisServer redis) : BrowserTestBase(chromium, redis), IDisposable
{
    private readonly string _template = Path.Combine(Path.GetTempPath(), $"gw-login-{Guid.NewGuid():N}.html");

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            File.WriteAllText(_template, """
                <!doctype html>
                <html lang="de">
                <head><meta charset="utf-8"><title>{{title}}</title><link rel="stylesheet" href="{{stylesheet}}"></head>
                <body><main class="card">{{logo}}<h1>{{title}}</h1><p class="muted">Intranet der Acme GmbH</p>{{error}}{{form}}</main></body>
                </html>
                """);
            return new Dictionary<string, string?>
            {
                ["Gateway:Login:Title"] = "Acme Portal",
                ["Gateway:Login:LogoUrl"] = Backend.Url.TrimEnd('/') + "/public/logo.svg", // another origin
                ["Gateway:Login:TemplateFile"] = _template,
            };
        }
    }

    [Fact]
    public async Task LoginPage_TemplateTitleAndForeignLogo_RenderedAndFormIntact()
    {
        var page = await NewPageAsync();
        var response = await page.GotoAsync(Url("/app?x=1"));

        Assert.Equal("Acme Portal", await page.TitleAsync());
        Assert.Equal("de", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal("Intranet der Acme GmbH", await page.Locator("p.muted").InnerTextAsync());
        var csp = (await response!.AllHeadersAsync())["content-security-policy"];
        Assert.Contains("img-src 'self' data: " + Backend.Url.TrimEnd('/'), csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        // The logo was allowed by the CSP and loaded.
        Assert.True(await page.Locator("img.logo").EvaluateAsync<bool>("i => i.complete && i.naturalWidth > 0"));
        Assert.Equal("", await page.Locator("img.logo").GetAttributeAsync("alt"));

        // The gateway's form is inside the template and works.
        Assert.Equal("current-password", await page.GetByLabel("Password").GetAttributeAsync("autocomplete"));
        await SubmitLoginAsync(page, "alice", GatewayHost.DefaultPasswords["alice"]);
        Assert.Equal(Url("/app?x=1"), page.Url);
    }

    [Fact]
    public async Task LoginPage_Template_Screenshot()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(Url("/auth/login"));
        await SubmitLoginAsync(page, "alice", "wrong");
        await ScreenshotAsync(page, "login-custom");
        Assert.Equal(1, await page.GetByRole(AriaRole.Alert).CountAsync());
    }

    public void Dispose() => File.Delete(_template);
}
