using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// Issue 17 item 3: ambiguous paths are refused with 400 before routing decisions and policy, on the anonymous
/// route (no session) and on a protected one (with a session) alike; accepted paths reach the backend byte for
/// byte, and an encoded slash only on a route that opts in with <c>Gateway.EncodedSlashes: allow</c>. Requests are
/// written raw: HttpClient would remove dot segments and turn '\' into '/' before sending.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class AmbiguousPathTests(RedisServer redis) : GatewayTestBase(redis)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ReverseProxy:Routes:files:ClusterId"] = "backend",
        ["ReverseProxy:Routes:files:AuthorizationPolicy"] = "anonymous",
        ["ReverseProxy:Routes:files:Match:Path"] = "/files/{**rest}",
        ["ReverseProxy:Routes:files:Metadata:Gateway.EncodedSlashes"] = "allow",
    };

    /// <summary>Forms refused on every route ({0} is the route's prefix, /public or /session-only).</summary>
    public static TheoryData<string> Refused => new()
    {
        "{0}/../app/x", "{0}/./x", "{0}/x/..", "{0}/x/.", "{0}/..;/app/x", "{0}/..%3B/app/x", "{0}/..%3b/app/x",
        "{0}/%2e%2e%3b/app/x", "{0}/%2e%2e/app/x", "{0}/%2E%2E/app/x", "{0}/.%2e/app/x", "{0}/%2e./app/x", "{0}/%2e/x",
        "{0}/..;jsessionid=1/app/x", "{0}/.;x/app", "{0}/%5c..%5capp/x", "{0}/%5C../app", "{0}/..\\app/x", "{0}/a\\b",
        "{0}/..%2fapp/x", "{0}/..%2Fapp/x", "{0}/%2e%2e%2fapp/x", "{0}/a%2fb", "{0}/a%2Fb", "{0}/a%00b", "{0}/a%0d%0ab",
        "{0}/a%09b", "{0}/a%7Fb", "{0}/%252e%252e/app/x", "{0}/%252fapp", "{0}/%255capp", "{0}/a%zz", "{0}/a%2",
        "{0}/%c0%ae%c0%ae/app/x", "{0}/x%2f..%2f..%2fapp",
    };

    /// <summary>Forms accepted, and forwarded exactly as written.</summary>
    public static TheoryData<string> Accepted => new()
    {
        "{0}/x", "{0}/a.b/c", "{0}/.well-known/x", "{0}/...", "{0}/..a", "{0}/a;b=c", "{0}/caf%C3%A9", "{0}/a%20b", "{0}/%41",
        "{0}/a%25b", "{0}/x?q=..%2f..%5c", "{0}/a%2Eb",
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Request_AmbiguousPathOnAnonymousRoute_Returns400AndForwardsNothing(string form)
    {
        var (status, _) = await SendRawAsync(string.Format(form, "/public"), cookie: null);

        Assert.Equal(400, status);
        Assert.Empty(Backend.Received);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Request_AmbiguousPathOnProtectedRoute_Returns400AndForwardsNothing(string form)
    {
        var sid = await LoginAsync("alice");

        var (status, _) = await SendRawAsync(string.Format(form, "/session-only"), sid);

        Assert.Equal(400, status);
        Assert.Empty(Backend.Received);
    }

    [Theory]
    [MemberData(nameof(Accepted))]
    public async Task Request_UnambiguousPathOnAnonymousRoute_ForwardedByteForByte(string form)
    {
        var path = string.Format(form, "/public");

        var (status, _) = await SendRawAsync(path, cookie: null);

        Assert.Equal(200, status);
        Assert.Equal(path, Assert.Single(Backend.RawTargets));
    }

    [Theory]
    [MemberData(nameof(Accepted))]
    public async Task Request_UnambiguousPathOnProtectedRoute_ForwardedByteForByteWithIdentity(string form)
    {
        var sid = await LoginAsync("alice");
        var path = string.Format(form, "/session-only");

        var (status, _) = await SendRawAsync(path, sid);

        Assert.Equal(200, status);
        Assert.Equal(path, Assert.Single(Backend.RawTargets));
        Assert.Equal(["alice"], Backend.Last.Values("X-Auth-User"));
    }

    [Theory]
    [InlineData("/files/a%2Fb")]
    [InlineData("/files/a%2fb/c")]
    [InlineData("/files/%2F")]
    public async Task Request_EncodedSlashOnOptedInRoute_ForwardedWithoutDoubleEncoding(string path)
    {
        var (status, _) = await SendRawAsync(path, cookie: null);

        Assert.Equal(200, status);
        Assert.Equal(path, Assert.Single(Backend.RawTargets));
    }

    [Theory]
    [InlineData("/files/..%2fapp")]
    [InlineData("/files/a%252Fb")]
    [InlineData("/files/..;/app")]
    [InlineData("/files/%5capp")]
    public async Task Request_OtherAmbiguityOnOptedInRoute_Returns400(string path)
    {
        var (status, _) = await SendRawAsync(path, cookie: null);

        Assert.Equal(400, status);
        Assert.Empty(Backend.Received);
    }

    [Theory]
    [InlineData("/public/..;/app/x", "parameters after a dot segment")]
    [InlineData("/public/%5c..%5capp/x", "encoded backslash")]
    [InlineData("/public/a%0ab", "encoded control character")]
    [InlineData("/public/%252e%252e/x", "double percent-encoding")]
    public async Task Request_AmbiguousPath_AnswersWithShortReason(string path, string reason)
    {
        var (status, body) = await SendRawAsync(path, cookie: null);

        Assert.Equal(400, status);
        Assert.Contains("\"error\":\"ambiguous_path\"", body);
        Assert.Contains(reason, body);
    }

    [Fact]
    public async Task Request_EncodedSlashOnCatchAllRoute_Returns400BeforeTheSessionIsAsked()
    {
        // The catch-all route needs a session: the refusal comes first, so no 401 or login redirect.
        var (status, body) = await SendRawAsync("/app/a%2Fb", cookie: null);

        Assert.Equal(400, status);
        Assert.Contains("encoded slash", body);
    }

    private async Task<(int Status, string Body)> SendRawAsync(string target, string? cookie)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(Host.Address.Host, Host.Address.Port);
        var stream = client.GetStream();
        var request = $"GET {target} HTTP/1.1\r\nHost: {Host.Address.Authority}\r\nConnection: close\r\n" +
                      (cookie is null ? "" : $"Cookie: sid={cookie}\r\n") + "\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var answer = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(20));
        var status = int.Parse(answer.AsSpan(9, 3), provider: System.Globalization.CultureInfo.InvariantCulture);
        return (status, answer);
    }
}
