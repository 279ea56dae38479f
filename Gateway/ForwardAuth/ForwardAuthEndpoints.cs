using Gateway.Assertions;
using Gateway.Authentication;
using Gateway.Configuration;
using Gateway.Http;
using Gateway.Security;
using Gateway.Sessions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Gateway.ForwardAuth;

/// <summary>
/// <c>&lt;prefix&gt;/verify</c> (and <c>&lt;prefix&gt;/verify/&lt;original path&gt;</c> for Envoy), any method, body
/// never read: may the original request (<see cref="ForwardAuthTarget"/>) pass? The caller's credentials were
/// resolved by the Session scheme as for any request (cookie, token, Basic; bans, throttle, touch, rotation), and
/// the matched route's policy decides. 200 with the identity headers; 401 (nginx: with <c>Location</c>) or 302 to
/// the login page; 403 without the role; 503 when the store is down; never a 500 and never a 2xx by accident.
/// </summary>
internal static class ForwardAuthEndpoints
{
    /// <summary>Endpoint metadata marking verify, for <see cref="ForwardAuthMiddleware"/>.</summary>
    internal sealed class Marker
    {
        public static Marker Instance { get; } = new();
    }

    public static void Map(IEndpointRouteBuilder routes, string prefix)
    {
        foreach (var pattern in new[] { prefix + OriginalRequest.VerifyPath, prefix + OriginalRequest.VerifyPath + "/{**original}" })
        {
            routes.Map(pattern, VerifyAsync).AllowAnonymous().WithMetadata(Marker.Instance, PathSafetyDeferredMetadata.Instance);
        }
    }

    private static async Task VerifyAsync(HttpContext context, IAuthorizationPolicyProvider policies, IAuthorizationService authorization,
        SessionCookies cookies, AssertionIssuer assertions, IOptionsMonitor<GatewayOptions> options)
    {
        var target = context.Features.Get<ForwardAuthTarget>()!;
        var settings = options.CurrentValue;
        var policy = await PolicyAsync(policies, target);
        var user = context.User;
        if (policy is null || (await authorization.AuthorizeAsync(user, policy)).Succeeded)
        {
            string? assertion;
            try
            {
                // The audience is the matched route's, as for a proxied request; with no route, the original host.
                var audience = target.Route is { } route ? AssertionIssuer.AudienceOf(route) : target.Original.Host.Host;
                assertion = await assertions.GetHeaderValueAsync(context, audience, context.RequestAborted);
            }
            catch (SessionStoreUnavailableException)
            {
                await GatewayResponses.StoreUnavailableAsync(context, settings.Store.RetryAfter);
                return;
            }
            Allow(context, settings.Headers, assertion);
            return;
        }
        var feature = SessionAuthenticationFeature.Of(context);
        if (feature.Session is not null)
        {
            await GatewayResponses.ProblemAsync(context, StatusCodes.Status403Forbidden, "forbidden", "your roles do not allow this resource");
            return;
        }
        await NotSignedInAsync(context, target, feature, cookies, settings);
    }

    // Null: anonymous. A route without a policy has the fallback policy, "default" the default one, as in YARP.
    private static async Task<AuthorizationPolicy?> PolicyAsync(IAuthorizationPolicyProvider policies, ForwardAuthTarget target)
    {
        if (target.GatewayEndpoint)
        {
            return null; // the gateway's own endpoints judge their callers themselves
        }
        var name = target.Route?.AuthorizationPolicy;
        if (string.Equals(name, "anonymous", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        if (string.IsNullOrEmpty(name))
        {
            return await policies.GetFallbackPolicyAsync() ?? await policies.GetDefaultPolicyAsync();
        }
        return string.Equals(name, "default", StringComparison.OrdinalIgnoreCase)
            ? await policies.GetDefaultPolicyAsync()
            : await policies.GetPolicyAsync(name) ?? Deny;
    }

    // A policy name YARP would have refused at start: nobody passes.
    private static readonly AuthorizationPolicy Deny = new AuthorizationPolicyBuilder().RequireAssertion(_ => false).Build();

    private static void Allow(HttpContext context, HeaderOptions names, string? assertion)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        GatewayResponses.NoStore(response);
        // Present and empty when anonymous: a proxy that copies them (Caddy 2.6's copy_headers) would otherwise pass
        // the client's own copy, or its unexpanded placeholder, to the application.
        var identity = context.User.Identity as SessionIdentity;
        response.Headers[names.User] = identity is { IsAuthenticated: true, Name: { } user } ? user : "";
        response.Headers[names.Roles] = identity?.RolesHeader ?? "";
        response.Headers[names.Session] = identity?.Handle ?? "";
        if (assertion is not null)
        {
            response.Headers[names.Assertion] = assertion;
        }
    }

    private static async Task NotSignedInAsync(HttpContext context, ForwardAuthTarget target, SessionAuthenticationFeature feature,
        SessionCookies cookies, GatewayOptions settings)
    {
        switch (feature.Failure)
        {
            case AuthenticationFailure.StoreUnavailable:
                await GatewayResponses.StoreUnavailableAsync(context, settings.Store.RetryAfter);
                return;
            case AuthenticationFailure.Malformed:
                await GatewayResponses.ProblemAsync(context, StatusCodes.Status400BadRequest, "bad_request", feature.Detail!);
                return;
            case AuthenticationFailure.TooLarge:
                await GatewayResponses.ProblemAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, "credentials_too_large", feature.Detail!);
                return;
            case AuthenticationFailure.Throttled:
                await SecurityResponses.TooManyAsync(context, feature.RetryAfter, feature.Detail!);
                return;
        }
        if (feature.StaleCookie)
        {
            cookies.Expire(context.Response);
        }
        var original = target.Original;
        var login = LoginPath.For(settings.Endpoints.Prefix, ReturnTo(original, settings.ForwardAuth.AllowedHosts));
        var navigation = RequestKind.IsNavigation(original.Method, context.Request.Headers);
        var form = BrowserChallengeSelector.For(target.Route?.Metadata, settings.Login) == BrowserChallenge.Form;
        if (navigation && form && original.Mode != ForwardAuthMode.Nginx)
        {
            GatewayResponses.NoStore(context.Response);
            context.Response.Redirect(login);
            return;
        }
        if (original.Mode == ForwardAuthMode.Nginx)
        {
            // nginx cannot follow a redirect from auth_request: it passes 401 on, and its error_page sends the browser here.
            context.Response.Headers.Location = login;
        }
        if ((navigation && !form) || (!navigation && SessionAuthenticationHandler.WantsBasicChallenge(context.Request)))
        {
            context.Response.Headers.WWWAuthenticate = $"Basic realm=\"{settings.Login.Realm}\", charset=\"UTF-8\"";
        }
        if (navigation && !form)
        {
            await ChallengePage.WriteAsync(context, settings.Endpoints.Prefix, login, signedOut: false);
            return;
        }
        await GatewayResponses.UnauthorizedAsync(context, feature.Failure switch
        {
            AuthenticationFailure.InvalidCredentials => "invalid credentials",
            AuthenticationFailure.SessionEnded => "session expired or unknown",
            _ => "authentication required",
        }, login);
    }

    // Back to the original host when the login page may go there; else the original path on whichever host serves the login page.
    private static string ReturnTo(OriginalRequest original, string[] allowedHosts) =>
        ReturnUrl.IsAllowedAbsolute(original.Url, allowedHosts) ? original.Url : ReturnUrl.OrRoot(original.RawPath + original.Query);
}
