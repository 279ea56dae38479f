using Gateway.Sessions;

namespace Gateway.Authentication;

/// <summary>
/// One request's authentication while its carriers are tried: the outcome goes into <see cref="Feature"/>, and a
/// session becomes <see cref="HttpContext.User"/>.
/// </summary>
internal sealed class SessionResolution(HttpContext context, SessionAuthenticationFeature feature, ClientInfo client, bool keepRecords)
{
    public HttpContext Context { get; } = context;

    public SessionAuthenticationFeature Feature { get; } = feature;

    public ClientInfo Client { get; } = client;

    /// <summary>The session a cookie or token found, not yet accepted: Basic credentials naming another user outrank it.</summary>
    public ResolvedSession? Session { get; set; }

    /// <summary>A session id was presented (a cookie, malformed or not, or a token): ending without a session is then a failure.</summary>
    public bool Presented { get; set; }

    public void Succeed(ResolvedSession session)
    {
        Feature.Session = session;
        Feature.Failure = AuthenticationFailure.None;
        Feature.Detail = null;
        Context.User = SessionPrincipal.For(session, keep: keepRecords);
    }

    public void Throttle(TimeSpan wait, string detail)
    {
        Feature.RetryAfter = wait;
        Fail(AuthenticationFailure.Throttled, detail);
    }

    public void Fail(AuthenticationFailure failure, string detail)
    {
        Feature.Session = null;
        Feature.Failure = failure;
        Feature.Detail = detail;
    }
}
