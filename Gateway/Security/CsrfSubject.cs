namespace Gateway.Security;

/// <summary>
/// Request feature: the request the CSRF rules must judge when it is not this one. Forward auth asks about a
/// request made to another server; that request's method, origin and route decide, while the browser's
/// <c>Sec-Fetch-Site</c>, <c>Origin</c> and <c>Referer</c> still come from this request's headers (the proxy passes them on).
/// </summary>
internal sealed class CsrfSubject(string method, string origin, IReadOnlyDictionary<string, string>? routeMetadata)
{
    public string Method { get; } = method;

    /// <summary>The judged request's own origin, <c>scheme://host:port</c>.</summary>
    public string Origin { get; } = origin;

    /// <summary>Metadata of the route the judged request matched, if any.</summary>
    public IReadOnlyDictionary<string, string>? RouteMetadata { get; } = routeMetadata;
}
