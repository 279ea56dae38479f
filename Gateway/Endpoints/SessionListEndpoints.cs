using Gateway.Authentication;
using Gateway.Http;
using Gateway.Sessions;

namespace Gateway.Endpoints;

/// <summary>
/// The caller's own sessions: <c>GET {prefix}/sessions</c> (JSON, or the "my sessions" page for a browser),
/// <c>DELETE {prefix}/sessions/{handle}</c> (API) and <c>POST {prefix}/sessions/{handle}/revoke</c> (the page's
/// buttons; answered 303 back to the page).
/// </summary>
internal static class SessionListEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, string prefix)
    {
        routes.MapGet(prefix + "/sessions", async (HttpContext context, SessionService sessions) =>
        {
            var current = Current(context);
            var list = await sessions.ListAsync(current.User, context.RequestAborted);
            if (RequestKind.IsNavigation(context.Request))
            {
                await SessionsPage.WriteAsync(context, prefix, current, list);
                return;
            }
            await GatewayResponses.JsonAsync(context, Items(list, current.Key), JsonContext.Default.SessionListItemArray);
        }).RequireAuthorization();

        routes.MapDelete(prefix + "/sessions/{handle}", async (HttpContext context, string handle, SessionService sessions) =>
        {
            var current = Current(context);
            if (!await sessions.RevokeAsync(current.User, handle, current.User, ClientInfo.From(context).Ip, context.RequestAborted))
            {
                await GatewayResponses.ProblemAsync(context, StatusCodes.Status404NotFound, "not_found", "no such session");
                return;
            }
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        }).RequireAuthorization();

        routes.MapPost(prefix + "/sessions/{handle}/revoke", async (HttpContext context, string handle, SessionService sessions) =>
        {
            var current = Current(context);
            await sessions.RevokeAsync(current.User, handle, current.User, ClientInfo.From(context).Ip, context.RequestAborted);
            GatewayResponses.NoStore(context.Response);
            context.Response.StatusCode = StatusCodes.Status303SeeOther;
            context.Response.Headers.Location = handle == current.Key.Handle ? prefix + "/login" : prefix + "/sessions";
        }).RequireAuthorization();
    }

    public static SessionListItem[] Items(IEnumerable<ResolvedSession> sessions, SessionKey? current) =>
        sessions.Select(s => new SessionListItem(s.Key.Handle, s.Record.Created, s.Record.LastSeen, s.Record.AbsoluteExpiry,
            s.Record.ClientIp, s.Record.UserAgent, s.Record.Method, s.Key == current)).ToArray();

    private static ResolvedSession Current(HttpContext context) => context.Features.Get<SessionAuthenticationFeature>()!.Session!;
}
