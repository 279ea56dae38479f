using Gateway.Security;

namespace Gateway.Authentication;

/// <summary>The Session scheme's ambient credentials: a session resolved from the cookie or Basic, or Basic credentials presented.</summary>
internal sealed class SessionAmbientCredentials : IAmbientCredentials
{
    // Basic counts when presented, resolved or not: the scheme withholds resolution from a request refused by the CSRF check.
    public bool IsCarriedBy(HttpContext context)
    {
        var carrier = context.Features.Get<SessionAuthenticationFeature>() is { Session: not null } feature ? feature.Carrier : null;
        return carrier is "cookie" or "basic" || BasicCredentials.Parse(context.Request.Headers.Authorization).Status == BasicParseStatus.Ok;
    }
}
