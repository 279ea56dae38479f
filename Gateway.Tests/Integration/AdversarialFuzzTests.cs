using System.Net;
using System.Text;
using Gateway.Sessions;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// Fuzzed requests through the real host: mutated Basic headers, cookies, session tokens, return URLs and login
/// bodies never get a 500, and the backend never receives a session id or a forged identity. Throttles are
/// off here so the fuzz reaches the deeper paths instead of stopping at a ban.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class AdversarialFuzzTests(RedisServer redis) : GatewayTestBase(redis)
{
    private const int Requests = 300;
    private const string Noise = "AZaz09+/=-_:;,. \"'%\\/@?#{}$<>&";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:Login:MaxFailures"] = "0",
        ["Gateway:Login:MaxFailuresPerIp"] = "0",
        ["Gateway:Guessing:MaxUnknownIds"] = "0",
    };

    [Fact]
    public async Task Gateway_FuzzedRequests_NeverA500AndNothingLeaksToBackend()
    {
        var random = new Random(5100);
        var sid = await LoginAsync("alice");
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:" + GatewayHost.DefaultPasswords["alice"]));
        var failures = new List<string>();

        for (var i = 0; i < Requests; i++)
        {
            var request = (i % 6) switch
            {
                0 => Get("/x", "Authorization", "Basic " + Mutate(random, basic)),
                1 => Get("/x", "Cookie", "theme=1; sid=" + Mutate(random, sid)),
                2 => Get("/x", "X-Session-Token", Mutate(random, SessionId.New().Value)),
                3 => Get("/auth/login?returnUrl=" + Uri.EscapeDataString(Mutate(random, "/%2F/evil.example\\x")), "Accept", "text/html"),
                4 => Post("/auth/login", "application/x-www-form-urlencoded", Mutate(random, $"username=alice&password=pw&returnUrl=%2Fapp")),
                _ => Post("/auth/login", "application/json", Mutate(random, "{\"username\":\"alice\",\"password\":\"pw\"}")),
            };
            var description = $"#{i} {request.Method} {request.RequestUri} {string.Join(" | ", request.Headers.Select(h => h.Key + ": " + string.Join(",", h.Value)))}";
            var response = await Client.SendAsync(request);
            if ((int)response.StatusCode >= 500)
            {
                failures.Add($"{(int)response.StatusCode} for {description}");
            }
        }

        Assert.Empty(failures);
        foreach (var seen in Backend.Received)
        {
            Assert.DoesNotContain(seen.Values("Cookie"), c => c.Contains("sid=", StringComparison.Ordinal));
            Assert.Empty(seen.Variants("X-Session-Token"));
            Assert.Empty(seen.Values("Authorization"));
            Assert.All(seen.Values("X-Auth-User"), user => Assert.Equal("alice", user));
        }
    }

    /// <summary>
    /// Issue 17 item 3: mutated ambiguous paths (dot segments, ';', backslashes, escapes of them, encoded slashes) sent raw,
    /// with no session, to the anonymous route: never a 500, and whatever reaches the backend stays inside
    /// /public/ however a backend reads it (dot segments after one or two decodings, with ';' parameters cut,
    /// with a backslash as '/').
    /// </summary>
    [Fact]
    public async Task Gateway_FuzzedPaths_NeverA500AndNothingEscapesTheAnonymousRoute()
    {
        var random = new Random(5101);
        string[] seeds = ["/public/..;/app/x", "/public/%2e%2e%3b/app/x", "/public/%5c..%5capp/x", "/public/..%2fapp/x", "/public/a/b", "/public/%252e%252e/app"];
        var failures = new List<string>();
        for (var i = 0; i < Requests; i++)
        {
            var path = Mutate(random, seeds[random.Next(seeds.Length)], "./;%\\2eE5cCfF3bB0a");
            var status = await RawStatusAsync(path);
            if (status >= 500)
            {
                failures.Add($"{status} for {path}");
            }
        }

        Assert.Empty(failures);
        foreach (var target in Backend.RawTargets)
        {
            Assert.True(StaysInside(target, "/public/"), target);
        }
    }

    private static bool StaysInside(string target, string prefix)
    {
        var path = target.Split('?')[0];
        for (var round = 0; round < 3; round++)
        {
            var segments = path.Replace('\\', '/').Split('/').Select(s => s.Split(';')[0]).ToList();
            var depth = 0;
            foreach (var segment in segments.Skip(1))
            {
                depth += segment == ".." ? -1 : segment is "." or "" ? 0 : 1;
                if (depth < 1 && segment == "..")
                {
                    return false;
                }
            }
            path = Uri.UnescapeDataString(path);
        }
        return target.StartsWith(prefix, StringComparison.Ordinal);
    }

    private async Task<int> RawStatusAsync(string target)
    {
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(Host.Address.Host, Host.Address.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: {Host.Address.Authority}\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20)) ?? "";
        return line.Length >= 12 && int.TryParse(line.AsSpan(9, 3), out var status) ? status : 0;
    }

    private static HttpRequestMessage Get(string path, string header, string value)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation(header, value);
        return request;
    }

    private static HttpRequestMessage Post(string path, string contentType, string body) =>
        new(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, contentType) };

    private static string Mutate(Random random, string text, string noise = Noise)
    {
        var builder = new StringBuilder(text);
        for (var edits = random.Next(1, 5); edits > 0; edits--)
        {
            var at = builder.Length == 0 ? 0 : random.Next(builder.Length);
            var c = noise[random.Next(noise.Length)];
            switch (random.Next(4))
            {
                case 0 when builder.Length > 0: builder[at] = c; break;
                case 1: builder.Insert(at, c); break;
                case 2 when builder.Length > 0: builder.Remove(at, 1); break;
                default: builder.Insert(at, new string(c, random.Next(1, 300))); break;
            }
        }
        return builder.ToString();
    }
}
