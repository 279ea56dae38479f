using System.Net;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Gateway.Tests.Telemetry;

/// <summary>The standard OTEL_* settings turn on OTLP export; a WireMock server on loopback plays the collector.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class OtlpExportTests(RedisServer redis) : GatewayTestBase(redis)
{
    private readonly RecordingBackend _collector = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _collector.Url,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_SERVICE_NAME"] = "gateway-under-test",
    };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _collector.Dispose();
    }

    [Fact]
    public async Task Otlp_EndpointSet_TracesAndMetricsReachCollector()
    {
        await LoginAsync("alice");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", r => r.Headers.Authorization = Basic("alice"))).StatusCode);

        Assert.True(Host.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000));
        Assert.True(Host.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000));

        var posts = _collector.Received.Where(r => r.Method == "POST").Select(r => r.PathAndQuery).ToList();
        Assert.Contains("/v1/traces", posts);
        Assert.Contains("/v1/metrics", posts);
        Assert.All(_collector.Received, r => Assert.Equal("application/x-protobuf", r.Values("Content-Type").Single()));
    }
}
