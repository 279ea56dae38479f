namespace Gateway.Http;

/// <summary>
/// Host patterns as ASP.NET routing reads a route's <c>Hosts</c>: <c>example.com</c> (any port),
/// <c>example.com:8443</c>, <c>*.example.com</c> (subdomains only), <c>*:8080</c>. Case-insensitive.
/// </summary>
internal static class HostPattern
{
    /// <summary>True when <paramref name="pattern"/> is a host name or <c>*.</c> wildcard with an optional port.</summary>
    public static bool IsValid(string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern))
        {
            return false;
        }
        var (host, port) = Split(pattern);
        if (port is not null && port != "*" && !(int.TryParse(port, out var number) && number is > 0 and < 65536))
        {
            return false;
        }
        if (host == "*")
        {
            return port is not null;
        }
        var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
        return Uri.CheckHostName(name) is UriHostNameType.Dns or UriHostNameType.IPv4 && !name.Contains('*');
    }

    public static bool Matches(string pattern, string host, int? port)
    {
        var (patternHost, patternPort) = Split(pattern);
        if (patternPort is not null && patternPort != "*" && patternPort != port?.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            return false;
        }
        if (patternHost == "*")
        {
            return true;
        }
        return patternHost.StartsWith("*.", StringComparison.Ordinal)
            ? host.Length > patternHost.Length - 1 && host.EndsWith(patternHost[1..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(host, patternHost, StringComparison.OrdinalIgnoreCase);
    }

    public static bool MatchesAny(IEnumerable<string> patterns, string host, int? port) => patterns.Any(p => Matches(p, host, port));

    private static (string Host, string? Port) Split(string pattern)
    {
        var colon = pattern.LastIndexOf(':');
        return colon < 0 || pattern.StartsWith('[') && pattern.LastIndexOf(']') > colon ? (pattern, null) : (pattern[..colon], pattern[(colon + 1)..]);
    }
}
