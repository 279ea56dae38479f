using System.Net;
using System.Text;
using Gateway.Sessions;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Integration;

/// <summary>
/// Return URLs holding non-ASCII text, spaces and reserved characters, through the form login, a script's JSON 401
/// and login, and the browser's Basic prompt: never a 500, every answer a complete one (cookie, security headers),
/// and exactly one session per login, none left behind by a failed answer.
/// </summary>
public sealed class ReturnUrlLoginTests() : GatewayTestBase(null)
{
    private static readonly (string Url, string Location)[] Cases =
    [
        ("/café", "/caf%C3%A9"),
        ("/caf%C3%A9", "/caf%C3%A9"),
        ("/a b/c d?q=x y", "/a%20b/c%20d?q=x%20y"),
        ("/日本/語?q=ü#top", "/%E6%97%A5%E6%9C%AC/%E8%AA%9E?q=%C3%BC#top"),
        ("/emoji😀", "/emoji%F0%9F%98%80"),
        // Reserved characters stay as they are (in the path: WireMock's own query parser fails on ';').
        ("/x;p=[2]:@!$'()*+,?a=1&b=/?", "/x;p=[2]:@!$'()*+,?a=1&b=/?"),
        ("/q\"<>^`{|}", "/q%22%3C%3E%5E%60%7B%7C%7D"),
    ];

    public static TheoryData<string, string> Urls
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var (url, location) in Cases)
            {
                data.Add(url, location);
            }
            return data;
        }
    }

    // What can travel in a request line: a fragment never reaches a server.
    public static TheoryData<string> Paths => new(Cases.Select(c => c.Url.Replace("#top", "", StringComparison.Ordinal)));

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ReverseProxy:Routes:prompt:ClusterId"] = "backend",
        ["ReverseProxy:Routes:prompt:Match:Path"] = "/prompt/{**rest}",
        ["ReverseProxy:Routes:prompt:Metadata:Gateway.Challenge"] = "basic",
    };

    [Theory]
    [MemberData(nameof(Urls))]
    public async Task Login_FormWithAnyReturnUrl_RedirectsToEncodedUrlWithOneSession(string returnUrl, string expected)
    {
        var page = await GetAsync("/auth/login?returnUrl=" + Uri.EscapeDataString(returnUrl));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains($"name=\"returnUrl\" value=\"{System.Text.Encodings.Web.HtmlEncoder.Default.Encode(expected)}\"", await page.Content.ReadAsStringAsync());

        var response = await PostFormAsync("/auth/login", ("username", "alice"), ("password", GatewayHost.DefaultPasswords["alice"]), ("returnUrl", returnUrl));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location!.OriginalString);
        Assert.NotNull(SessionCookie(response));
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        Assert.Single(await SessionsOfAsync("alice"));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Login_JsonAfterScript401OnAnyUrl_LoginLinkIsEncodedAndOneSession(string url)
    {
        var denied = await GetAsync("/app" + url, r => r.Headers.Add("Accept", "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        var body = await denied.Content.ReadAsStringAsync();
        var link = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("login").GetString()!;
        AssertLoginLinkAscii(link);

        var response = await Client.PostAsync("/auth/login", new StringContent(
            $$"""{"username":"alice","password":"alice-password","returnUrl":{{System.Text.Json.JsonSerializer.Serialize(url)}}}""",
            Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(SessionCookie(response));
        Assert.Single(await SessionsOfAsync("alice"));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Login_BasicPromptOnAnyUrl_PageLinksToEncodedUrlAndAnswerForwardsWithOneSession(string url)
    {
        var path = "/prompt" + url;
        var prompt = await GetAsync(path, Navigation);

        Assert.Equal(HttpStatusCode.Unauthorized, prompt.StatusCode);
        var page = await prompt.Content.ReadAsStringAsync();
        var href = System.Net.WebUtility.HtmlDecode(page[(page.IndexOf("href=\"/auth/login", StringComparison.Ordinal) + 6)..].Split('"')[0]);
        AssertLoginLinkAscii(href);

        var response = await GetAsync(path, r =>
        {
            Navigation(r);
            r.Headers.Authorization = Basic("alice");
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(SessionCookie(response));
        Assert.Single(Backend.Received);
        Assert.Single(await SessionsOfAsync("alice"));
    }

    // A link to the login page whose return URL is a local, header-safe URL the form login accepts as it is.
    private static void AssertLoginLinkAscii(string link)
    {
        Assert.StartsWith("/auth/login", link);
        Assert.All(link, c => Assert.InRange(c, '!', '~'));
        var query = link.Contains('?', StringComparison.Ordinal) ? Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(link[link.IndexOf('?', StringComparison.Ordinal)..]) : [];
        if (query.TryGetValue("returnUrl", out var returnUrl))
        {
            Assert.Equal(returnUrl.ToString(), Gateway.Authentication.ReturnUrl.OrRoot(returnUrl.ToString()));
        }
    }

    private Task<IReadOnlyList<ResolvedSession>> SessionsOfAsync(string user) =>
        Host.Services.GetRequiredService<SessionService>().ListAsync(user, CancellationToken.None);

    private static void Navigation(HttpRequestMessage request)
    {
        request.Headers.Add("Sec-Fetch-Mode", "navigate");
        request.Headers.Add("Accept", "text/html,application/xhtml+xml");
    }
}
