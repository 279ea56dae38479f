using Gateway.Sessions;

namespace Gateway.Authentication;

/// <summary>The session cookie: one copy only, looked up behind the guessing guard, rotated when due.</summary>
internal sealed class SessionCookieResolver(SessionCookies cookies, SessionIdLookup lookup, SessionService sessions) : ISessionResolver
{
    public async ValueTask<bool> ResolveAsync(SessionResolution resolution, CancellationToken cancellationToken)
    {
        var feature = resolution.Feature;
        var cookie = cookies.Read(resolution.Context.Request);
        switch (cookie.State)
        {
            case CookieState.Duplicate:
                feature.StaleCookie = true;
                resolution.Fail(AuthenticationFailure.Malformed, "more than one session cookie");
                return true;
            case CookieState.Malformed:
                resolution.Presented = feature.StaleCookie = true;
                return false;
            case CookieState.Present:
                break;
            default:
                return false;
        }

        resolution.Presented = true;
        var (session, wait) = await lookup.ResolveAsync(resolution.Context, cookie.Id, resolution.Client, cancellationToken);
        feature.StaleCookie = session is null && wait is null;
        feature.Carrier = "cookie";
        if (wait is not null)
        {
            resolution.Throttle(wait.Value, "too many unknown session ids from this address");
            return true;
        }
        if (session is not null && await sessions.RotateIfDueAsync(session, resolution.Client, cancellationToken) is var (rotatedId, rotated))
        {
            cookies.Issue(resolution.Context.Response, rotatedId, rotated.Record);
            session = rotated;
        }
        resolution.Session = session;
        return false;
    }
}
