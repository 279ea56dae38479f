using System.Net;
using Gateway.Tests.Fixtures;
using Xunit.Abstractions;

namespace Gateway.Tests.Integration;

/// <summary>
/// The gateway through Redis Sentinel (one primary, one replica, three sentinels): it follows a failover without a
/// restart, answering 503 (never 500, never an anonymous pass) for the window, and a logout it acknowledged is never
/// undone by one. Each test owns its sentinel group.
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class RedisSentinelTests(ITestOutputHelper output) : GatewayTestBase(new RedisSentinel())
{
    private const int Clients = 4;

    private RedisSentinel Sentinel => (RedisSentinel)RedisDeployment!;

    public override async Task InitializeAsync()
    {
        await Sentinel.InitializeAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        // The servers go even when the gateway never started (a failed start must not leak processes).
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            await Sentinel.DisposeAsync();
        }
    }

    [Fact]
    public async Task Logout_ReplicaNotAcknowledging_503AndSessionNotReportedEnded()
    {
        var sid = await LoginAsync("alice");
        Sentinel.FreezeReplica(true);
        try
        {
            var response = await PostFormAsync("/auth/logout", sid);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("5", response.Headers.RetryAfter!.ToString());
            Assert.Null(SessionCookie(response));
        }
        finally
        {
            Sentinel.FreezeReplica(false);
        }
    }

    [Fact]
    public async Task Logout_AcknowledgedThenPrimaryCrashesAndFailsOver_StaysRevoked()
    {
        var revoked = await LoginAsync("alice");
        var kept = await LoginAsync("alice");
        Assert.Equal(HttpStatusCode.SeeOther, (await PostFormAsync("/auth/logout", revoked)).StatusCode);

        await Sentinel.Primary.KillAsync();
        await Sentinel.FailoverAsync();

        Assert.True(await UntilOkAsync(kept, TimeSpan.FromSeconds(30)), "the gateway did not follow the failover within 30 s");
        var response = await GetAsync("/x", WithCookie(revoked));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(["alice"], Backend.Last.Values("X-Auth-User"));
        Assert.Single(SessionKeys());
    }

    [Fact]
    public async Task Proxy_PrimaryCrashesUnderLoad_SentinelsPromoteAndGatewayFollows()
    {
        var sids = new List<string>();
        for (var i = 0; i < Clients; i++)
        {
            sids.Add(await LoginAsync(i % 2 == 0 ? "alice" : "bob"));
        }
        var driver = new LoadDriver(Client);
        using var stop = new CancellationTokenSource();
        // Clients read with their cookies; one more logs in again and again (writes: session and index).
        var load = driver.RunAsync(Clients + 1, (client, n) =>
        {
            if (client == Clients)
            {
                return new HttpRequestMessage(HttpMethod.Post, "/auth/login")
                {
                    Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "bob", ["password"] = "bob-password", ["returnUrl"] = "/" }),
                };
            }
            var request = new HttpRequestMessage(HttpMethod.Get, $"/app/c{client}/{n}");
            request.Headers.Add("Cookie", $"sid={sids[client]}");
            return request;
        }, stop.Token, hardLimit: TimeSpan.FromSeconds(60));

        await Task.Delay(TimeSpan.FromSeconds(1));
        var crashedAt = driver.Now;
        await Sentinel.Primary.KillAsync();
        await Sentinel.PromotedAsync();
        var promotedAt = driver.Now;
        // Steady: since the last refused read (or the crash, if none was refused), many reads served in a row.
        TimeSpan? servedAgainAt = null;
        await Eventually.WithinAsync(() =>
        {
            var reads = driver.Samples.Where(s => s.Client < Clients && s.SentAt > crashedAt).ToList();
            var lastError = reads.LastOrDefault(s => s.Status != HttpStatusCode.OK);
            var since = lastError?.SentAt ?? promotedAt;
            if (reads.Count(s => s.SentAt > since && s.SentAt > promotedAt) >= 20 * Clients)
            {
                servedAgainAt = lastError is null ? crashedAt : lastError.SentAt + lastError.Elapsed;
            }
            return servedAgainAt is not null;
        }, TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await load;

        var logins = driver.Samples.Where(s => s.Client == Clients).ToList();
        var samples = driver.Samples.Where(s => s.Client < Clients).ToList();
        Assert.True(servedAgainAt is not null, "no steady service within 30 s of the promotion");
        var errors = samples.Where(s => s.Status != HttpStatusCode.OK).ToList();
        var failedLogins = logins.Where(s => s.Status != HttpStatusCode.SeeOther).ToList();
        output.WriteLine($"crash→promotion {promotedAt - crashedAt}; reads: {errors.Count} errors of {samples.Count}" +
            (errors.Count > 0 ? $", from {errors[0].SentAt - crashedAt} to {errors[^1].SentAt + errors[^1].Elapsed - crashedAt} after the crash" : "") +
            $"; logins: {failedLogins.Count} refused of {logins.Count}" +
            (failedLogins.Count > 0 ? $", from {failedLogins[0].SentAt - crashedAt} to {failedLogins[^1].SentAt + failedLogins[^1].Elapsed - crashedAt}" : ""));
        Assert.All(failedLogins, s => Assert.Equal(HttpStatusCode.ServiceUnavailable, s.Status));
        Assert.Contains(logins, s => s.Status == HttpStatusCode.SeeOther && s.SentAt > promotedAt);
        Assert.All(errors, s =>
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, s.Status);
            Assert.Equal("5", s.RetryAfter);
        });
        Assert.DoesNotContain(samples, s => s.SetCookie is not null);
        Assert.Equal(samples.Count(s => s.Status == HttpStatusCode.OK), Backend.Received.Count);
        Assert.Equal(logins.Count(s => s.Status == HttpStatusCode.SeeOther), logins.Count(s => s.SetCookie?.StartsWith("sid=", StringComparison.Ordinal) == true));
        Assert.All(Backend.Received, r => Assert.Single(r.Values("X-Auth-User")));
        foreach (var sid in sids)
        {
            Assert.Equal(HttpStatusCode.OK, (await GetAsync("/auth/session", WithCookie(sid))).StatusCode);
        }
    }

    private Task<bool> UntilOkAsync(string sid, TimeSpan limit) =>
        Eventually.WithinAsync(async () => (await GetAsync("/x", WithCookie(sid))).StatusCode == HttpStatusCode.OK, limit);
}
