using Gateway.Configuration;
using Gateway.Security;
using Gateway.Sessions;
using Gateway.Telemetry;
using Microsoft.Extensions.Options;

namespace Gateway.Authentication;

/// <summary>
/// The Session scheme's authentication, run once per request by <see cref="SessionAuthenticationMiddleware"/>.
/// Sources in order: the session cookie, <c>X-Session-Token</c>, HTTP Basic, the remember-me cookie. A live
/// session is used as is unless Basic names another user; valid Basic credentials without a usable session
/// create (or, for cookie-less clients, reuse) one. The outcome goes into the request's
/// <see cref="SessionAuthenticationFeature"/> (session, or why not), and a session becomes
/// <see cref="HttpContext.User"/>; <see cref="SessionAuthenticationHandler"/> answers challenges from it.
/// A request answered from the near cache completes without awaiting anything.
/// </summary>
internal sealed partial class SessionAuthenticator(
    SessionService sessions,
    BasicSessionResolver basicResolver,
    RememberMeService remember,
    SessionCookies cookies,
    IOptionsMonitor<GatewayOptions> gateway,
    SessionGuessingGuard guard,
    SessionKeyCache keys,
    ILogger<SessionAuthenticator> logger)
{
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
        Fail(feature, AuthenticationFailure.StoreUnavailable, "session store unavailable");
    }

    private async ValueTask RunAsync(HttpContext context, SessionAuthenticationFeature feature)
    {
        var request = context.Request;
        var response = context.Response;
        var cancellationToken = context.RequestAborted;
        var cookie = cookies.Read(request);
        var client = ClientInfo.From(context);
        if (cookie.State == CookieState.Duplicate)
        {
            feature.StaleCookie = true;
            Fail(feature, AuthenticationFailure.Malformed, "more than one session cookie");
            return;
        }

        ResolvedSession? session = null;
        var presented = false;
        if (cookie.State == CookieState.Present)
        {
            presented = true;
            (session, var wait) = await ResolveGuardedAsync(context, cookie.Id, client, cancellationToken);
            feature.StaleCookie = session is null && wait is null;
            feature.Carrier = "cookie";
            if (wait is not null)
            {
                Throttled(feature, wait.Value, "too many unknown session ids from this address");
                return;
            }
            if (session is not null && await sessions.RotateIfDueAsync(session, client, cancellationToken) is var (rotatedId, rotated))
            {
                cookies.Issue(response, rotatedId, rotated.Record);
                session = rotated;
            }
        }
        else if (cookie.State == CookieState.Malformed)
        {
            presented = feature.StaleCookie = true;
        }

        if (session is null)
        {
            var token = request.Headers[SessionDefaults.TokenHeader];
            if (token.Count > 1)
            {
                Fail(feature, AuthenticationFailure.Malformed, "more than one X-Session-Token header");
                return;
            }
            if (token.Count == 1)
            {
                presented = true;
                feature.Carrier = "token";
                var (resolved, wait) = keys.TryParse(token[0], out var id) ? await ResolveGuardedAsync(context, id, client, cancellationToken) : (null, null);
                if (wait is not null)
                {
                    Throttled(feature, wait.Value, "too many unknown session ids from this address");
                    return;
                }
                session = resolved;
            }
        }

        var basic = BasicCredentials.Parse(request.Headers.Authorization);
        if (session is not null && (basic.Status != BasicParseStatus.Ok || basic.User == session.User))
        {
            Success(context, feature, session);
            return;
        }

        switch (basic.Status)
        {
            case BasicParseStatus.Malformed:
                Fail(feature, AuthenticationFailure.Malformed, basic.Reason!);
                return;
            case BasicParseStatus.TooLarge:
                Fail(feature, AuthenticationFailure.TooLarge, basic.Reason!);
                return;
            case BasicParseStatus.Ok when session is null && cookies.HasLogoutMarker(request):
                Fail(feature, AuthenticationFailure.LoggedOut, "logged out");
                return;
            case BasicParseStatus.Ok when CsrfMiddleware.Refusal(context, gateway.CurrentValue, ambient: true) is not null:
                // Cached Basic credentials riding on a forged request: the CSRF check answers 403, and nothing is
                // looked up, counted or created first (no session, no cookie left behind).
                return;
            case BasicParseStatus.Ok:
                var allowCreate = context.GetEndpoint()?.Metadata.GetMetadata<SessionEndpointMetadata>() is null;
                var outcome = await basicResolver.ResolveAsync(basic.User, basic.Password, client, allowCreate, cancellationToken);
                if (outcome.RetryAfter is { } retry)
                {
                    Throttled(feature, retry, "too many failed logins, retry later");
                    return;
                }
                if (outcome.Session is null)
                {
                    Fail(feature, AuthenticationFailure.InvalidCredentials, "invalid credentials");
                    return;
                }
                feature.Carrier = "basic";
                feature.StaleCookie = false;
                if (outcome.NewId is { } newId)
                {
                    cookies.Issue(response, newId, outcome.Session.Record);
                }
                Success(context, feature, outcome.Session);
                return;
            default:
                // Read like the session cookie: exact name only (ASP.NET's Request.Cookies ignores case), and a
                // duplicate is refused rather than one copy silently chosen.
                var (rememberCount, rememberValue) = CookieHeader.Find(request.Headers.Cookie, remember.CookieName);
                if (rememberCount > 1)
                {
                    remember.Expire(response);
                    Fail(feature, AuthenticationFailure.Malformed, "more than one remember-me cookie");
                    return;
                }
                if (rememberValue is { Length: > 0 } &&
                    await remember.RedeemAsync(context, rememberValue, client, cancellationToken) is var (rememberedId, remembered))
                {
                    feature.Carrier = "cookie";
                    feature.StaleCookie = false;
                    cookies.Issue(response, rememberedId, remembered.Record);
                    Success(context, feature, remembered);
                    return;
                }
                if (presented)
                {
                    Fail(feature, AuthenticationFailure.SessionEnded, "session expired or unknown");
                }
                return;
        }
    }

    private void Success(HttpContext context, SessionAuthenticationFeature feature, ResolvedSession session)
    {
        feature.Session = session;
        feature.Failure = AuthenticationFailure.None;
        feature.Detail = null;
        context.User = SessionPrincipal.For(session, keep: sessions.SharesRecords);
    }

    // A banned guesser is refused before the store is asked; each unknown id it presents is counted.
    private async ValueTask<(ResolvedSession? Session, TimeSpan? Wait)> ResolveGuardedAsync(HttpContext context, SessionId id, ClientInfo client, CancellationToken cancellationToken)
    {
        if (guard.RetryAfter(context) is { } wait)
        {
            return (null, wait);
        }
        var session = await sessions.ResolveAsync(id.Key, client, cancellationToken);
        if (session is null)
        {
            return (null, await guard.RecordUnknownAsync(context, id.Key, cancellationToken));
        }
        keys.Remember(id);
        return (session, null);
    }

    private static void Throttled(SessionAuthenticationFeature feature, TimeSpan wait, string detail)
    {
        feature.RetryAfter = wait;
        Fail(feature, AuthenticationFailure.Throttled, detail);
    }

    private static void Fail(SessionAuthenticationFeature feature, AuthenticationFailure failure, string detail)
    {
        feature.Session = null;
        feature.Failure = failure;
        feature.Detail = detail;
    }

    [LoggerMessage(EventId = 1400, EventName = "StoreUnavailable", Level = LogLevel.Warning,
        Message = "Session store unavailable (timed out: {TimedOut}, {Cause}): answering 503.")]
    private static partial void LogStoreUnavailable(ILogger logger, bool timedOut, string cause);
}
