namespace Gateway.Configuration;

/// <summary>The <c>Gateway:ForwardAuth</c> section: forward auth (<c>&lt;prefix&gt;/verify</c>) for a proxy in front.</summary>
public sealed class ForwardAuthOptions
{
    /// <summary>
    /// Hosts the login page may send the browser back to with an absolute return URL, after forward auth sent it
    /// there from another host: <c>app.example.com</c>, <c>*.example.com</c> (any subdomain, not the apex), with an
    /// optional <c>:port</c>. Default none: return URLs stay local paths.
    /// </summary>
    public string[] AllowedHosts { get; set; } = [];
}
