namespace Gateway.Configuration;

/// <summary>The <c>Gateway:Demo</c> section.</summary>
public sealed class DemoOptions
{
    /// <summary>
    /// Loopback URL on which the gateway also serves a page echoing the request headers it receives, for a
    /// first run. Default empty (off); the shipped appsettings.json sets it, and it starts only when the loaded routes
    /// point at this address (the shipped routes.json does).
    /// </summary>
    public string Upstream { get; set; } = "";
}
