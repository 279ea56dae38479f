using System.Net;
using System.Net.Http.Json;
using Gateway.Sessions;
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

    [Fact]
    public async Task Meter_ResolveOnlyEndpointWithBasic_UnknownUserCostsTheSameStoreCallsAsKnown()
    {
        // The first lookup also fetches the link secret: measured after it.
        await GetAsync("/auth/logout", r => r.Headers.Authorization = Basic("alice", "warm-up"));
        var before = StoreCalls();

        var known = await GetAsync("/auth/logout", r => r.Headers.Authorization = Basic("alice", "wrong-password"));
        var afterKnown = StoreCalls();
        var unknown = await GetAsync("/auth/logout", r => r.Headers.Authorization = Basic("no-such-user", "wrong-password"));
        var afterUnknown = StoreCalls();

        Assert.Equal(known.StatusCode, unknown.StatusCode);
        Assert.Equal(await known.Content.ReadAsStringAsync(), await unknown.Content.ReadAsStringAsync());
        var knownCalls = Delta(before, afterKnown);
        Assert.Contains("get_credential_link=1", knownCalls);
        Assert.Equal(knownCalls, Delta(afterKnown, afterUnknown));
    }

    /// <summary>Store calls so far, by operation.</summary>
    private Dictionary<string, long> StoreCalls() =>
        CollectMetrics().TryGetValue("gateway.store.duration", out var metric)
            ? metric.MetricPoints.GroupBy(p => Operation(p)).ToDictionary(g => g.Key, g => g.Sum(p => p.GetHistogramCount()))
            : [];

    private static string Operation(OpenTelemetry.Metrics.MetricPoint point)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == "gateway.store.operation")
            {
                return tag.Value?.ToString() ?? "";
            }
        }
        return "";
    }

    /// <summary>The calls made between two counts, as "operation=n" sorted, so two deltas compare as one string.</summary>
    private static string Delta(Dictionary<string, long> before, Dictionary<string, long> after) =>
        string.Join(", ", after.Select(a => (a.Key, N: a.Value - before.GetValueOrDefault(a.Key))).Where(d => d.N > 0).OrderBy(d => d.Key, StringComparer.Ordinal)
            .Select(d => $"{d.Key}={d.N}"));

    private static long? Gauge(Dictionary<string, OpenTelemetry.Metrics.MetricSnapshot> metrics, string name) =>
        metrics.TryGetValue(name, out var metric) && metric.MetricPoints.Count > 0 ? metric.MetricPoints[^1].GetGaugeLastValueLong() : null;
}
