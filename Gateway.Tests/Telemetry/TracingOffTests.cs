using System.Diagnostics;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Gateway.Tests.Telemetry;

/// <summary>
/// Without an exporter the gateway makes no spans and listens to no meter, and a caller's trace context passes
/// through untouched.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class TracingOffTests(RedisServer redis) : GatewayTestBase(redis)
{
    [Fact]
    public async Task Proxy_NoTraceExporter_NoTracerAndCallersTraceparentForwardedAsSent()
    {
        var sent = $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-01";
        var sid = await LoginAsync("alice");

        var answer = await RawAsync($"GET /x HTTP/1.1\r\nHost: gw\r\nCookie: sid={sid}\r\ntraceparent: {sent}\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200", answer);
        Assert.Null(Host.Services.GetService<TracerProvider>());
        Assert.Equal([sent], Backend.Last.Values("traceparent"));
        Assert.Equal(["alice"], Backend.Last.Values("X-Auth-User"));
    }

    [Fact]
    public async Task Proxy_NoMetricsExporter_NoMeterProviderAndRequestsStillServed()
    {
        var sid = await LoginAsync("alice");

        var response = await GetAsync("/x", WithCookie(sid));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Null(Host.Services.GetService<MeterProvider>());
        Assert.Equal(["alice"], Backend.Last.Values("X-Auth-User"));
    }
}
