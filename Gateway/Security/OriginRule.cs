using System.Globalization;
using Gateway.Configuration;

namespace Gateway.Security;

/// <summary>
/// The CSRF decision for one browser request, from the headers a page cannot forge: <c>Sec-Fetch-Site</c>
/// first, then <c>Origin</c>, then <c>Referer</c>. A request with none of them is not from a browser page and
/// is allowed. Origins compare as <c>scheme://host:port</c>, lower case, with the default port made explicit.
/// </summary>
internal static class OriginRule
{
    /// <summary>
    /// Null when the request may proceed, else a short reason for the 403. <paramref name="ownOrigin"/>: the origin
    /// the request is judged as addressed to, when not this request's own (forward auth).
    /// </summary>
    public static string? Refusal(HttpRequest request, CsrfOptions options, string? ownOrigin = null)
    {
        var own = ownOrigin ?? Own(request);
        var origin = request.Headers.Origin;
        var site = request.Headers["Sec-Fetch-Site"];
        if (site.Count > 1 || origin.Count > 1)
        {
            return "ambiguous request origin";
        }
        var originAllowed = origin.Count == 1 && Allowed(origin[0], own, options);
        if (site.Count == 1)
        {
            return site[0]?.ToLowerInvariant() switch
            {
                "same-origin" or "none" => null,
                "same-site" when !options.RejectSameSite || originAllowed => null,
                "same-site" => "same-site request refused",
                "cross-site" when originAllowed => null,
                _ => "cross-site request refused",
            };
        }
        if (origin.Count == 1)
        {
            return originAllowed ? null : "cross-origin request refused";
        }
        var referer = request.Headers.Referer;
        if (referer.Count == 1 && Uri.TryCreate(referer[0], UriKind.Absolute, out var from))
        {
            return Allowed(from.GetLeftPart(UriPartial.Authority), own, options) ? null : "cross-origin request refused";
        }
        return referer.Count == 0 ? null : "unreadable Referer";
    }

    /// <summary>Canonical <c>scheme://host:port</c> of an http(s) origin; false for anything else (paths, <c>null</c>, other schemes).</summary>
    public static bool TryNormalize(string? text, out string origin)
    {
        origin = "";
        if (string.IsNullOrEmpty(text) || !Uri.TryCreate(text, UriKind.Absolute, out var uri) ||
            uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 ||
            uri.UserInfo.Length > 0)
        {
            return false;
        }
        origin = string.Create(CultureInfo.InvariantCulture, $"{uri.Scheme}://{uri.IdnHost.ToLowerInvariant()}:{uri.Port}");
        return true;
    }

    private static string? Own(HttpRequest request) =>
        TryNormalize($"{request.Scheme}://{request.Host.Value}", out var own) ? own : null;

    private static bool Allowed(string? candidate, string? own, CsrfOptions options)
    {
        if (!TryNormalize(candidate, out var origin))
        {
            return false;
        }
        if (origin == own)
        {
            return true;
        }
        foreach (var allowed in options.AllowedOrigins)
        {
            if (TryNormalize(allowed, out var listed) && listed == origin)
            {
                return true;
            }
        }
        return false;
    }
}
