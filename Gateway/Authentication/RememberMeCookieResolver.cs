using Gateway.Sessions;

namespace Gateway.Authentication;

/// <summary>
/// The remember-me cookie, last: redeemed for a new session when nothing else gave one. Read like the session
/// cookie: exact name only (ASP.NET's Request.Cookies ignores case), and a duplicate is refused rather than one
/// copy silently chosen.
/// </summary>
internal sealed class RememberMeCookieResolver(RememberMeService remember, SessionCookies cookies) : ISessionResolver
{
    public async ValueTask<bool> ResolveAsync(SessionResolution resolution, CancellationToken cancellationToken)
    {
        var context = resolution.Context;
        var (count, value) = CookieHeader.Find(context.Request.Headers.Cookie, remember.CookieName);
        if (count > 1)
        {
            remember.Expire(context.Response);
            resolution.Fail(AuthenticationFailure.Malformed, "more than one remember-me cookie");
            return true;
        }
        if (value is not { Length: > 0 } ||
            await remember.RedeemAsync(context, value, resolution.Client, cancellationToken) is not var (id, session))
        {
            return false;
        }
        resolution.Feature.Carrier = "cookie";
        resolution.Feature.StaleCookie = false;
        cookies.Issue(context.Response, id, session.Record);
        resolution.Succeed(session);
        return true;
    }
}
