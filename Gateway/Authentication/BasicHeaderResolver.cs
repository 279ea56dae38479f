using Gateway.Configuration;
using Gateway.Security;
using Gateway.Sessions;
using Microsoft.Extensions.Options;

namespace Gateway.Authentication;

/// <summary>
/// HTTP Basic: a cookie or token session stands unless Basic names another user. Valid credentials without a usable
/// session reuse the one linked to them or create one (not on the gateway's own endpoints, which do that themselves).
/// Right after logout (the marker cookie) Basic is refused once, so the browser prompts afresh; on a request the CSRF
/// check refuses, nothing is looked up, counted or created.
/// </summary>
internal sealed class BasicHeaderResolver(BasicSessionResolver credentials, SessionCookies cookies, IOptionsMonitor<GatewayOptions> gateway) : ISessionResolver
{
    public async ValueTask<bool> ResolveAsync(SessionResolution resolution, CancellationToken cancellationToken)
    {
        var context = resolution.Context;
        var basic = BasicCredentials.Parse(context.Request.Headers.Authorization);
        if (resolution.Session is { } found && (basic.Status != BasicParseStatus.Ok || basic.User == found.User))
        {
            resolution.Succeed(found);
            return true;
        }

        switch (basic.Status)
        {
            case BasicParseStatus.Malformed:
                resolution.Fail(AuthenticationFailure.Malformed, basic.Reason!);
                return true;
            case BasicParseStatus.TooLarge:
                resolution.Fail(AuthenticationFailure.TooLarge, basic.Reason!);
                return true;
            case BasicParseStatus.Ok when resolution.Session is null && cookies.HasLogoutMarker(context.Request):
                resolution.Fail(AuthenticationFailure.LoggedOut, "logged out");
                return true;
            case BasicParseStatus.Ok when CsrfMiddleware.Refusal(context, gateway.CurrentValue, ambient: true) is not null:
                // Cached Basic credentials riding on a forged request: the CSRF check answers 403, and nothing is
                // looked up, counted or created first (no session, no cookie left behind).
                return true;
            case BasicParseStatus.Ok:
                break;
            default:
                return false;
        }

        var allowCreate = context.GetEndpoint()?.Metadata.GetMetadata<SessionEndpointMetadata>() is null;
        var outcome = await credentials.ResolveAsync(basic.User, basic.Password, resolution.Client, allowCreate, cancellationToken);
        if (outcome.RetryAfter is { } retry)
        {
            resolution.Throttle(retry, "too many failed logins, retry later");
            return true;
        }
        if (outcome.IsOverloaded)
        {
            resolution.Fail(AuthenticationFailure.Overloaded, "login capacity exceeded, retry");
            return true;
        }
        if (outcome.Session is null)
        {
            resolution.Fail(AuthenticationFailure.InvalidCredentials, "invalid credentials");
            return true;
        }
        var feature = resolution.Feature;
        feature.Carrier = "basic";
        feature.StaleCookie = false;
        if (outcome.NewId is { } newId)
        {
            cookies.Issue(context.Response, newId, outcome.Session.Record);
        }
        resolution.Succeed(outcome.Session);
        return true;
    }
}
