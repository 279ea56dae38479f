using System.Runtime.CompilerServices;
using System.Security.Claims;
using Gateway.Sessions;

namespace Gateway.Authentication;

/// <summary>
/// Builds <see cref="HttpContext.User"/> from a resolved session: the one place identity lives. A session served
/// from the near cache is the same <see cref="SessionRecord"/> object on every request, so its principal is built
/// once and reused: it is attached to that record object (a weak table, gone with the record), and reused only for
/// the same store key and the same configured roles array. Any change (a touch, a re-read from the store after the
/// cache entry expired or was invalidated, a rotation, a roles reload) is a new object, hence a new principal; a
/// revoked session has no record, hence no principal. Nothing in the gateway modifies a principal after this.
/// </summary>
internal static class SessionPrincipal
{
    private static readonly ConditionalWeakTable<SessionRecord, Built> Principals = new();

    /// <summary>
    /// The principal of <paramref name="session"/>; with <paramref name="keep"/> (the store shares record objects, see
    /// <see cref="ISessionStore.SharesRecords"/>) the one already built for its record, else kept with it. A store that
    /// reads a new record on every request gains nothing from keeping, so it is not asked to.
    /// </summary>
    public static ClaimsPrincipal For(ResolvedSession session, bool keep)
    {
        if (!keep)
        {
            return Create(session);
        }
        if (Principals.TryGetValue(session.Record, out var built) && built.Key == session.Key && ReferenceEquals(built.Roles, session.Roles))
        {
            return built.Principal;
        }
        var principal = Create(session);
        Principals.AddOrUpdate(session.Record, new Built(session.Key, session.Roles, principal));
        return principal;
    }

    public static ClaimsPrincipal Create(ResolvedSession session)
    {
        var claims = new List<Claim>(session.Roles.Length + 2)
        {
            new(ClaimTypes.Name, session.User),
            new(SessionDefaults.HandleClaim, session.Key.Handle),
        };
        claims.AddRange(session.Roles.Select(role => new Claim(ClaimTypes.Role, role)));
        return new ClaimsPrincipal(new SessionIdentity(claims, string.Join(',', session.Roles), session.Key.Handle));
    }

    private sealed record Built(SessionKey Key, string[] Roles, ClaimsPrincipal Principal);
}
