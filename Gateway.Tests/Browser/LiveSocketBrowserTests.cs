using Gateway.Tests.Fixtures;
using Microsoft.Playwright;

namespace Gateway.Tests.Browser;

/// <summary>
/// Issue 17 item 1 in a real browser: "Sign out everywhere" on one device closes the live WebSocket of another, and
/// that device's page sees the close code 1008 (policy violation) with the reason.
/// </summary>
public sealed class LiveSocketBrowserTests(ChromiumFixture chromium, RedisServer redis) : BrowserTestBase(chromium, redis)
{
    [Fact]
    public async Task SignOutEverywhere_OtherDevicesLiveSocket_ClosedWith1008()
    {
        var laptop = await NewPageAsync();
        var phone = await NewPageAsync();
        await SignInAsync(laptop, "/app/one");
        await SignInAsync(phone, "/app/two");
        await phone.EvaluateAsync("""
            url => new Promise((resolve, reject) => {
              window.socketClosed = null;
              const ws = new WebSocket(url);
              ws.onopen = () => ws.send('hello');
              ws.onmessage = () => resolve();
              ws.onclose = e => { window.socketClosed = e.code + ' ' + e.reason; reject(new Error('closed early: ' + e.code)); };
            })
            """, new UriBuilder(Url("/ws")) { Scheme = "ws" }.Uri.AbsoluteUri);

        await laptop.GotoAsync(Url("/auth/sessions"));
        await NavigateByAsync(laptop, () => laptop.GetByRole(AriaRole.Button, new() { Name = "Sign out everywhere" }).ClickAsync());

        var closed = await Eventually.ValueAsync(() => phone.EvaluateAsync<string?>("window.socketClosed"), closed => closed is not null, "the phone's socket closed");
        Assert.Equal("1008 session ended: logout_all", closed);
    }
}
