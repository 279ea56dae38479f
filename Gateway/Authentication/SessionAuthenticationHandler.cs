using System.Text.Encodings.Web;
using Gateway.Configuration;
using Gateway.Http;
using Gateway.Security;
using Gateway.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Gateway.Authentication;

/// <summary>
/// The "Session" scheme's handler. Authentication itself is <see cref="SessionAuthenticator"/>'s, run once per
/// request by <see cref="SessionAuthenticationMiddleware"/>; this handler serves its outcome to callers that ask
/// the scheme, and answers challenges and forbids. The challenge answers by cause: 503 when the store is down,
/// 400/431 for malformed or oversized credentials, for browser navigations a redirect to the login page (or, with
/// <see cref="BrowserChallenge.Basic"/>, a 401 Basic challenge and a page linking to the form), else 401 JSON.
/// </summary>
internal sealed class SessionAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    SessionAuthenticator authenticator,
    SessionService sessions,
    SessionCookies cookies,
    IOptionsMonitor<GatewayOptions> gateway)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    private SessionAuthenticationFeature Feature => SessionAuthenticationFeature.Of(Context);

    // Normally already done by SessionAuthenticationMiddleware; run here for a caller that asks the scheme directly.
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var feature = Feature;
        if (!feature.Authenticated)
        {
            await authenticator.AuthenticateAsync(Context, feature);
        }
        if (feature.Session is { } session)
        {
            return AuthenticateResult.Success(new AuthenticationTicket(SessionPrincipal.For(session, keep: sessions.SharesRecords), Scheme.Name));
        }
        return feature.Failure == AuthenticationFailure.None ? AuthenticateResult.NoResult() : AuthenticateResult.Fail(feature.Detail ?? "not authenticated");
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
            case AuthenticationFailure.Overloaded:
                await GatewayResponses.LoginOverloadedAsync(Context, settings.Login.QueueTimeout);
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
    internal static bool WantsBasicChallenge(HttpRequest request) =>
        request.Headers["Sec-Fetch-Mode"] is not { Count: > 0 } mode || string.Equals(mode[0], "navigate", StringComparison.OrdinalIgnoreCase);
}
