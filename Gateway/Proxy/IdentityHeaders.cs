using System.Net.Http.Headers;
using System.Security.Claims;
using Gateway.Authentication;
using Gateway.Configuration;
using Gateway.Sessions;

namespace Gateway.Proxy;

/// <summary>
/// What a backend may see of identity. Removes every inbound spelling of the identity headers and of
/// <c>X-Session-Token</c> (any case, '_' or '.' for '-', repeated), the session cookie and its logout marker
/// and remember-me cookies from <c>Cookie</c> (other cookies stay), Basic <c>Authorization</c> unless configured to forward it; then sets
/// the identity headers from the authenticated user alone.
/// </summary>
internal static class IdentityHeaders
{
    // The names only change with configuration: built once per options snapshot, not once per request.
    // One immutable holder swapped by reference, so a reader never sees one snapshot's options with another's names.
    private static ForbiddenSet? _forbidden;

    public static void Apply(HttpRequestMessage request, ClaimsPrincipal user, GatewayOptions options)
    {
        var headers = options.Headers;
        var forbidden = ForbiddenNames(headers);
        RemoveMatching(request.Headers, forbidden);
        if (request.Content is not null)
        {
            RemoveMatching(request.Content.Headers, forbidden);
        }

        var cookieName = options.Session.CookieName;
        StripCookies(request.Headers, name => name.Equals(cookieName, StringComparison.OrdinalIgnoreCase) ||
                                              name.Equals(cookieName + "-logout", StringComparison.OrdinalIgnoreCase) ||
                                              name.Equals(cookieName + "-remember", StringComparison.OrdinalIgnoreCase));
        if (!headers.ForwardAuthorization)
        {
            StripBasicAuthorization(request.Headers);
        }

        if (user.Identity is { IsAuthenticated: true, Name: { } name })
        {
            request.Headers.TryAddWithoutValidation(headers.User, name);
            request.Headers.TryAddWithoutValidation(headers.Roles, string.Join(',', user.FindAll(ClaimTypes.Role).Select(c => c.Value)));
            if (user.FindFirst(SessionDefaults.HandleClaim) is { } handle)
            {
                request.Headers.TryAddWithoutValidation(headers.Session, handle.Value);
            }
        }
    }

    private static HashSet<string> ForbiddenNames(HeaderOptions headers)
    {
        if (_forbidden is { } cached && ReferenceEquals(cached.Options, headers))
        {
            return cached.Names;
        }
        var names = new HashSet<string>(StringComparer.Ordinal)
        {
            HeaderNames.Normalize(headers.User),
            HeaderNames.Normalize(headers.Roles),
            HeaderNames.Normalize(headers.Session),
            HeaderNames.Normalize(SessionDefaults.TokenHeader),
        };
        _forbidden = new ForbiddenSet(headers, names);
        return names;
    }

    private sealed record ForbiddenSet(HeaderOptions Options, HashSet<string> Names);

    private static void RemoveMatching(HttpHeaders headers, HashSet<string> forbidden)
    {
        List<string>? doomed = null;
        foreach (var header in headers.NonValidated)
        {
            if (forbidden.Contains(HeaderNames.Normalize(header.Key)))
            {
                (doomed ??= []).Add(header.Key);
            }
        }
        doomed?.ForEach(name => headers.Remove(name));
    }

    private static void StripCookies(HttpRequestHeaders headers, Func<string, bool> drop)
    {
        if (!headers.NonValidated.TryGetValues("Cookie", out var values))
        {
            return;
        }
        var kept = values.Select(v => CookieHeader.Remove(v, drop)).OfType<string>().ToList();
        headers.Remove("Cookie");
        if (kept.Count > 0)
        {
            headers.TryAddWithoutValidation("Cookie", string.Join("; ", kept));
        }
    }

    private static void StripBasicAuthorization(HttpRequestHeaders headers)
    {
        if (!headers.NonValidated.TryGetValues("Authorization", out var values))
        {
            return;
        }
        var kept = values.Where(v => !v.TrimStart().StartsWith("basic", StringComparison.OrdinalIgnoreCase)).ToList();
        headers.Remove("Authorization");
        foreach (var value in kept)
        {
            headers.TryAddWithoutValidation("Authorization", value);
        }
    }
}
