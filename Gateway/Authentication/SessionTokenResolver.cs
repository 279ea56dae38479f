using Gateway.Sessions;

namespace Gateway.Authentication;

/// <summary><c>X-Session-Token</c>, for API clients without a cookie: asked only when the cookie gave no session.</summary>
internal sealed class SessionTokenResolver(SessionKeyCache keys, SessionIdLookup lookup) : ISessionResolver
{
    public async ValueTask<bool> ResolveAsync(SessionResolution resolution, CancellationToken cancellationToken)
    {
        if (resolution.Session is not null)
        {
            return false;
        }
        var token = resolution.Context.Request.Headers[SessionDefaults.TokenHeader];
        if (token.Count > 1)
        {
            resolution.Fail(AuthenticationFailure.Malformed, "more than one X-Session-Token header");
            return true;
        }
        if (token.Count == 0)
        {
            return false;
        }
        resolution.Presented = true;
        resolution.Feature.Carrier = "token";
        var (session, wait) = keys.TryParse(token[0], out var id)
            ? await lookup.ResolveAsync(resolution.Context, id, resolution.Client, cancellationToken)
            : (null, null);
        if (wait is not null)
        {
            resolution.Throttle(wait.Value, "too many unknown session ids from this address");
            return true;
        }
        resolution.Session = session;
        return false;
    }
}
