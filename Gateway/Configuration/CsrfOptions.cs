namespace Gateway.Configuration;

/// <summary>The <c>Gateway:Csrf</c> section.</summary>
public sealed class CsrfOptions
{
    /// <summary>
    /// Origins (<c>https://app.example.com</c>) allowed to send cookie-authenticated unsafe requests besides the
    /// gateway's own origin (request scheme and host), which is always allowed. Default none.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>
    /// Refuse <c>Sec-Fetch-Site: same-site</c> (a sibling subdomain) unless its origin is listed. Default true:
    /// a sibling host is a different origin and may be less trusted than the gateway.
    /// </summary>
    public bool RejectSameSite { get; set; } = true;
}
