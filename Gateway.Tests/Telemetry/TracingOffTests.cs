using System.Diagnostics;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Integration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Gateway.Tests.Telemetry;

/// <summary>
/// Without an exporter the gateway makes no spans and listens to no meter, and a caller's trace context passes
/// through untouched. Logging is on at Warning, as in production: ASP.NET Core then starts an activity per request
/// anyway, which the forwarder must not propagate.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class TracingOffTests(RedisServer redis) : GatewayTestBase(redis)
{
    protected override void ConfigureHost(WebApplicationBuilder builder) =>
        builder.Logging.AddProvider(new LogCapture()).SetMinimumLevel(LogLevel.Warning);

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
    public async Task Proxy_NoTraceExporterNoCallerTrace_BackendGetsNoInventedTraceparent()
    {
        var sid = await LoginAsync("alice");

        var response = await GetAsync("/x", WithCookie(sid));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(Backend.Last.Values("traceparent"));
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
