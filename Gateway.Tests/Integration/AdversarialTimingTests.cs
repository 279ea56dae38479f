using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Gateway.Tests.Fixtures;
using Gateway.Users;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Integration;

/// <summary>
/// User enumeration by timing (Traefik advisory): a wrong password for a known user and any password for an
/// unknown user cost the same. Users get bcrypt cost 8 so the hash dominates as it does in production; the
/// medians of interleaved attempts are compared as a ratio, never against a wall-clock bound.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class AdversarialTimingTests(RedisServer redis, Xunit.Abstractions.ITestOutputHelper output) : GatewayTestBase(redis)
{
    private const int Attempts = 200;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:Login:MaxFailures"] = "0",
        ["Gateway:Login:MaxFailuresPerIp"] = "0",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var users = Host.Services.GetRequiredService<UserStore>();
        var version = users.Version;
        var lines = GatewayHost.DefaultPasswords.Select(p => $"{p.Key}:{BCrypt.Net.BCrypt.HashPassword(p.Value, 8).Replace("$2a$", "$2y$")}");
        await File.WriteAllTextAsync(Host.UsersPath, string.Join('\n', lines) + "\n");
        await Eventually.HoldsAsync(() => users.Version != version && users.Find("alice")!.Hash.StartsWith("$2y$08$", StringComparison.Ordinal), "the users reloaded");
    }

    [Fact]
    public async Task Login_UnknownVersusKnownUser_MediansWithinTenPercent()
    {
        var ratio = await MedianRatioAsync(
            () => Client.PostAsJsonAsync("/auth/login", new { username = "alice", password = "wrong-password" }),
            () => Client.PostAsJsonAsync("/auth/login", new { username = "no-such-user", password = "wrong-password" }));

        Assert.InRange(ratio, 1 / 1.1, 1.1);
    }

    [Fact]
    public async Task ProxyBasic_UnknownVersusKnownUser_MediansWithinTenPercent()
    {
        var ratio = await MedianRatioAsync(
            () => GetAsync("/x", r => r.Headers.Authorization = Basic("alice", "wrong-password")),
            () => GetAsync("/x", r => r.Headers.Authorization = Basic("no-such-user", "wrong-password")));

        Assert.InRange(ratio, 1 / 1.1, 1.1);
    }

    /// <summary>Median time of <paramref name="known"/> over median of <paramref name="unknown"/>, interleaved so drift hits both.</summary>
    private async Task<double> MedianRatioAsync(Func<Task<HttpResponseMessage>> known, Func<Task<HttpResponseMessage>> unknown)
    {
        for (var i = 0; i < 10; i++)
        {
            await known();
            await unknown();
        }
        var knownTimes = new List<double>(Attempts);
        var unknownTimes = new List<double>(Attempts);
        for (var i = 0; i < Attempts; i++)
        {
            var first = i % 2 == 0;
            (first ? knownTimes : unknownTimes).Add(await TimeAsync(first ? known : unknown));
            (first ? unknownTimes : knownTimes).Add(await TimeAsync(first ? unknown : known));
        }
        var (knownMedian, unknownMedian) = (Median(knownTimes), Median(unknownTimes));
        output.WriteLine($"known {knownMedian:F2} ms, unknown {unknownMedian:F2} ms, ratio {knownMedian / unknownMedian:F3} over {Attempts} each");
        return knownMedian / unknownMedian;
    }

    private static async Task<double> TimeAsync(Func<Task<HttpResponseMessage>> send)
    {
        var watch = Stopwatch.StartNew();
        using var response = await send();
        watch.Stop();
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
