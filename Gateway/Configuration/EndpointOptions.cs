namespace Gateway.Configuration;

/// <summary>The <c>Gateway:Endpoints</c> section.</summary>
public sealed class EndpointOptions
{
    /// <summary>Prefix of the gateway's own routes. Default <c>/auth</c>.</summary>
    public string Prefix { get; set; } = "/auth";
}
