using Gateway.Tests.Fixtures;
using Microsoft.Playwright;

namespace Gateway.Tests.Browser;

/// <summary>
/// CSRF: a page of another origin on the same site (the backend's own port: the SameSite=Lax cookie still
/// travels) posts the gateway's forms. The gateway refuses; the session survives.
/// </summary>
public sealed class CrossOriginTests(ChromiumFixture chromium, RedisServer redis) : BrowserTestBase(chromium, redis)
{
    [Theory]
    [InlineData("/auth/sessions/{handle}/revoke", null)]
    [InlineData("/auth/logout", "scope=all")]
    [InlineData("/auth/logout", null)]
    public async Task ForeignPage_PostsGatewayForm_RefusedAndSessionKept(string action, string? field)
    {
        var page = await NewPageAsync();
        await SignInAsync(page, "/app");
        var handle = await ShownAsync(page, "session");

        var target = Url(action.Replace("{handle}", handle));
        var poster = $"{Backend.Url.TrimEnd('/')}/poster?action={Uri.EscapeDataString(target)}" + (field is null ? "" : "&field=" + Uri.EscapeDataString(field));
        await page.GotoAsync(poster);
        var answer = await NavigateByAsync(page, () => page.GetByRole(AriaRole.Button, new() { Name = "Go" }).ClickAsync());

        Assert.Equal(403, answer.Status);
        Assert.Contains("\"csrf\"", await answer.TextAsync());
        await page.GotoAsync(Url("/app/after"));
        Assert.Equal(handle, await ShownAsync(page, "session"));
    }

    [Fact]
    public async Task ForeignPage_OpensWebSocketWithVictimsCookie_HandshakeRefused()
    {
        var page = await NewPageAsync();
        await SignInAsync(page, "/app");
        var socket = Url("/ws").Replace("http", "ws", StringComparison.Ordinal);
        Assert.Equal("message:alice: hello", await WebSocketExchangeAsync(page, socket));

        // Cross-site WebSocket hijacking: the handshake is a GET and carries the Lax cookie from a same-site page.
        await page.GotoAsync($"{Backend.Url.TrimEnd('/')}/foreign");

        Assert.Equal("closed:1006", await WebSocketExchangeAsync(page, socket));
    }

    [Fact]
    public async Task ForeignPage_PostsLoginForm_Refused()
    {
        var page = await NewPageAsync();
        await page.GotoAsync($"{Backend.Url.TrimEnd('/')}/poster?action={Uri.EscapeDataString(Url("/auth/login"))}&field=username%3Dalice");

        var answer = await NavigateByAsync(page, () => page.GetByRole(AriaRole.Button, new() { Name = "Go" }).ClickAsync());

        Assert.Equal(403, answer.Status);
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "sid" && c.Value.Length > 0);
    }
}
