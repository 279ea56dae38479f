using Gateway.Security;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.ForwardAuth;

/// <summary>
/// The request forward auth is asked about, as the calling proxy describes it, believed only from a caller in
/// <c>Gateway:TrustedProxies</c> (anyone else is judged as asking for <c>GET /</c> on this host). The path is kept as
/// sent (<see cref="RawPath"/>) for <see cref="PathSafety"/>, and decoded as Kestrel decodes a path
/// (<see cref="Path"/>, <c>%2F</c> kept) for route matching.
/// </summary>
internal sealed record OriginalRequest(ForwardAuthMode Mode, string Method, string Scheme, HostString Host, string RawPath, string Query)
{
    public const string VerifyPath = "/verify";

    /// <summary>The decoded path (all escapes but <c>%2F</c>), for route matching; call only once <see cref="PathSafety"/> accepted <see cref="RawPath"/>.</summary>
    public PathString Path => new(string.Join("%2F", RawPath.Replace("%2f", "%2F", StringComparison.Ordinal).Split("%2F").Select(Uri.UnescapeDataString)));

    /// <summary>The port, the scheme's default when the host names none (as ASP.NET's host matching reads it).</summary>
    public int Port => Host.Port ?? (Scheme == "https" ? 443 : 80);

    /// <summary>The absolute URL, as the login page may return to it.</summary>
    public string Url => $"{Scheme}://{Host.ToUriComponent()}{RawPath}{Query}";

    /// <summary>The origin, <c>scheme://host:port</c>, for the CSRF rules.</summary>
    public string Origin => OriginRule.TryNormalize($"{Scheme}://{Host.ToUriComponent()}", out var origin) ? origin : "";

    /// <summary>Reads the original request from <paramref name="context"/>, or says in <paramref name="refusal"/> why it is unreadable.</summary>
    public static OriginalRequest? Read(HttpContext context, bool trusted, string prefix, out string? refusal)
    {
        refusal = null;
        var request = context.Request;
        var headers = request.Headers;
        var direct = new OriginalRequest(ForwardAuthMode.Direct, HttpMethods.Get, request.Scheme, request.Host, "/", "");
        if (!trusted)
        {
            return direct;
        }
        if (headers["X-Original-URL"] is { Count: > 0 } url)
        {
            return Single(url, "X-Original-URL", ref refusal) is { } text && Single(headers["X-Original-Method"], "X-Original-Method", ref refusal, request.Method) is { } method
                ? FromUrl(ForwardAuthMode.Nginx, method, text, request, ref refusal)
                : null;
        }
        if (headers["X-Forwarded-Uri"].Count > 0 || headers["X-Forwarded-Method"].Count > 0)
        {
            var method = Single(headers["X-Forwarded-Method"], "X-Forwarded-Method", ref refusal, request.Method);
            var uri = Single(headers["X-Forwarded-Uri"], "X-Forwarded-Uri", ref refusal, "/");
            // The forwarded-headers middleware has already applied (and removed) these when it trusts the caller.
            var proto = Last(headers["X-Forwarded-Proto"]) ?? request.Scheme;
            var host = Last(headers["X-Forwarded-Host"]) ?? request.Host.Value ?? "";
            return method is null || uri is null ? null : FromUrl(ForwardAuthMode.Forwarded, method, $"{proto}://{host}{uri}", request, ref refusal);
        }
        var raw = PathSafety.RawPath(context.Features.Get<IHttpRequestFeature>()?.RawTarget).ToString();
        var verify = prefix + VerifyPath + "/";
        if (raw.StartsWith(verify, StringComparison.OrdinalIgnoreCase))
        {
            return new OriginalRequest(ForwardAuthMode.Envoy, request.Method, request.Scheme, request.Host, raw[(verify.Length - 1)..], request.QueryString.Value ?? "");
        }
        return direct;
    }

    private static OriginalRequest? FromUrl(ForwardAuthMode mode, string method, string url, HttpRequest request, ref string? refusal)
    {
        if (method.Length is 0 or > 32 || !method.All(Configuration.HttpToken.IsTokenChar))
        {
            refusal = "unreadable original method";
            return null;
        }
        string scheme;
        string authority;
        string rest;
        if (url.StartsWith('/'))
        {
            (scheme, authority, rest) = (request.Scheme, request.Host.Value ?? "", url);
        }
        else
        {
            var colon = url.IndexOf("://", StringComparison.Ordinal);
            scheme = colon < 0 ? "" : url[..colon].ToLowerInvariant();
            var after = colon < 0 ? "" : url[(colon + 3)..];
            var end = after.IndexOfAny(['/', '?', '#']);
            authority = end < 0 ? after : after[..end];
            rest = end < 0 ? "/" : after[end..];
        }
        if (scheme is not ("http" or "https") || authority.Length == 0 || authority.Contains('@') || rest[0] != '/' && rest[0] != '?' && rest[0] != '#')
        {
            refusal = "unreadable original URL";
            return null;
        }
        var host = HostString.FromUriComponent(authority);
        if (Uri.CheckHostName(host.Host.Trim('[', ']')) == UriHostNameType.Unknown)
        {
            refusal = "unreadable original host";
            return null;
        }
        var fragment = rest.IndexOf('#');
        rest = fragment < 0 ? rest : rest[..fragment];
        var query = rest.IndexOf('?');
        var path = query < 0 ? rest : rest[..query];
        return new OriginalRequest(mode, method.ToUpperInvariant(), scheme, host, path.Length == 0 ? "/" : path, query < 0 ? "" : rest[query..]);
    }

    private static string? Single(Microsoft.Extensions.Primitives.StringValues values, string name, ref string? refusal, string? fallback = null)
    {
        if (values.Count == 0)
        {
            return fallback;
        }
        if (values.Count > 1 || string.IsNullOrEmpty(values[0]))
        {
            refusal ??= $"{name} must be sent once, with a value";
            return null;
        }
        return values[0];
    }

    // A proxy that appends to X-Forwarded-Host/-Proto puts its own value last.
    private static string? Last(Microsoft.Extensions.Primitives.StringValues values) =>
        values.Count == 0 ? null : values[^1]?.Split(',')[^1].Trim() is { Length: > 0 } last ? last : null;
}
