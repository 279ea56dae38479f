using System.Text.Encodings.Web;
using Gateway.Configuration;
using Gateway.Endpoints;
using Gateway.Security;
using Gateway.Sessions;
using Gateway.Telemetry;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Gateway.Authentication;

/// <summary>
/// The "Session" scheme. Sources in order: the session cookie, <c>X-Session-Token</c>, HTTP Basic. A live
/// session is used as is unless Basic names another user; valid Basic credentials without a usable session
/// create (or, for cookie-less clients, reuse) one. The challenge answers by cause: 503 when the store is down,
/// 400/431 for malformed or oversized credentials, for browser navigations a redirect to the login page (or, with
/// <see cref="BrowserChallenge.Basic"/>, a 401 Basic challenge and a page linking to the form), else 401 JSON.
/// </summary>
internal sealed partial class SessionAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    SessionService sessions,
    BasicSessionResolver basicResolver,
    RememberMeService remember,
    SessionCookies cookies,
    IOptionsMonitor<GatewayOptions> gateway,
    SessionGuessingGuard guard,
    SessionKeyCache keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    private SessionAuthenticationFeature Feature
    {
        get
        {
            if (Context.Features.Get<SessionAuthenticationFeature>() is not { } feature)
            {
                feature = new SessionAuthenticationFeature();
                Context.Features.Set(feature);
            }
            return feature;
        }
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var feature = Feature;
        using var resolution = GatewayTelemetry.StartResolution(feature);
        try
        {
            return await AuthenticateAsync(feature, Context.RequestAborted);
        }
        catch (SessionStoreUnavailableException e)
        {
            LogStoreUnavailable(Logger, e.TimedOut, e.InnerException?.GetType().Name ?? "");
            return Fail(feature, AuthenticationFailure.StoreUnavailable, "session store unavailable");
        }
    }

    private async Task<AuthenticateResult> AuthenticateAsync(SessionAuthenticationFeature feature, CancellationToken cancellationToken)
    {
        var cookie = cookies.Read(Request);
        var client = ClientInfo.From(Context);
        if (cookie.State == CookieState.Duplicate)
        {
            feature.StaleCookie = true;
            return Fail(feature, AuthenticationFailure.Malformed, "more than one session cookie");
        }

        ResolvedSession? session = null;
        var presented = false;
        if (cookie.State == CookieState.Present)
        {
            presented = true;
            (session, var wait) = await ResolveGuardedAsync(cookie.Id, client, cancellationToken);
            feature.StaleCookie = session is null && wait is null;
            feature.Carrier = "cookie";
            if (wait is not null)
            {
                return Throttled(feature, wait.Value, "too many unknown session ids from this address");
            }
            if (session is not null && await sessions.RotateIfDueAsync(session, client, cancellationToken) is var (rotatedId, rotated))
            {
                cookies.Issue(Response, rotatedId, rotated.Record);
                session = rotated;
            }
        }
        else if (cookie.State == CookieState.Malformed)
        {
            presented = feature.StaleCookie = true;
        }

        if (session is null)
        {
            var token = Request.Headers[SessionDefaults.TokenHeader];
            if (token.Count > 1)
            {
                return Fail(feature, AuthenticationFailure.Malformed, "more than one X-Session-Token header");
            }
            if (token.Count == 1)
            {
                presented = true;
                feature.Carrier = "token";
                var (resolved, wait) = keys.TryParse(token[0], out var id) ? await ResolveGuardedAsync(id, client, cancellationToken) : (null, null);
                if (wait is not null)
                {
                    return Throttled(feature, wait.Value, "too many unknown session ids from this address");
                }
                session = resolved;
            }
        }

        var basic = BasicCredentials.Parse(Request.Headers.Authorization);
        if (session is not null && (basic.Status != BasicParseStatus.Ok || basic.User == session.User))
        {
            return Success(feature, session);
        }

        switch (basic.Status)
        {
            case BasicParseStatus.Malformed:
                return Fail(feature, AuthenticationFailure.Malformed, basic.Reason!);
            case BasicParseStatus.TooLarge:
                return Fail(feature, AuthenticationFailure.TooLarge, basic.Reason!);
            case BasicParseStatus.Ok when session is null && cookies.HasLogoutMarker(Request):
                return Fail(feature, AuthenticationFailure.LoggedOut, "logged out");
            case BasicParseStatus.Ok when CsrfMiddleware.Refusal(Context, gateway.CurrentValue, ambient: true) is not null:
                // Cached Basic credentials riding on a forged request: the CSRF check answers 403, and nothing is
                // looked up, counted or created first (no session, no cookie left behind).
                return AuthenticateResult.NoResult();
            case BasicParseStatus.Ok:
                var allowCreate = Context.GetEndpoint()?.Metadata.GetMetadata<SessionEndpointMetadata>() is null;
                var outcome = await basicResolver.ResolveAsync(basic.User, basic.Password, Context, allowCreate, cancellationToken);
                if (outcome.RetryAfter is { } retry)
                {
                    return Throttled(feature, retry, "too many failed logins, retry later");
                }
                if (outcome.Session is null)
                {
                    return Fail(feature, AuthenticationFailure.InvalidCredentials, "invalid credentials");
                }
                feature.Carrier = "basic";
                feature.StaleCookie = false;
                if (outcome.NewId is { } newId)
                {
                    cookies.Issue(Response, newId, outcome.Session.Record);
                }
                return Success(feature, outcome.Session);
            default:
                // Read like the session cookie: exact name only (ASP.NET's Request.Cookies ignores case), and a
                // duplicate is refused rather than one copy silently chosen.
                var (rememberCount, rememberValue) = CookieHeader.Find(Request.Headers.Cookie, remember.CookieName);
                if (rememberCount > 1)
                {
                    remember.Expire(Response);
                    return Fail(feature, AuthenticationFailure.Malformed, "more than one remember-me cookie");
                }
                if (rememberValue is { Length: > 0 } &&
                    await remember.RedeemAsync(Context, rememberValue, client, cancellationToken) is var (rememberedId, remembered))
                {
                    feature.Carrier = "cookie";
                    feature.StaleCookie = false;
                    cookies.Issue(Response, rememberedId, remembered.Record);
                    return Success(feature, remembered);
                }
                return presented ? Fail(feature, AuthenticationFailure.SessionEnded, "session expired or unknown") : AuthenticateResult.NoResult();
        }
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var feature = Feature;
        if (feature.StaleCookie && feature.Failure != AuthenticationFailure.StoreUnavailable)
        {
            cookies.Expire(Response);
        }
        var settings = gateway.CurrentValue;
        switch (feature.Failure)
        {
            case AuthenticationFailure.StoreUnavailable:
                await GatewayResponses.StoreUnavailableAsync(Context, settings.Store.RetryAfter);
                return;
            case AuthenticationFailure.Malformed:
                await GatewayResponses.ProblemAsync(Context, StatusCodes.Status400BadRequest, "bad_request", feature.Detail!);
                return;
            case AuthenticationFailure.TooLarge:
                await GatewayResponses.ProblemAsync(Context, StatusCodes.Status431RequestHeaderFieldsTooLarge, "credentials_too_large", feature.Detail!);
                return;
            case AuthenticationFailure.LoggedOut:
                break;
            case AuthenticationFailure.Throttled:
                await SecurityResponses.TooManyAsync(Context, feature.RetryAfter, feature.Detail!);
                return;
            default:
                if (RequestKind.IsNavigation(Request) && BrowserChallengeSelector.For(Context, settings.Login) == BrowserChallenge.Form)
                {
                    GatewayResponses.NoStore(Response);
                    Response.Redirect(LoginPath.For(settings.Endpoints.Prefix, ReturnUrl.FromRequest(Request)));
                    return;
                }
                break;
        }

        var challenge = WantsBasicChallenge(Request);
        if (challenge)
        {
            Response.Headers.WWWAuthenticate = $"Basic realm=\"{settings.Login.Realm}\", charset=\"UTF-8\"";
        }
        // The marker asks for one fresh prompt after logout. Any challenge delivers it, also one to a request that
        // carried no credentials (a browser sends cached ones only inside the path it was prompted for): keeping
        // the marker then would refuse the answer to this prompt and prompt a second time.
        if (feature.Failure == AuthenticationFailure.LoggedOut || (challenge && cookies.HasLogoutMarker(Request)))
        {
            cookies.ExpireLogoutMarker(Response);
        }
        var login = LoginPath.For(settings.Endpoints.Prefix, ReturnUrl.FromRequest(Request));
        if (RequestKind.IsNavigation(Request))
        {
            // A person sees this page when they cancel the browser's prompt: it offers the form instead.
            await ChallengePage.WriteAsync(Context, settings.Endpoints.Prefix, login, signedOut: feature.Failure == AuthenticationFailure.LoggedOut);
            return;
        }
        var detail = feature.Failure switch
        {
            AuthenticationFailure.InvalidCredentials => "invalid credentials",
            AuthenticationFailure.SessionEnded => "session expired or unknown",
            AuthenticationFailure.LoggedOut => "logged out: send credentials again",
            _ => "authentication required",
        };
        await GatewayResponses.UnauthorizedAsync(Context, detail, login);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        GatewayResponses.ProblemAsync(Context, StatusCodes.Status403Forbidden, "forbidden", "your roles do not allow this resource");

    // Scripts in a browser (fetch/XHR) must not trigger the browser's native credentials prompt.
    private static bool WantsBasicChallenge(HttpRequest request) =>
        request.Headers["Sec-Fetch-Mode"] is not { Count: > 0 } mode || string.Equals(mode[0], "navigate", StringComparison.OrdinalIgnoreCase);

    private AuthenticateResult Success(SessionAuthenticationFeature feature, ResolvedSession session)
    {
        feature.Session = session;
        feature.Failure = AuthenticationFailure.None;
        return AuthenticateResult.Success(new AuthenticationTicket(SessionPrincipal.For(session, keep: sessions.SharesRecords), Scheme.Name));
    }

    // A banned guesser is refused before the store is asked; each unknown id it presents is counted.
    private async Task<(ResolvedSession? Session, TimeSpan? Wait)> ResolveGuardedAsync(SessionId id, ClientInfo client, CancellationToken cancellationToken)
    {
        if (guard.RetryAfter(Context) is { } wait)
        {
            return (null, wait);
        }
        var session = await sessions.ResolveAsync(id.Key, client, cancellationToken);
        if (session is null)
        {
            return (null, await guard.RecordUnknownAsync(Context, id.Key, cancellationToken));
        }
        keys.Remember(id);
        return (session, null);
    }

    private static AuthenticateResult Throttled(SessionAuthenticationFeature feature, TimeSpan wait, string detail)
    {
        feature.RetryAfter = wait;
        return Fail(feature, AuthenticationFailure.Throttled, detail);
    }

    private static AuthenticateResult Fail(SessionAuthenticationFeature feature, AuthenticationFailure failure, string detail)
    {
        feature.Failure = failure;
        feature.Detail = detail;
        return AuthenticateResult.Fail(detail);
    }

    [LoggerMessage(EventId = 1400, EventName = "StoreUnavailable", Level = LogLevel.Warning,
        Message = "Session store unavailable (timed out: {TimedOut}, {Cause}): answering 503.")]
    private static partial void LogStoreUnavailable(ILogger logger, bool timedOut, string cause);
}
