using System.Net.Http.Headers;
using System.Security.Claims;
using Gateway.Authentication;
using Gateway.Configuration;
using Gateway.Sessions;

namespace Gateway.Proxy;

/// <summary>
/// What a backend may see of identity. Removes every inbound spelling of the identity headers (the assertion's too,
/// whether or not assertions are on) and of <c>X-Session-Token</c> (any case, '_' or '.' for '-', repeated), the session cookie and its logout marker
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

        StripCookies(request.Headers, options.Session.CookieName);
        if (!headers.ForwardAuthorization)
        {
            StripBasicAuthorization(request.Headers);
        }

        if (user.Identity is not { IsAuthenticated: true, Name: { } name } identity)
        {
            return;
        }
        // The Session scheme's own identity carries its header values, computed once per principal; any other
        // authenticated identity has them read from its claims.
        var (roles, handle) = identity is SessionIdentity session
            ? (session.RolesHeader, session.Handle)
            : (string.Join(',', user.FindAll(ClaimTypes.Role).Select(c => c.Value)), user.FindFirst(SessionDefaults.HandleClaim)?.Value);
        request.Headers.TryAddWithoutValidation(headers.User, name);
        request.Headers.TryAddWithoutValidation(headers.Roles, roles);
        if (handle is not null)
        {
            request.Headers.TryAddWithoutValidation(headers.Session, handle);
        }
    }

    private static HashSet<string> ForbiddenNames(HeaderOptions headers)
    {
        if (_forbidden is { } cached && ReferenceEquals(cached.Options, headers))
        {
            return cached.Names;
        }
        var names = new HashSet<string>(HeaderNames.Comparer)
        {
            headers.User,
            headers.Roles,
            headers.Session,
            headers.Assertion,
            SessionDefaults.TokenHeader,
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
            if (forbidden.Contains(header.Key))
            {
                (doomed ??= []).Add(header.Key);
            }
        }
        doomed?.ForEach(name => headers.Remove(name));
    }

    /// <summary>The session cookie and its companions (<c>&lt;name&gt;-logout</c>, <c>&lt;name&gt;-remember</c>), in any case.</summary>
    internal static bool IsSessionCookie(ReadOnlySpan<char> name, string cookieName)
    {
        if (!name.StartsWith(cookieName, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var suffix = name[cookieName.Length..];
        return suffix.IsEmpty || suffix.Equals("-logout", StringComparison.OrdinalIgnoreCase) ||
               suffix.Equals("-remember", StringComparison.OrdinalIgnoreCase);
    }

    private static void StripCookies(HttpRequestHeaders headers, string cookieName)
    {
        if (!headers.NonValidated.TryGetValues("Cookie", out var values))
        {
            return;
        }
        if (values.Count == 1)
        {
            // The usual case: one line (ToString gives that string itself), rewritten only when it held a session cookie.
            var line = values.ToString();
            var rest = CookieHeader.Remove(line, cookieName, IsSessionCookie);
            if (!ReferenceEquals(rest, line))
            {
                headers.Remove("Cookie");
                if (rest is not null)
                {
                    headers.TryAddWithoutValidation("Cookie", rest);
                }
            }
            return;
        }
        // Several lines (HTTP/2 splits cookies): joined into the one line HTTP/1.1 allows.
        var kept = new List<string>(values.Count);
        foreach (var value in values)
        {
            if (CookieHeader.Remove(value, cookieName, IsSessionCookie) is { } rest)
            {
                kept.Add(rest);
            }
        }
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
        List<string>? kept = null;
        foreach (var value in values)
        {
            if (!value.AsSpan().TrimStart().StartsWith("basic", StringComparison.OrdinalIgnoreCase))
            {
                (kept ??= []).Add(value);
            }
        }
        if (kept is not null && kept.Count == values.Count)
        {
            return;
        }
        headers.Remove("Authorization");
        if (kept is null)
        {
            return;
        }
        foreach (var value in kept)
        {
            headers.TryAddWithoutValidation("Authorization", value);
        }
    }
}
