using System.Net;
using System.Text.Json;
using Gateway.Tests.Fixtures;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Gateway.Tests.Integration;

/// <summary>
/// Backend faults: a backend that is down gets the caller a 502 with the gateway's short JSON body (never a bare
/// status or a 500) and leaves the session alone; active health checks configured in routes.json take a failing
/// destination out of rotation, and with no healthy destination left the caller gets 503 with Retry-After.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class FaultBackendTests(RedisServer redis) : GatewayTestBase(redis)
{
    [Fact]
    public async Task Proxy_BackendDown_502JsonSessionUntouched()
    {
        var sid = await LoginAsync("alice");
        Backend.Server.Stop();

        var response = await GetAsync("/app/page", WithCookie(sid));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType!.ToString());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(502, body.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("bad_gateway", body.RootElement.GetProperty("error").GetString());
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.Null(SetCookie(response, "sid"));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/auth/session", WithCookie(sid))).StatusCode);
        Assert.Single(SessionKeys());

        var anonymous = await GetAsync("/public/page");
        Assert.Equal(HttpStatusCode.BadGateway, anonymous.StatusCode);
        Assert.Contains("bad_gateway", await anonymous.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Proxy_ActiveHealthCheckFindsFailingDestination_TrafficGoesToHealthyOne()
    {
        using var failing = FailingBackend();
        await ReloadRoutesAsync(Clusters(("good", Backend.Url), ("bad", failing.Url!)), "HealthyOrPanic");
        await Eventually.WithinAsync(() => failing.LogEntries.Any(e => e.RequestMessage.Path == "/health"), TimeSpan.FromSeconds(20));
        Assert.Contains(failing.LogEntries, e => e.RequestMessage.Path == "/health");

        // Round robin over both would answer every other request from the failing one.
        var healthy = await ConsecutiveAsync(HttpStatusCode.OK, 20, TimeSpan.FromSeconds(20));

        Assert.True(healthy, "the failing destination was not taken out of rotation within 20 s");
        Assert.True(Backend.Received.Count(r => r.PathAndQuery == "/public/x") >= 20);
    }

    [Fact]
    public async Task Proxy_NoHealthyDestination_503JsonWithRetryAfter()
    {
        using var failing = FailingBackend();
        await ReloadRoutesAsync(Clusters(("bad", failing.Url!)), "HealthyAndUnknown");

        var unavailable = await ConsecutiveAsync(HttpStatusCode.ServiceUnavailable, 3, TimeSpan.FromSeconds(20));

        Assert.True(unavailable, "no 503 within 20 s");
        var response = await GetAsync("/public/x");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("5", response.Headers.RetryAfter!.ToString());
        Assert.Contains("\"no_backend\"", await response.Content.ReadAsStringAsync());
    }

    private static WireMockServer FailingBackend()
    {
        var server = WireMockServer.Start();
        server.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithStatusCode(500).WithBody("broken"));
        return server;
    }

    private static Dictionary<string, object> Clusters(params (string Name, string Url)[] destinations) =>
        destinations.ToDictionary(d => d.Name, d => (object)new { Address = d.Url });

    // The routes.json shape documented in the README: an active check every second on /health, one failure enough.
    private async Task ReloadRoutesAsync(Dictionary<string, object> destinations, string availability)
    {
        var document = new
        {
            ReverseProxy = new
            {
                Routes = new Dictionary<string, object>
                {
                    ["public"] = new { ClusterId = "backend", AuthorizationPolicy = "anonymous", Match = new { Path = "/public/{**rest}" } },
                },
                Clusters = new Dictionary<string, object>
                {
                    ["backend"] = new
                    {
                        LoadBalancingPolicy = "RoundRobin",
                        HealthCheck = new
                        {
                            AvailableDestinationsPolicy = availability,
                            Active = new { Enabled = true, Interval = "00:00:01", Timeout = "00:00:01", Policy = "ConsecutiveFailures", Path = "/health" },
                        },
                        Metadata = new Dictionary<string, string> { ["ConsecutiveFailuresHealthPolicy.Threshold"] = "1" },
                        Destinations = destinations,
                    },
                },
            },
        };
        await File.WriteAllTextAsync(Host.RoutesPath, JsonSerializer.Serialize(document));
    }

    // Bounded: true once <count> requests in a row answer <status>.
    private Task<bool> ConsecutiveAsync(HttpStatusCode status, int count, TimeSpan limit)
    {
        var streak = 0;
        // No pause inside a streak: only a broken one waits before the next try.
        return Eventually.WithinAsync(async () =>
        {
            var response = await GetAsync("/public/x");
            streak = response.StatusCode == status ? streak + 1 : 0;
            if (streak == 0)
            {
                await Task.Delay(100);
            }
            return streak >= count;
        }, limit, TimeSpan.Zero);
    }
}
