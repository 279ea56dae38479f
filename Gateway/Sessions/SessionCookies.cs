using Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Sessions;

/// <summary>
/// The session cookie (<c>Gateway:Session:CookieName</c>) and its companion logout marker, which makes a
/// browser that re-sends cached Basic credentials after logout see a fresh 401 challenge first. A response that sets
/// or clears one is marked <see cref="Http.GatewayResponses.PrivateNoStore"/>: a shared cache must never hand one user's
/// cookie to another.
/// </summary>
internal sealed class SessionCookies(IOptionsMonitor<GatewayOptions> options, TimeProvider time, SessionKeyCache keys)
{
    public string Name => options.CurrentValue.Session.CookieName;

    public string LogoutMarkerName => Name + "-logout";

    /// <summary>The session cookie of the request: absent, one well-formed id, or a reason to refuse it.</summary>
    public CookieLookup Read(HttpRequest request)
    {
        var count = CookieHeader.Find(request.Headers.Cookie, Name, out var value);
        if (count == 0)
        {
            return new CookieLookup(CookieState.Absent, default);
        }
        if (count > 1)
        {
            return new CookieLookup(CookieState.Duplicate, default);
        }
        return keys.TryParse(value, out var id) ? new CookieLookup(CookieState.Present, id) : new CookieLookup(CookieState.Malformed, default);
    }

    public bool HasLogoutMarker(HttpRequest request) => CookieHeader.Find(request.Headers.Cookie, LogoutMarkerName, out _) > 0;

    /// <summary>
    /// Sets the cookie for a session: a browser-session cookie, unless the user asked to be remembered, when it
    /// lives as long as the session can (its absolute expiry).
    /// </summary>
    public void Issue(HttpResponse response, SessionId id, SessionRecord record)
    {
        var maxAge = record.AbsoluteExpiry - time.GetUtcNow();
        Append(response, Name, id.Value, Options(record.Persistent ? (maxAge > TimeSpan.Zero ? maxAge : TimeSpan.Zero) : null));
    }

    public void Expire(HttpResponse response) => Append(response, Name, "", Options(TimeSpan.Zero));

    public void SetLogoutMarker(HttpResponse response) => Append(response, LogoutMarkerName, "1", Options(TimeSpan.FromMinutes(10)));

    public void ExpireLogoutMarker(HttpResponse response) => Append(response, LogoutMarkerName, "", Options(TimeSpan.Zero));

    /// <summary>Sets one of the gateway's cookies, and keeps the response out of shared caches.</summary>
    public static void Append(HttpResponse response, string name, string value, CookieOptions cookie)
    {
        response.Cookies.Append(name, value, cookie);
        response.Headers.CacheControl = Http.GatewayResponses.PrivateNoStore;
    }

    private CookieOptions Options(TimeSpan? maxAge) => new()
    {
        HttpOnly = true,
        Secure = options.CurrentValue.Session.SecureCookie,
        SameSite = SameSiteMode.Lax,
        Path = "/",
        Domain = options.CurrentValue.Session.CookieDomain is { Length: > 0 } domain ? domain : null,
        MaxAge = maxAge,
        IsEssential = true,
    };
}

/// <summary>What the request's session cookie looked like.</summary>
internal enum CookieState
{
    Absent,
    Present,
    Malformed,
    Duplicate,
}

/// <summary>Result of reading the session cookie; <see cref="Id"/> is set when <see cref="State"/> is Present.</summary>
internal readonly record struct CookieLookup(CookieState State, SessionId Id);
