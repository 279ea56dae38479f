using System.Net;
using System.Net.Http.Json;
using Gateway.Telemetry;
using Gateway.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Telemetry;

/// <summary>The Gateway meter after a scripted sequence of logins, failures, Basic requests, logout and expiry.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class MetricsTests(RedisServer redis) : TelemetryTestBase(redis)
{
    [Fact]
    public async Task Meter_ScriptedLoginLogoutFailureSequence_CountsEachEvent()
    {
        var aliceSid = await LoginAsync("alice");
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client.PostAsJsonAsync("/auth/login", new { username = "bob", password = "wrong" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostFormAsync("/auth/login", ("username", "mallory"), ("password", "x"), ("returnUrl", "/"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", r => r.Headers.Authorization = Basic("alice"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", r => r.Headers.Authorization = Basic("alice"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", r => r.Headers.Authorization = Basic("alice", "wrong"))).StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, (await PostFormAsync("/auth/logout", aliceSid)).StatusCode);
        var bobSid = await LoginAsync("bob");

        var monitor = Host.Services.GetRequiredService<ActiveSessionsMonitor>();
        Assert.True(await monitor.RefreshAsync(CancellationToken.None));
        var metrics = CollectMetrics();

        Assert.Equal(2, Sum(metrics, "gateway.session.created", ("gateway.login.method", "form")));
        Assert.Equal(1, Sum(metrics, "gateway.session.created", ("gateway.login.method", "basic")));
        Assert.Equal(2, Sum(metrics, "gateway.login.succeeded", ("gateway.login.method", "form")));
        Assert.Equal(1, Sum(metrics, "gateway.login.succeeded", ("gateway.login.method", "basic")));
        Assert.Equal(1, Sum(metrics, "gateway.login.failed", ("gateway.login.method", "json"), ("gateway.login.failure_reason", "wrong_password")));
        Assert.Equal(1, Sum(metrics, "gateway.login.failed", ("gateway.login.method", "form"), ("gateway.login.failure_reason", "unknown_user")));
        Assert.Equal(1, Sum(metrics, "gateway.login.failed", ("gateway.login.method", "basic"), ("gateway.login.failure_reason", "wrong_password")));
        Assert.Equal(1, Sum(metrics, "gateway.session.ended", ("gateway.session.end_reason", "logout"), ("gateway.session.end_kind", "revoked")));
        Assert.Equal(1, Sum(metrics, "gateway.session.credential_cache.lookups", ("gateway.cache.result", "hit")));
        Assert.Equal(2, Sum(metrics, "gateway.session.credential_cache.lookups", ("gateway.cache.result", "miss")));
        Assert.True(Count(metrics, "gateway.session.resolution.duration", ("gateway.session.carrier", "cookie"), ("gateway.session.outcome", "success")) >= 1);
        Assert.True(Count(metrics, "gateway.store.duration", ("gateway.store.operation", "get"), ("gateway.store.outcome", "ok")) >= 1);
        Assert.Equal(0, Sum(metrics, "gateway.store.errors"));
        Assert.Equal(2, Gauge(metrics, "gateway.session.active"));

        Host.Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/x", WithCookie(bobSid))).StatusCode);
        Assert.True(await monitor.RefreshAsync(CancellationToken.None));
        metrics = CollectMetrics();

        Assert.Equal(1, Sum(metrics, "gateway.session.ended", ("gateway.session.end_reason", "idle_timeout"), ("gateway.session.end_kind", "expired")));
        Assert.Equal(0, Gauge(metrics, "gateway.session.active"));
    }

    [Fact]
    public async Task Meter_RedisDown_StoreErrorsCountedAndGaugeGoesSilent()
    {
        var sid = await LoginAsync("alice");
        var monitor = Host.Services.GetRequiredService<ActiveSessionsMonitor>();
        await Redis!.StopAsync();
        try
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await GetAsync("/x", WithCookie(sid))).StatusCode);
            Assert.False(await monitor.RefreshAsync(CancellationToken.None));
            var metrics = CollectMetrics();

            Assert.True(Sum(metrics, "gateway.store.errors", ("gateway.store.operation", "get")) >= 1);
            Assert.True(Count(metrics, "gateway.session.resolution.duration", ("gateway.session.outcome", "store_unavailable")) >= 1);
        }
        finally
        {
            await Redis.StartAsync();
        }
    }

    private static long? Gauge(Dictionary<string, OpenTelemetry.Metrics.MetricSnapshot> metrics, string name) =>
        metrics.TryGetValue(name, out var metric) && metric.MetricPoints.Count > 0 ? metric.MetricPoints[^1].GetGaugeLastValueLong() : null;
}
