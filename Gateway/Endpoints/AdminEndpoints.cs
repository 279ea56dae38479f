using Gateway.Authentication;
using Gateway.Http;
using Gateway.Sessions;

namespace Gateway.Endpoints;

/// <summary>
/// Admin API (role <c>Gateway:Admin:Role</c>): any user's sessions (<c>GET/DELETE {prefix}/admin/users/{user}/sessions</c>,
/// <c>DELETE .../sessions/{handle}</c>) and the audit trail (<c>GET {prefix}/admin/audit?user=&amp;count=</c>, newest first).
/// </summary>
internal static class AdminEndpoints
{
    public const string Policy = "gateway-admin";
    private const int MaxAuditCount = 1000;

    public static void Map(IEndpointRouteBuilder routes, string prefix)
    {
        var admin = routes.MapGroup(prefix + "/admin").RequireAuthorization(Policy);

        admin.MapGet("/users/{user}/sessions", async (HttpContext context, string user, SessionService sessions) =>
            await GatewayResponses.JsonAsync(context, SessionListEndpoints.Items(await sessions.ListAsync(user, context.RequestAborted), Caller(context)?.Key),
                JsonContext.Default.SessionListItemArray));

        admin.MapDelete("/users/{user}/sessions", async (HttpContext context, string user, SessionService sessions, RememberMeService remember) =>
        {
            var revoked = await sessions.RevokeAllAsync(user, "admin", Caller(context)!.User, ClientInfo.From(context).Ip, context.RequestAborted);
            await remember.RevokeAllAsync(user, context.RequestAborted);
            await GatewayResponses.JsonAsync(context, new RevokedBody(revoked), JsonContext.Default.RevokedBody);
        });

        admin.MapDelete("/users/{user}/sessions/{handle}", async (HttpContext context, string user, string handle, SessionService sessions) =>
        {
            if (!await sessions.RevokeAsync(user, handle, Caller(context)!.User, ClientInfo.From(context).Ip, context.RequestAborted))
            {
                await GatewayResponses.ProblemAsync(context, StatusCodes.Status404NotFound, "not_found", "no such session");
                return;
            }
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });

        admin.MapGet("/audit", async (HttpContext context, AuditTrail audit, string? user, int? count) =>
        {
            var entries = await audit.ReadAsync(string.IsNullOrEmpty(user) ? null : user, Math.Clamp(count ?? 100, 1, MaxAuditCount), context.RequestAborted);
            await GatewayResponses.JsonAsync(context, entries.Select(e => new AuditItem(e.Time, e.Kind, e.User, e.Handle, e.Detail, e.By, e.Ip)).ToArray(),
                JsonContext.Default.AuditItemArray);
        });
    }

    private static ResolvedSession? Caller(HttpContext context) => context.Features.Get<SessionAuthenticationFeature>()?.Session;
}
