using System.Security.Claims;
using Gateway.Sessions;

namespace Gateway.Authentication;

/// <summary>Builds <see cref="HttpContext.User"/> from a resolved session: the one place identity lives.</summary>
internal static class SessionPrincipal
{
    public static ClaimsPrincipal Create(ResolvedSession session)
    {
        var claims = new List<Claim>(session.Roles.Length + 2)
        {
            new(ClaimTypes.Name, session.User),
            new(SessionDefaults.HandleClaim, session.Key.Handle),
        };
        claims.AddRange(session.Roles.Select(role => new Claim(ClaimTypes.Role, role)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, SessionDefaults.Scheme, ClaimTypes.Name, ClaimTypes.Role));
    }
}
