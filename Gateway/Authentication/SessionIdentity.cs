using System.Security.Claims;

namespace Gateway.Authentication;

/// <summary>
/// The identity of a session principal, with the values of the identity headers computed once when it is built
/// (the principal is reused across a near-cached session's requests) instead of on every proxied request.
/// </summary>
internal sealed class SessionIdentity(IEnumerable<Claim> claims, string rolesHeader, string handle)
    : ClaimsIdentity(claims, SessionDefaults.Scheme, ClaimTypes.Name, ClaimTypes.Role)
{
    /// <summary>The roles claims joined with ',' (X-Auth-Roles).</summary>
    public string RolesHeader { get; } = rolesHeader;

    /// <summary>The handle claim's value (X-Auth-Session).</summary>
    public string Handle { get; } = handle;
}
