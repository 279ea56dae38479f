using System.Net;
using Gateway.Cli;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Integration;

namespace Gateway.Tests.Cli;

/// <summary>The CLI against a real redis-server, on sessions a running gateway created.</summary>
[Collection(RedisCollection.Name)]
public sealed class GatewayCliTests(RedisServer redis) : GatewayTestBase(redis)
{
    [Fact]
    public async Task HashPassword_FromStdin_HtpasswdLineThatVerifies()
    {
        var (code, output, _) = await RunAsync(["hash-password", "--user", "carol", "--cost", "4"], "s3cret\n");

        Assert.Equal(0, code);
        var line = output.Trim();
        Assert.StartsWith("carol:$2y$04$", line);
        var parsed = Gateway.Users.HtpasswdParser.Parse(line);
        Assert.Empty(parsed.Problems);
        Assert.True(BCrypt.Net.BCrypt.Verify("s3cret", parsed.Users["carol"].Hash));
    }

    [Fact]
    public async Task HashPassword_Over72Bytes_Refused()
    {
        var (code, output, error) = await RunAsync(["hash-password"], new string('x', 73) + "\n");

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Contains("72 bytes", error);
    }

    [Fact]
    public async Task Help_PrintsUsage()
    {
        var (code, output, _) = await RunAsync(["--help"], "");

        Assert.Equal(0, code);
        Assert.Contains("hash-password", output);
        Assert.Contains("sessions", output);
        Assert.Equal(2, (await RunAsync(["sessions", "frobnicate"], "")).Code);
    }

    [Theory]
    [InlineData("help")]
    [InlineData("sessions", "--help")]
    [InlineData("sessions", "list", "-h")]
    [InlineData("sessions", "revoke", "--help")]
    [InlineData("hash-password", "--help")]
    public async Task Help_AfterCommand_PrintsUsageWithoutPromptOrError(params string[] args)
    {
        // stdin holds a password: a hash-password that ignored --help would print a hash from it.
        var (code, output, error) = await RunAsync(args, "s3cret\n");

        Assert.Equal(0, code);
        Assert.Contains("Usage:", output);
        Assert.DoesNotContain("$2y$", output);
        Assert.Empty(error);
    }

    [Fact]
    public async Task SessionsListAndRevoke_AgainstRunningGatewaysRedis()
    {
        var one = await LoginAsync("alice");
        var two = await LoginAsync("alice");
        var handle = (await (await GetAsync("/auth/session", WithCookie(one))).Content.ReadAsStringAsync()).Split("\"handle\":\"")[1][..16];

        var (listCode, listing, _) = await RunAsync(["sessions", "list", "--user", "alice", .. Config()], "");
        Assert.Equal(0, listCode);
        Assert.Equal(3, listing.Trim().Split('\n').Length);
        Assert.Contains(handle, listing);

        var (oneCode, _, _) = await RunAsync(["sessions", "revoke", "--user", "alice", "--handle", handle, .. Config()], "");
        Assert.Equal(0, oneCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", WithCookie(one))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(two))).StatusCode);

        var (allCode, allOutput, _) = await RunAsync(["sessions", "revoke", "--user", "alice", "--all", .. Config()], "");
        Assert.Equal(0, allCode);
        Assert.Contains("Revoked 1 session", allOutput);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", WithCookie(two))).StatusCode);
        Assert.Equal(1, (await RunAsync(["sessions", "list", "--user", "alice", .. Config()], "")).Code);
    }

    [Theory]
    [InlineData("--handle", "")]
    [InlineData("--handle")]
    [InlineData("--handle", " ")]
    [InlineData("--handle", "not-a-handle")]
    [InlineData]
    public async Task SessionsRevoke_EmptyOrMissingHandleWithoutAll_UsageErrorAndNothingRevoked(params string[] handle)
    {
        // `--handle $H` with $H empty: the old parser revoked every session of the user and exited 0.
        var sid = await LoginAsync("alice");

        var (code, output, error) = await RunAsync(["sessions", "revoke", "--user", "alice", .. handle, .. Config()], "");

        Assert.Equal(2, code);
        Assert.DoesNotContain("Revoked", output);
        Assert.Contains("--", error);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(sid))).StatusCode);
    }

    [Fact]
    public async Task SessionsRevoke_HandleAndAll_UsageError()
    {
        var sid = await LoginAsync("alice");

        var (code, _, error) = await RunAsync(["sessions", "revoke", "--user", "alice", "--handle", "AAAAAAAAAAAAAAAA", "--all", .. Config()], "");

        Assert.Equal(2, code);
        Assert.Contains("exactly one of --handle HANDLE or --all", error);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(sid))).StatusCode);
    }

    [Theory]
    [InlineData("hash-password", "--password", "S3cret")]
    [InlineData("hash-password", "--cost", "abc")]
    [InlineData("hash-password", "--cost", "3")]
    [InlineData("hash-password", "--user")]
    [InlineData("hash-password", "--Gateway:Session:CookieName=x")]
    [InlineData("sessions", "list")]
    [InlineData("sessions", "list", "--user", "carol", "extra")]
    public async Task Command_UsageError_Exit2WithoutHashOrStackTrace(params string[] args)
    {
        var (code, output, error) = await RunAsync(args, "s3cret\n");

        Assert.Equal(2, code);
        Assert.DoesNotContain("$2y$", output);
        Assert.NotEmpty(error);
        Assert.DoesNotContain("   at ", error + output);
    }

    [Fact]
    public async Task Sessions_InvalidConfiguration_ErrorListExit2()
    {
        var (code, output, error) = await RunAsync(["sessions", "list", "--user", "carol", .. Config(), "--Gateway:Session:IdleTimeout=abc", "--Gateway:Login:MaxFailures=-3"], "");

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith("Configuration is invalid (2 errors):", error);
        Assert.Contains("  Gateway:Session:IdleTimeout 'abc' is not a duration such as 00:30:00.", error);
        Assert.Contains("Gateway:Login:MaxFailures", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Theory]
    [InlineData("sessions revoke --", "--all", "--handle", "--user")]
    [InlineData("sessions ", "list", "revoke")]
    [InlineData("hash", "hash-password")]
    public async Task Suggest_PartialCommandLine_CompletionsForTheCursor(string line, params string[] expected)
    {
        var (code, output, _) = await RunAsync([$"[suggest:{line.Length}]", line], "");

        Assert.Equal(0, code);
        var suggestions = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.All(expected, e => Assert.Contains(e, suggestions));
    }

    [Fact]
    public async Task SessionsList_HostileUserAgent_PrintedEscapedOnItsOwnRow()
    {
        await GetAsync("/x", r =>
        {
            r.Headers.Authorization = Basic("alice");
            r.Headers.TryAddWithoutValidation("User-Agent", "evil\u001b[2K\u001b[1A\u007f tail");
        });

        var (code, listing, _) = await RunAsync(["sessions", "list", "--user", "alice", .. Config()], "");

        Assert.Equal(0, code);
        Assert.DoesNotContain(listing, c => char.IsControl(c) && c is not ('\n' or '\r'));
        Assert.EndsWith(@"evil\u001B[2K\u001B[1A\u007F tail", listing.Trim().Split('\n')[1].TrimEnd());
    }

    private string[] Config() =>
    [
        $"--ConnectionStrings:Redis={Redis!.ConnectionString}",
        $"--Gateway:Store:KeyPrefix={Host.KeyPrefix}",
        $"--Gateway:Users:File={Host.UsersPath}",
        "--Gateway:Demo:Upstream=",
    ];

    private static async Task<(int Code, string Output, string Error)> RunAsync(string[] args, string stdin)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await GatewayCli.RunAsync(args, new StringReader(stdin), output, error);
        return (code, output.ToString(), error.ToString());
    }
}
