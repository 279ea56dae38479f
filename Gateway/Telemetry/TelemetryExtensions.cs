using Gateway.Configuration;
using Gateway.Http;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Gateway.Telemetry;

/// <summary>
/// OpenTelemetry for the gateway: traces (ASP.NET Core → session resolution → store → YARP → HttpClient) and
/// metrics (the <c>Gateway</c> meter, ASP.NET Core, Kestrel, HttpClient, runtime). Exporters follow the standard
/// <c>OTEL_*</c> variables: OTLP per signal (see <see cref="OtlpSignal"/>); Prometheus when
/// <c>Gateway:Metrics:Prometheus</c> is true. Spans and metrics are only made when they go somewhere: without a
/// trace exporter no activity is started on the request path, without a metrics exporter no meter is listened to
/// (they cost a few per cent of throughput for nothing).
/// </summary>
internal static class TelemetryExtensions
{
    public const string MetricsPath = "/metrics";

    private static readonly string[] ProbePaths = ["/healthz", "/readyz", MetricsPath];

    public static WebApplicationBuilder AddGatewayTelemetry(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var metrics = ReadMetrics(configuration);
        EscapingLoggerProvider.WrapConsole(builder.Services);

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]))
                {
                    resource.AddService("gateway");
                }
            });
        // Like spans, metrics are only recorded when they go somewhere: without an exporter no MeterProvider listens,
        // so ASP.NET Core, Kestrel, HttpClient and the Gateway meter record nothing on the request path.
        var otlpMetrics = OtlpSignal.Metrics.IsEnabled(configuration);
        if (metrics.Prometheus || otlpMetrics)
        {
            otel.WithMetrics(meters =>
            {
                AddGatewayMeters(meters);
                if (metrics.Prometheus)
                {
                    meters.AddPrometheusExporter();
                }
                if (otlpMetrics)
                {
                    meters.AddOtlpExporter(OtlpSignal.Metrics.OptionsName, o => OtlpSignal.Metrics.Apply(configuration, o));
                }
            });
        }
        if (OtlpSignal.Traces.IsEnabled(configuration))
        {
            otel.WithTracing(tracing => AddGatewaySpans(tracing)
                .AddOtlpExporter(OtlpSignal.Traces.OptionsName, o => OtlpSignal.Traces.Apply(configuration, o)));
        }
        if (OtlpSignal.Logs.IsEnabled(configuration))
        {
            otel.WithLogging(logging => logging.AddOtlpExporter(OtlpSignal.Logs.OptionsName, o => OtlpSignal.Logs.Apply(configuration, o)));
        }
        if (metrics.Prometheus && metrics.Port is { } port)
        {
            AddManagementListener(builder, port);
        }
        return builder;
    }

    /// <summary>The spans of a request: server, session resolution, store calls, YARP, the call to the backend.</summary>
    public static TracerProviderBuilder AddGatewaySpans(TracerProviderBuilder tracing) => tracing
        .AddSource(GatewayTelemetry.Name, "Yarp.ReverseProxy")
        .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context.Request.Path))
        .AddHttpClientInstrumentation();

    /// <summary>The metrics exported: the Gateway meter, ASP.NET Core, Kestrel, HttpClient and the runtime.</summary>
    public static MeterProviderBuilder AddGatewayMeters(MeterProviderBuilder meters) => meters
        .AddMeter(GatewayTelemetry.Name, "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime")
        .AddAspNetCoreInstrumentation()
        .AddHttpClientInstrumentation();

    /// <summary>The management port's filter (only probes and metrics there) and the scrape endpoint.</summary>
    public static WebApplication UseGatewayTelemetry(this WebApplication app)
    {
        var metrics = ReadMetrics(app.Configuration);
        if (!metrics.Prometheus)
        {
            return app;
        }
        if (metrics.Port is not { } port)
        {
            app.MapPrometheusScrapingEndpoint(MetricsPath).AllowAnonymous();
            return app;
        }
        // By the port the connection arrived on, never by the Host header (RequireHost), which any client sets.
        app.Use((context, next) => context.Connection.LocalPort != port || IsProbe(context.Request.Path)
            ? next(context)
            : GatewayResponses.ProblemAsync(context, StatusCodes.Status404NotFound, "not_found", "the management port serves only /metrics, /healthz and /readyz"));
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
            context.Connection.LocalPort == port && context.Request.Path.Equals(MetricsPath, StringComparison.OrdinalIgnoreCase));
        return app;
    }

    private static bool IsProbe(PathString path) => ProbePaths.Any(p => path.Equals(p, StringComparison.OrdinalIgnoreCase));

    // Read before the options are validated: a value that does not parse is left to the validator to report.
    private static MetricsOptions ReadMetrics(IConfiguration configuration)
    {
        var section = configuration.GetSection(GatewayOptions.Section + ":Metrics");
        return new MetricsOptions
        {
            Prometheus = bool.TryParse(section["Prometheus"], out var on) && on,
            Port = int.TryParse(section["Port"], out var port) && port is > 0 and <= 65535 ? port : null,
        };
    }

    // Kestrel ignores the URL list once endpoints come from code or its own section, so add the port where the
    // main listener's addresses are defined: to the Kestrel:Endpoints section when used, else to the URL list.
    private static void AddManagementListener(WebApplicationBuilder builder, int port)
    {
        var url = "http://*:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (builder.Configuration.GetSection("Kestrel:Endpoints").GetChildren().Any())
        {
            builder.Configuration.AddInMemoryCollection([new("Kestrel:Endpoints:GatewayManagement:Url", url)]);
            return;
        }
        var urls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey);
        if (string.IsNullOrWhiteSpace(urls))
        {
            var httpPorts = builder.WebHost.GetSetting("http_ports");
            urls = string.IsNullOrWhiteSpace(httpPorts)
                ? "http://localhost:5000"
                : string.Join(';', httpPorts.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => "http://*:" + p));
        }
        builder.WebHost.UseUrls(urls + ";" + url);
    }
}
