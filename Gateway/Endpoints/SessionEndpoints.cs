using SessionOptions = Gateway.Configuration.SessionOptions;
using Gateway.Authentication;
using Gateway.Configuration;
using Gateway.Http;
using Gateway.Sessions;
using Microsoft.Extensions.Options;

namespace Gateway.Endpoints;

/// <summary><c>GET {prefix}/session</c>: the caller's own session.</summary>
internal static class SessionEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, string prefix)
    {
        routes.MapGet(prefix + "/session", (HttpContext context, IOptionsMonitor<GatewayOptions> options) =>
        {
            var session = context.Features.Get<SessionAuthenticationFeature>()!.Session!;
            return GatewayResponses.JsonAsync(context, Describe(session, options.CurrentValue.Session), JsonContext.Default.SessionInfo);
        }).RequireAuthorization();
    }

    public static SessionInfo Describe(ResolvedSession session, SessionOptions settings)
    {
        var record = session.Record;
        var idle = record.LastSeen + settings.IdleTimeout;
        return new SessionInfo(record.User, session.Roles, session.Key.Handle, record.Created, record.LastSeen,
            record.AbsoluteExpiry, idle < record.AbsoluteExpiry ? idle : record.AbsoluteExpiry);
    }
}
