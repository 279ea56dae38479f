using System.Net;
using Gateway.Cli;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Integration;

namespace Gateway.Tests.Cli;

/// <summary>
/// The real <c>sessions</c> command (<see cref="GatewayCli.RunAsync"/>) against the store of a running test gateway,
/// through the same store selection a gateway makes, on sessions that gateway created; the gateway then refuses what
/// the command revoked. Derived per store.
/// </summary>
public abstract class SessionsCommandTests(IStoreFixture store) : GatewayTestBase(store)
{
    [Fact]
    public async Task SessionsListAndRevoke_BesideRunningGateway_GatewayRefusesRevokedCookies()
    {
        var one = await LoginAsync("alice");
        var two = await LoginAsync("alice");
        var handle = await HandleAsync(one);

        var (listCode, listing, _) = await RunAsync(["sessions", "list", "--user", "alice", .. await ConfigAsync()]);
        Assert.Equal(0, listCode);
        Assert.Equal(3, listing.Trim().Split('\n').Length);
        Assert.Contains(handle, listing);

        var (oneCode, oneOutput, oneError) = await RunAsync(["sessions", "revoke", "--user", "alice", "--handle", handle, .. await ConfigAsync()]);
        Assert.True(oneCode == 0, oneError);
        Assert.Contains($"Revoked session {handle}", oneOutput);
        Assert.True(await AnswersWithinAsync(one, HttpStatusCode.Unauthorized), "the gateway still accepted the session the command revoked");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(two))).StatusCode);

        var (allCode, allOutput, _) = await RunAsync(["sessions", "revoke", "--user", "alice", "--all", .. await ConfigAsync()]);
        Assert.Equal(0, allCode);
        Assert.Contains("Revoked 1 session", allOutput);
        Assert.True(await AnswersWithinAsync(two, HttpStatusCode.Unauthorized), "the gateway still accepted a session revoked with --all");
        Assert.Equal(1, (await RunAsync(["sessions", "list", "--user", "alice", .. await ConfigAsync()])).Code);

        // The gateway goes on writing to its store after the command.
        var three = await LoginAsync("alice");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(three))).StatusCode);
    }

    protected Task<string[]> ConfigAsync() => ConfigAsync(Store!, Host);

    /// <summary>The command line naming <paramref name="host"/>'s store, as an operator would give it (the same configuration).</summary>
    internal static async Task<string[]> ConfigAsync(IStoreFixture store, GatewayHost host) =>
    [
        .. (await store.GatewaySettingsAsync(host.KeyPrefix)).Select(s => $"--{s.Key}={s.Value}"),
        $"--Gateway:Store:KeyPrefix={host.KeyPrefix}",
        $"--Gateway:Users:File={host.UsersPath}",
        "--Gateway:Demo:Upstream=",
    ];

    protected async Task<string> HandleAsync(string sid) =>
        (await (await GetAsync("/auth/session", WithCookie(sid))).Content.ReadAsStringAsync()).Split("\"handle\":\"")[1][..16];

    protected Task<bool> AnswersWithinAsync(string sid, HttpStatusCode expected, TimeSpan? within = null) =>
        Eventually.WithinAsync(async () => (await GetAsync("/x", WithCookie(sid))).StatusCode == expected, within ?? TimeSpan.FromSeconds(10),
            TimeSpan.FromMilliseconds(50));

    internal static async Task<(int Code, string Output, string Error)> RunAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await GatewayCli.RunAsync(args, new StringReader(""), output, error);
        return (code, output.ToString(), error.ToString());
    }
}
