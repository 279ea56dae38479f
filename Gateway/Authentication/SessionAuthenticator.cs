using Gateway.Sessions;
using Gateway.Telemetry;

namespace Gateway.Authentication;

/// <summary>
/// The Session scheme's authentication, run once per request by <see cref="SessionAuthenticationMiddleware"/>.
/// The carriers are tried in order (<see cref="ISessionResolver"/>): the session cookie, <c>X-Session-Token</c>,
/// HTTP Basic, the remember-me cookie. A live session is used as is unless Basic names another user; valid Basic
/// credentials without a usable session create (or, for cookie-less clients, reuse) one. The outcome goes into the
/// request's <see cref="SessionAuthenticationFeature"/> (session, or why not), and a session becomes
/// <see cref="HttpContext.User"/>; <see cref="SessionAuthenticationHandler"/> answers challenges from it.
/// A request answered from the near cache completes without awaiting anything.
/// </summary>
internal sealed partial class SessionAuthenticator(
    SessionService sessions,
    SessionCookieResolver cookie,
    SessionTokenResolver token,
    BasicHeaderResolver basic,
    RememberMeCookieResolver remember,
    ILogger<SessionAuthenticator> logger)
{
    private readonly ISessionResolver[] _resolvers = [cookie, token, basic, remember];

    /// <summary>Authenticates the request into <paramref name="feature"/>; never throws for a store outage (the feature says so).</summary>
    public ValueTask AuthenticateAsync(HttpContext context, SessionAuthenticationFeature feature)
    {
        feature.Authenticated = true;
        if (GatewayTelemetry.ObservesResolution)
        {
            return ObservedAsync(context, feature);
        }
        var pending = RunAsync(context, feature);
        return pending.IsCompletedSuccessfully ? ValueTask.CompletedTask : GuardedAsync(pending, feature);
    }

    // With a listener, the resolution span is current while the session is resolved (store calls are its children).
    private async ValueTask ObservedAsync(HttpContext context, SessionAuthenticationFeature feature)
    {
        using var resolution = ResolutionScope.Start(feature);
        await GuardedAsync(RunAsync(context, feature), feature);
    }

    private async ValueTask GuardedAsync(ValueTask pending, SessionAuthenticationFeature feature)
    {
        try
        {
            await pending;
        }
        catch (SessionStoreUnavailableException e)
        {
            StoreUnavailable(feature, e);
        }
    }

    private void StoreUnavailable(SessionAuthenticationFeature feature, SessionStoreUnavailableException e)
    {
        LogStoreUnavailable(logger, e.TimedOut, e.InnerException?.GetType().Name ?? "");
        feature.Session = null;
        feature.Failure = AuthenticationFailure.StoreUnavailable;
        feature.Detail = "session store unavailable";
    }

    private async ValueTask RunAsync(HttpContext context, SessionAuthenticationFeature feature)
    {
        var resolution = new SessionResolution(context, feature, ClientInfo.From(context), sessions.SharesRecords);
        foreach (var resolver in _resolvers)
        {
            if (await resolver.ResolveAsync(resolution, context.RequestAborted))
            {
                return;
            }
        }
        if (resolution.Presented)
        {
            resolution.Fail(AuthenticationFailure.SessionEnded, "session expired or unknown");
        }
    }

    [LoggerMessage(EventId = 1400, EventName = "StoreUnavailable", Level = LogLevel.Warning,
        Message = "Session store unavailable (timed out: {TimedOut}, {Cause}): answering 503.")]
    private static partial void LogStoreUnavailable(ILogger logger, bool timedOut, string cause);
}
