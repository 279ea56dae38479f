using System.Diagnostics;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Integration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Gateway.Tests.Telemetry;

/// <summary>A gateway whose spans, metrics and logs are captured in process by OpenTelemetry's in-memory exporter.</summary>
public abstract class TelemetryTestBase(IStoreFixture? store) : GatewayTestBase(store)
{
    protected LockedCollection<Activity> Spans { get; } = new();

    protected LockedCollection<MetricSnapshot> Metrics { get; } = new();

    protected LogCapture Logs { get; } = new();

    protected override void ConfigureHost(WebApplicationBuilder builder)
    {
        builder.Services.AddOpenTelemetry().WithTracing(tracing => Gateway.Telemetry.TelemetryExtensions.AddGatewaySpans(tracing).AddInMemoryExporter(Spans));
        // The gateway makes no MeterProvider without an exporter: this one exports to memory what it would export.
        builder.Services.AddOpenTelemetry().WithMetrics(meters => Gateway.Telemetry.TelemetryExtensions.AddGatewayMeters(meters).AddInMemoryExporter(Metrics));
        builder.Logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace);
    }

    /// <summary>The latest exported span that matches, waiting (bounded) for it to end.</summary>
    protected async Task<Activity> WaitForSpanAsync(Func<Activity, bool> match)
    {
        return (await Eventually.ValueAsync(() =>
        {
            Host.Services.GetRequiredService<TracerProvider>().ForceFlush();
            return Task.FromResult(Spans.LastOrDefault(match));
        }, found => found is not null, "the span exported", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50)))!;
    }

    /// <summary>
    /// Spans of one trace, once <paramref name="servers"/> server spans have ended (the exporter sees spans when they
    /// stop; the WireMock backend runs in this process, so its server span joins the trace too).
    /// </summary>
    protected async Task<List<Activity>> TraceAsync(ActivityTraceId traceId, int servers)
    {
        return await Eventually.ValueAsync(() =>
            {
                Host.Services.GetRequiredService<TracerProvider>().ForceFlush();
                return Task.FromResult(Spans.Where(s => s.TraceId == traceId).ToList());
            },
            spans => spans.Count(s => s.Kind == ActivityKind.Server && s.Source.Name == "Microsoft.AspNetCore") >= servers,
            $"{servers} server spans for trace {traceId}", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50),
            spans => string.Join(", ", spans.Select(s => s.Source.Name + "/" + s.DisplayName)));
    }

    /// <summary>Exports now and returns the latest snapshot of every metric.</summary>
    protected Dictionary<string, MetricSnapshot> CollectMetrics()
    {
        Host.Services.GetRequiredService<MeterProvider>().ForceFlush();
        return Metrics.GroupBy(m => m.Name).ToDictionary(g => g.Key, g => g.Last());
    }

    /// <summary>Sum of a counter's points whose tags include every given tag.</summary>
    protected static long Sum(Dictionary<string, MetricSnapshot> metrics, string name, params (string Key, string Value)[] tags) =>
        metrics.TryGetValue(name, out var metric) ? Points(metric, tags).Sum(p => p.GetSumLong()) : 0;

    /// <summary>Number of recorded values of a histogram whose tags include every given tag.</summary>
    protected static long Count(Dictionary<string, MetricSnapshot> metrics, string name, params (string Key, string Value)[] tags) =>
        metrics.TryGetValue(name, out var metric) ? Points(metric, tags).Sum(p => p.GetHistogramCount()) : 0;

    protected static IEnumerable<MetricPoint> Points(MetricSnapshot metric, (string Key, string Value)[] tags) =>
        metric.MetricPoints.Where(p =>
        {
            var present = new Dictionary<string, object?>();
            foreach (var tag in p.Tags)
            {
                present[tag.Key] = tag.Value;
            }
            return tags.All(t => present.TryGetValue(t.Key, out var v) && Equals(v?.ToString(), t.Value));
        });
}
