namespace Gateway.Configuration;

/// <summary>The <c>Gateway:Limits</c> section: request sizes refused before any credential is looked at.</summary>
public sealed class LimitsOptions
{
    /// <summary>Request header lines (Kestrel). Default 100; more get 431.</summary>
    public int MaxHeaderCount { get; set; } = 100;

    /// <summary>Total size of the request headers in bytes (Kestrel). Default 32768; more get 431.</summary>
    public int MaxHeaderBytes { get; set; } = 32 * 1024;

    /// <summary>Cookie pairs in one request. Default 100; more get 431.</summary>
    public int MaxCookies { get; set; } = 100;

    /// <summary>Body size of a request to the gateway's own endpoints in bytes. Default 16384; more get 413.</summary>
    public int MaxBodyBytes { get; set; } = 16 * 1024;
}
