using System.Net;
using System.Net.Http.Json;
using System.Text;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// Oversized requests are refused (413/431) before any credential is hashed or looked up, and every response
/// the gateway writes itself carries the security headers, redirects and throttling answers included.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class AdversarialLimitsTests(RedisServer redis) : GatewayTestBase(redis)
{
    [Fact]
    public async Task Proxy_TooManyCookiesWithGuessedPassword_431AndNothingCounted()
    {
        var cookies = string.Join("; ", Enumerable.Range(0, 101).Select(i => $"c{i}=v"));

        var response = await GetAsync("/x", r =>
        {
            r.Headers.Add("Cookie", cookies);
            r.Headers.Authorization = Basic("alice", "guess");
        });

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        Assert.Contains("too_many_cookies", await response.Content.ReadAsStringAsync());
        Assert.Empty(Redis!.Keys(Host.KeyPrefix + "f:"));
        Assert.Empty(Backend.Received);
    }

    [Fact]
    public async Task Logout_OversizedBody_413()
    {
        var response = await Client.PostAsync("/auth/logout", new StringContent(new string('a', 20_000), Encoding.ASCII, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    public static TheoryData<string> GatewayAnswers => new()
    {
        "302 navigation without session", "303 form login", "303 form logout", "204 api logout", "400 malformed credentials",
        "401 api without session", "403 role", "403 csrf", "413 login body", "429 throttled", "431 cookies", "200 session",
        "200 login page", "200 bans",
    };

    [Theory]
    [MemberData(nameof(GatewayAnswers))]
    public async Task Gateway_EveryOwnAnswer_CarriesSecurityHeaders(string answer)
    {
        var response = await ProvokeAsync(answer);

        Assert.Equal(int.Parse(answer[..3]), (int)response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        // Answers that set or clear a gateway cookie are marked private as well ("private, no-store").
        Assert.Equal(response.Headers.Contains("Set-Cookie"), response.Headers.CacheControl!.Private);
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal(["no-referrer"], response.Headers.GetValues("Referrer-Policy"));
        Assert.Contains("frame-ancestors 'none'", string.Join(" ", response.Headers.GetValues("Content-Security-Policy")));
    }

    private async Task<HttpResponseMessage> ProvokeAsync(string answer)
    {
        var alice = GatewayHost.DefaultPasswords["alice"];
        switch (answer)
        {
            case "302 navigation without session":
                return await GetAsync("/x", r => r.Headers.Add("Sec-Fetch-Mode", "navigate"));
            case "303 form login":
                return await PostFormAsync("/auth/login", ("username", "alice"), ("password", alice));
            case "303 form logout":
                return await PostFormAsync("/auth/logout", await LoginAsync("alice"));
            case "204 api logout":
                return await SendAsync(HttpMethod.Post, "/auth/logout", r => r.Headers.Add("X-Session-Token", "x"));
            case "400 malformed credentials":
                return await GetAsync("/x", r => r.Headers.TryAddWithoutValidation("Authorization", "Basic !!!"));
            case "401 api without session":
                return await GetAsync("/x");
            case "403 role":
                return await GetAsync("/admin/x", WithCookie(await LoginAsync("alice")));
            case "403 csrf":
                var sid = await LoginAsync("alice");
                return await SendAsync(HttpMethod.Post, "/x", r => { r.Headers.Add("Cookie", $"sid={sid}"); r.Headers.Add("Sec-Fetch-Site", "cross-site"); });
            case "413 login body":
                return await Client.PostAsync("/auth/login", new StringContent(new string('a', 20_000), Encoding.ASCII, "application/json"));
            case "429 throttled":
                for (var i = 0; i < 5; i++)
                {
                    await Client.PostAsJsonAsync("/auth/login", new { username = "alice", password = "guess" });
                }
                return await Client.PostAsJsonAsync("/auth/login", new { username = "alice", password = alice });
            case "431 cookies":
                return await GetAsync("/x", r => r.Headers.Add("Cookie", string.Join("; ", Enumerable.Range(0, 101).Select(i => $"c{i}=v"))));
            case "200 session":
                return await GetAsync("/auth/session", WithCookie(await LoginAsync("alice")));
            case "200 login page":
                return await GetAsync("/auth/login");
            default:
                return await GetAsync("/auth/admin/bans", WithCookie(await LoginAsync("bob")));
        }
    }
}

/// <summary>Limits from configuration reach Kestrel and the cookie check.</summary>
public sealed class ConfiguredLimitsTests() : GatewayTestBase(null)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:Limits:MaxHeaderCount"] = "20",
        ["Gateway:Limits:MaxCookies"] = "5",
    };

    [Fact]
    public async Task Proxy_MoreHeadersThanConfigured_431()
    {
        var headers = string.Concat(Enumerable.Range(0, 25).Select(i => $"X-H{i}: v\r\n"));

        Assert.StartsWith("HTTP/1.1 431", await RawAsync($"GET /x HTTP/1.1\r\nHost: gw\r\n{headers}\r\n"));
    }

    [Fact]
    public async Task Proxy_MoreCookiesThanConfigured_431()
    {
        var response = await GetAsync("/public/x", r => r.Headers.Add("Cookie", "a=1; b=2; c=3; d=4; e=5; f=6"));

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        Assert.Empty(Backend.Received);
    }
}
