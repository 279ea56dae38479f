using System.Net;
using System.Text;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>Every bad input gets a clear 4xx with a short reason, never a 500, and nothing reaches the backend.</summary>
[Collection(RedisCollection.Name)]
public sealed class BadInputTests(RedisServer redis) : GatewayTestBase(redis)
{
    public static TheoryData<string, int> BadAuthorization => new()
    {
        { "Basic !!!!", 400 },
        { "Basic YWxpY2U=", 400 },                 // "alice": no colon
        { "Basic OnB3", 400 },                     // ":pw": empty user
        { "Basic YWxp Y2U6cHc=", 400 },            // whitespace inside
        { "Basic YWxpY2U6cHc", 400 },              // missing padding
        { "Basic w6g6cHc=", 400 },                 // 0xC3 0xA8 ok? no: invalid UTF-8 sequence below
        { "Basic wyg6cHc=", 400 },                 // 0xC3 0x28: invalid UTF-8
        { "Basic YWxpY2UJOnB3", 400 },             // tab in user name
        { "basic YWxpY2U6d3Jvbmc=", 401 },         // lowercase scheme, wrong password
        { "Basic " + new string('A', 4100), 431 },
    };

    [Theory]
    [MemberData(nameof(BadAuthorization))]
    public async Task Proxy_BadBasicHeader_ClearStatusNeverProxied(string header, int status)
    {
        var expected = header == "Basic w6g6cHc=" ? 401 : status; // "è:pw" is valid UTF-8: a wrong user, not malformed

        var response = await GetAsync("/x", r => r.Headers.TryAddWithoutValidation("Authorization", header));

        Assert.Equal(expected, (int)response.StatusCode);
        Assert.Empty(Backend.Received);
        if (expected != 401)
        {
            Assert.Contains("\"detail\"", await response.Content.ReadAsStringAsync());
        }
    }

    [Theory]
    [InlineData("form", "mallory\r\u001b[2K audit created user=root")]
    [InlineData("form", "alice\n")]
    [InlineData("json", "mallory\u001b[1A")]
    [InlineData("json", "a\u0085b")]
    public async Task Login_ControlCharacterInUserName_400BeforeAnyCheck(string kind, string user)
    {
        var response = kind == "form"
            ? await PostFormAsync("/auth/login", ("username", user), ("password", "x"), ("returnUrl", "/"))
            : await Client.PostAsync("/auth/login", new StringContent(
                System.Text.Json.JsonSerializer.Serialize(new { username = user, password = "x" }), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("control characters", await response.Content.ReadAsStringAsync());
        Assert.Null(SessionCookie(response));
    }

    [Fact]
    public async Task Proxy_DuplicateSessionCookies_Rejected400()
    {
        var sid = await LoginAsync("alice");

        var response = await GetAsync("/x", r => r.Headers.Add("Cookie", $"sid={sid}; sid=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("more than one session cookie", await response.Content.ReadAsStringAsync());
        Assert.Empty(Backend.Received);
    }

    [Fact]
    public async Task Proxy_HugeHeaders_431FromServer()
    {
        var response = await RawAsync($"GET /x HTTP/1.1\r\nHost: gw\r\nX-Big: {new string('a', 40 * 1024)}\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 431", response);
    }

    [Fact]
    public async Task Proxy_TooManyHeaders_431FromServer()
    {
        var headers = string.Concat(Enumerable.Range(0, 120).Select(i => $"X-H{i}: v\r\n"));

        var response = await RawAsync($"GET /x HTTP/1.1\r\nHost: gw\r\n{headers}\r\n");

        Assert.StartsWith("HTTP/1.1 431", response);
    }

    [Fact]
    public async Task Login_OversizedBody_413BeforeHashing()
    {
        var content = new StringContent("username=alice&password=" + new string('a', 20_000), Encoding.ASCII, "application/x-www-form-urlencoded");

        var response = await Client.PostAsync("/auth/login", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Login_OversizedChunkedBody_413()
    {
        var content = new StreamContent(new MemoryStream(Encoding.ASCII.GetBytes("{\"username\":\"alice\",\"password\":\"" + new string('a', 40_000) + "\"}")));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth/login") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("application/json", "{not json", 400)]
    [InlineData("application/json", "{\"username\":\"alice\"}", 400)]
    [InlineData("application/json", "[1,2]", 400)]
    [InlineData("text/plain", "alice:pw", 415)]
    [InlineData("application/x-www-form-urlencoded", "username=alice&password=", 401)]
    [InlineData("application/x-www-form-urlencoded", "%%%", 401)]
    public async Task Login_BadBodies_ClearAnswer(string contentType, string body, int status)
    {
        var response = await Client.PostAsync("/auth/login", new StringContent(body, Encoding.UTF8, contentType));

        Assert.Equal(status, (int)response.StatusCode);
    }

    [Fact]
    public async Task Login_PasswordOver72Bytes_RefusedEvenWhenPrefixMatches()
    {
        var password = new string('p', 72);
        var passwords = new Dictionary<string, string>(GatewayHost.DefaultPasswords) { ["alice"] = password };
        await File.WriteAllTextAsync(Host.UsersPath, GatewayHost.Htpasswd(passwords));
        await Eventually.HoldsAsync(async () => (await GetAsync("/x", r => r.Headers.Authorization = Basic("alice", password))).StatusCode == HttpStatusCode.OK,
            "the 72-byte password accepted after the reload");

        var response = await GetAsync("/x", r => r.Headers.Authorization = Basic("alice", password + "X"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Proxy_TwoSessionTokenHeaders_400()
    {
        var sid = await LoginAsync("alice");

        var response = await RawAsync($"GET /x HTTP/1.1\r\nHost: gw\r\nX-Session-Token: {sid}\r\nX-Session-Token: {sid}\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 400", response);
        Assert.Empty(Backend.Received);
    }

    [Fact]
    public async Task Proxy_MalformedSessionToken_401()
    {
        var response = await GetAsync("/x", r => r.Headers.TryAddWithoutValidation("X-Session-Token", "not-a-token"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("PUT", "/auth/login")]
    [InlineData("DELETE", "/auth/logout")]
    [InlineData("GET", "/auth/nothing-here")]
    [InlineData("POST", "/auth/admin")]
    public async Task GatewayPrefix_UnknownPathOrMethod_404NeverProxied(string method, string path)
    {
        var sid = await LoginAsync("bob");

        var response = await SendAsync(new HttpMethod(method), path, WithCookie(sid));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(Backend.Received);
    }

    public static TheoryData<string, string, int> BadForms => new()
    {
        { "multipart/form-data", "scope=all", 400 },                                             // no boundary
        { "multipart/form-data; boundary=", "scope=all", 400 },                                  // empty boundary
        { "multipart/form-data; boundary=" + new string('b', 80), "scope=all", 400 },           // boundary over RFC 2046's 70
        { "multipart/form-data; boundary=xyz", "not multipart at all", 400 },                   // no boundary line in the body
        { "multipart/form-data; boundary=xyz", "--xyz\r\nContent-Disposition: form-data; name=\"scope\"\r\n\r\nall", 400 }, // cut off
        { "application/x-www-form-urlencoded", new string('k', 3000) + "=v", 413 },             // key over the field limit
        { "application/x-www-form-urlencoded", string.Join('&', Enumerable.Range(0, 40).Select(i => $"f{i}=v")), 413 }, // too many fields
    };

    [Theory]
    [MemberData(nameof(BadForms))]
    public async Task Logout_BadFormBody_Clear4xxAndSessionKept(string contentType, string body, int status)
    {
        var sid = await LoginAsync("alice");
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth/logout") { Content = new StringContent(body, Encoding.ASCII) };
        request.Content.Headers.Remove("Content-Type");
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.Add("Cookie", $"sid={sid}");

        var response = await Client.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains("\"detail\"", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(sid))).StatusCode);
    }

    [Theory]
    [MemberData(nameof(BadForms))]
    public async Task Login_BadFormBody_Clear4xx(string contentType, string body, int status)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth/login") { Content = new StringContent(body, Encoding.ASCII) };
        request.Content.Headers.Remove("Content-Type");
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await Client.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains(status == 413 ? "too large" : "malformed", await response.Content.ReadAsStringAsync());
    }
}

/// <summary>A lower <c>Gateway:Limits:MaxBodyBytes</c> holds on the login and logout forms too, also for bodies without a length.</summary>
[Collection(RedisCollection.Name)]
public sealed class LowBodyLimitTests(RedisServer redis) : GatewayTestBase(redis)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Gateway:Limits:MaxBodyBytes"] = "2048" };

    [Theory]
    [InlineData("/auth/login")]
    [InlineData("/auth/logout")]
    public async Task Form_ChunkedBodyOverConfiguredLimit_413(string path)
    {
        var sid = await LoginAsync("alice");
        var content = new StreamContent(new MemoryStream(Encoding.ASCII.GetBytes("username=alice&password=" + new string('p', 3000))));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Add("Cookie", $"sid={sid}");

        var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(sid))).StatusCode);
    }
}
