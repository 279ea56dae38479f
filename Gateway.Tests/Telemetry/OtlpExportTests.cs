using System.Net;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Gateway.Tests.Telemetry;

/// <summary>A gateway whose OTLP exporters point at a WireMock server on loopback playing the collector.</summary>
public abstract class OtlpTestBase(RedisServer redis) : GatewayTestBase(redis)
{
    protected RecordingBackend Collector { get; } = new();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Collector.Dispose();
    }

    /// <summary>Makes a session and a proxied request, flushes every provider there is, and returns the paths posted to the collector.</summary>
    protected async Task<List<string>> ExportAsync()
    {
        await LoginAsync("alice");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", r => r.Headers.Authorization = Basic("alice"))).StatusCode);

        Assert.True(Host.Services.GetService<TracerProvider>()?.ForceFlush(10_000) ?? true);
        Assert.True(Host.Services.GetService<MeterProvider>()?.ForceFlush(10_000) ?? true);
        Assert.True(Host.Services.GetService<LoggerProvider>()?.ForceFlush(10_000) ?? true);
        return Collector.Received.Where(r => r.Method == "POST").Select(r => r.PathAndQuery).ToList();
    }
}

/// <summary>The standard OTEL_* settings turn on OTLP export of every signal.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class OtlpExportTests(RedisServer redis) : OtlpTestBase(redis)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Collector.Url,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_SERVICE_NAME"] = "gateway-under-test",
    };

    [Fact]
    public async Task Otlp_EndpointSet_TracesMetricsAndLogsReachCollector()
    {
        var posts = await ExportAsync();

        Assert.Contains("/v1/traces", posts);
        Assert.Contains("/v1/metrics", posts);
        Assert.Contains("/v1/logs", posts);
        Assert.All(Collector.Received, r => Assert.Equal("application/x-protobuf", r.Values("Content-Type").Single()));
    }
}

/// <summary>A signal's own endpoint alone turns on that signal, at exactly that URL, and no other.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class OtlpPerSignalEndpointTests(RedisServer redis) : OtlpTestBase(redis)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = Collector.Url + "/collector/traces",
        ["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"] = "http/protobuf",
    };

    [Fact]
    public async Task Otlp_OnlyTracesEndpointSet_TracesExportedThereAndNothingElse()
    {
        var posts = await ExportAsync();

        Assert.NotNull(Host.Services.GetService<TracerProvider>());
        Assert.Null(Host.Services.GetService<MeterProvider>());
        Assert.Contains("/collector/traces", posts);
        Assert.All(posts, p => Assert.Equal("/collector/traces", p));
    }
}

/// <summary><c>OTEL_METRICS_EXPORTER=none</c> and <c>OTEL_LOGS_EXPORTER=none</c> turn those signals off, traces stay.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class OtlpSignalsOffTests(RedisServer redis) : OtlpTestBase(redis)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Collector.Url,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_METRICS_EXPORTER"] = "none",
        ["OTEL_LOGS_EXPORTER"] = "none",
    };

    [Fact]
    public async Task Otlp_MetricsAndLogsExporterNone_OnlyTracesExported()
    {
        var posts = await ExportAsync();

        Assert.Contains("/v1/traces", posts);
        Assert.DoesNotContain("/v1/metrics", posts);
        Assert.DoesNotContain("/v1/logs", posts);
        Assert.Null(Host.Services.GetService<MeterProvider>());
    }
}

/// <summary><c>OTEL_TRACES_EXPORTER=none</c>: no spans are made at all, metrics still go to the collector.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class OtlpTracesOffTests(RedisServer redis) : OtlpTestBase(redis)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Collector.Url,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_TRACES_EXPORTER"] = "none",
    };

    [Fact]
    public async Task Otlp_TracesExporterNone_NoTracerAndMetricsExported()
    {
        var posts = await ExportAsync();

        Assert.Null(Host.Services.GetService<TracerProvider>());
        Assert.Contains("/v1/metrics", posts);
        Assert.DoesNotContain("/v1/traces", posts);
    }
}
