using OpenTelemetry.Exporter;

namespace Gateway.Telemetry;

/// <summary>
/// One OpenTelemetry signal's OTLP export, from the standard variables. The signal is exported when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> or its own <c>OTEL_EXPORTER_OTLP_{TRACES,METRICS,LOGS}_ENDPOINT</c> is set and
/// <c>OTEL_{TRACES,METRICS,LOGS}_EXPORTER</c> (default <c>otlp</c>) lists <c>otlp</c>, so <c>none</c> turns it off. Its
/// own <c>_ENDPOINT</c> (used as given, no <c>/v1/...</c> appended), <c>_PROTOCOL</c>, <c>_HEADERS</c>, <c>_TIMEOUT</c>
/// and <c>_COMPRESSION</c> override the general ones, which the exporter reads itself.
/// </summary>
internal sealed class OtlpSignal
{
    public static readonly OtlpSignal Traces = new("TRACES");
    public static readonly OtlpSignal Metrics = new("METRICS");
    public static readonly OtlpSignal Logs = new("LOGS");

    private readonly string _name;

    private OtlpSignal(string name) => _name = name;

    /// <summary>Name of this signal's exporter options: one instance per signal, so one's overrides never reach another.</summary>
    public string OptionsName => "gateway-" + _name.ToLowerInvariant();

    public bool IsEnabled(IConfiguration configuration)
    {
        var exporters = configuration[$"OTEL_{_name}_EXPORTER"];
        var otlp = string.IsNullOrWhiteSpace(exporters) || exporters
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Contains("otlp", StringComparer.OrdinalIgnoreCase);
        return otlp && (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]) ||
            !string.IsNullOrWhiteSpace(configuration[$"OTEL_EXPORTER_OTLP_{_name}_ENDPOINT"]));
    }

    public void Apply(IConfiguration configuration, OtlpExporterOptions options)
    {
        var prefix = $"OTEL_EXPORTER_OTLP_{_name}_";
        switch (configuration[prefix + "PROTOCOL"]?.Trim().ToLowerInvariant())
        {
            case "grpc":
                options.Protocol = OtlpExportProtocol.Grpc;
                break;
            case "http/protobuf":
                options.Protocol = OtlpExportProtocol.HttpProtobuf;
                break;
        }
        if (Uri.TryCreate(configuration[prefix + "ENDPOINT"], UriKind.Absolute, out var endpoint))
        {
            options.Endpoint = endpoint;
        }
        if (configuration[prefix + "HEADERS"] is { Length: > 0 } headers)
        {
            options.Headers = headers;
        }
        if (int.TryParse(configuration[prefix + "TIMEOUT"], System.Globalization.CultureInfo.InvariantCulture, out var timeout) && timeout > 0)
        {
            options.TimeoutMilliseconds = timeout;
        }
        switch (configuration[prefix + "COMPRESSION"]?.Trim().ToLowerInvariant())
        {
            case "gzip":
                options.Compression = OtlpExportCompression.GZip;
                break;
            case "none":
                options.Compression = OtlpExportCompression.None;
                break;
        }
    }
}
