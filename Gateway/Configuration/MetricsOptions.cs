namespace Gateway.Configuration;

/// <summary>The <c>Gateway:Metrics</c> section.</summary>
public sealed class MetricsOptions
{
    /// <summary>Serve <c>/metrics</c> in the Prometheus text format. Default false.</summary>
    public bool Prometheus { get; set; }

    /// <summary>
    /// A separate management port (all interfaces) serving only <c>/metrics</c>, <c>/healthz</c> and <c>/readyz</c>.
    /// Default none: <c>/metrics</c> is served on the main listener, taken out of the proxied path space.
    /// </summary>
    public int? Port { get; set; }
}
