using System.Text.Json;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Browser;

/// <summary>
/// Requests made by scripts in Chromium (fetch, XHR, WebSocket, EventSource): they carry the session like any
/// request and, without one, get 401 JSON with the login URL, never a redirect to an HTML page or a prompt.
/// </summary>
public sealed class ScriptRequestTests(ChromiumFixture chromium, RedisServer redis) : BrowserTestBase(chromium, redis)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private const string FetchApi = """
        async (url) => {
          const r = await fetch(url, { signal: AbortSignal.timeout(10000) });
          return { status: r.status, redirected: r.redirected, type: r.headers.get('content-type') || '',
                   challenge: r.headers.get('www-authenticate'), body: await r.text() };
        }
        """;

    [Fact]
    public async Task Fetch_SessionExpiresWhilePageOpen_Gets401JsonWithLoginUrl()
    {
        var page = await NewPageAsync();
        await SignInAsync(page, "/app/dashboard");
        var live = await page.EvaluateAsync<JsonElement>(FetchApi, "/api/orders?page=2").WaitAsync(Bound);
        Assert.Equal(200, live.GetProperty("status").GetInt32());
        Assert.Equal("alice", JsonDocument.Parse(live.GetProperty("body").GetString()!).RootElement.GetProperty("user").GetString());

        Host.Clock.Advance(TimeSpan.FromMinutes(31)); // past the idle timeout, with the page still open
        var expired = await page.EvaluateAsync<JsonElement>(FetchApi, "/api/orders?page=2").WaitAsync(Bound);

        Assert.Equal(401, expired.GetProperty("status").GetInt32());
        Assert.False(expired.GetProperty("redirected").GetBoolean());
        Assert.StartsWith("application/json", expired.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, expired.GetProperty("challenge").ValueKind); // no native credentials prompt
        var body = JsonDocument.Parse(expired.GetProperty("body").GetString()!).RootElement;
        Assert.Equal("unauthorized", body.GetProperty("error").GetString());
        Assert.Equal("/auth/login?returnUrl=" + Uri.EscapeDataString("/api/orders?page=2"), body.GetProperty("login").GetString());

        // The page itself, reloaded, goes to the login page (a navigation), back to where it was.
        await page.ReloadAsync();
        Assert.Equal(Url("/auth/login?returnUrl=" + Uri.EscapeDataString("/app/dashboard")), page.Url);
    }

    [Fact]
    public async Task Xhr_AcceptJsonWithoutSession_Gets401Json()
    {
        var page = await NewPageAsync();
        // A public page of the gateway's origin, no session. (Not the login page: its CSP forbids any request.)
        await page.GotoAsync(Url("/public/page"));
        Assert.Equal("", await ShownAsync(page, "user"));

        var answer = await page.EvaluateAsync<JsonElement>("""
            () => new Promise(resolve => {
              const x = new XMLHttpRequest();
              x.open('GET', '/app/report.html');
              x.setRequestHeader('Accept', 'application/json');
              x.onload = () => resolve({ status: x.status, url: x.responseURL, type: x.getResponseHeader('content-type') || '', body: x.responseText });
              x.timeout = 10000;
              x.ontimeout = x.onerror = e => resolve({ status: -1, url: '', type: '', body: e.type });
              x.send();
            })
            """).WaitAsync(Bound);


        Assert.Equal(401, answer.GetProperty("status").GetInt32());
        Assert.Equal(Url("/app/report.html"), answer.GetProperty("url").GetString()); // not followed to a login page
        Assert.StartsWith("application/json", answer.GetProperty("type").GetString());
        Assert.Contains("\"login\":\"/auth/login?returnUrl=%2Fapp%2Freport.html\"", answer.GetProperty("body").GetString());
    }

    [Fact]
    public async Task WebSocket_ThroughGateway_CarriesSessionAndRefusedWithout()
    {
        var socket = Url("/ws").Replace("http", "ws", StringComparison.Ordinal);
        var page = await NewPageAsync();
        await SignInAsync(page, "/app");
        Assert.Equal("message:alice: hello", await WebSocketExchangeAsync(page, socket));

        Host.Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal("closed:1006", await WebSocketExchangeAsync(page, socket)); // the upgrade got 401, not a socket
    }

    [Fact]
    public async Task EventSource_ThroughGateway_StreamsEventsWithSession()
    {
        const string Listen = """
            () => new Promise(resolve => {
              const seen = [];
              const source = new EventSource('/events');
              source.onmessage = e => seen.push(e.data);
              source.addEventListener('done', () => { source.close(); resolve(seen.join('|')); });
              source.onerror = () => { if (source.readyState === EventSource.CLOSED) resolve('error:' + seen.join('|')); };
              setTimeout(() => { source.close(); resolve('timeout:' + seen.join('|')); }, 10000);
            })
            """;
        var page = await NewPageAsync();
        await SignInAsync(page, "/app");
        Assert.Equal("1 alice|2 alice|3 alice", await page.EvaluateAsync<string>(Listen).WaitAsync(Bound));

        Host.Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal("error:", await page.EvaluateAsync<string>(Listen).WaitAsync(Bound)); // 401 JSON is not an event stream: closed
    }
}
