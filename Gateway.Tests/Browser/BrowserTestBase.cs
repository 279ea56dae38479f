using Gateway.Tests.Fixtures;
using Microsoft.Playwright;

namespace Gateway.Tests.Browser;

/// <summary>
/// Per test: a <see cref="PageBackend"/>, the real gateway in front of it on the shared redis-server, and fresh
/// Chromium contexts (closed at the end). Helpers act as a user would: fill the form, click, read the page.
/// </summary>
[Collection(BrowserCollection.Name)]
public abstract class BrowserTestBase(ChromiumFixture chromium, RedisServer redis) : IAsyncLifetime
{
    private readonly List<IBrowserContext> _contexts = [];

    protected PageBackend Backend { get; private set; } = null!;

    protected GatewayHost Host { get; private set; } = null!;

    protected RedisServer Redis { get; } = redis;

    /// <summary>Extra configuration for this class's gateway.</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>Extra registrations for this class's gateway.</summary>
    protected virtual void ConfigureHost(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder)
    {
    }

    public virtual async Task InitializeAsync()
    {
        Backend = await PageBackend.StartAsync();
        Host = await GatewayHost.StartAsync(Backend.Url, Redis, Settings, ConfigureHost);
        using var client = Host.CreateClient();
        await Eventually.HoldsAsync(async () => (await client.GetAsync("/readyz")).StatusCode == System.Net.HttpStatusCode.OK, "the gateway ready");
    }

    public virtual async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }
        await Host.DisposeAsync();
        await Backend.DisposeAsync();
    }

    /// <summary>The gateway's URL for a path and query.</summary>
    protected string Url(string pathAndQuery) => new Uri(Host.Address, pathAndQuery).AbsoluteUri;

    /// <summary>A fresh context (cookie jar, cache, storage) with its first page.</summary>
    protected async Task<IPage> NewPageAsync(BrowserNewContextOptions? options = null)
    {
        var context = await NewContextAsync(options);
        return await context.NewPageAsync();
    }

    protected async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions? options = null)
    {
        var context = await chromium.Browser.NewContextAsync(options ?? new BrowserNewContextOptions());
        context.SetDefaultTimeout(15_000);
        context.SetDefaultNavigationTimeout(15_000);
        _contexts.Add(context);
        return context;
    }

    /// <summary>Opens a protected URL, is sent to the login page, signs in, and waits for the page asked for.</summary>
    protected async Task<IResponse> SignInAsync(IPage page, string pathAndQuery, string user = "alice", bool remember = false)
    {
        await page.GotoAsync(Url(pathAndQuery));
        Assert.Contains("/auth/login", page.Url);
        return await SubmitLoginAsync(page, user, GatewayHost.DefaultPasswords[user], remember);
    }

    /// <summary>Fills and submits the login form on the current page; returns the answer to the navigation.</summary>
    protected static Task<IResponse> SubmitLoginAsync(IPage page, string user, string password, bool remember = false) =>
        NavigateByAsync(page, async () =>
        {
            await page.GetByLabel("User name").FillAsync(user);
            await page.GetByLabel("Password").FillAsync(password);
            if (remember)
            {
                await page.GetByLabel("Remember me").CheckAsync();
            }
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        });

    /// <summary>Runs <paramref name="action"/> (a click) and waits for the page it leads to: the final, non-redirect answer.</summary>
    protected static async Task<IResponse> NavigateByAsync(IPage page, Func<Task> action)
    {
        // The answer can arrive before its document replaces the old one: until then a script would run in the
        // old page (the login page, whose CSP refuses every fetch). So wait for the main frame to commit a new
        // document too (the page answered, or Chromium's error page for a Basic challenge it cancels).
        var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnNavigated(object? sender, IFrame frame)
        {
            if (frame == page.MainFrame)
            {
                committed.TrySetResult();
            }
        }
        page.FrameNavigated += OnNavigated;
        IResponse response;
        try
        {
            response = await page.RunAndWaitForResponseAsync(action, r =>
                r.Request.IsNavigationRequest && r.Frame == page.MainFrame && r.Status is < 300 or >= 400);
            await committed.Task.WaitAsync(TimeSpan.FromSeconds(15));
        }
        finally
        {
            page.FrameNavigated -= OnNavigated;
        }
        await DocumentParsedAsync(page);
        return response;
    }

    // Not WaitForLoadStateAsync: Playwright's client-side copy of the frame's load states can miss the new
    // document's "domcontentloaded" after a form post answered by a redirect (seen in CI: only "networkidle"
    // arrived, and the wait ran out with the page long loaded). The document's own readyState cannot be missed.
    private static async Task DocumentParsedAsync(IPage page)
    {
        await Eventually.HoldsAsync(async () => await page.EvaluateAsync<string>("document.readyState") != "loading", $"{page.Url} parsed",
            poll: TimeSpan.FromMilliseconds(20));
    }

    /// <summary>The text of an element of the backend page, by id.</summary>
    protected static Task<string> ShownAsync(IPage page, string id) => page.Locator("#" + id).InnerTextAsync();

    /// <summary>
    /// Opens a WebSocket from the page to <paramref name="url"/>, sends "hello" and returns "message:" and the first
    /// answer, or "closed:" and the close code (1006: the handshake was refused), or "timeout".
    /// </summary>
    protected static Task<string> WebSocketExchangeAsync(IPage page, string url) =>
        page.EvaluateAsync<string>("""
            url => new Promise(resolve => {
              const ws = new WebSocket(url);
              ws.onopen = () => ws.send('hello');
              ws.onmessage = e => { resolve('message:' + e.data); ws.close(); };
              ws.onclose = e => resolve('closed:' + e.code);
              setTimeout(() => resolve('timeout'), 10000);
            })
            """, url).WaitAsync(TimeSpan.FromSeconds(20));

    /// <summary>
    /// Saves a full-page screenshot under <c>GATEWAY_SCREENSHOTS</c> (e.g. <c>docs</c>, to refresh the README's
    /// pictures) or, by default, beside the test binaries in <c>screenshots/</c>.
    /// </summary>
    protected static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var directory = Environment.GetEnvironmentVariable("GATEWAY_SCREENSHOTS") is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }
}
