using System.Diagnostics;
using System.Net;
using Gateway.Stores.Postgres;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// Fail closed on PostgreSQL: with the database stopped, requests that need a session get 503 with Retry-After within
/// the store timeout (plus a little), never a 500 or a hang; public routes keep working; <c>/readyz</c> says not ready;
/// once it is back the same cookies work without a gateway restart. A gateway started before its database, or on a
/// schema it may not migrate, behaves as an operator expects. Owns its server, since it stops it.
/// </summary>
public sealed class PostgresOutageTests : OwnedPostgresTestBase
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:Store:Timeout"] = "00:00:00.500",
    };

    [Fact]
    public async Task Proxy_PostgresStoppedThenRestarted_503FastThenSameCookieWorks()
    {
        var sid = await LoginAsync("alice");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(sid))).StatusCode);
        var proxiedBefore = Backend.Received.Count;

        await Postgres.StopAsync();

        var took = new List<TimeSpan>();
        foreach (var attempt in Enumerable.Range(0, 5))
        {
            var watch = Stopwatch.StartNew();
            var response = await GetAsync("/x", WithCookie(sid));
            took.Add(watch.Elapsed);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("5", response.Headers.GetValues("Retry-After").Single());
            Assert.Contains("store_unavailable", await response.Content.ReadAsStringAsync());
            Assert.Null(SessionCookie(response));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"attempt {attempt} took {watch.Elapsed}");
        }
        Assert.True(took.Order().ElementAt(2) <= TimeSpan.FromSeconds(1), $"median 503 took {took.Order().ElementAt(2)}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await GetAsync("/x", r => r.Headers.Authorization = Basic("bob"))).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable,
            (await PostFormAsync("/auth/login", ("username", "bob"), ("password", "bob-password"), ("returnUrl", "/"))).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/public/page")).StatusCode);
        Assert.Equal(proxiedBefore + 1, Backend.Received.Count);
        Assert.Empty(Backend.Last.Variants("X-Auth-User"));

        await Postgres.StartAsync();

        await Eventually.HoldsAsync(async () => (await GetAsync("/x", WithCookie(sid))).StatusCode == HttpStatusCode.OK,
            "the session working again after the restart", TimeSpan.FromSeconds(20));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/readyz")).StatusCode);
        Assert.Equal(["alice"], Backend.Last.Values("X-Auth-User"));
    }

    [Fact]
    public async Task Start_PostgresDownAtStart_NotReadyThenReadyWithoutRestart()
    {
        var settings = new Dictionary<string, string?>(await Postgres.GatewaySettingsAsync("t-down:")) { ["Gateway:Store:Provider"] = "Postgres" };
        await Postgres.StopAsync();
        await using var host = await GatewayHost.StartAsync(Backend.Url, null, settings, keyPrefix: "t-down:");
        using var client = host.CreateClient();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/public/page")).StatusCode);
        await Postgres.StartAsync();

        await Eventually.HoldsAsync(async () => (await client.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK,
            "ready after the database started", TimeSpan.FromSeconds(20));
        var request = new HttpRequestMessage(HttpMethod.Get, "/x");
        request.Headers.Authorization = Basic("alice");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Start_MigrateOffOnSchemaNotMigrated_RefusedWithClearMessage()
    {
        var settings = new Dictionary<string, string?> { ["Gateway:Store:Migrate"] = "false" };

        var refused = await Assert.ThrowsAsync<PostgresSchemaException>(() => GatewayHost.StartAsync(Backend.Url, Postgres, settings, keyPrefix: "t-empty:"));

        Assert.Contains($"schema is at version 0; this gateway needs version {PostgresMigrations.Latest}", refused.Message);
        Assert.Contains("dotnet Gateway.dll migrate", refused.Message);
    }
}
